package sip

import (
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Dialog is one call in a phone's dialog-info document (RFC 4235): what the
// phone says about it, cleaned for the call tracker.
type Dialog struct {
	// ID is the dialog's id in the document, the call's id for dialbridge.
	ID string
	// Incoming is true when the phone was called (direction="recipient").
	Incoming bool
	// State is trying, proceeding, early, confirmed or terminated.
	State string
	// Remote is the far end's number (the user part of its identity) and
	// RemoteName its display name; Local is the phone's own identity.
	Remote, RemoteName, Local string
	// Held is true when the phone says it renders no media for the call
	// (its local target's +sip.rendering is "no", RFC 4235 §4.1.6.2):
	// the call is on hold.
	Held bool
}

// DialogInfo is a parsed dialog-info document.
type DialogInfo struct {
	// Version counts the phone's documents; an older one that arrives
	// late is ignored.
	Version int
	// Full is true for a complete list (state="full"): a dialog missing
	// from it has ended.
	Full    bool
	Dialogs []Dialog
}

type xmlDialogInfo struct {
	XMLName xml.Name    `xml:"dialog-info"`
	Version string      `xml:"version,attr"`
	State   string      `xml:"state,attr"`
	Dialogs []xmlDialog `xml:"dialog"`
}

type xmlDialog struct {
	ID           string      `xml:"id,attr"`
	Direction    string      `xml:"direction,attr"`
	State        string      `xml:"state"`
	Remote       xmlIdentity `xml:"remote>identity"`
	Local        xmlIdentity `xml:"local>identity"`
	LocalTargets []xmlParam  `xml:"local>target>param"`
}

type xmlParam struct {
	Name  string `xml:"pname,attr"`
	Value string `xml:"pvalue,attr"`
}

type xmlIdentity struct {
	Display string `xml:"display,attr"`
	URI     string `xml:",chardata"`
}

// dialogStates are the states RFC 4235 defines.
var dialogStates = map[string]bool{"trying": true, "proceeding": true, "early": true, "confirmed": true, "terminated": true}

// maxDialogText bounds every text taken from the phone.
const maxDialogText = 128

// ParseDialogInfo reads the body of a dialog NOTIFY. Every dialog needs an
// id and one of the RFC's states. The caller's name is limited like every
// name from outside (display.Name); ids and numbers lose the same hidden
// characters and are cut to a sane length but never marked as cut, since
// they are matched and dialed. All of them end up in windows, the journal
// and outgoing URLs.
func ParseDialogInfo(body []byte) (DialogInfo, error) {
	var doc xmlDialogInfo
	if err := xml.Unmarshal(body, &doc); err != nil {
		return DialogInfo{}, fmt.Errorf("not a dialog-info document: %w", err)
	}
	version, err := strconv.Atoi(doc.Version)
	if err != nil || version < 0 {
		return DialogInfo{}, fmt.Errorf("dialog-info version %q is not a number", clip(doc.Version))
	}
	out := DialogInfo{Version: version, Full: doc.State == "full"}
	for _, x := range doc.Dialogs {
		st := strings.TrimSpace(x.State)
		if x.ID == "" || !dialogStates[st] {
			return DialogInfo{}, fmt.Errorf("dialog %q: id and a state (trying, proceeding, early, confirmed, terminated) are required, got state %q", clip(x.ID), clip(st))
		}
		out.Dialogs = append(out.Dialogs, Dialog{
			ID: clean(x.ID), Incoming: x.Direction == "recipient", State: st,
			Remote: clean(userOf(x.Remote.URI)), RemoteName: display.Name(x.Remote.Display), Local: clean(hostlessOf(x.Local.URI)),
			Held: rendering(x.LocalTargets) == "no",
		})
	}
	return out, nil
}

// rendering is the +sip.rendering parameter of the phone's target.
func rendering(params []xmlParam) string {
	for _, p := range params {
		if p.Name == "+sip.rendering" {
			return strings.TrimSpace(p.Value)
		}
	}
	return ""
}

// userOf is the number in a sip:, sips: or tel: URI: its user part.
func userOf(uri string) string {
	uri = strings.TrimSpace(uri)
	if n, ok := strings.CutPrefix(uri, "tel:"); ok {
		n, _, _ = strings.Cut(n, ";")
		return n
	}
	var u gosip.Uri
	if gosip.ParseUri(uri, &u) != nil {
		return ""
	}
	return u.User
}

// hostlessOf is user@host of a SIP URI, as the tracker names the local party.
func hostlessOf(uri string) string {
	var u gosip.Uri
	if gosip.ParseUri(strings.TrimSpace(uri), &u) != nil || u.Host == "" {
		return ""
	}
	if u.User == "" {
		return u.Host
	}
	return u.User + "@" + u.Host
}

// clean drops the characters no shown text keeps (display.Hidden) and
// cuts s to maxDialogText bytes on a rune boundary.
func clean(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if display.Hidden(r) {
			return -1
		}
		return r
	}, s))
	if len(s) <= maxDialogText {
		return s
	}
	cut := maxDialogText
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// dialogWatch turns the phone's successive dialog-info documents into the
// call events the tracker knows, remembering what each dialog was.
type dialogWatch struct {
	known   map[string]*knownDialog
	version int // of the last document, -1 before the first
	started bool
}

type knownDialog struct {
	incoming, connected, held bool
}

// events returns the events that info means after what came before.
func (w *dialogWatch) events(info DialogInfo) []phone.Event {
	if w.known == nil {
		w.known = map[string]*knownDialog{}
	}
	if w.started && info.Version <= w.version {
		return nil // a repeat, or overtaken by a newer document
	}
	w.started, w.version = true, info.Version
	var out []phone.Event
	seen := map[string]bool{}
	for _, d := range info.Dialogs {
		seen[d.ID] = true
		ev := phone.Event{Format: Brand, CallID: d.ID, Remote: d.Remote, RemoteAlias: d.RemoteName, Local: d.Local}
		k, ok := w.known[d.ID]
		if !ok {
			if d.State == "terminated" {
				continue // over before dialbridge heard of it
			}
			k = &knownDialog{incoming: d.Incoming}
			w.known[d.ID] = k
			ev.Kind = phone.EventOutgoing
			if d.Incoming {
				ev.Kind = phone.EventIncoming
			}
			out = append(out, ev)
		}
		switch d.State {
		case "confirmed":
			if !k.connected {
				k.connected = true
				ev.Kind = phone.EventConnected
				out = append(out, ev)
			}
			if d.Held != k.held {
				k.held = d.Held
				ev.Kind = phone.EventUnhold
				if d.Held {
					ev.Kind = phone.EventHold
				}
				out = append(out, ev)
			}
		case "terminated":
			out = append(out, w.end(d.ID, ev))
		}
	}
	if info.Full {
		for _, id := range slices.Sorted(maps.Keys(w.known)) {
			if !seen[id] {
				out = append(out, w.end(id, phone.Event{Format: Brand, CallID: id}))
			}
		}
	}
	return out
}

// end forgets a dialog and returns its last event: missed for an incoming
// call never answered, disconnected otherwise.
func (w *dialogWatch) end(id string, ev phone.Event) phone.Event {
	k := w.known[id]
	delete(w.known, id)
	ev.Kind = phone.EventDisconnected
	if k.incoming && !k.connected {
		ev.Kind = phone.EventMissed
	}
	return ev
}
