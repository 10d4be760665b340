package phoneevents

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// EnsurePairingToken returns the pairing token, creating one
// (control.NewPairingToken, the one rule for its strength) and saving it in
// the config file at path when there is none yet. If the file cannot be
// written (provisioned read-only), the token lives for this run only, and
// the phone must be paired again after a restart; the log says so.
func EnsurePairingToken(path string, cfg config.Config, log *slog.Logger) (string, error) {
	if cfg.Phone.PairingToken != "" {
		return cfg.Phone.PairingToken, nil
	}
	onDisk, err := config.Load(path)
	if err != nil {
		return "", err
	}
	if onDisk.Phone.PairingToken != "" {
		return onDisk.Phone.PairingToken, nil
	}
	token := control.NewPairingToken()
	onDisk.Phone.PairingToken = token
	if err := config.Save(path, onDisk); err != nil {
		log.Warn("the new pairing token could not be saved; pair the phone again after a restart", "config", path, "error", err)
		return token, nil
	}
	log.Info("created the pairing token for the phone's events", "config", path)
	if onDisk.Phone.Brand == brands.Demo {
		log.Info(FirstRunHint)
	}
	return token, nil
}

// FirstRunHint is the one line a first start with the simulated phone
// logs, so that a newcomer learns where a real phone is paired.
const FirstRunHint = "dialbridge runs with the simulated demo phone; to pair your desk phone choose \"Pair a phone…\" in the tray or run \"dialbridge ui pair\""

// WritePairingURLs writes, one per line as "setting = URL", what to enter
// in the web interface of cfg's phone so that it reports its calls with
// token; notes for the person go to notes. When the LAN socket is on, it
// adds what the other computers (a CRM server, a PBX) need: the dial
// request URL when allow_ips lets any in, and the fingerprint to pin when
// the socket speaks HTTPS (its certificate kept beside the config file at
// cfgPath, made here on the first call).
func WritePairingURLs(ctx context.Context, w, notes io.Writer, cfgPath string, cfg config.Config, token string) error {
	base, addr, secure, err := eventsBase(ctx, cfg, cfg.Listener.Port, notes)
	if err != nil {
		return err
	}
	settings, err := PairingURLs(cfg.Phone.Brand, base, token)
	if err != nil {
		return err
	}
	for _, s := range settings {
		if !s.Hidden {
			fmt.Fprintf(w, "%s = %s\n", s.Name, s.URL)
		}
	}
	if cfg.Listener.LANAddress == "" || addr.IsLoopback() {
		return nil
	}
	if len(cfg.Listener.AllowIPs) > 0 {
		fmt.Fprintf(w, "dial_request_url = %s/?action=make_call&target=NUMBER\n", base)
	}
	if secure {
		_, fp, err := lancert.Load(cfgPath, addr, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "lan_tls_sha256 = %s\n", fp)
	}
	return nil
}

// eventsBase is the base of the URLs the phone calls dialbridge at, for
// a listener on port: at pairingAddress, over HTTPS when the LAN socket
// speaks it.
func eventsBase(ctx context.Context, cfg config.Config, port int, notes io.Writer) (base string, addr netip.Addr, secure bool, err error) {
	addr, err = pairingAddress(ctx, cfg, notes)
	if err != nil {
		return "", addr, false, err
	}
	secure = cfg.Listener.LANTLS && !addr.IsLoopback()
	return EventsBaseURL(addr, port, secure), addr, secure, nil
}

// KeysBase is the base of the function keys' URLs (KeyURL) for cfg's
// phone and a listener on port: the same address the phone sends its
// events to. notes gets the same note as the event URLs when the phone
// cannot reach that address yet (no lan_address).
func KeysBase(ctx context.Context, cfg config.Config, port int, notes io.Writer) (string, error) {
	base, _, _, err := eventsBase(ctx, cfg, port, notes)
	return base, err
}

// pairingAddress is the address to give the phone: the configured one, or
// for "" the one on the route to the phone, with a note that dialbridge
// does not listen there until lan_address is set.
func pairingAddress(ctx context.Context, cfg config.Config, notes io.Writer) (netip.Addr, error) {
	setting := cfg.Listener.LANAddress
	if cfg.Phone.Brand == brands.Demo {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	if setting != "" {
		return EventsAddress(ctx, setting, cfg.Phone.Address)
	}
	addr, err := RouteAddress(ctx, cfg.Phone.Address)
	if err != nil {
		return netip.Addr{}, err
	}
	if !addr.IsLoopback() {
		fmt.Fprintf(notes, "note: listener.lan_address is empty, so dialbridge listens on loopback only and the phone cannot reach it yet; set lan_address = %q (or \"auto\") and restart dialbridge\n", addr.String())
	}
	return addr, nil
}

// LANAddress is the address of this computer the phone sends its events
// to, as listener.lan_address sets it; invalid when that is loopback only,
// so that no LAN socket opens. The demo phone runs on this computer, so
// "auto" needs no LAN socket with it.
func LANAddress(ctx context.Context, cfg config.Config) (netip.Addr, error) {
	set := cfg.Listener.LANAddress
	if set == "" || cfg.Phone.Brand == brands.Demo && set == "auto" {
		return netip.Addr{}, nil
	}
	addr, err := EventsAddress(ctx, set, cfg.Phone.Address)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("the LAN address (listener.lan_address): %w", err)
	}
	if addr == netip.IPv4Unspecified() || addr == netip.AddrFrom4([4]byte{127, 0, 0, 1}) || addr == netip.IPv6Loopback() {
		return netip.Addr{}, nil
	}
	return addr, nil
}
