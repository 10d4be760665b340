package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
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
func (r *resident) openCalls() error {
	cfg := r.config()
	token, err := phoneevents.EnsurePairingToken(r.cfgPath, cfg, r.log)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.cfg.Phone.PairingToken = token
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var lan netip.Addr
	if set := cfg.Listener.LANAddress; set != "" && (cfg.Phone.Brand != brands.Demo || set != "auto") {
		addr, err := phoneevents.EventsAddress(ctx, set, cfg.Phone.Address)
		if err != nil {
			return fmt.Errorf("the LAN address (listener.lan_address): %w", err)
		}
		if addr != netip.IPv4Unspecified() && addr != netip.AddrFrom4([4]byte{127, 0, 0, 1}) && addr != netip.IPv6Loopback() {
			lan = addr
		}
	}
	s, err := calls.Open(calls.Options{
		JournalPath: journal.PathFor(r.cfgPath),
		Config:      r.config,
		Token: func() string {
			if t := r.config().Phone.PairingToken; t != "" {
				return t
			}
			return token
		},
		Publish: r.publish,
		Driver:  r.currentDriver,
		Read:    r.read,
		Dialer:  r.dial,
		Names: lookup.Follow(r.config, config.Secrets{}.Get, nil, func(err error) {
			r.log.Error("a caller lookup source is left out", "error", err)
		}),
		Sender: outgoing.NewHTTPSender(outgoing.DefaultWorkers, "dialbridge/"+version),
		Log:    r.log,
	})
	if err != nil {
		return err
	}
	r.lan = lan
	r.calls = s
	r.cleanups = append(r.cleanups, s.Close)
	return nil
}

// startCalls runs once the listener has its port: the socket on the LAN
// address for the phone, the demo phone's action URLs, delivery.
func (r *resident) startCalls(port int) error {
	if r.lan.IsValid() {
		if err := r.serveLAN(netip.AddrPortFrom(r.lan, uint16(port))); err != nil {
			return err
		}
	}
	if r.config().Phone.Brand == brands.Demo && r.demoPhone != nil {
		if err := r.calls.PlayDemo(r.demoPhone, port); err != nil {
			return err
		}
	}
	r.calls.Start()
	return nil
}

// config returns the current config.
func (r *resident) config() config.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// eventAddr is the LAN address and port the phone sends its events to,
// for the policy's Host check; invalid when the listener is loopback only.
func (r *resident) eventAddr() netip.AddrPort {
	if !r.lan.IsValid() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(r.lan, uint16(r.config().Listener.Port))
}

// serveLAN opens the LAN socket at addr (listener.lan_address): the
// phone's events, and dial requests from the computers in allow_ips; over
// HTTPS with the certificate beside the config when lan_tls is set.
func (r *resident) serveLAN(addr netip.AddrPort) error {
	var tlsCfg *tls.Config
	if r.config().Listener.LANTLS {
		cert, fp, err := lancert.Load(r.cfgPath, addr.Addr(), time.Now())
		if err != nil {
			return err
		}
		tlsCfg = lancert.TLSConfig(cert)
		r.log.Info("the LAN socket speaks HTTPS", "sha256", fp)
	}
	ln, err := net.Listen("tcp", addr.String())
	if err != nil {
		return fmt.Errorf("cannot listen on %s (is listener.lan_address an address of this computer?): %w", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := r.listener.ServeLAN(ctx, ln, tlsCfg); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("the LAN socket stopped", "error", err)
		}
	}()
	r.cleanups = append(r.cleanups, func() { cancel(); <-done })
	r.log.Info("listening on the LAN", "address", ln.Addr().String(), "https", tlsCfg != nil)
	return nil
}
