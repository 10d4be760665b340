// Command dialbridge-ui shows one of dialbridge's windows (dial pad,
// settings, pairing, journal, about, confirmation) in a process of its own,
// started by the tray or by `dialbridge ui`. It is the only program of the
// three linked with Fyne's GL driver (packaging/programs says why).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/spf13/pflag"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/doctor"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// appID names dialbridge to the desktop (window grouping, preferences).
const appID = integrate.AppID

// windowAppID is the Fyne app ID of one kind of window. The windows keep no
// preferences, yet Fyne keeps a preferences file per app ID, rewrites it
// whenever a window closes and reloads it in every other open window when
// the file changes; a reload that catches the file being rewritten printed
// "Preferences load error: EOF" (opening Settings while the dial pad
// closed, say). An ID of its own per kind of window keeps the windows out
// of each other's files.
func windowAppID(window string) string { return appID + "." + window }

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
	return cli.Status(err, "dialbridge ui", stderr, printUsage)
}

// printUsage lists the windows, aligned like the resident's commands.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dialbridge ui WINDOW [ARGS] [--config FILE]")
	fmt.Fprintln(w, "\nwindows:")
	cli.PrintCommands(w, windows)
}

// runUI is the window process: one Fyne app showing one window, talking to
// the resident over the control API, gone when its last window closes.
// This is the only place that imports fyne.io/fyne/v2/app.
func runUI(ctx context.Context, args []string, stderr io.Writer) error {
	name, rest := cli.SplitCommand(args)
	if name == "" {
		if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "--help" || a == "-help" }) {
			printUsage(stderr)
			return nil
		}
		return cli.UsageError{Msg: "which window? dial, settings, pair, journal, whatswrong, about or confirm"}
	}
	if err := i18n.Load(); err != nil {
		// The windows still work, in English.
		fmt.Fprintln(stderr, "dialbridge ui:", err)
	}

	a := app.NewWithID(windowAppID(name))
	a.SetIcon(fyne.NewStaticResource("dialbridge.png", assets.AppPNG()))
	w, finish, err := buildWindow(a, name, rest, stderr)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.Show()
	a.Run()
	return finish()
}

// deps is what every window is built from.
type deps struct {
	app     fyne.App
	cfgPath string
	res     *backend.Resident
	store   backend.ConfigFile
	secrets config.Secrets
}

// wizard is the pairing wizard for the phone at address ("" to ask).
func (d deps) wizard(address string) *ui.Wizard {
	return ui.NewWizard(d.app, ui.WizardDeps{
		Env: ui.Env{}, Pairer: &pairing.Pairer{Listener: d.res}, Config: d.store, Secrets: d.secrets, Resident: d.res, Address: address,
	})
}

// opener builds a window from its arguments once its flags are parsed;
// finish, called after the app ends, returns the command's result (the
// confirmation's answer as exit status).
type opener func(d deps, args []string) (w fyne.Window, finish func() error, err error)

// window is one line of the window table: its name and synopsis, and setup,
// which adds the window's own flags to fs (--config is there already).
type window struct {
	cli.Command
	setup func(fs *pflag.FlagSet) opener
}

// done is the finish of every window but the confirmation: nothing to
// report.
func done() error { return nil }

// windows is every window the tray and `dialbridge ui` open, in the order
// help lists them.
var windows = []window{
	{cli.Command{Name: "dial", Args: "[--transfer CALL|--tones CALL|--consult CALL|--forward] [NUMBER]", Summary: "the dial pad (or, with --transfer, where to hand a call over; --tones: send tones in it; --consult: attended transfer; --forward: where the phone forwards its calls)"}, func(fs *pflag.FlagSet) opener {
		transfer := fs.String("transfer", "", "transfer this `CALL` (its id or GUID) instead of dialing")
		tones := fs.String("tones", "", "send tones in this `CALL`: each key pressed sends its tone")
		consult := fs.String("consult", "", "hold this `CALL`, call a number and then complete or cancel the transfer")
		forward := fs.Bool("forward", false, "ask for the number the phone forwards every incoming call to")
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			if *tones != "" {
				return ui.NewTonePad(d.app, ui.CallPadDeps{Resident: d.res, Call: *tones}).Window(), done, nil
			}
			if *consult != "" {
				d.res.Source = control.SourceTransfer
				return ui.NewConsultPad(d.app, ui.CallPadDeps{Resident: d.res, Call: *consult}).Window(), done, nil
			}
			if *transfer != "" {
				d.res.Source = control.SourceTransfer
			}
			p := ui.NewDialPad(d.app, ui.DialPadDeps{Env: ui.Env{}, Resident: d.res, Config: d.store, Number: strings.Join(args, " "), TransferCall: *transfer,
				Forward: *forward, WatchCalls: time.Second})
			return p.Window(), done, nil
		}
	}},
	{cli.Command{Name: "settings", Args: "[PAGE]", Summary: "the settings, at PAGE: " + strings.Join(ui.SettingsPages(), ", ")}, func(*pflag.FlagSet) opener {
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			if len(args) > 1 {
				return nil, nil, cli.UsageError{Msg: "settings takes at most a PAGE: " + strings.Join(ui.SettingsPages(), ", ")}
			}
			s := ui.NewSettings(d.app, ui.SettingsDeps{
				Env: ui.Env{}, Config: d.store, Secrets: d.secrets, Resident: d.res,
				Register:       backend.Register,
				Brands:         brands.Names(),
				OpenWizard:     func() { d.wizard("").Window().Show() },
				LANFingerprint: func() (string, bool, error) { return lancert.Fingerprint(d.cfgPath) },
				Keys:           d.res,
				Lookups:        d.res,
			})
			if len(args) == 1 && !s.ShowTab(args[0]) {
				return nil, nil, cli.UsageError{Msg: fmt.Sprintf("settings: no page %q (pages: %s)", args[0], strings.Join(ui.SettingsPages(), ", "))}
			}
			return s.Window(), done, nil
		}
	}},
	{cli.Command{Name: "pair", Args: "[ADDRESS]", Summary: "pair a desk phone, the one at ADDRESS if given"}, func(*pflag.FlagSet) opener {
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			return d.wizard(strings.Join(args, " ")).Window(), done, nil
		}
	}},
	{cli.Command{Name: "journal", Args: "[calls|deliveries]", Summary: "the call journal, or the outgoing action URLs"}, func(*pflag.FlagSet) opener {
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			if len(args) > 1 || len(args) == 1 && args[0] != "calls" && args[0] != "deliveries" {
				return nil, nil, cli.UsageError{Msg: "journal takes at most calls or deliveries"}
			}
			d.res.Source = control.SourceJournal
			j := ui.NewJournal(d.app, ui.JournalDeps{Env: ui.Env{}, Resident: d.res})
			if len(args) == 1 && args[0] == "deliveries" {
				j.ShowDeliveries()
			}
			return j.Window(), done, nil
		}
	}},
	{cli.Command{Name: "whatswrong", Summary: "the checks of dialbridge doctor, link by link (the tray offers it when the phone is offline)"}, func(*pflag.FlagSet) opener {
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			if len(args) > 0 {
				return nil, nil, cli.UsageError{Msg: "whatswrong takes no arguments"}
			}
			w := ui.NewWhatsWrong(d.app, ui.WhatsWrongDeps{Env: ui.Env{Timeout: time.Minute}, Run: doctor.New(d.cfgPath).Run})
			return w.Window(), done, nil
		}
	}},
	{cli.Command{Name: "about", Summary: "version, config file and whether dialbridge runs"}, func(*pflag.FlagSet) opener {
		return func(d deps, args []string) (fyne.Window, func() error, error) {
			if len(args) > 0 {
				return nil, nil, cli.UsageError{Msg: "about takes no arguments"}
			}
			w := ui.NewAbout(d.app, ui.AboutDeps{Env: ui.Env{}, Version: version, ConfigPath: d.cfgPath, Config: d.store, Resident: d.res})
			return w.Window(), done, nil
		}
	}},
	{cli.Command{Name: "confirm", Args: "--number N [--origin O] [--dial D]", Summary: "ask the person whether to dial (exit status 0 dial, 1 refuse, 3 always allow)"}, confirmWindow},
}

// buildWindow makes the named window from its arguments and flags (in any
// order, --config among them).
func buildWindow(a fyne.App, name string, args []string, stderr io.Writer) (fyne.Window, func() error, error) {
	i := slices.IndexFunc(windows, func(w window) bool { return w.Name == name })
	if i < 0 {
		return nil, nil, cli.UsageError{Msg: fmt.Sprintf("unknown window %q: use dial, settings, pair, journal, whatswrong, about or confirm", name)}
	}
	fs, cfgFlag := cli.NewFlags("ui "+name, stderr)
	open := windows[i].setup(fs)
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, nil, err
	}
	path, err := control.ConfigPath(*cfgFlag)
	if err != nil {
		return nil, nil, err
	}
	d := deps{app: a, cfgPath: path, res: backend.NewResident(path, nil), store: backend.ConfigFile{Path: path}}
	return open(d, fs.Args())
}

// confirmWindow is `dialbridge ui confirm --origin ORIGIN --number NUMBER
// [--dial DIALSTRING]`, whose exit status is the answer (a contract with
// the tray): 0 dial, 1 refuse (also on close or timeout), 3 always allow
// this origin.
func confirmWindow(fs *pflag.FlagSet) opener {
	origin := fs.String("origin", "", "who asked: a web `ORIGIN` or an application")
	number := fs.String("number", "", "the `NUMBER` as requested")
	dial := fs.String("dial", "", "what the phone would dial")
	timeout := fs.Duration("timeout", time.Minute, "refuse on its own after this long")
	return func(d deps, args []string) (fyne.Window, func() error, error) {
		if *number == "" {
			return nil, nil, cli.UsageError{Msg: "confirm needs --number"}
		}
		if len(args) > 0 {
			return nil, nil, cli.UsageError{Msg: "confirm takes no arguments besides its flags"}
		}
		return confirm(d.app, *origin, *number, *dial, *timeout)
	}
}

// confirm shows the confirmation and turns the answer into the result.
func confirm(a fyne.App, origin, number, dial string, timeout time.Duration) (fyne.Window, func() error, error) {
	decision := ui.Refuse
	c := ui.NewConfirm(a, ui.ConfirmDeps{
		Origin: origin, Number: number, Dial: dial, Timeout: timeout,
		Decided: func(d ui.Decision) { decision = d },
	})
	c.Start()
	finish := func() error {
		switch decision {
		case ui.Dial:
			return nil
		case ui.AlwaysAllow:
			return &cli.ExitError{Code: int(ui.AlwaysAllow), Err: errors.New("allowed, and this origin is trusted from now on")}
		case ui.Expired:
			return &cli.ExitError{Code: int(ui.Expired), Err: fmt.Errorf("not confirmed within %d s", int(timeout.Round(time.Second)/time.Second))}
		}
		return &cli.ExitError{Code: int(ui.Refuse), Err: errors.New("refused by the person at the phone")}
	}
	return c.Window(), finish, nil
}
