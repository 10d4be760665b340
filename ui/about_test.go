package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

func snomConfig() config.Config {
	cfg := berlinConfig()
	cfg.Phone.Brand = "snom"
	cfg.Phone.Address = "192.0.2.10"
	return cfg
}

func newTestAbout(t *testing.T, d AboutDeps) (*About, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	d.Env = testEnv()
	w := NewAbout(a, d)
	w.Window().Resize(fyne.NewSize(560, 460))
	w.Window().Show()
	settle(w.Window())
	return w, a
}

func TestAboutSaysWhatAndWhichVersion(t *testing.T) {
	tests := []struct {
		version, want string
	}{
		{"1.4.2", "Version 1.4.2"},
		{"", "Version unknown (built without a version number)"},
	}
	for _, tt := range tests {
		w, _ := newTestAbout(t, AboutDeps{Version: tt.version})
		if w.Window().Title() != "About dialbridge" {
			t.Errorf("title %q", w.Window().Title())
		}
		markup := test.RenderToMarkup(w.Window().Canvas())
		for _, want := range []string{">dialbridge<", ">" + tt.want + "<", `rsc="dialbridge.png"`} {
			if !strings.Contains(markup, want) {
				t.Errorf("version %q: the window lacks %s", tt.version, want)
			}
		}
		if want := "Makes your desk phone dial the phone numbers you click."; w.description.Text != want {
			t.Errorf("description %q, want %q", w.description.Text, want)
		}
		// Without a config, resident or path those rows are left out.
		if w.phone != nil || w.running != nil || w.path != nil {
			t.Errorf("rows shown without their source: phone %v, status %v, path %v", w.phone != nil, w.running != nil, w.path != nil)
		}
	}
}

func TestAboutNamesThePhone(t *testing.T) {
	demo := config.Default()
	demo.Phone.Brand = "demo"
	noAddress := snomConfig()
	noAddress.Phone.Address = ""
	tests := []struct {
		name string
		cfg  config.Config
		err  error
		want string
	}{
		{"paired", snomConfig(), nil, "snom at 192.0.2.10"},
		{"demo", demo, nil, "The simulated demo phone"},
		{"none", config.Config{}, nil, "None yet: pair your phone in the settings."},
		{"no address", noAddress, nil, "snom, without an address yet"},
		{"unreadable", config.Config{}, errors.New("line 3: unknown key phone.bran"), "Unknown: the settings file could not be read: line 3: unknown key phone.bran"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := newTestAbout(t, AboutDeps{Version: "1.4.2", Config: &memConfig{cfg: tt.cfg, loadErr: tt.err}})
			if w.phone.Text != tt.want {
				t.Errorf("phone = %q, want %q", w.phone.Text, tt.want)
			}
		})
	}
}

func TestAboutSaysWhetherTheResidentRuns(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		want      string
		wantNotes string
	}{
		{"running", nil, "Running", ""},
		{"stopped", errors.New(`dialbridge is not running: start it from the applications menu or run "dialbridge"`), "Not running",
			`dialbridge is not running: start it from the applications menu or run "dialbridge"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := newTestAbout(t, AboutDeps{Resident: &fakeResident{pingErr: tt.err}})
			if w.running.Text != tt.want {
				t.Errorf("status = %q, want %q", w.running.Text, tt.want)
			}
			if got := w.notes.Text; w.notes.Visible() != (tt.wantNotes != "") || got != tt.wantNotes {
				t.Errorf("notes = %q (shown %v), want %q", got, w.notes.Visible(), tt.wantNotes)
			}
		})
	}
}

func TestAboutCloses(t *testing.T) {
	tests := []struct {
		name string
		act  func(w *About)
	}{
		{"button", func(w *About) { test.Tap(w.closeBtn) }},
		{"escape", func(w *About) {
			w.Window().Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, a := newTestAbout(t, AboutDeps{Version: "1.4.2"})
			tt.act(w)
			if isOpen(a, w.Window()) {
				t.Error("the About window is still open")
			}
		})
	}
}

func TestAboutMarkup(t *testing.T) {
	w, _ := newTestAbout(t, AboutDeps{
		Version: "1.4.2", ConfigPath: "/home/erika/.config/dialbridge/config.toml",
		Config: &memConfig{cfg: snomConfig()}, Resident: &fakeResident{},
	})
	assertMarkup(t, "about.xml", w.Window())
}

func TestAboutInGerman(t *testing.T) {
	useLanguage(t, "de")
	w, _ := newTestAbout(t, AboutDeps{
		Version: "1.4.2", ConfigPath: "/home/erika/.config/dialbridge/config.toml",
		Config: &memConfig{cfg: snomConfig()}, Resident: &fakeResident{pingErr: errors.New("dialbridge is not running")},
	})
	if w.Window().Title() != "Über dialbridge" || w.closeBtn.Text != "Schließen" || w.phone.Text != "snom unter 192.0.2.10" || w.running.Text != "Läuft nicht" {
		t.Errorf("title %q, close %q, phone %q, status %q", w.Window().Title(), w.closeBtn.Text, w.phone.Text, w.running.Text)
	}
	assertMarkup(t, "about_de.xml", w.Window())
}
