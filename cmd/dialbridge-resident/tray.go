package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/brands"
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
	fs, cfgFlag := cli.NewFlags("tray", stderr)
	demo := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "the tray app takes no arguments besides its flags"}
	}
	path, err := control.ConfigPath(*cfgFlag)
	if err != nil {
		return err
	}
	if c, err := reach.Connect(ctx, control.FilePath(path)); err == nil {
		if err := c.Show(ctx); err != nil {
			return fmt.Errorf("dialbridge is already running but did not come forward: %w", err)
		}
		fmt.Fprintln(stdout, "dialbridge is already running; its dial pad is open.")
		return nil
	}

	log := newLogger(stderr)
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
	r, err := startResident(residentOptions{configPath: path, demo: *demo, canConfirm: true, confirmer: confirmer, onRefused: notes.Refused, log: log})
	if err != nil {
		return err
	}
	app := trayapp.New(trayapp.Deps{
		Calls: r.calls, Read: r.read, Phone: r.pairing, AfterCheck: r.releaseAfterCheck,
		Windows: windows, Notes: notes, Log: log,
		Heal: backend.HealQuietly(backend.NewHealer(path, config.Secrets{}, notes.Notice), log.Warn),
	})
	r.subscribe(app.HandleCall)
	// A second `dialbridge` start asks the running one to come forward.
	r.setShow(app.Show)

	served := make(chan error, 1)
	go func() {
		served <- r.serve(ctx)
		quit()
	}()
	app.Run(ctx)
	quit()
	windows.CloseAll()
	err = <-served
	log.Info("dialbridge stopped")
	return err
}

// pairing is the phone r is paired with now, as the tray shows it.
func (r *resident) pairing() trayapp.Pairing {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := trayapp.Pairing{Brand: r.cfg.Phone.Brand, Address: r.cfg.Phone.Address, Demo: r.cfg.Phone.Brand == brands.Demo}
	if r.driver != nil {
		p.Paired, p.Caps = true, r.driver.Capabilities()
	}
	if p.Demo && r.sim != nil {
		p.Address = r.sim.URL()
	}
	return p
}
