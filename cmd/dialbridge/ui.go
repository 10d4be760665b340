package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

func init() {
	extraCommands = append(extraCommands, command{
		"ui", "ui [--config FILE] WINDOW [ARGS]     open a window: dial [NUMBER], settings [PAGE], pair [ADDRESS], journal [deliveries], confirm", runUI,
	})
}

// appID names dialbridge to the desktop (window grouping, preferences).
const appID = "org.dialbridge.dialbridge"

// runUI is the window process (DESIGN.md §1): one Fyne app showing one
// window, talking to the resident over the control API, gone when its last
// window closes. This is the only place that imports fyne.io/fyne/v2/app.
func runUI(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs, cfgFlag := newFlags("ui", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{msg: "ui needs a WINDOW: dial, settings, pair, journal or confirm"}
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	path, err := config.Path(*cfgFlag)
	if err != nil {
		return err
	}
	if err := i18n.Load(); err != nil {
		// The windows still work, in English.
		fmt.Fprintln(stderr, "dialbridge:", err)
	}

	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("dialbridge.png", assets.AppPNG()))
	w, finish, err := buildWindow(a, name, rest, path, stderr)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.Show()
	a.Run()
	return finish()
}

// buildWindow makes the named window. finish, called after the app ends,
// returns the command's result (the confirmation's answer as exit status).
func buildWindow(a fyne.App, name string, args []string, cfgPath string, stderr io.Writer) (fyne.Window, func() error, error) {
	none := func() error { return nil }
	res := backend.NewResident(cfgPath, nil)
	store := backend.ConfigFile{Path: cfgPath}
	secrets := config.Secrets{}
	env := ui.Env{}
	wizard := func(address string) *ui.Wizard {
		return ui.NewWizard(a, ui.WizardDeps{
			Env: env, Pairer: &pairing.Pairer{Listener: res}, Config: store, Secrets: secrets, Resident: res, Address: address,
		})
	}

	switch name {
	case "dial":
		p := ui.NewDialPad(a, ui.DialPadDeps{Env: env, Resident: res, Config: store, Number: strings.Join(args, " ")})
		return p.Window(), none, nil
	case "settings":
		if len(args) > 1 {
			return nil, nil, usageError{msg: "ui settings takes at most a PAGE: " + strings.Join(ui.SettingsPages(), ", ")}
		}
		s := ui.NewSettings(a, ui.SettingsDeps{
			Env: env, Config: store, Secrets: secrets, Resident: res,
			Register: backend.Register,
			Brands:   brands.Names(),
			OpenWizard: func() {
				wizard("").Window().Show()
			},
		})
		if len(args) == 1 && !s.ShowTab(args[0]) {
			return nil, nil, usageError{msg: fmt.Sprintf("ui settings: no page %q (pages: %s)", args[0], strings.Join(ui.SettingsPages(), ", "))}
		}
		return s.Window(), none, nil
	case "pair":
		return wizard(strings.Join(args, " ")).Window(), none, nil
	case "journal":
		if len(args) > 1 || len(args) == 1 && args[0] != "calls" && args[0] != "deliveries" {
			return nil, nil, usageError{msg: "ui journal takes at most calls or deliveries"}
		}
		res.Source = "journal"
		j := ui.NewJournal(a, ui.JournalDeps{Env: env, Resident: res})
		if len(args) == 1 && args[0] == "deliveries" {
			j.ShowDeliveries()
		}
		return j.Window(), none, nil
	case "confirm":
		return confirmWindow(a, args, stderr)
	}
	return nil, nil, usageError{msg: fmt.Sprintf("unknown window %q: use dial, settings, pair, journal or confirm", name)}
}

// confirmWindow is `dialbridge ui confirm --origin ORIGIN --number NUMBER
// [--dial DIALSTRING]`, whose exit status is the answer (a contract with
// the tray): 0 dial, 1 refuse (also on close or timeout), 3 always allow
// this origin.
func confirmWindow(a fyne.App, args []string, stderr io.Writer) (fyne.Window, func() error, error) {
	fs, _ := newFlags("ui confirm", stderr)
	origin := fs.String("origin", "", "who asked: a web origin or an application")
	number := fs.String("number", "", "the number as requested")
	dial := fs.String("dial", "", "what the phone would dial")
	timeout := fs.Duration("timeout", time.Minute, "refuse on its own after this long")
	if err := parseFlags(fs, args); err != nil {
		return nil, nil, err
	}
	if *number == "" {
		return nil, nil, usageError{msg: "ui confirm needs --number"}
	}
	decision := ui.Refuse
	c := ui.NewConfirm(a, ui.ConfirmDeps{
		Origin: *origin, Number: *number, Dial: *dial, Timeout: *timeout,
		Decided: func(d ui.Decision) { decision = d },
	})
	c.Start()
	finish := func() error {
		switch decision {
		case ui.Dial:
			return nil
		case ui.AlwaysAllow:
			return &exitError{code: int(ui.AlwaysAllow), err: errors.New("allowed, and this origin is trusted from now on")}
		}
		return &exitError{code: int(ui.Refuse), err: errors.New("refused by the person at the phone")}
	}
	return c.Window(), finish, nil
}
