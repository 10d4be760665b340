package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/form"
)

// outgoingPage is Mia's items 5 to 7: one URL editor per event.
type outgoingPage struct {
	events []*eventEditor
}

func (p *outgoingPage) read(f *form.Form) {
	for _, e := range p.events {
		f.Events = append(f.Events, form.Event{Event: e.event, URL: e.url.Text, Enabled: e.enabled.Checked, Browser: e.browser.Checked})
	}
}

// eventEditor edits the outgoing URL of one Mia event (items 5 to 7).
type eventEditor struct {
	event    string
	url      *widget.Entry
	picker   *widget.Select
	enabled  *widget.Check
	browser  *widget.Check
	preview  *widget.Label
	urlField *field
}

// outgoingTab is Mia's items 5 to 7: one URL per event.
func (s *Settings) outgoingTab(f form.Form) fyne.CanvasObject {
	tabs := container.NewAppTabs()
	tabs.SetTabLocation(container.TabLocationLeading)
	for _, ev := range f.Events {
		e := s.newEventEditor(ev)
		s.events = append(s.events, e)
		tabs.Append(container.NewTabItem(eventName(ev.Event), e.content()))
	}
	intro := captionLabel(lang.X("settings.outgoing.intro", "5  For each event of a call, dialbridge can call a web address: a CRM pop-up, a ticket, a log. Placeholders like <$remote_party> are filled in from the call."))
	return container.NewBorder(container.NewPadded(container.NewVBox(intro, captionLabel(miaNumbers()))), nil, nil, nil, tabs)
}

func (s *Settings) newEventEditor(o form.Event) *eventEditor {
	e := &eventEditor{event: o.Event}
	e.url = widget.NewMultiLineEntry()
	e.url.Wrapping = fyne.TextWrapBreak
	e.url.SetMinRowsVisible(3)
	e.url.SetPlaceHolder("https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>")
	e.url.SetText(o.URL)
	e.url.OnChanged = func(string) { e.updatePreview() }

	tokens := outgoing.Placeholders()
	options := make([]string, len(tokens))
	for i, t := range tokens {
		options[i] = t + "  –  " + describePlaceholder(t)
	}
	e.picker = widget.NewSelect(options, func(chosen string) {
		if chosen == "" {
			return
		}
		i := e.picker.SelectedIndex()
		e.picker.ClearSelected()
		if i < 0 {
			return
		}
		for _, r := range tokens[i] {
			e.url.TypedRune(r)
		}
		s.window.Canvas().Focus(e.url)
	})
	e.picker.PlaceHolder = lang.X("settings.outgoing.insert", "Insert a placeholder…")

	e.enabled = widget.NewCheck(lang.X("settings.outgoing.enabled", "6  Enable this action URL"), func(bool) {})
	e.enabled.SetChecked(o.Enabled)
	e.browser = widget.NewCheck(lang.X("settings.outgoing.browser", "7  Show the action URL in the web browser"), func(bool) {})
	e.browser.SetChecked(o.Browser)

	e.preview = widget.NewLabel("")
	e.preview.Wrapping = fyne.TextWrapBreak
	e.preview.TextStyle = fyne.TextStyle{Monospace: true}
	e.urlField = s.add(newField("", lang.X("settings.outgoing.url", "Web address (URL)"), e.url, ""))
	e.updatePreview()
	return e
}

func (e *eventEditor) content() fyne.CanvasObject {
	return scroll(
		heading(eventName(e.event)),
		e.urlField.box,
		e.picker,
		e.enabled,
		newField("", "", e.browser, lang.X("settings.outgoing.browser.hint", "Opens the URL in your default web browser instead of calling it in the background.")).box,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.X("settings.outgoing.preview", "Preview with a sample call"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		e.preview,
	)
}

// updatePreview fills the URL from the sample call as the person types.
func (e *eventEditor) updatePreview() {
	tmpl := strings.TrimSpace(e.url.Text)
	if tmpl == "" {
		e.preview.Importance = widget.LowImportance
		e.preview.SetText(lang.X("settings.outgoing.preview.empty", "No URL for this event."))
		return
	}
	out, err := previewURL(tmpl, sampleEvent(phone.Action(e.event)))
	if err != nil {
		e.preview.Importance = widget.DangerImportance
		e.preview.SetText(err.Error())
		return
	}
	e.preview.Importance = widget.MediumImportance
	e.preview.SetText(out)
}
