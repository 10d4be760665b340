// Package lancert keeps the certificate of the listener's LAN socket: made
// on first start beside the config file, read back for Settings and
// `dialbridge pairing-urls`, so that a computer that sends dial requests
// over HTTPS can pin its fingerprint. It is apart from the listener so the
// windows can show the fingerprint without linking the listener.
package lancert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// The LAN socket's certificate lives beside the config file under these
// names, so that an admin finds it, can back it up with the config, and
// the sending side keeps its pinned fingerprint across restarts.
const (
	lanCertFile = "lan-cert.pem"
	lanKeyFile  = "lan-key.pem"
)

// Paths returns where the LAN socket's certificate and key are kept
// for the config file at cfgPath.
func Paths(cfgPath string) (cert, key string) {
	dir := filepath.Dir(cfgPath)
	return filepath.Join(dir, lanCertFile), filepath.Join(dir, lanKeyFile)
}

// Load loads the LAN socket's certificate kept beside cfgPath, or
// makes one the first time (and again when the LAN address is no longer in
// its names, or it is about to expire): a self-signed ECDSA P-256
// certificate with addr in its SANs, the key written with mode 0600. No CA
// vouches for a PC on an office LAN, so the sending side pins the
// fingerprint returned here, the form `dialbridge pairing-urls` and
// Settings show.
func Load(cfgPath string, addr netip.Addr, now time.Time) (tls.Certificate, string, error) {
	certPath, keyPath := Paths(cfgPath)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && c.Leaf != nil &&
		slices.ContainsFunc(c.Leaf.IPAddresses, func(ip net.IP) bool { a, ok := netip.AddrFromSlice(ip); return ok && a.Unmap() == addr.Unmap() }) &&
		now.Add(30*24*time.Hour).Before(c.Leaf.NotAfter) {
		return c, phonehttp.Fingerprint(c.Certificate[0]), nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return tls.Certificate{}, "", fmt.Errorf("the LAN socket's certificate %s or its key cannot be read (delete both and dialbridge makes new ones): %w", certPath, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("making a key for the LAN socket: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("making a serial number for the LAN socket's certificate: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "dialbridge " + addr.Unmap().String()},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{addr.Unmap().AsSlice()},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("making the LAN socket's certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("encoding the LAN socket's key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("creating the config directory for the LAN socket's certificate: %w", err)
	}
	// The key first: a certificate on disk without its key would be loaded
	// by nobody, while a key without its certificate is simply replaced.
	if err := config.WriteFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("saving the LAN socket's key: %w", err)
	}
	if err := config.WriteFileAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("saving the LAN socket's certificate: %w", err)
	}
	c, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("reading back the LAN socket's certificate: %w", err)
	}
	return c, phonehttp.Fingerprint(der), nil
}

// Fingerprint reads the SHA-256 fingerprint of the LAN socket's
// certificate kept beside cfgPath, for Settings and `dialbridge
// pairing-urls`; ok is false when dialbridge has not made one yet.
func Fingerprint(cfgPath string) (fp string, ok bool, err error) {
	certPath, _ := Paths(cfgPath)
	data, err := os.ReadFile(certPath)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading the LAN socket's certificate: %w", err)
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return "", false, fmt.Errorf("%s is not a PEM certificate (delete it and its key, and dialbridge makes new ones)", certPath)
	}
	return phonehttp.Fingerprint(b.Bytes), true, nil
}

// TLSConfig is the TLS configuration of the LAN socket for cert.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
