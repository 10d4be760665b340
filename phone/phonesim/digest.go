package phonesim

import (
	"bytes"
	"io"
	"sync"

	"github.com/icholy/digest"
)

// Digest issues Digest challenges with a fresh nonce and checks the
// answers, for simulators of any protocol: the HTTP phones here and the SIP
// phone (phone/sip), which sends the same header in its 401.
type Digest struct {
	Realm, Username, Password string

	mu     sync.Mutex
	nonces map[string]bool
}

// Challenge returns a WWW-Authenticate value with a nonce it will accept.
func (d *Digest) Challenge() string {
	nonce := randomHex(16)
	d.mu.Lock()
	if d.nonces == nil {
		d.nonces = map[string]bool{}
	}
	d.nonces[nonce] = true
	d.mu.Unlock()
	return (&digest.Challenge{Realm: d.Realm, Nonce: nonce, Algorithm: "MD5", QOP: []string{"auth"}}).String()
}

// Check reports whether authorization (an Authorization value) answers one
// of this Digest's challenges for method on uri with the right password.
func (d *Digest) Check(authorization, method, uri string, body []byte) bool {
	cred, err := digest.ParseCredentials(authorization)
	if err != nil || !eq(cred.Username, d.Username) {
		return false
	}
	d.mu.Lock()
	known := d.nonces[cred.Nonce]
	d.mu.Unlock()
	if !known || cred.URI != uri {
		return false
	}
	chal := &digest.Challenge{Realm: d.Realm, Nonce: cred.Nonce, Opaque: cred.Opaque, Algorithm: cred.Algorithm}
	if cred.QOP != "" {
		chal.QOP = []string{cred.QOP}
	}
	want, err := digest.Digest(chal, digest.Options{
		Method: method, URI: cred.URI, Count: cred.Nc, Cnonce: cred.Cnonce,
		Username: d.Username, Password: d.Password,
		GetBody: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	})
	return err == nil && eq(cred.Response, want.Response)
}
