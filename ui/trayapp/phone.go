package trayapp

import (
	"context"
	"net"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// phoneCheckEvery is how often the tray checks that the phone still
// answers: often enough to notice a pulled cable within a minute, rarely
// enough to cost nothing (one TCP connect).
const phoneCheckEvery = 30 * time.Second

// Pairing is the phone the resident is paired with now, as far as the
// tray shows it.
type Pairing struct {
	// Brand and Address are the config's phone.brand and phone.address;
	// for the demo phone Address is where its simulator listens.
	Brand, Address string
	// Demo: the built-in simulated phone.
	Demo bool
	// Paired: a driver is open, which can do Caps.
	Paired bool
	Caps   phone.Capability
}

// phoneInfo describes the paired phone for the menu, with the address
// (host:port) that shows whether it is reachable.
func (a *App) phoneInfo() (tray.Phone, string) {
	pr := a.d.Phone()
	if !pr.Paired {
		return tray.Phone{State: tray.PhoneNotPaired}, ""
	}
	p := tray.Phone{State: tray.PhoneReady, Caps: pr.Caps, Demo: pr.Demo}
	if a.d.Calls != nil {
		p.DND = a.d.Calls.DND().On
		p.Forward = a.d.Calls.Forward().Target
	}
	u, err := phonehttp.ParseAddress(pr.Address)
	if err != nil {
		return tray.Phone{State: tray.PhoneNotPaired}, ""
	}
	if !p.Demo {
		p.Name = pr.Brand + " at " + u.Hostname()
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	return p, host
}

// watchPhone checks the phone now and every phoneCheckEvery until ctx ends.
func (a *App) watchPhone(ctx context.Context) {
	t := time.NewTicker(phoneCheckEvery)
	defer t.Stop()
	for {
		a.checkPhone(ctx)
		if a.d.AfterCheck != nil {
			a.d.AfterCheck()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkPhone updates the menu with the phone's state and tells the person
// when the phone stops or starts answering.
func (a *App) checkPhone(ctx context.Context) {
	p, addr := a.phoneInfo()
	if p.State == tray.PhoneNotPaired {
		a.model.SetPhone(p)
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	ok := a.d.Probe(pctx, addr) == nil
	cancel()
	if ctx.Err() != nil {
		return // shutting down: say nothing about the phone
	}
	if !ok {
		p.State = tray.PhoneUnreachable
	}
	a.model.SetPhone(p)
	a.mu.Lock()
	was := a.reachable
	a.reachable = &ok
	a.mu.Unlock()
	// Translated only when said: this runs every 30 s while waiting.
	name := func() string {
		if p.Demo {
			return lang.L("The simulated phone")
		}
		return p.Name
	}
	if ok && !p.Demo && a.d.Heal != nil {
		a.d.Heal(ctx)
	}
	switch {
	case was == nil && !ok, was != nil && *was && !ok:
		a.d.Notes.Reachability(name(), false)
	case was != nil && !*was && ok:
		a.d.Notes.Reachability(name(), true)
	}
}

// probeTCP reports whether something accepts connections at addr: the
// phone's web server, for every brand alike.
func probeTCP(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}
