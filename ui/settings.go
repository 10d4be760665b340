package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/ui/form"
)

// SettingsDeps is what the settings window needs.
type SettingsDeps struct {
	Env
	Config  ConfigStore
	Secrets SecretStore
	// Resident is told to reload after saving.
	Resident Resident
	// Register makes dialbridge the desktop's handler for tel:, callto: and
	// sip: links (`dialbridge register`).
	Register func(ctx context.Context) error
	// OpenWizard opens the pairing wizard; nil hides the button.
	OpenWizard func()
	// Brands are the phone brands to offer, without "demo".
	Brands []string
	// LANFingerprint reads the SHA-256 fingerprint of the LAN socket's
	// certificate (lancert.Fingerprint for the config file); ok is false
	// before dialbridge made one. Nil tells the person to ask
	// `dialbridge pairing-urls`.
	LANFingerprint func() (fp string, ok bool, err error)
	// Keys is the running resident's function key writer; nil greys out
	// the Phone keys page's "Write to phone".
	Keys KeyWriter
	// Lookups tells how the running resident's caller lookup sources are
	// doing; nil shows no state under the Contacts page's sources.
	Lookups SourceStates
}

// Settings follows Mia CSTA's action URL settings dialog (the Windows CTI
// program dialbridge replaces; docs/protocols.md) item by item (1 action URLs
// on/off, 2 TCP port, 3 incoming on/off, 4 make_call on/off, 5 a URL per
// event, 6 enable it, 7 open it in the browser) and adds what dialbridge
// needs beyond Mia: the security of the listener, the dialing rules and the
// phone. Nothing invalid is ever saved: every problem is shown next to its
// field, and the file is written atomically.
//
// Each page is a file of its own (settings_PAGE.go) with a struct for its
// widgets, which builds the page from a form.Form and copies the widgets
// back into one. What to save, what is wrong and how to save it is decided
// by the Fyne-free model in ui/form.
type Settings struct {
	d      SettingsDeps
	window fyne.Window
	// base is the config as loaded; edits are applied to a copy of it, so
	// that settings this window does not show survive a save.
	base   config.Config
	stored form.Stored
	fields []*field

	actionURLsPage
	outgoingPage
	securityPage
	dialingPage
	phonePage
	contactsPage
	keysPage
	hotkeyPart

	tabs   *container.AppTabs
	status *widget.Label
	save   *widget.Button
	saving bool
}

// settingsPage is one page: its name for `dialbridge ui settings PAGE`,
// its tab, and how its widgets go into the form.
type settingsPage struct {
	name  string
	title string
	// icon is the theme's icon function, called only when the tab is
	// built: a theme icon asks the running app for its theme, and
	// SettingsPages is read before any app runs.
	icon  func() fyne.Resource
	build func(form.Form) fyne.CanvasObject
	read  func(*form.Form)
}

// pages lists the pages in their order.
func (s *Settings) pages() []settingsPage {
	return []settingsPage{
		{"actionurls", lang.X("settings.tab.actionurls", "Action URLs"), theme.SettingsIcon, s.actionURLsTab, s.actionURLsPage.read},
		{"outgoing", lang.X("settings.tab.outgoing", "Outgoing URLs"), theme.UploadIcon, s.outgoingTab, s.outgoingPage.read},
		{"security", lang.X("settings.tab.security", "Security"), theme.WarningIcon, s.securityTab, s.securityPage.read},
		{"dialing", lang.X("settings.tab.dialing", "Dialing rules"), theme.ListIcon, s.dialingTab, func(f *form.Form) { s.dialingPage.read(f); s.hotkeyPart.read(f) }},
		{"phone", lang.X("settings.tab.phone", "Phone"), theme.ComputerIcon, s.phoneTab, s.phonePage.read},
		{"contacts", lang.X("settings.tab.contacts", "Contacts"), theme.AccountIcon, s.contactsTab, s.contactsPage.read},
		{"keys", lang.X("settings.tab.keys", "Phone keys"), theme.GridIcon, s.keysTab, s.keysPage.read},
	}
}

// NewSettings loads the config and builds the settings window.
func NewSettings(a fyne.App, d SettingsDeps) *Settings {
	s := &Settings{d: d}
	s.window = a.NewWindow(lang.X("settings.title", "dialbridge settings"))
	s.status = wrapped("")

	cfg, err := d.Config.Load()
	if err != nil {
		// A broken file is shown, not overwritten: the admin's file wins
		// until it is fixed.
		s.window.SetContent(container.NewPadded(container.NewVBox(
			heading(lang.X("settings.unreadable", "The settings file cannot be used")),
			wrapped(err.Error()),
			wrapped(lang.X("settings.unreadable_help", "Fix the file (or ask the administrator who provided it), then open the settings again.")),
		)))
		s.window.Resize(fyne.NewSize(620, 300))
		return s
	}
	s.base = cfg

	f := form.FromConfig(cfg)
	s.tabs = container.NewAppTabs()
	for _, p := range s.pages() {
		s.tabs.Append(container.NewTabItemWithIcon(p.title, p.icon(), p.build(f)))
	}

	cancel := widget.NewButton(lang.X("settings.close", "Close"), func() { s.window.Close() })
	s.save = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), s.Save)
	s.save.Importance = widget.HighImportance
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(cancel, s.save), s.status)
	s.window.SetContent(container.NewBorder(nil, container.NewPadded(bottom), nil, nil, s.tabs))
	s.window.Resize(fyne.NewSize(920, 660))
	s.updateEnabled()
	s.loadSecretsState()
	return s
}

// Window is the settings window.
func (s *Settings) Window() fyne.Window { return s.window }

// SettingsPages names the settings pages, in order, for `dialbridge ui
// settings PAGE` (the tray can open the page the person needs).
func SettingsPages() []string {
	var names []string
	for _, p := range (&Settings{}).pages() {
		names = append(names, p.name)
	}
	return names
}

// ShowTab brings the named page (one of SettingsPages) to the front and
// reports whether it exists.
func (s *Settings) ShowTab(name string) bool {
	for i, n := range SettingsPages() {
		if n == name && s.tabs != nil {
			s.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

func (s *Settings) add(f *field) *field {
	s.fields = append(s.fields, f)
	return f
}

// scroll wraps a tab's content so that a small screen can still reach it.
func scroll(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}

// form copies every page's widgets into the model.
func (s *Settings) form() form.Form {
	var f form.Form
	for _, p := range s.pages() {
		p.read(&f)
	}
	return f
}

// check runs the model's one check over f, the form as typed, pointing
// each outgoing editor's field at the config entry it becomes.
func (s *Settings) check(f form.Form) form.Checked {
	c := form.Check(f, s.base, s.stored)
	for _, e := range s.events {
		e.urlField.key = c.Entries.Key(e.event)
	}
	return c
}

// recheck shows the problems with the given keys while the person types.
func (s *Settings) recheck(keys ...string) {
	c := s.check(s.form())
	for _, key := range keys {
		if f := s.fieldByKey(key); f != nil {
			f.setProblem(s.firstProblem(c, f))
		}
	}
}

// firstProblem is the sentence for the first problem that lands on f.
func (s *Settings) firstProblem(c form.Checked, f *field) string {
	for _, p := range c.Problems {
		if s.fieldByKey(p.Key) == f {
			return problemText(p)
		}
	}
	return ""
}

// fieldByKey finds the field for a config key, e.g. "listener.port" or
// "outgoing[2].url"; a problem about "dialing.blocked[3]" lands on
// "dialing.blocked".
func (s *Settings) fieldByKey(key string) *field {
	var best *field
	for _, f := range s.fields {
		if f.key == "" {
			continue
		}
		if form.Under(key, f.key) && (best == nil || len(f.key) > len(best.key)) {
			best = f
		}
	}
	return best
}

// problemText words a problem of the model in the person's language.
func problemText(p form.Problem) string {
	line := map[string]any{"Line": p.Line, "Value": p.Value}
	switch p.Kind {
	case form.KindPort:
		return lang.X("settings.err.port", "Enter a port number from 1 to 65535.")
	case form.KindOriginWildcard:
		return lang.X("settings.err.origin_wildcard", "Line {{.Line}}: \"{{.Value}}\" would let every web page dial; name the pages instead.", line)
	case form.KindOrigin:
		return lang.X("settings.err.origin", "Line {{.Line}}: \"{{.Value}}\" is not a web origin like https://crm.example (no path).", line)
	case form.KindIP:
		return lang.X("settings.err.ip", "Line {{.Line}}: \"{{.Value}}\" is neither an address nor a network like 192.0.2.0/24.", line)
	case form.KindIPsNeedUser:
		return lang.X("settings.err.ips_need_user", "Other computers must send the listener's credentials: add a user name and its password below, or clear this list.")
	case form.KindLANAddress:
		return lang.X("settings.err.lan_address", "Enter \"auto\" or one IP address of this computer that the phone reaches, e.g. 192.0.2.5; leave it empty to stay on this computer only.")
	case form.KindListenerPassword:
		return lang.X("settings.err.listener_pass", "Set a password for this user name, or clear the user name.")
	case form.KindCountry:
		return lang.X("settings.err.country", "Enter the two-letter country code, e.g. DE.")
	case form.KindDigits:
		return lang.X("settings.err.digits", "Only digits, please.")
	case form.KindInternal:
		return lang.X("settings.err.internal", "Enter a number from 0 to 8.")
	case form.KindBrand:
		return lang.X("settings.err.brand", "Choose the brand of your phone.")
	case form.KindAddress:
		return lang.X("settings.err.address", "Enter the phone's address, e.g. 192.0.2.10.")
	case form.KindSIPDomain:
		return lang.X("settings.err.sip_domain", "Enter the domain of the PBX the phone is registered with, e.g. pbx.example.")
	case form.KindURLEmpty:
		return lang.X("settings.err.url_empty", "Enter a URL, or switch this action URL off.")
	case form.KindKeyNumber:
		return lang.X("settings.err.key_number", "Enter the key's number as the phone counts its keys, from 1 (Snom P1 = 1).")
	case form.KindKeyTwice:
		return lang.X("settings.err.key_twice", "Another row binds this key already; a key runs one action.")
	case form.KindKeyLabelEmpty:
		return lang.X("settings.err.key_label_empty", "Enter the label the phone shows beside the key.")
	case form.KindKeyLabelLong:
		return lang.X("settings.err.key_label_long", "A phone shows at most {{.Max}} characters beside a key; shorten the label.", map[string]any{"Max": config.MaxKeyLabel})
	case form.KindKeyDialNumber:
		return lang.X("settings.err.key_dial", "Enter the number this key dials.")
	case form.KindKeySequence:
		return lang.X("settings.err.key_sequence", "Enter the keys to send, e.g. F_HOLD;ENTER.")
	}
	if p.Says != nil {
		return i18n.Error(p.Says)
	}
	return p.Msg
}

// Save checks every field, stores passwords in the keyring, writes the
// config file atomically and tells the resident to reload. Nothing is
// written while any field has a problem.
func (s *Settings) Save() { s.saveThen(nil) }

// saveThen saves as Save does and, once the resident has taken the new
// settings, runs then on the UI goroutine (nil: nothing more to do).
func (s *Settings) saveThen(then func()) {
	if s.saving {
		return
	}
	for _, f := range s.fields {
		f.setProblem("")
	}
	f := s.form()
	c := s.check(f)
	if !c.OK() {
		var unplaced []string
		for _, p := range c.Problems {
			fld := s.fieldByKey(p.Key)
			switch {
			case fld == nil:
				unplaced = append(unplaced, p.Key+": "+problemText(p))
			case !fld.problem.Visible():
				fld.setProblem(problemText(p))
			}
		}
		s.status.Importance = widget.DangerImportance
		msg := lang.X("settings.invalid", "Nothing was saved: fix the fields marked in red.")
		if len(unplaced) > 0 {
			msg += "\n" + strings.Join(unplaced, "\n")
		}
		s.status.SetText(msg)
		s.showFirstProblem()
		return
	}

	saver := form.Saver{Files: s.d.Config, Keyring: s.d.Secrets, Resident: s.d.Resident}
	stored := s.stored
	s.saving = true
	s.save.Disable()
	s.status.Importance = widget.MediumImportance
	s.status.SetText(lang.X("settings.saving", "Saving…"))
	s.d.spawn(func() {
		ctx, cancel := s.d.context()
		saved, err := saver.Save(ctx, c.Config, f, stored)
		cancel()
		fyne.Do(func() {
			s.saved(c.Config, saved, err)
			if err == nil && saved.Outcome == form.Applied && then != nil {
				then()
			}
		})
	})
}

// saved shows how the save went and starts over from what was saved.
func (s *Settings) saved(cfg config.Config, saved form.Saved, err error) {
	s.saving = false
	s.save.Enable()
	if err != nil {
		s.status.Importance = widget.DangerImportance
		s.status.SetText(lang.X("settings.save_failed", "The settings were not saved: {{.Err}}", map[string]any{"Err": err.Error()}))
		return
	}
	switch saved.Outcome {
	case form.NotRunning:
		s.status.Importance = widget.SuccessImportance
		s.status.SetText(lang.X("settings.saved_not_running", "Saved. dialbridge is not running; it uses the new settings when it starts."))
	case form.ReloadFailed:
		s.status.Importance = widget.WarningImportance
		s.status.SetText(lang.X("settings.saved_reload", "Saved, but dialbridge reports: {{.Err}}", map[string]any{"Err": saved.Err.Error()}))
	default:
		s.status.Importance = widget.SuccessImportance
		s.status.SetText(lang.X("settings.saved", "Saved. dialbridge uses the new settings now."))
	}
	s.base = cfg
	s.stored = saved.Stored
	s.listenerPass.SetText("")
	s.phonePass.SetText("")
	// The saved order is now the stored one, passwords included.
	for i, r := range s.rows {
		r.from = i + 1
		r.password.SetText("")
	}
	// dialbridge has the saved sources now (or reads them when it starts).
	s.askSourceStates()
}

// showFirstProblem brings the tab with the first bad field to the front.
func (s *Settings) showFirstProblem() {
	for _, f := range s.fields {
		if !f.problem.Visible() {
			continue
		}
		for _, item := range s.tabs.Items {
			if containsObject(item.Content, f.box) {
				s.tabs.Select(item)
				return
			}
		}
	}
}

// containsObject reports whether o is in the tree under root.
func containsObject(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	switch c := root.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			if containsObject(child, o) {
				return true
			}
		}
	case *container.Scroll:
		return containsObject(c.Content, o)
	case *widget.Card:
		return containsObject(c.Content, o)
	case *container.AppTabs:
		for _, item := range c.Items {
			if containsObject(item.Content, o) {
				return true
			}
		}
	}
	return false
}
