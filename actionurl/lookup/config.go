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
	key := Keyer(cfg.Dialing.Rules())
	var srcs []Source
	var errs []error
	for i, l := range cfg.Lookup {
		switch l.Kind {
		case "vcard":
			srcs = append(srcs, NewVCardSource(ExpandHome(l.Path), key))
		case "csv":
			srcs = append(srcs, NewCSVSource(ExpandHome(l.Path), key))
		case "url":
			s, err := NewURLSource(l.URL, l.Username, passwordOf(secret, config.LookupSecret(i+1)), client)
			if err != nil {
				errs = append(errs, say("config_url", "lookup[{{.N}}].url", map[string]any{"N": i + 1}, err))
				continue
			}
			srcs = append(srcs, s)
		case "carddav":
			s, err := NewCardDAVSource(CardDAVOptions{
				URL: l.URL, Username: l.Username, Password: passwordOf(secret, config.LookupSecret(i+1)), Client: client,
			}, key)
			if err != nil {
				errs = append(errs, say("config_url", "lookup[{{.N}}].url", map[string]any{"N": i + 1}, err))
				continue
			}
			srcs = append(srcs, s)
		case "ldap":
			s, err := NewLDAPSource(LDAPOptions{
				URL: l.URL, BaseDN: l.BaseDN, Username: l.Username, Password: passwordOf(secret, config.LookupSecret(i+1)),
				NumberAttributes: l.NumberAttributes, NameAttribute: l.NameAttribute, CompanyAttribute: l.CompanyAttribute,
			}, key)
			if err != nil {
				errs = append(errs, say("config_url", "lookup[{{.N}}].url", map[string]any{"N": i + 1}, err))
				continue
			}
			srcs = append(srcs, s)
		default:
			errs = append(errs, say("config_kind", "lookup[{{.N}}].kind: {{.Kind}} is not one of {{.Kinds}}", map[string]any{"N": i + 1, "Kind": strconv.Quote(l.Kind), "Kinds": strings.Join(config.LookupKinds, ", ")}, nil))
		}
	}
	if len(errs) > 0 {
		return srcs, key, errors.Join(errs...)
	}
	return srcs, key, nil
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
