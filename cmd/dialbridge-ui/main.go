// Command dialbridge-ui shows one of dialbridge's windows (dial pad,
// settings, pairing, journal, about, confirmation) in a process of its own,
// started by the tray or by `dialbridge ui`. It is the only program of the
// three linked with Fyne's GL driver (packaging/programs says why).
package main

import (
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/packaging/integrate"
	"os"
	"os/signal"
	"syscall"

	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// appID names dialbridge to the desktop (window grouping, preferences).
const appID = integrate.AppID

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runUI(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err for a person and returns the process's exit status:
// 2 for a mistake on the command line, the window's own answer for the
// confirmation (see confirmWindow), 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	return cli.Status(err, "dialbridge ui", stderr, func(w io.Writer) {
		fmt.Fprintln(w, "usage: dialbridge ui [--config FILE] WINDOW [ARGS]: dial [NUMBER], settings [PAGE], pair [ADDRESS], journal [calls|deliveries], about, confirm --number NUMBER")
	})
}

// runUI is the window process (DESIGN.md §1): one Fyne app showing one
// window, talking to the resident over the control API, gone when its last
// window closes. This is the only place that imports fyne.io/fyne/v2/app.
func runUI(ctx context.Context, args []string, stderr io.Writer) error {
	fs, cfgFlag := cli.NewFlags("ui", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return cli.UsageError{Msg: "ui needs a WINDOW: dial, settings, pair, journal, about or confirm"}
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
		fs, _ := cli.NewFlags("ui dial", stderr)
		transfer := fs.String("transfer", "", "transfer this call (its id or GUID) instead of dialing")
		if err := cli.ParseFlags(fs, args); err != nil {
			return nil, nil, err
		}
		if *transfer != "" {
			res.Source = "transfer"
		}
		p := ui.NewDialPad(a, ui.DialPadDeps{Env: env, Resident: res, Config: store, Number: strings.Join(fs.Args(), " "), TransferCall: *transfer})
		return p.Window(), none, nil
	case "about":
		if len(args) > 0 {
			return nil, nil, cli.UsageError{Msg: "ui about takes no arguments"}
		}
		w := ui.NewAbout(a, ui.AboutDeps{Env: env, Version: version, ConfigPath: cfgPath, Config: store, Resident: res})
		return w.Window(), none, nil
	case "settings":
		if len(args) > 1 {
			return nil, nil, cli.UsageError{Msg: "ui settings takes at most a PAGE: " + strings.Join(ui.SettingsPages(), ", ")}
		}
		s := ui.NewSettings(a, ui.SettingsDeps{
			Env: env, Config: store, Secrets: secrets, Resident: res,
			Register: backend.Register,
			Brands:   brands.Names(),
			OpenWizard: func() {
				wizard("").Window().Show()
			},
			LANFingerprint: func() (string, bool, error) { return actionurl.LANCertFingerprint(cfgPath) },
		})
		if len(args) == 1 && !s.ShowTab(args[0]) {
			return nil, nil, cli.UsageError{Msg: fmt.Sprintf("ui settings: no page %q (pages: %s)", args[0], strings.Join(ui.SettingsPages(), ", "))}
		}
		return s.Window(), none, nil
	case "pair":
		return wizard(strings.Join(args, " ")).Window(), none, nil
	case "journal":
		if len(args) > 1 || len(args) == 1 && args[0] != "calls" && args[0] != "deliveries" {
			return nil, nil, cli.UsageError{Msg: "ui journal takes at most calls or deliveries"}
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
	return nil, nil, cli.UsageError{Msg: fmt.Sprintf("unknown window %q: use dial, settings, pair, journal, about or confirm", name)}
}

// confirmWindow is `dialbridge ui confirm --origin ORIGIN --number NUMBER
// [--dial DIALSTRING]`, whose exit status is the answer (a contract with
// the tray): 0 dial, 1 refuse (also on close or timeout), 3 always allow
// this origin.
func confirmWindow(a fyne.App, args []string, stderr io.Writer) (fyne.Window, func() error, error) {
	fs, _ := cli.NewFlags("ui confirm", stderr)
	origin := fs.String("origin", "", "who asked: a web origin or an application")
	number := fs.String("number", "", "the number as requested")
	dial := fs.String("dial", "", "what the phone would dial")
	timeout := fs.Duration("timeout", time.Minute, "refuse on its own after this long")
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, nil, err
	}
	if *number == "" {
		return nil, nil, cli.UsageError{Msg: "ui confirm needs --number"}
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
			return &cli.ExitError{Code: int(ui.AlwaysAllow), Err: errors.New("allowed, and this origin is trusted from now on")}
		}
		return &cli.ExitError{Code: int(ui.Refuse), Err: errors.New("refused by the person at the phone")}
	}
	return c.Window(), finish, nil
}
