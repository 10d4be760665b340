package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// brandPage shows the brand detected, or asks for it.
func (w *Wizard) brandPage() []fyne.CanvasObject {
	intro := lang.X("wizard.brand.choose", "Choose the brand of the phone.")
	if w.detected != "" {
		intro = lang.X("wizard.brand.detected", "dialbridge recognized the phone. Change the brand only if this is wrong.")
	}
	return []fyne.CanvasObject{wrapped(intro), newField("", lang.X("wizard.brand", "Brand"), w.brand, "").box}
}

// chooseBrand moves on once a brand is chosen.
func (w *Wizard) chooseBrand() {
	if w.brand.Selected == "" {
		w.record(stepBrand, false, lang.X("wizard.brand.missing", "Choose a brand to go on."))
		return
	}
	w.record(stepBrand, true, brandChosen(w.brand.Selected))
	w.show(stepCredentials)
}

// brandChosen is the brand step's result.
func brandChosen(brand string) string {
	return lang.X("wizard.brand.chosen", "The phone is a {{.Brand}} phone.", map[string]any{"Brand": brand})
}
