package phonehttp

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Desk phones ship self-signed certificates that no CA vouches for, so the
// usual chain check can only fail. Instead dialbridge trusts the certificate
// it meets when it first talks to the phone (trust on first use), stores its
// SHA-256 fingerprint with the config, and from then on refuses any other
// certificate: a changed fingerprint means a replaced phone or someone in
// between, and a person has to decide which.

// Fingerprint returns the SHA-256 fingerprint of a DER certificate as
// colon-separated upper-case hex ("AB:CD:..."), the form browsers and
// openssl show, so that a person can compare it with the phone's web page.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return formatFingerprint(sum[:])
}

func formatFingerprint(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, len(b)*3)
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[c>>4], digits[c&0x0f])
	}
	return string(out)
}

// ParseFingerprint reads a SHA-256 fingerprint written with or without
// colons (or spaces), in either case, as admins copy it from wherever they
// found it, and returns it in the canonical form of Fingerprint.
func ParseFingerprint(s string) (string, error) {
	clean := strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(s))
	b, err := hex.DecodeString(clean)
	if err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("%q is not a SHA-256 certificate fingerprint (64 hex digits, colons optional)", s)
	}
	return formatFingerprint(b), nil
}

// CertificateChangedError says that the phone presented a certificate other
// than the pinned one. Both fingerprints are kept so the message can show
// them: the person compares the new one with the phone's display or web page
// before trusting it.
type CertificateChangedError struct {
	// Trusted is the pinned fingerprint, Presented the one just seen.
	Trusted, Presented string
}

func (e *CertificateChangedError) Error() string {
	return fmt.Sprintf("the certificate was trusted with SHA-256 fingerprint %s but the phone now presents %s", e.Trusted, e.Presented)
}

// Pin holds the certificate fingerprint trusted for one phone. It is safe
// for concurrent use: two first connections racing each other pin one
// certificate, and the second is checked against it.
type Pin struct {
	mu    sync.Mutex
	fp    string
	onNew func(fp string)
}

// NewPin returns a pin that trusts fingerprint (any form ParseFingerprint
// accepts), or trusts the first certificate it sees when fingerprint is
// empty. onNew, if set, is called once with the fingerprint trusted on first
// use, so that the caller can store it with the config; it runs during the
// TLS handshake and must not block.
func NewPin(fingerprint string, onNew func(fp string)) (*Pin, error) {
	p := &Pin{onNew: onNew}
	if strings.TrimSpace(fingerprint) != "" {
		fp, err := ParseFingerprint(fingerprint)
		if err != nil {
			return nil, err
		}
		p.fp = fp
	}
	return p, nil
}

// Fingerprint returns the trusted fingerprint, or "" before first use.
func (p *Pin) Fingerprint() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fp
}

// TLSConfig returns a client configuration that checks the phone's leaf
// certificate against the pin. The chain check is switched off
// (InsecureSkipVerify) only because VerifyConnection replaces it: unlike
// VerifyPeerCertificate, VerifyConnection also runs on resumed sessions, so
// no connection ever skips the pin.
func (p *Pin) TLSConfig() *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, //nolint:gosec // replaced by VerifyConnection below
		VerifyConnection:   p.verify,
		MinVersion:         tls.VersionTLS12,
	}
}

func (p *Pin) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the phone presented no TLS certificate")
	}
	return p.check(cs.PeerCertificates[0])
}

func (p *Pin) check(leaf *x509.Certificate) error {
	got := Fingerprint(leaf.Raw)
	p.mu.Lock()
	if p.fp == "" {
		p.fp = got
		onNew := p.onNew
		p.mu.Unlock()
		if onNew != nil {
			onNew(got)
		}
		return nil
	}
	want := p.fp
	p.mu.Unlock()
	if got != want {
		return &CertificateChangedError{Trusted: want, Presented: got}
	}
	return nil
}
