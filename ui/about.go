package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// productName is dialbridge's name, the same in every language.
const productName = "dialbridge"

// AboutDeps is what the About window needs. Everything but the version is
// optional: a row whose source is missing is left out.
type AboutDeps struct {
	Env
	// Version is the program's version as built (main.version), so that a
	// person asked "which version do you run?" finds the answer.
	Version string
	// ConfigPath is the config file the windows and the resident use,
	// shown because it is the first thing an admin or a helpdesk asks for.
	ConfigPath string
	// Config names the phone dialbridge talks to.
	Config ConfigStore
	// Resident tells whether dialbridge runs in the background.
	Resident Pinger
}

// About is the window behind the tray's "About dialbridge": what this
// program is, which version, which phone it talks to, whether its
// background part runs and where its config file is.
type About struct {
	d      AboutDeps
	window fyne.Window

	description *widget.Label
	phone       *widget.Label
	running     *widget.Label
	notes       *widget.Label // why the resident does not answer
	path        *widget.Label
	closeBtn    *widget.Button
}

// NewAbout builds the About window and starts asking the resident whether
// it runs; call Window().Show() to show it.
func NewAbout(a fyne.App, d AboutDeps) *About {
	w := &About{d: d}
	w.window = a.NewWindow(lang.X("about.title", "About dialbridge"))

	icon := canvas.NewImageFromResource(fyne.NewStaticResource("dialbridge.png", assets.AppPNG()))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))

	name := widget.NewLabelWithStyle(productName, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameHeadingText
	text := lang.X("about.version.unknown", "Version unknown (built without a version number)")
	if v := strings.TrimSpace(d.Version); v != "" {
		text = lang.X("about.version", "Version {{.Version}}", map[string]any{"Version": v})
	}
	version := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{})
	w.description = wrapped(lang.X("about.description", "Makes your desk phone dial the phone numbers you click."))
	w.description.Alignment = fyne.TextAlignCenter
	head := container.NewVBox(container.NewCenter(icon), name, version, w.description)

	var rows []fyne.CanvasObject
	row := func(label string, value fyne.CanvasObject) {
		rows = append(rows, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), value)
	}
	if d.Config != nil {
		w.phone = wrapped(w.describePhone())
		row(lang.X("about.phone", "Phone"), w.phone)
	}
	if d.Resident != nil {
		w.running = wrapped(lang.X("about.status.checking", "Checking…"))
		w.notes = captionLabel("")
		w.notes.Hide()
		row(lang.X("about.status", "Status"), container.NewVBox(w.running, w.notes))
	}
	if d.ConfigPath != "" {
		w.path = widget.NewLabel(d.ConfigPath)
		w.path.Wrapping = fyne.TextWrapBreak
		w.path.TextStyle = fyne.TextStyle{Monospace: true}
		w.path.Selectable = true // to paste it into a file manager or a ticket
		row(lang.X("about.settings_file", "Settings file"), w.path)
	}

	w.closeBtn = widget.NewButton(lang.X("about.close", "Close"), w.window.Close)
	w.closeBtn.Importance = widget.HighImportance
	body := container.NewVBox(head, widget.NewSeparator())
	if len(rows) > 0 {
		body.Add(container.New(layout.NewFormLayout(), rows...))
	}
	// The wrapped texts ask for their height at the width they get; in a
	// scroll they cannot stretch the window to the screen's height first.
	content := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), container.NewHBox(layout.NewSpacer(), w.closeBtn)), nil, nil,
		container.NewVScroll(body))
	w.window.SetContent(container.NewPadded(content))
	w.window.Resize(fyne.NewSize(560, 460))
	w.window.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.window.Close()
		}
	})
	w.check()
	return w
}

// Window is the About window.
func (w *About) Window() fyne.Window { return w.window }

// describePhone says which phone the config file names, in words.
func (w *About) describePhone() string {
	cfg, err := w.d.Config.Load()
	switch {
	case err != nil:
		return lang.X("about.phone.unreadable", "Unknown: the settings file could not be read: {{.Err}}", map[string]any{"Err": err.Error()})
	case cfg.Phone.Brand == "":
		return lang.X("about.phone.none", "None yet: pair your phone in the settings.")
	case cfg.Phone.Brand == brands.Demo:
		return lang.X("about.phone.demo", "The simulated demo phone")
	case strings.TrimSpace(cfg.Phone.Address) == "":
		return lang.X("about.phone.no_address", "{{.Brand}}, without an address yet", map[string]any{"Brand": cfg.Phone.Brand})
	}
	return lang.X("about.phone.at", "{{.Brand}} at {{.Address}}", map[string]any{"Brand": cfg.Phone.Brand, "Address": cfg.Phone.Address})
}

// check asks the resident whether it runs, off the UI goroutine.
func (w *About) check() {
	if w.d.Resident == nil {
		return
	}
	askDone(w.d.Env, w.d.Resident.Ping, func(err error) {
		if err != nil {
			w.running.Importance = widget.WarningImportance
			w.running.SetText(lang.X("about.status.stopped", "Not running"))
			w.notes.SetText(err.Error())
			w.notes.Show()
			return
		}
		w.running.Importance = widget.SuccessImportance
		w.running.SetText(lang.X("about.status.running", "Running"))
		w.notes.Hide()
	})
}
