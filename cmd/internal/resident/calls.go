package resident

import (
	"context"
	"crypto/tls"
	"net/netip"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// openCalls prepares the resident's call service before its listener
// exists: the pairing token, the address the phone reaches this computer
// at (for the policy's Host check), the journal and the tracker.
func (r *App) openCalls(lookupFailed func(error)) error {
	cfg := r.Config()
	token, err := phoneevents.EnsurePairingToken(r.cfgPath, cfg, r.log)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.cfg.Phone.PairingToken = token
	r.token = token
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lan, err := phoneevents.LANAddress(ctx, cfg)
	if err != nil {
		return err
	}
	s, err := calls.Open(calls.Options{
		JournalPath:  journal.PathFor(r.cfgPath),
		Config:       r.Config,
		Token:        r.pairingToken,
		Publish:      r.publish,
		PhoneChanged: r.phoneChanged,
		Driver:       r.phone.Driver,
		Read:         r.Read,
		Dialer:       r.dial,
		Names: lookup.Follow(r.Config, config.Secrets{}.Get, nil, func(err error) {
			r.log.Error("a caller lookup source is left out", "error", err)
		}),
		LookupFailed: lookupFailed,
		EventsBase:   r.eventsBase,
		Sender:       outgoing.NewHTTPSender(outgoing.DefaultWorkers, "dialbridge/"+r.version),
		Changed:      r.lights.changed,
		Log:          r.log,
	})
	if err != nil {
		return err
	}
	r.lan = lan
	r.calls = s
	r.cleanups = append(r.cleanups, s.Close)
	return nil
}

// pairingToken is the pairing token in force: the config's, or the one
// made at start when the config file could not keep it.
func (r *App) pairingToken() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t := r.cfg.Phone.PairingToken; t != "" {
		return t
	}
	return r.token
}

// startCalls runs once the listener has its port: the socket on the LAN
// address for the phone, the demo phone's action URLs, delivery.
func (r *App) startCalls(port int) error {
	if r.lan.IsValid() {
		if err := r.serveLAN(netip.AddrPortFrom(r.lan, uint16(port))); err != nil {
			return err
		}
	}
	if demo := r.phone.DemoEvents(); r.Config().Phone.Brand == brands.Demo && demo != nil {
		if err := r.calls.PlayDemo(demo, port); err != nil {
			return err
		}
	}
	r.calls.Start()
	r.watchCalls()
	go r.lights.run()
	r.cleanups = append(r.cleanups, r.lights.quit)
	r.cleanups = append(r.cleanups, r.stopWatching)
	return nil
}

// Config is the config in force now (Settings can change it while the
// App runs).
func (r *App) Config() config.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// eventAddr is the LAN address and port the phone sends its events to,
// for the policy's Host check; invalid when the listener is loopback only.
func (r *App) eventAddr() netip.AddrPort {
	if !r.lan.IsValid() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(r.lan, uint16(r.Config().Listener.Port))
}

// eventsBase is where the phone reaches dialbridge (its events, the
// screens it fetches): the LAN socket, or loopback when there is none.
func (r *App) eventsBase() string {
	cfg := r.Config()
	addr := r.lan
	if !addr.IsValid() {
		addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return phoneevents.EventsBaseURL(addr, cfg.Listener.Port, cfg.Listener.LANTLS && !addr.IsLoopback())
}

// serveLAN opens the LAN socket at addr (listener.lan_address): the
// phone's events, and dial requests from the computers in allow_ips; over
// HTTPS with the certificate beside the config when lan_tls is set.
func (r *App) serveLAN(addr netip.AddrPort) error {
	var tlsCfg *tls.Config
	if r.Config().Listener.LANTLS {
		cert, fp, err := lancert.Load(r.cfgPath, addr.Addr(), time.Now())
		if err != nil {
			return err
		}
		tlsCfg = lancert.TLSConfig(cert)
		r.log.Info("the LAN socket speaks HTTPS", "sha256", fp)
	}
	stop, err := r.listener.OpenLAN(addr, tlsCfg)
	if err != nil {
		return err
	}
	r.cleanups = append(r.cleanups, stop)
	return nil
}
