package form

import (
	"context"
	"errors"
	"net/netip"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// Files loads and saves the config file; saving is atomic (config.Store).
type Files interface {
	Load() (config.Config, error)
	Save(config.Config) error
}

// Keyring keeps passwords out of the config file.
type Keyring interface {
	Set(user, password string) error
	Delete(user string) error
}

// Reloader is the running resident, told to re-read the saved file.
type Reloader interface {
	Reload(ctx context.Context) error
}

// Saver is the one save sequence of the settings window and the pairing
// wizard: passwords into the keyring first, so that a resident reloading
// the new file finds the passwords it names; then the file, atomically;
// then the resident's reload.
type Saver struct {
	Files   Files
	Keyring Keyring
	// Resident may be nil: nothing to tell.
	Resident Reloader
}

// Outcome is how the running resident took a save that succeeded.
type Outcome int

// The outcomes.
const (
	// Applied: the resident uses the new settings now.
	Applied Outcome = iota
	// NotRunning: no resident runs; it reads the file when it starts.
	NotRunning
	// ReloadFailed: the resident runs but refused the reload (Saved.Err).
	ReloadFailed
)

// Saved is what a successful save did.
type Saved struct {
	Outcome Outcome
	// Err is the resident's answer when Outcome is ReloadFailed.
	Err error
	// Stored is which passwords the keyring holds now.
	Stored Stored
}

// KeyringError is a password the keyring refused; its text is the
// keyring's, so that the window can say which step failed in its words.
type KeyringError struct{ Err error }

func (e *KeyringError) Error() string { return e.Err.Error() }
func (e *KeyringError) Unwrap() error { return e.Err }

// Save stores the settings window's config (a Checked.Config without
// problems) and the passwords typed into f. An empty password keeps the
// stored one; a cleared listener user name deletes the listener's password.
// A failure leaves the file as it was.
func (s Saver) Save(ctx context.Context, cfg config.Config, f Form, stored Stored) (Saved, error) {
	user := cfg.Listener.Username
	if f.ListenerPass != "" && user != "" {
		if err := s.Keyring.Set(config.SecretListener, f.ListenerPass); err != nil {
			return Saved{}, &KeyringError{err}
		}
		stored.Listener = true
	}
	if user == "" && stored.Listener {
		if err := s.Keyring.Delete(config.SecretListener); err != nil {
			return Saved{}, &KeyringError{err}
		}
		stored.Listener = false
	}
	if f.PhonePass != "" {
		if err := s.Keyring.Set(config.SecretPhone, f.PhonePass); err != nil {
			return Saved{}, &KeyringError{err}
		}
		stored.Phone = true
	}
	if before, err := s.Files.Load(); err == nil {
		if err := storeLookupPasswords(s.Keyring, f.Sources, len(before.Lookup)); err != nil {
			return Saved{}, err
		}
	}
	if err := s.Files.Save(cfg); err != nil {
		return Saved{}, err
	}
	saved := Saved{Stored: stored}
	saved.Outcome, saved.Err = s.reload(ctx)
	return saved, nil
}

func (s Saver) reload(ctx context.Context) (Outcome, error) {
	if s.Resident == nil {
		return Applied, nil
	}
	err := s.Resident.Reload(ctx)
	switch {
	case err == nil:
		return Applied, nil
	case errors.Is(err, control.ErrNotRunning):
		return NotRunning, nil
	}
	return ReloadFailed, err
}

// Pairing is the phone as the pairing wizard's fields describe it.
type Pairing struct {
	Brand, Address, Username, Password string
	// Fingerprint is the certificate an HTTPS phone showed while the
	// credentials were tested; "" keeps the pinned one.
	Fingerprint string
}

// Settings is the phone to talk to while pairing. The certificate pinned
// in cfg for the same address stays pinned.
func (p Pairing) Settings(cfg config.Config) brands.Settings {
	s := brands.Settings{Brand: p.Brand, Address: p.Address, Username: p.Username, Password: p.Password}
	if cfg.Phone.Address == p.Address {
		s.TLSFingerprint = cfg.Phone.TLSFingerprint
	}
	return s
}

// Apply writes the paired phone into cfg's [phone] table: a new address
// drops the old certificate pin, a config without a pairing token gets one
// from newToken, and a phone on another computer makes the listener accept
// its events on the network ("auto").
func (p Pairing) Apply(cfg config.Config, newToken func() string) config.Config {
	if cfg.Phone.Address != p.Address {
		// A new phone: its certificate must be trusted afresh.
		cfg.Phone.TLSFingerprint = ""
	}
	if p.Fingerprint != "" {
		cfg.Phone.TLSFingerprint = p.Fingerprint
	}
	cfg.Phone.Brand = p.Brand
	cfg.Phone.Address = p.Address
	cfg.Phone.Username = p.Username
	if cfg.Phone.PairingToken == "" {
		cfg.Phone.PairingToken = newToken()
	}
	if cfg.Listener.LANAddress == "" && !IsLoopback(p.Address) {
		// The phone must reach this computer over the network.
		cfg.Listener.LANAddress = "auto"
	}
	return cfg
}

// Pair stores a phone the wizard tested: the password into the keyring
// (a *KeyringError when that fails), the [phone] table into the file over
// what it holds, then the resident's reload. A resident that is not running
// is no failure: it reads the file when it starts.
func (s Saver) Pair(ctx context.Context, p Pairing) error {
	if err := s.Keyring.Set(config.SecretPhone, p.Password); err != nil {
		return &KeyringError{err}
	}
	cfg, err := s.Files.Load()
	if err != nil {
		return err
	}
	if err := s.Files.Save(p.Apply(cfg, control.NewPairingToken)); err != nil {
		return err
	}
	if _, err := s.reload(ctx); err != nil {
		return err
	}
	return nil
}

// IsLoopback reports whether a phone address names this computer (a
// simulated phone, or a phone behind an SSH tunnel).
func IsLoopback(address string) bool {
	host, err := phoneevents.PhoneHost(address)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
