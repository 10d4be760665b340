package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"fyne.io/fyne/v2/lang"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/paired"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/launch"
	"github.com/dialbridge/dialbridge/ui/notify"
	"github.com/dialbridge/dialbridge/ui/trayapp"
)

// runTray runs the resident for the desktop session: everything serve does,
// plus the tray app (ui/trayapp), notifications and the confirmation
// window. A second start does not fight the first one for the port: it
// asks the running one to show its dial pad and exits.
func runTray(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfgFlag, demo, err := residentFlags("tray", args, stderr, "the tray app takes no arguments besides its flags")
	if err != nil {
		return err
	}
	path, err := control.ConfigPath(cfgFlag)
	if err != nil {
		return err
	}
	if c, err := reach.Connect(ctx, control.FilePath(path)); err == nil {
		if err := c.Show(ctx); err != nil {
			return fmt.Errorf("dialbridge is already running but did not come forward: %w", err)
		}
		_ = i18n.Load() // without translations, English
		fmt.Fprintln(stdout, lang.X("tray.already_running", "dialbridge is already running; its dial pad is open."))
		return nil
	}

	log := commands.NewLogger(stderr)
	if err := i18n.Load(); err != nil {
		log.Warn("the menu will be in English", "error", err.Error())
	}
	ctx, quit := context.WithCancel(ctx)
	defer quit()
	n, err := notify.Desktop()
	if err != nil {
		log.Warn("no notification service: notifications are off", "why", err.Error())
	}
	notes := notify.New(n, log, ctx.Done())
	windows := launch.NewWindows(path, log)
	confirmer := &launch.Confirmer{Open: windows.Open, Timeout: launch.ConfirmTimeout, Asking: notes.Confirming}
	r, err := resident.Start(residentOptions(resident.Options{ConfigPath: path, Demo: demo, CanConfirm: true, Confirmer: confirmer, OnRefused: notes.Refused, Log: log,
		KeyFailed:    func(_ config.PhoneKey, err error) { notes.Failed(errors.New(i18n.Error(err))) },
		LookupFailed: notes.LookupFailed}))
	if err != nil {
		return err
	}
	app := trayapp.New(trayapp.Deps{
		Calls: r.Calls(), Read: r.Read, Phone: pairingOf(r), AfterCheck: r.ReleaseAfterCheck,
		Windows: windows, Notes: notes, Log: log,
		Heal: backend.HealQuietly(backend.NewHealer(path, config.Secrets{}, notes.Notice), log.Warn),
	})
	r.Subscribe(app.HandleCall)
	r.SubscribePhone(app.PhoneChanged)
	// The hotkey follows [desktop] hotkey, also when Settings change it.
	app.SetHotkey(ctx, r.Config().Desktop.Hotkey)
	r.OnReload(func(c config.Config) { app.SetHotkey(ctx, c.Desktop.Hotkey) })
	// A second `dialbridge` start asks the running one to come forward.
	r.SetShow(app.Show)

	served := make(chan error, 1)
	go func() {
		served <- r.Serve(ctx)
		quit()
	}()
	app.Run(ctx)
	quit()
	windows.CloseAll()
	err = <-served
	log.Info("dialbridge stopped")
	return err
}

// pairingOf is the phone app is paired with now, as the tray shows it.
func pairingOf(app *resident.App) func() trayapp.Pairing {
	return func() trayapp.Pairing { return pairing(app.Config().Phone, app.Phone().Status()) }
}

// pairing is what the tray shows of the configured phone c paired as s.
func pairing(c config.Phone, s paired.Status) trayapp.Pairing {
	p := trayapp.Pairing{Brand: c.Brand, Address: c.Address, Demo: c.Brand == brands.Demo, Paired: s.Paired, Caps: s.Caps}
	if p.Demo && s.SimulatorURL != "" {
		p.Address = s.SimulatorURL
	}
	return p
}
