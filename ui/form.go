package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// field is one setting as the person sees it: a label, the input, a hint
// and, when the value is wrong, the problem right under the input. Keeping
// the problem next to the field (not in a dialog) lets the person see what
// to fix while fixing it.
type field struct {
	// key is the config key whose Problems land here, e.g. "listener.port".
	key     string
	label   *widget.Label
	input   fyne.CanvasObject
	hint    *widget.Label
	problem *widget.Label
	box     *fyne.Container
}

// newField lays out label, input, hint and problem top to bottom. An empty
// label is left out (a check box carries its own text).
func newField(key, label string, input fyne.CanvasObject, hint string) *field {
	f := &field{key: key, input: input}
	var parts []fyne.CanvasObject
	if label != "" {
		f.label = widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		f.label.Wrapping = fyne.TextWrapWord
		parts = append(parts, f.label)
	}
	parts = append(parts, input)
	f.hint = captionLabel(hint)
	if hint == "" {
		f.hint.Hide()
	}
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	parts = append(parts, f.hint, f.problem)
	f.box = container.New(&tightVBox{}, parts...)
	return f
}

// setProblem shows msg under the input, or hides the problem when msg is "".
func (f *field) setProblem(msg string) {
	if msg == "" {
		f.problem.SetText("")
		f.problem.Hide()
		return
	}
	f.problem.SetText(msg)
	f.problem.Show()
}

// setHint replaces the hint text, hiding the hint when it is empty.
func (f *field) setHint(msg string) {
	f.hint.SetText(msg)
	if msg == "" {
		f.hint.Hide()
	} else {
		f.hint.Show()
	}
}

// captionLabel is a small wrapping label for hints and details.
func captionLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// heading is a bold, larger label that opens a window or a step.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// wrapped is a plain label that wraps at word boundaries.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// entry is a one-line entry holding text, with an example as placeholder.
func entry(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

// multiLine is an entry of one value per line showing rows lines.
func multiLine(text, placeholder string, rows int) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.SetMinRowsVisible(rows)
	e.SetPlaceHolder(placeholder)
	e.SetText(text)
	return e
}

// section groups fields under a title on a card's background. The title
// is a sub-heading rather than the card's own large title, which would
// shout next to the tab that already names the page.
func section(title, subtitle string, objs ...fyne.CanvasObject) *widget.Card {
	head := []fyne.CanvasObject{heading(title)}
	if subtitle != "" {
		head = append(head, wrapped(subtitle))
	}
	return widget.NewCard("", "", container.NewVBox(append(head, objs...)...))
}

// tightVBox stacks objects like a VBox but with half the theme padding
// between them, so that a label, its input and its hint read as one unit.
type tightVBox struct{}

func (tightVBox) gap() float32 { return theme.Padding() / 2 }

func (l *tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + l.gap()
	}
}

func (l *tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
		n++
	}
	if n > 1 {
		h += float32(n-1) * l.gap()
	}
	return fyne.NewSize(w, h)
}

// enableIf enables w when on, else greys it out: for buttons and switches
// that only make sense while something else holds.
func enableIf(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// choices pairs a picker's words with the config values they stand for.
type choices struct {
	values []string
	words  func() []string
	// fallback, when set, is the value an unknown word or value stands
	// for (a picker that must always hold one of its values); unset, an
	// unknown one is kept as it is.
	fallback string
}

// value is the config value of the picker's chosen words.
func (c choices) value(word string) string {
	if i := slices.Index(c.words(), word); i >= 0 {
		return c.values[i]
	}
	if c.fallback != "" {
		return c.fallback
	}
	return word
}

// word is the picker's words for a config value; an unknown value (a
// newer dialbridge's action) shows as it is, or as the fallback's words.
func (c choices) word(value string) string {
	if i := slices.Index(c.values, value); i >= 0 {
		return c.words()[i]
	}
	if i := slices.Index(c.values, c.fallback); c.fallback != "" && i >= 0 {
		return c.words()[i]
	}
	return value
}
