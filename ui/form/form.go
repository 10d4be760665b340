// Package form is the settings window's and the pairing wizard's model,
// without a window: the values of the fields as plain strings and switches,
// their way into the config and back, the problems with them keyed by the
// config key they concern, and the save sequence. The Fyne windows in
// package ui only copy widgets into a Form, show the Problems next to the
// fields whose keys they carry, and call Save; so table tests cover what
// the windows decide without a desktop, the way ui/tray's Model does for
// the tray menu.
//
// The package imports no Fyne: the words a person reads stay in package ui,
// which turns each Problem's Kind into a sentence of its language.
package form

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// Event is the outgoing action URL of one event as its editor shows it.
type Event struct {
	// Event is one of config.Events.
	Event string
	// URL is the template as typed.
	URL string
	// Enabled and Browser are the editor's two switches.
	Enabled, Browser bool
}

// Form is every field of the settings window, as typed. Numbers stay text:
// a port being typed is not a number yet, and saying so is the form's job.
type Form struct {
	// Action URLs.
	Enabled  bool
	Port     string
	Incoming bool
	MakeCall bool
	// Events has one entry per config.Events, in that order.
	Events []Event

	// Security. Origins and IPs hold one entry per line; Confirm is one of
	// config.ConfirmModes.
	Origins, IPs string
	Confirm      string
	ListenerUser string
	ListenerPass string

	// Dialing rules. DefaultBlocked means "the country's premium-rate
	// numbers"; Blocked (one pattern per line) is used only without it.
	Country, AreaCode, OutsideLine string
	InternalMax, IntlPrefix        string
	E164, DefaultBlocked           bool
	Blocked                        string

	// Other computers: LANAddress opens the LAN socket ("" keeps
	// dialbridge on loopback, "auto" finds the address on the way to the
	// phone); LANTLS makes it speak HTTPS, and counts only while it is open.
	LANAddress string
	LANTLS     bool

	// Phone. SIPDomain is the sip brand's PBX domain, which its dials
	// refer the phone to.
	Brand, Address, PhoneUser, PhonePass, Identity string
	SIPDomain                                      string

	// Contacts: the caller lookup sources, in the order they are asked,
	// and whether a found name shows on the phone's display.
	Sources        []Source
	ShowCallerName bool

	// Phone keys: the function keys bound to dialbridge actions, and the
	// phone's model for the numbers of their lights ("" = as the phone
	// reports it).
	Keys  []Key
	Model string

	// Desktop: the global hotkey as the config writes it ("ctrl+alt+d"),
	// "" for none.
	Hotkey string
}

// Stored says which passwords the keyring holds, so that an empty password
// field keeps the stored one rather than meaning "no password".
type Stored struct {
	Listener, Phone bool
}

// FromConfig fills the form from a config. The first outgoing entry of each
// event is the one its editor shows.
func FromConfig(cfg config.Config) Form {
	l, d, p := cfg.Listener, cfg.Dialing, cfg.Phone
	f := Form{
		Enabled:        l.Enabled,
		Port:           strconv.Itoa(l.Port),
		Incoming:       l.Incoming,
		MakeCall:       l.MakeCall,
		Origins:        strings.Join(l.AllowedOrigins, "\n"),
		IPs:            strings.Join(l.AllowIPs, "\n"),
		Confirm:        l.Confirm,
		ListenerUser:   l.Username,
		Country:        d.Country,
		AreaCode:       d.AreaCode,
		OutsideLine:    d.OutsideLine,
		InternalMax:    strconv.Itoa(d.InternalMaxDigits),
		IntlPrefix:     d.InternationalPrefix,
		E164:           strings.EqualFold(d.Format, "e164"),
		DefaultBlocked: d.Blocked == nil,
		Blocked:        strings.Join(d.Blocked, "\n"),
		Brand:          p.Brand,
		Address:        p.Address,
		PhoneUser:      p.Username,
		Identity:       p.Identity,
		SIPDomain:      p.SIPDomain,
		LANAddress:     l.LANAddress,
		LANTLS:         l.LANTLS,
		Hotkey:         cfg.Desktop.Hotkey,
	}
	for _, ev := range config.Events {
		e := Event{Event: ev}
		for _, o := range cfg.Outgoing {
			if o.Event == ev {
				e.URL, e.Enabled, e.Browser = o.URL, o.Enabled, o.OpenInBrowser
				break
			}
		}
		f.Events = append(f.Events, e)
	}
	f.Sources = sourcesOf(cfg)
	f.ShowCallerName = p.ShowCallerName
	f.Keys = keysOf(cfg)
	f.Model = p.Model
	return f
}

// Entries maps an event to the 1-based number of its outgoing entry in the
// config Apply builds ("outgoing[N]"); an event without a URL or switch has
// no entry.
type Entries map[string]int

// Key is the config key of the event's outgoing entry, "" when it has none.
func (e Entries) Key(event string) string {
	n, ok := e[event]
	if !ok {
		return ""
	}
	return fmt.Sprintf("outgoing[%d]", n)
}

// Apply builds the config from the form over base, so that settings the
// form does not show survive a save. Text that is not a number (port,
// longest extension) leaves base's number; Check reports it.
func (f Form) Apply(base config.Config) (config.Config, Entries) {
	cfg := base
	cfg.Listener.Enabled = f.Enabled
	if n, err := strconv.Atoi(strings.TrimSpace(f.Port)); err == nil {
		cfg.Listener.Port = n
	}
	cfg.Listener.Incoming = f.Incoming
	cfg.Listener.MakeCall = f.MakeCall
	cfg.Listener.AllowedOrigins = Lines(f.Origins)
	cfg.Listener.AllowIPs = Lines(f.IPs)
	cfg.Listener.Confirm = f.Confirm
	cfg.Listener.Username = strings.TrimSpace(f.ListenerUser)
	cfg.Listener.LANAddress = strings.TrimSpace(f.LANAddress)
	// HTTPS is the LAN socket's; with the socket closed the switch is
	// greyed out and saving it on would only make the config check refuse.
	cfg.Listener.LANTLS = f.LANTLS && cfg.Listener.LANAddress != ""
	cfg.Dialing = f.Dialing(base.Dialing)
	cfg.Phone.Brand = f.Brand
	cfg.Phone.Address = strings.TrimSpace(f.Address)
	cfg.Phone.Username = strings.TrimSpace(f.PhoneUser)
	cfg.Phone.Identity = strings.TrimSpace(f.Identity)
	cfg.Phone.SIPDomain = strings.TrimSpace(f.SIPDomain)

	// Outgoing: the first entry of each event is the one the editor shows;
	// further entries an admin wrote for the same event are kept as they are.
	entries := Entries{}
	var out []config.Outgoing
	for _, e := range f.Events {
		url := strings.TrimSpace(e.URL)
		if url == "" && !e.Enabled && !e.Browser {
			continue
		}
		out = append(out, config.Outgoing{Event: e.Event, URL: url, Enabled: e.Enabled, OpenInBrowser: e.Browser})
		entries[e.Event] = len(out)
	}
	seen := map[string]bool{}
	for _, o := range base.Outgoing {
		if !seen[o.Event] && slices.Contains(config.Events, o.Event) {
			seen[o.Event] = true
			continue
		}
		out = append(out, o)
	}
	cfg.Outgoing = out
	cfg.Lookup = Lookups(f.Sources, base.Lookup)
	cfg.Phone.ShowCallerName = f.ShowCallerName
	cfg.Phone.Keys = PhoneKeys(f.Keys)
	cfg.Phone.Model = strings.TrimSpace(f.Model)
	cfg.Desktop.Hotkey = f.Hotkey
	return cfg, entries
}

// Dialing builds the dialing rules from the form over base; the settings
// window also tries a number on them while the person types.
func (f Form) Dialing(base config.Dialing) config.Dialing {
	d := base
	d.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	d.AreaCode = strings.TrimSpace(f.AreaCode)
	d.OutsideLine = strings.TrimSpace(f.OutsideLine)
	if n, err := strconv.Atoi(strings.TrimSpace(f.InternalMax)); err == nil {
		d.InternalMaxDigits = n
	}
	d.InternationalPrefix = strings.TrimSpace(f.IntlPrefix)
	switch {
	case f.E164:
		d.Format = "e164"
	case strings.EqualFold(d.Format, "e164"):
		d.Format = "" // switched off: back to the default, national
	}
	if f.DefaultBlocked {
		d.Blocked = nil
	} else {
		d.Blocked = Lines(f.Blocked)
		if d.Blocked == nil {
			d.Blocked = []string{} // "block nothing", not "the defaults"
		}
	}
	return d
}

// Lines splits a multi-line field into its non-empty, trimmed lines.
func Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
