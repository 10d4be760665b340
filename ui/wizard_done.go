package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// donePage is the last page: each step's result in plain words.
func (w *Wizard) donePage() []fyne.CanvasObject {
	w.next.SetText(lang.X("wizard.finish", "Finish"))
	objs := []fyne.CanvasObject{}
	if w.saved {
		objs = append(objs, wrapped(lang.X("wizard.done.intro", "dialbridge is paired with the phone. Here is what happened:")))
	} else {
		objs = append(objs, wrapped(lang.X("wizard.done.unsaved", "The phone was not paired. Here is what happened:")))
	}
	for step := stepAddress; step < stepDone; step++ {
		r := w.results[step]
		icon := theme.MediaRecordIcon()
		text := lang.X("wizard.done.not_done", "not done")
		if r != nil {
			text = r.text
			if r.ok {
				icon = theme.ConfirmIcon()
			} else {
				icon = theme.WarningIcon()
			}
		}
		name := widget.NewLabelWithStyle(w.stepTitle(step), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, container.New(&tightVBox{}, name, wrapped(text))))
	}
	return objs
}
