package lookup

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// Secret reads a password by keyring user (config.Secrets.Get).
type Secret func(user string) (string, error)

// Sources builds the [[lookup]] sources of cfg in their order, reading
// numbers by cfg's dialing rules. Passwords are read from secret when a
// source first needs one, so that starting dialbridge never waits for the
// keyring. A source that cannot be built is left out and its error
// returned; the config check refuses such files, so this happens only to
// configs built in memory.
func Sources(cfg config.Config, secret Secret, client *http.Client) ([]Source, KeyFunc, error) {
	key := dialplan.Keyer(cfg.Dialing.Rules())
	var srcs []Source
	var errs []error
	for i, l := range cfg.Lookup {
		s, err := newSource(i+1, l, key, passwordOf(secret, config.LookupSecret(i+1)), client)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		srcs = append(srcs, s)
	}
	if len(errs) > 0 {
		return srcs, key, errors.Join(errs...)
	}
	return srcs, key, nil
}

// newSource builds the source the n-th [[lookup]] entry describes. Its
// error names the entry and the key that is wrong.
func newSource(n int, l config.Lookup, key KeyFunc, password func() string, client *http.Client) (Source, error) {
	var s Source
	var err error
	switch l.Kind {
	case "vcard":
		return NewVCardSource(ExpandHome(l.Path), key), nil
	case "csv":
		return NewCSVSource(ExpandHome(l.Path), key), nil
	case "url":
		s, err = NewURLSource(l.URL, l.Username, password, client)
	case "carddav":
		s, err = NewCardDAVSource(CardDAVOptions{URL: l.URL, Username: l.Username, Password: password, Client: client}, key)
	case "ldap":
		s, err = NewLDAPSource(LDAPOptions{
			URL: l.URL, BaseDN: l.BaseDN, Username: l.Username, Password: password,
			NumberAttributes: l.NumberAttributes, NameAttribute: l.NameAttribute, CompanyAttribute: l.CompanyAttribute,
		}, key)
	default:
		return nil, say("config_kind", "lookup[{{.N}}].kind: {{.Kind}} is not one of {{.Kinds}}", map[string]any{"N": n, "Kind": strconv.Quote(l.Kind), "Kinds": strings.Join(config.LookupKinds, ", ")}, nil)
	}
	if err != nil {
		return nil, say("config_url", "lookup[{{.N}}].url", map[string]any{"N": n}, err)
	}
	return s, nil
}

// FromConfig is the Service over cfg's sources (see Sources).
func FromConfig(cfg config.Config, secret Secret, client *http.Client) (*Service, error) {
	srcs, key, err := Sources(cfg, secret, client)
	return New(Options{Sources: srcs, Key: key}), err
}

// passwordOf reads the password of user once it is found; a password not
// (yet) stored is asked for again next time, at most once a minute.
func passwordOf(secret Secret, user string) func() string {
	var mu sync.Mutex
	var pw string
	var found bool
	var tried time.Time
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		if found || secret == nil || time.Since(tried) < time.Minute {
			return pw
		}
		tried = time.Now()
		if v, err := secret(user); err == nil {
			pw, found = v, true
		}
		return pw
	}
}

// ExpandHome turns a leading "~/" into the home folder, as people write
// paths in the config file.
func ExpandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// Follow returns the Service of the config as it is now, built again when
// the [[lookup]] sources or the dialing rules change (Settings saves while
// the resident runs), so that a new address book counts from the next call.
// An error building a source goes to onErr, which may be nil.
func Follow(cfg func() config.Config, secret Secret, client *http.Client, onErr func(error)) func() *Service {
	var mu sync.Mutex
	var cur *Service
	var lookups []config.Lookup
	var dialing config.Dialing
	return func() *Service {
		c := cfg()
		mu.Lock()
		defer mu.Unlock()
		if cur != nil && reflect.DeepEqual(c.Lookup, lookups) && reflect.DeepEqual(c.Dialing, dialing) {
			return cur
		}
		s, err := FromConfig(c, secret, client)
		if err != nil && onErr != nil {
			onErr(err)
		}
		cur, lookups, dialing = s, slices.Clone(c.Lookup), c.Dialing
		return cur
	}
}
