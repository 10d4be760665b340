package phonehttp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

func TestParseFingerprint(t *testing.T) {
	const canon = "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"canonical", canon, canon, false},
		{"lower case with colons", strings.ToLower(canon), canon, false},
		{"plain hex", strings.ReplaceAll(canon, ":", ""), canon, false},
		{"spaces and padding", "  " + strings.ReplaceAll(canon, ":", " ") + "\n", canon, false},
		{"too short", "01:23:45", "", true},
		{"sha1 length", strings.Repeat("AB", 20), "", true},
		{"not hex", strings.Repeat("ZZ", 32), "", true},
		{"empty", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := phonehttp.ParseFingerprint(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseFingerprint(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseFingerprint(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
}

// startTLS starts a simulated phone with a fresh self-signed certificate.
func startTLS(t *testing.T, addr string) *phonesim.Server {
	t.Helper()
	opts := phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "pw", TLS: true}
	return simtest.Start(t, func() (*phonesim.Server, error) { return phonesim.StartOn(addr, okHandler(), opts) })
}

// TestTrustOnFirstUse pairs with a phone, then replaces the phone by one
// with another certificate on the same address: the client must refuse it
// and name both fingerprints.
func TestTrustOnFirstUse(t *testing.T) {
	first := startTLS(t, "127.0.0.1:0")
	addr := first.Addr()

	var mu sync.Mutex
	var stored []string
	c := simtest.Client(t, phonehttp.Options{
		Brand: "snom", Address: first.URL(), Username: "admin", Password: "pw", Timeout: 10 * time.Second,
		OnNewFingerprint: func(fp string) { mu.Lock(); stored = append(stored, fp); mu.Unlock() },
	})
	ctx := context.Background()
	for i := 0; i < 2; i++ { // the second request must not pin again
		res, err := c.Get(ctx, "dial", "/", nil)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if res.Status != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, res.Status)
		}
	}
	oldFP := phonehttp.Fingerprint(first.CertificateDER())
	mu.Lock()
	got := append([]string(nil), stored...)
	mu.Unlock()
	if len(got) != 1 || got[0] != oldFP {
		t.Fatalf("OnNewFingerprint got %q, want once %q", got, oldFP)
	}
	if c.Pin().Fingerprint() != oldFP {
		t.Fatalf("pin = %q, want %q", c.Pin().Fingerprint(), oldFP)
	}

	// The phone is replaced: same address, new certificate.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := startTLS(t, addr)
	newFP := phonehttp.Fingerprint(second.CertificateDER())
	if newFP == oldFP {
		t.Fatal("the simulator reused its certificate")
	}
	_, err := c.Get(ctx, "dial", "/", nil)
	if phone.KindOf(err) != phone.ErrCertificate {
		t.Fatalf("after the certificate changed: err = %v, want kind ErrCertificate", err)
	}
	msg := err.Error()
	for _, want := range []string{oldFP, newFP, "different TLS certificate", "127.0.0.1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	var cc *phonehttp.CertificateChangedError
	if !errors.As(err, &cc) || cc.Trusted != oldFP || cc.Presented != newFP {
		t.Errorf("errors.As CertificateChangedError = %+v", cc)
	}
	if len(second.Requests()) != 0 {
		t.Errorf("the impostor received %d requests, want none", len(second.Requests()))
	}
}

func TestPinnedFingerprint(t *testing.T) {
	srv := startTLS(t, "127.0.0.1:0")
	other, err := phonesim.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		pin      string
		wantKind phone.ErrorKind
		wantOK   bool
	}{
		{"pinned to this phone (lower case, no colons)", strings.ToLower(strings.ReplaceAll(phonehttp.Fingerprint(srv.CertificateDER()), ":", "")), 0, true},
		{"pinned to another phone", phonehttp.Fingerprint(other.Certificate[0]), phone.ErrCertificate, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			c := simtest.Client(t, phonehttp.Options{
				Brand: "yealink", Address: srv.URL(), Username: "admin", Password: "pw", Timeout: 10 * time.Second,
				TLSFingerprint: tt.pin, OnNewFingerprint: func(string) { called = true },
			})
			_, err := c.Get(context.Background(), "dial", "/", nil)
			if tt.wantOK {
				if err != nil {
					t.Fatalf("err = %v, want success", err)
				}
			} else if phone.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
			if called {
				t.Error("OnNewFingerprint was called although a pin was configured")
			}
		})
	}
}

func TestNewRejectsBadFingerprint(t *testing.T) {
	_, err := phonehttp.New(phonehttp.Options{Brand: "snom", Address: "https://192.0.2.10", TLSFingerprint: "12:34"})
	if err == nil || !strings.Contains(err.Error(), "phone.tls_fingerprint") {
		t.Fatalf("err = %v, want a message naming phone.tls_fingerprint", err)
	}
}
