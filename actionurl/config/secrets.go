package config

import (
	"errors"
	"os"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which secrets are stored.
const KeyringService = "dialbridge"

// The secrets dialbridge keeps, by keyring user name.
const (
	SecretPhone    = "phone"
	SecretListener = "listener"
)

// envFor maps a secret to the environment variable read where no keyring
// exists (a headless server, a container, CI).
var envFor = map[string]string{
	SecretPhone:    "DIALBRIDGE_PHONE_PASSWORD",
	SecretListener: "DIALBRIDGE_LISTENER_PASSWORD",
}

// envOf is the environment variable of a secret: every lookup source
// (lookup-1, lookup-2 …) shares DIALBRIDGE_LOOKUP_PASSWORD, since a server
// without a keyring rarely has more than one directory or CRM.
func envOf(user string) string {
	if strings.HasPrefix(user, "lookup-") {
		return "DIALBRIDGE_LOOKUP_PASSWORD"
	}
	return envFor[user]
}

// keyringTimeout bounds a keyring call: without a running Secret Service a
// D-Bus activation attempt can hang for two minutes, and a person waiting
// for the tray icon must not wait that long.
const keyringTimeout = 5 * time.Second

// The keyring's failures as sentences, so that the doctor and the windows
// word them in the person's language (i18n.Error); the keyring's own
// words after the colon stay as the system says them.
var (
	sayKeyringRead   = secretForms.Add("config.keyring.read", "reading the {{.User}} password from the system keyring (or set {{.Env}})")
	sayKeyringStore  = secretForms.Add("config.keyring.store", "storing the {{.User}} password in the system keyring")
	sayKeyringRemove = secretForms.Add("config.keyring.remove", "removing the {{.User}} password from the system keyring")
)

// secretForms are the sentences above, for the translation test.
var secretForms sentence.Forms

// ErrNoSecret means the secret is neither in the environment nor in the keyring.
var ErrNoSecret = errors.New("no password stored")

// Secrets reads and writes passwords. The zero value uses the OS keyring
// with the environment as fallback; tests may set Getenv.
type Secrets struct {
	// Getenv defaults to os.Getenv.
	Getenv func(string) string
}

// Get returns the secret for user ("phone" or "listener"). The environment
// variable wins when set, so an admin can run headless without a keyring;
// otherwise the keyring is asked. A missing secret is ErrNoSecret; a keyring
// that cannot be reached is an error saying so, never the secret's value.
func (s Secrets) Get(user string) (string, error) {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv(envOf(user)); v != "" {
		return v, nil
	}
	v, err := withTimeout(func() (string, error) { return keyring.Get(KeyringService, user) })
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", ErrNoSecret
	case err != nil:
		return "", sayKeyringRead.With(map[string]any{"User": user, "Env": envOf(user)}, err)
	}
	return v, nil
}

// Set stores the secret for user in the keyring.
func (s Secrets) Set(user, password string) error {
	_, err := withTimeout(func() (string, error) { return "", keyring.Set(KeyringService, user, password) })
	if err != nil {
		return sayKeyringStore.With(map[string]any{"User": user}, err)
	}
	return nil
}

// Delete removes the secret for user; a missing one is not an error.
func (s Secrets) Delete(user string) error {
	_, err := withTimeout(func() (string, error) { return "", keyring.Delete(KeyringService, user) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return sayKeyringRemove.With(map[string]any{"User": user}, err)
	}
	return nil
}

func withTimeout(f func() (string, error)) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(keyringTimeout):
		return "", errors.New("the system keyring did not answer within 5 seconds")
	}
}
