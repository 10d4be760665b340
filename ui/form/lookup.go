package form

import (
	"errors"
	"reflect"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// Source is one caller lookup source ([[lookup]]) as the Contacts page
// shows it, in the order the sources are asked.
type Source struct {
	// Kind is one of config.LookupKinds.
	Kind string
	// Place is the file (vcard, csv) or the URL (carddav, ldap, url).
	Place string
	// Username and BaseDN as in config.Lookup.
	Username, BaseDN string
	// Password as typed; "" keeps the stored one.
	Password string
	// From is the source's 1-based place in the config as loaded, 0 for a
	// source added in the window: a source moved up or down keeps its
	// password, which the keyring files under its place (lookup-N).
	From int
}

// Saved reports whether s is the source the config as loaded (base) has
// at its place, unchanged and without a new password: only then is what
// the running dialbridge reports about that source this row's state.
func (s Source) Saved(base []config.Lookup) bool {
	return s.From > 0 && s.From <= len(base) && s.Password == "" &&
		reflect.DeepEqual(Lookups([]Source{s}, base)[0], base[s.From-1])
}

// sourcesOf is the Contacts page's list for cfg.
func sourcesOf(cfg config.Config) []Source {
	var out []Source
	for i, l := range cfg.Lookup {
		place := l.URL
		if l.Kind == "vcard" || l.Kind == "csv" {
			place = l.Path
		}
		out = append(out, Source{Kind: l.Kind, Place: place, Username: l.Username, BaseDN: l.BaseDN, From: i + 1})
	}
	return out
}

// Lookups builds the [[lookup]] tables from the page over base: settings the
// page does not show (a directory's attribute names) stay with their source.
func Lookups(sources []Source, base []config.Lookup) []config.Lookup {
	var out []config.Lookup
	for _, s := range sources {
		var l config.Lookup
		if s.From > 0 && s.From <= len(base) && base[s.From-1].Kind == s.Kind {
			l = base[s.From-1]
		}
		l.Kind = s.Kind
		l.Path, l.URL = "", ""
		place := strings.TrimSpace(s.Place)
		if s.Kind == "vcard" || s.Kind == "csv" {
			l.Path = place
		} else {
			l.URL = place
		}
		l.Username = strings.TrimSpace(s.Username)
		l.BaseDN = ""
		if s.Kind == "ldap" {
			l.BaseDN = strings.TrimSpace(s.BaseDN)
		}
		if s.Kind != "ldap" {
			l.NumberAttributes, l.NameAttribute, l.CompanyAttribute = nil, "", ""
		}
		if s.Kind == "vcard" || s.Kind == "csv" {
			l.Username = ""
		}
		out = append(out, l)
	}
	return out
}

// SecretReader reads a stored password (the keyring's Get).
type SecretReader interface {
	Get(user string) (string, error)
}

// storeLookupPasswords files each source's password under its new place:
// the typed one, else the one it had under its old place. Places no source
// uses any more are cleared, so that a removed source's password does not
// end up with the next source added there.
func storeLookupPasswords(k Keyring, sources []Source, before int) error {
	r, canRead := k.(SecretReader)
	old := map[int]string{}
	if canRead {
		for n := 1; n <= before; n++ {
			if pw, err := r.Get(config.LookupSecret(n)); err == nil {
				old[n] = pw
			} else if !errors.Is(err, config.ErrNoSecret) {
				return &KeyringError{err}
			}
		}
	}
	for i, s := range sources {
		pw, ok := s.Password, s.Password != ""
		if !ok && s.From > 0 {
			pw, ok = old[s.From]
		}
		user := config.LookupSecret(i + 1)
		var err error
		switch {
		case ok && s.From == i+1 && s.Password == "":
			continue // unchanged
		case ok:
			err = k.Set(user, pw)
		case i+1 <= before:
			err = k.Delete(user)
		}
		if err != nil {
			return &KeyringError{err}
		}
	}
	for n := len(sources) + 1; n <= before; n++ {
		if err := k.Delete(config.LookupSecret(n)); err != nil {
			return &KeyringError{err}
		}
	}
	return nil
}
