package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/ui/form"
)

// dialingPage holds the dialing rules, with a number to try them on.
type dialingPage struct {
	country, area, outside, internalMax *widget.Entry
	intlPrefix                          *widget.Entry
	e164                                *widget.Check
	defaultBlocked                      *widget.Check
	blockedField                        *field
	blocked                             *widget.Entry
	tryNumber                           *widget.Entry
	tryResult                           *widget.Label
}

func (p *dialingPage) read(f *form.Form) {
	f.Country = p.country.Text
	f.AreaCode = p.area.Text
	f.OutsideLine = p.outside.Text
	f.InternalMax = p.internalMax.Text
	f.IntlPrefix = p.intlPrefix.Text
	f.E164 = p.e164.Checked
	f.DefaultBlocked = p.defaultBlocked.Checked
	f.Blocked = p.blocked.Text
}

// dialingKeys are the config keys of the page's fields, rechecked as the
// person types.
var dialingKeys = []string{"dialing.country", "dialing.area_code", "dialing.outside_line", "dialing.internal_max_digits", "dialing.international_prefix", "dialing.format", "dialing.blocked"}

// textField is a one-line entry for a config key, with its label and
// hint, stored in *target; it returns the field's box.
func (s *Settings) textField(target **widget.Entry, text, placeholder, key, label, hint string) *fyne.Container {
	*target = entry(text, placeholder)
	return s.add(newField(key, label, *target, hint)).box
}

// dialingTab holds the dialing rules, with a number to try them on.
func (s *Settings) dialingTab(f form.Form) fyne.CanvasObject {
	country := s.textField(&s.country, f.Country, "DE", "dialing.country", lang.X("settings.country", "Country of the phone"),
		lang.X("settings.country.hint", "Two-letter code, e.g. DE, AT, CH, US."))
	area := s.textField(&s.area, f.AreaCode, "30", "dialing.area_code", lang.X("settings.area", "Area code"),
		lang.X("settings.area.hint", "Without the leading 0, e.g. 30 for Berlin. Optional."))
	outside := s.textField(&s.outside, f.OutsideLine, "0", "dialing.outside_line", lang.X("settings.outside", "Outside line prefix"),
		lang.X("settings.outside.hint", "What your PBX needs before external numbers, often 0. Leave empty if none."))
	internal := s.textField(&s.internalMax, f.InternalMax, "", "dialing.internal_max_digits", lang.X("settings.internal", "Longest internal extension (digits)"),
		lang.X("settings.internal.hint", "Numbers this short are dialed as extensions, without the outside line. 0 to 8."))
	intl := s.textField(&s.intlPrefix, f.IntlPrefix, "00", "dialing.international_prefix", lang.X("settings.intl", "International prefix"),
		lang.X("settings.intl.hint", "Leave empty for your country's own (00 in most of Europe, 011 in North America)."))
	s.e164 = widget.NewCheck(lang.X("settings.e164", "Dial every number in international form (+49…)"), func(bool) { s.updateTry() })
	s.e164.SetChecked(f.E164)
	e164 := s.add(newField("dialing.format", "", s.e164,
		lang.X("settings.e164.hint", "For PBXs and SIP trunks that route E.164 numbers; otherwise numbers of your country are dialed in national form.")))

	s.defaultBlocked = widget.NewCheck(lang.X("settings.blocked.default", "Block the premium-rate numbers of my country"), func(on bool) {
		enableIf(s.blocked, !on)
		s.updateTry()
	})
	s.blocked = multiLine(f.Blocked, "0900*", 3)
	s.blockedField = s.add(newField("dialing.blocked", lang.X("settings.blocked", "Blocked numbers"), s.blocked, blockedHint()))
	s.defaultBlocked.SetChecked(f.DefaultBlocked)

	s.tryNumber = entry("", "+49 30 1234567")
	s.tryResult = wrapped("")
	for _, e := range []*widget.Entry{s.country, s.area, s.outside, s.internalMax, s.intlPrefix, s.blocked, s.tryNumber} {
		e.OnChanged = func(string) { s.recheck(dialingKeys...); s.updateTry() }
	}
	try := newField("", lang.X("settings.try", "Try a number"), s.tryNumber, "")
	s.updateTry()

	return scroll(
		section(lang.X("settings.section.rules", "Dialing rules"),
			lang.X("settings.section.rules.sub", "How numbers from links, web pages and the dial pad become what the phone dials."),
			country, area, outside, internal, intl, e164.box),
		section(lang.X("settings.section.blocked", "Blocked numbers"), "", s.defaultBlocked, s.blockedField.box),
		section(lang.X("settings.section.try", "Check the rules"), "", try.box, s.tryResult),
		s.hotkeySection(f),
	)
}

func blockedHint() string {
	return lang.X("settings.blocked.hint", "One pattern per line, * matches the rest, e.g. 0900*. Links and web pages can never dial these; you still can by typing them.")
}

// updateTry shows what the rules being edited make of the sample number.
func (s *Settings) updateTry() {
	if s.tryNumber == nil || s.tryResult == nil {
		return
	}
	var f form.Form
	s.dialingPage.read(&f)
	d := f.Dialing(s.base.Dialing)
	if s.defaultBlocked.Checked {
		s.blockedField.setHint(lang.X("settings.blocked.defaults", "Blocked for {{.Country}}: {{.List}}", map[string]any{
			"Country": d.Country, "List": strings.Join(dialplan.DefaultBlocked(d.Country), "  "),
		}))
	} else {
		s.blockedField.setHint(blockedHint())
	}
	text := strings.TrimSpace(s.tryNumber.Text)
	if text == "" {
		s.tryResult.Importance = widget.LowImportance
		s.tryResult.SetText(lang.X("settings.try.empty", "Type a number to see what the phone would dial."))
		return
	}
	res, err := d.Rules().Read(text)
	if err != nil {
		s.tryResult.Importance = widget.DangerImportance
		s.tryResult.SetText(readingError(err))
		return
	}
	msg := lang.X("dialpad.preview.ok", "The phone will dial {{.Dial}} ({{.Kind}})", map[string]any{"Dial": res.Dial, "Kind": kindName(res.Kind)})
	if res.Blocked != nil {
		msg += "\n" + lang.X("settings.try.blocked", "Blocked for links and web pages: {{.Err}}", map[string]any{"Err": i18n.Error(res.Blocked)})
	}
	s.tryResult.Importance = widget.MediumImportance
	s.tryResult.SetText(msg)
}
