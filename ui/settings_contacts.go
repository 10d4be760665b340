package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/ui/form"
)

// contactsPage is the caller lookup: the sources in the order they are
// asked, and a number to try them on.
type contactsPage struct {
	rows []*sourceRow
	// states is what the running dialbridge last said about its sources;
	// statesNote says once that it does not answer.
	states     sourceStates
	statesNote *widget.Label
	list       *fyne.Container
	number     *widget.Entry
	result     *widget.Label
	lookBtn    *widget.Button
	// showOnPhone is phone.show_caller_name.
	showOnPhone *widget.Check
}

// sourceRow edits one source.
type sourceRow struct {
	from     int
	kind     *widget.Select
	place    *widget.Entry
	user     *widget.Entry
	baseDN   *widget.Entry
	password *widget.Entry
	field    *field
	box      fyne.CanvasObject
	// state is how the running dialbridge reports the source is doing.
	state *widget.Label
}

func (p *contactsPage) read(f *form.Form) {
	for _, r := range p.rows {
		f.Sources = append(f.Sources, r.source())
	}
	f.ShowCallerName = p.showOnPhone.Checked
}

// source is the row as the model reads it.
func (r *sourceRow) source() form.Source {
	return form.Source{Kind: r.kind.Selected, Place: r.place.Text, Username: r.user.Text,
		BaseDN: r.baseDN.Text, Password: r.password.Text, From: r.from}
}

// contactsTab lists the sources with buttons to add, move and remove them,
// and tries a number on them as they stand in the window.
func (s *Settings) contactsTab(f form.Form) fyne.CanvasObject {
	s.statesNote = wrapped("")
	s.statesNote.Hide()
	s.list = container.NewVBox()
	for _, src := range f.Sources {
		s.rows = append(s.rows, s.newSourceRow(src))
	}
	s.relayoutSources()
	add := widget.NewButtonWithIcon(lang.X("settings.contacts.add", "Add a source"), theme.ContentAddIcon(), func() {
		s.rows = append(s.rows, s.newSourceRow(form.Source{Kind: "vcard"}))
		s.relayoutSources()
	})
	s.number = entry("", "030 1234567")
	s.result = wrapped("")
	s.lookBtn = widget.NewButtonWithIcon(lang.X("settings.contacts.try", "Look up…"), theme.SearchIcon(), s.tryLookup)
	s.number.OnSubmitted = func(string) { s.tryLookup() }
	s.showOnPhone = widget.NewCheck(lang.X("settings.contacts.show_on_phone", "Also show the name on the phone's display (Snom)"), nil)
	s.showOnPhone.SetChecked(f.ShowCallerName)
	intro := captionLabel(lang.X("settings.contacts.intro", "When the phone sends a number without a name, dialbridge asks these sources at once; the first in this order that knows the number names the caller in the notification, the journal, the recent calls and the outgoing URLs."))
	s.askSourceStates()
	return scroll(
		intro,
		s.statesNote,
		s.list,
		add,
		s.showOnPhone,
		captionLabel(lang.X("settings.contacts.show_on_phone.hint", "While the phone rings, a screen with the caller's name and company covers its own call screen.")),
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.X("settings.contacts.try_heading", "Try a number on the sources above"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, s.lookBtn, s.number),
		s.result,
	)
}

func (s *Settings) newSourceRow(src form.Source) *sourceRow {
	r := &sourceRow{from: src.From}
	r.place = entry(src.Place, "")
	r.user = entry(src.Username, lang.X("settings.contacts.user", "User name (if the server asks for one)"))
	r.baseDN = entry(src.BaseDN, "ou=people,dc=example,dc=com")
	r.password = widget.NewPasswordEntry()
	r.password.SetPlaceHolder(lang.X("settings.contacts.password", "Password (empty keeps the stored one)"))
	r.state = captionLabel("")
	r.state.Hide()
	// An edited source is no longer the one dialbridge has: the line
	// under it says so until it is saved.
	edited := func(string) { s.showSourceStates() }
	r.place.OnChanged, r.user.OnChanged, r.baseDN.OnChanged, r.password.OnChanged = edited, edited, edited, edited
	r.kind = widget.NewSelect(config.LookupKinds, func(string) { r.showKind(); s.showSourceStates() })
	r.kind.SetSelected(src.Kind)
	r.field = s.add(newField("", lang.X("settings.contacts.source", "Source"), container.NewVBox(r.kind, r.place, r.user, r.baseDN, r.password), ""))
	r.showKind()
	return r
}

// showKind shows the fields the row's kind reads.
func (r *sourceRow) showKind() {
	switch r.kind.Selected {
	case "vcard":
		r.place.SetPlaceHolder(lang.X("settings.contacts.vcard_example", "~/contacts.vcf"))
	case "csv":
		r.place.SetPlaceHolder(lang.X("settings.contacts.csv_example", "~/contacts.csv"))
	case "carddav":
		r.place.SetPlaceHolder("https://dav.example/addressbooks/me/contacts/")
	case "ldap":
		r.place.SetPlaceHolder("ldaps://dir.example")
	default:
		r.place.SetPlaceHolder("https://crm.example/api/lookup?nr=<$remote_party>")
	}
	file := r.kind.Selected == "vcard" || r.kind.Selected == "csv"
	for _, w := range []fyne.CanvasObject{r.user, r.password} {
		if file {
			w.Hide()
		} else {
			w.Show()
		}
	}
	if r.kind.Selected == "ldap" {
		r.baseDN.Show()
	} else {
		r.baseDN.Hide()
	}
}

// relayoutSources shows the rows in their order, each with the config key
// its problems carry, and buttons to move it up, down or away.
func (s *Settings) relayoutSources() {
	s.list.RemoveAll()
	for i, r := range s.rows {
		r.field.key = fmt.Sprintf("lookup[%d]", i+1)
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { s.moveSource(i, i-1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { s.moveSource(i, i+1) })
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			s.rows[i].field.key = "" // its problems have no place any more
			s.rows = append(s.rows[:i:i], s.rows[i+1:]...)
			s.relayoutSources()
		})
		if i == 0 {
			up.Disable()
		}
		if i == len(s.rows)-1 {
			down.Disable()
		}
		s.list.Add(widget.NewCard("", fmt.Sprintf("%d", i+1), container.NewBorder(nil, nil, nil, container.NewVBox(up, down, remove), container.NewVBox(r.field.box, r.state))))
	}
	if len(s.rows) == 0 {
		s.list.Add(captionLabel(lang.X("settings.contacts.none", "No sources yet: callers show the name the phone sends, if any.")))
	}
	s.showSourceStates()
}

func (s *Settings) moveSource(from, to int) {
	if to < 0 || to >= len(s.rows) {
		return
	}
	s.rows[from], s.rows[to] = s.rows[to], s.rows[from]
	s.relayoutSources()
}

// tryLookup asks the sources as they stand in the window (not yet saved)
// for the number, the way a call asks them, and shows who it is, which
// source said so and what each source reports.
func (s *Settings) tryLookup() {
	number := strings.TrimSpace(s.number.Text)
	if number == "" {
		return
	}
	f := s.form()
	cfg, _ := f.Apply(s.base)
	typed := map[string]string{}
	for i, src := range f.Sources {
		if src.Password != "" {
			typed[config.LookupSecret(i+1)] = src.Password
		}
	}
	moved := map[string]string{}
	for i, src := range f.Sources {
		if src.From > 0 {
			moved[config.LookupSecret(i+1)] = config.LookupSecret(src.From)
		}
	}
	secret := func(user string) (string, error) {
		if pw, ok := typed[user]; ok {
			return pw, nil
		}
		if from, ok := moved[user]; ok && s.d.Secrets != nil {
			return s.d.Secrets.Get(from)
		}
		return "", config.ErrNoSecret
	}
	s.lookBtn.Disable()
	s.result.Importance = widget.MediumImportance
	s.result.SetText(lang.X("settings.contacts.asking", "Asking the sources…"))
	now := s.d.now()
	s.d.spawn(func() {
		text, found := lookupReport(cfg, secret, number, now)
		fyne.Do(func() {
			s.lookBtn.Enable()
			s.result.Importance = widget.MediumImportance
			if !found {
				s.result.Importance = widget.WarningImportance
			}
			s.result.SetText(text)
		})
	})
}

// lookupReport asks cfg's sources for number and words the outcome: the
// match, then each source's state after it answered, as the lines under
// the sources word it (times beside now).
func lookupReport(cfg config.Config, secret lookup.Secret, number string, now time.Time) (string, bool) {
	names, err := lookup.FromConfig(cfg, secret, nil)
	var lines []string
	if err != nil {
		lines = append(lines, i18n.Error(err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// Why a source could not answer is its state's line below: the
	// lookup's own error says it again and is left out.
	m, ok, err := names.Find(ctx, number)
	switch {
	case errors.Is(err, lookup.ErrNoNumber):
		return lang.X("settings.contacts.not_number", "{{.Number}} is not a phone number.", map[string]any{"Number": display.Name(number)}), false
	case ok:
		lines = append([]string{i18n.Error(lookup.Describe(m))}, lines...)
	default:
		lines = append([]string{lang.X("settings.contacts.unknown", "No source knows {{.Number}}.", map[string]any{"Number": display.Name(number)})}, lines...)
	}
	for _, st := range names.Status() {
		if line := st.Labeled(now); line != nil {
			lines = append(lines, i18n.Error(line))
		}
	}
	return strings.Join(lines, "\n"), ok
}

// formSource is a new source of kind at place, as the page adds it.
func formSource(kind, place string) form.Source { return form.Source{Kind: kind, Place: place} }
