package actionurl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"

	"crypto/tls"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// PolicyFor is the listener's security policy as the config's [listener]
// section sets it, with the listener password from secrets. lan is where
// the phone sends its events (the LAN socket), for the Host check; the
// zero AddrPort when the listener is loopback only.
func PolicyFor(l config.Listener, secrets config.Secrets, lan netip.AddrPort) (*Policy, error) {
	var pw string
	if l.Username != "" {
		var err error
		pw, err = secrets.Get(config.SecretListener)
		if errors.Is(err, config.ErrNoSecret) {
			return nil, errors.New("listener.username is set but no listener password is stored: set it in Settings or in DIALBRIDGE_LISTENER_PASSWORD")
		}
		if err != nil {
			return nil, err
		}
	}
	p, err := NewPolicy(l.Port, l.AllowIPs, l.AllowedOrigins, l.Confirm, l.Username, pw)
	if err != nil {
		return nil, err
	}
	p.LANAddr = lan
	return p, nil
}

// SwitchesFor are the listener's switches as the config's [listener]
// section sets them.
func SwitchesFor(l config.Listener) Switches {
	return Switches{Enabled: l.Enabled, Incoming: l.Incoming, MakeCall: l.MakeCall}
}

// OpenLAN opens the LAN socket at addr (listener.lan_address) and serves
// LANHandler on it: the phone's events, and dial requests from the
// computers in allow_ips; over HTTPS with a non-nil tlsCfg. stop closes the
// socket and waits until it is closed.
func (l *Listener) OpenLAN(addr netip.AddrPort, tlsCfg *tls.Config) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr.String())
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (is listener.lan_address an address of this computer?): %w", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := l.ServeLAN(ctx, ln, tlsCfg); err != nil && !errors.Is(err, http.ErrServerClosed) {
			l.log.Error("the LAN socket stopped", "error", err)
		}
	}()
	l.log.Info("listening on the LAN", "address", ln.Addr().String(), "https", tlsCfg != nil)
	return func() { cancel(); <-done }, nil
}
