package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/ui/pairing"
)

// addressPage asks where the phone is.
func (w *Wizard) addressPage() []fyne.CanvasObject {
	return []fyne.CanvasObject{
		wrapped(lang.X("wizard.address.intro", "Enter the address of your desk phone. You find it in the phone's menu, usually under Information or Network.")),
		newField("", lang.X("wizard.address", "Phone address"), w.address, lang.X("wizard.address.hint", "An IP address or host name, e.g. 192.0.2.10 or https://phone.example")).box,
	}
}

// detect asks the phone which brand it is.
func (w *Wizard) detect() {
	addr := strings.TrimSpace(w.address.Text)
	if addr == "" {
		w.record(stepAddress, false, lang.X("wizard.address.missing", "Enter the phone's address to go on."))
		return
	}
	w.attempt(lang.X("wizard.detecting", "Asking the phone at {{.Address}} who it is…", map[string]any{"Address": addr}), func(ctx context.Context) func() {
		brand, err := w.d.Pairer.Detect(ctx, addr)
		return func() {
			if err != nil {
				w.detected = ""
				w.record(stepAddress, false, lang.X("wizard.detect.failed", "dialbridge could not tell which phone this is ({{.Err}}). Choose the brand yourself.", map[string]any{"Err": err.Error()}))
			} else {
				w.detected = brand
				w.brand.SetSelected(brand)
				w.record(stepAddress, true, lang.X("wizard.detect.ok", "Found a {{.Brand}} phone at {{.Address}}.", map[string]any{"Brand": brand, "Address": addr}))
				w.record(stepBrand, true, brandChosen(brand))
			}
			if errors.Is(err, pairing.ErrUnreachable) {
				return // stay: the address is wrong
			}
			w.show(stepBrand)
		}
	})
}
