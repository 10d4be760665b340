//go:build linux

package actionurl

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// The namespace test's network: TEST-NET-1 (RFC 5737), which no real
// network uses, on a veth pair between two namespaces the test makes, so
// that nothing of it touches the machine's own network.
const (
	nsLANAddr     = "192.0.2.1" // this computer's LAN address (server namespace)
	nsAllowedAddr = "192.0.2.2" // the CRM server, in allow_ips
	nsOtherAddr   = "192.0.2.3" // another computer on the same LAN
)

// testNetns is a pair of network namespaces joined by a veth pair.
type testNetns struct{ server, client string }

// newTestNetns makes the server and client namespaces, or skips the test
// with the reason when this machine cannot (not root, no iproute2).
func newTestNetns(t *testing.T) testNetns {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: the LAN socket test needs root to make network namespaces (ip netns); run make test as root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipped: the LAN socket test needs the ip command (Debian package iproute2, installed by .ci/deps.sh)")
	}
	id := fmt.Sprintf("db%d-%d", os.Getpid(), time.Now().UnixNano()%100000)
	n := testNetns{server: id + "-srv", client: id + "-cli"}
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", n.server)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", n.server).Run() })
	ip("netns", "add", n.client)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", n.client).Run() })
	// Made inside the server namespace with its peer inside the client's,
	// so the veth pair never appears in the machine's own namespace.
	ip("-n", n.server, "link", "add", "lan0", "type", "veth", "peer", "name", "lan0", "netns", n.client)
	ip("-n", n.server, "addr", "add", nsLANAddr+"/24", "dev", "lan0")
	ip("-n", n.client, "addr", "add", nsAllowedAddr+"/24", "dev", "lan0")
	ip("-n", n.client, "addr", "add", nsOtherAddr+"/24", "dev", "lan0")
	for _, ns := range []string{n.server, n.client} {
		ip("-n", ns, "link", "set", "lo", "up")
		ip("-n", ns, "link", "set", "lan0", "up")
	}
	return n
}

// inNetns runs fn on an OS thread moved into the namespace ns. Sockets
// belong to the namespace they were made in, so a listener or connection
// made by fn stays there after fn returns. The thread stays locked and is
// thrown away when the goroutine ends, so no other goroutine runs in ns.
func inNetns[T any](ns string, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		var zero T
		f, err := os.Open(filepath.Join("/var/run/netns", ns))
		if err != nil {
			ch <- result{zero, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{zero, fmt.Errorf("entering network namespace %s: %w", ns, err)}
			return
		}
		v, err := fn()
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}

// clientFrom is an HTTP client in the client namespace whose connections
// leave from the address from; tlsCfg is for HTTPS.
func (n testNetns) clientFrom(from string, tlsCfg *tls.Config) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return inNetns(n.client, func() (net.Conn, error) { return d.DialContext(ctx, network, addr) })
		},
		TLSClientConfig:   tlsCfg,
		DisableKeepAlives: true,
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// pinned trusts exactly the certificate with the SHA-256 fingerprint fp,
// the way a sending computer pins what `dialbridge pairing-urls` printed.
func pinned(fp string) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin below: no CA vouches for a PC on the LAN
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || phonehttp.Fingerprint(raw[0]) != fp {
				return errors.New("the certificate is not the pinned one")
			}
			return nil
		},
	}
}

// TestAnotherComputerDialsThroughTheLANSocket runs the LAN socket for real
// in a network namespace, and sends Mia's exact dial request from a second
// namespace: the CRM server in allow_ips with the listener's credentials
// makes the simulated phone dial; another computer gets 403 naming
// allow_ips, no credentials 401 with a challenge, a foreign Host 400, the
// control API 404; then the same over HTTPS with the pinned fingerprint.
func TestAnotherComputerDialsThroughTheLANSocket(t *testing.T) {
	n := newTestNetns(t)
	r := newAttackRig(t, attackOptions{username: "crm", password: "pw-lan"})

	serveLAN := func(tlsCfg *tls.Config) string {
		t.Helper()
		ln, err := inNetns(n.server, func() (net.Listener, error) { return net.Listen("tcp4", nsLANAddr+":0") })
		if err != nil {
			t.Fatal(err)
		}
		lanPort := ln.Addr().(*net.TCPAddr).Port
		p, err := NewPolicy(r.port, []string{nsAllowedAddr}, []string{"https://crm.example"}, ConfirmUntrusted, "crm", "pw-lan")
		if err != nil {
			t.Fatal(err)
		}
		p.LANAddr = netip.AddrPortFrom(netip.MustParseAddr(nsLANAddr), uint16(lanPort))
		r.l.Update(p, Switches{Enabled: true, Incoming: true, MakeCall: true}, false)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { _ = r.l.ServeLAN(ctx, ln, tlsCfg); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		return p.LANAddr.String()
	}

	type attempt struct {
		name       string
		from       string
		path       string
		host       string // "" means the LAN address and port
		creds      bool
		wantStatus int
		wantReason string
		wantDial   string
	}
	run := func(t *testing.T, scheme, lan string, tlsCfg *tls.Config, tests []attempt) {
		for _, tt := range tests {
			before := len(r.sim.Dialed())
			req, err := http.NewRequest("GET", scheme+"://"+lan+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.creds {
				req.SetBasicAuth("crm", "pw-lan")
			}
			res, err := n.clientFrom(tt.from, tlsCfg).Do(req)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantReason) {
				t.Errorf("%s: got %d %q, want %d containing %q", tt.name, res.StatusCode, body, tt.wantStatus, tt.wantReason)
			}
			if tt.wantStatus == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("%s: WWW-Authenticate %q, want a Basic challenge", tt.name, res.Header.Get("WWW-Authenticate"))
			}
			dialed := r.sim.Dialed()[before:]
			switch {
			case tt.wantDial == "" && len(dialed) != 0:
				t.Errorf("%s: the phone dialed %v, want nothing", tt.name, dialed)
			case tt.wantDial != "" && (len(dialed) != 1 || dialed[0].Number != tt.wantDial):
				t.Errorf("%s: the phone dialed %v, want %s", tt.name, dialed, tt.wantDial)
			}
		}
	}
	mia := "/?action=make_call&target=123"

	t.Run("plain HTTP", func(t *testing.T) {
		lan := serveLAN(nil)
		run(t, "http", lan, nil, []attempt{
			{"Mia's form from the computer in allow_ips", nsAllowedAddr, mia, "", true, 200, "the phone is dialing 123", "123"},
			{"Snom's form from the computer in allow_ips", nsAllowedAddr, "/command.htm?number=124", "", true, 200, "dialing 124", "124"},
			{"a computer outside allow_ips", nsOtherAddr, mia, "", true, 403, "listener.allow_ips", ""},
			{"no credentials", nsAllowedAddr, mia, "", false, 401, "user name and password", ""},
			{"a rebinding name as Host", nsAllowedAddr, mia, "crm.evil.example:" + strings.Split(lan, ":")[1], true, 400, "does not name this listener", ""},
			{"a loopback Host", nsAllowedAddr, mia, "127.0.0.1:" + strings.Split(lan, ":")[1], true, 400, "does not name this listener", ""},
			{"the control API", nsAllowedAddr, "/api/v1/ping", "", true, 404, "control API answers only", ""},
		})
	})

	t.Run("HTTPS with the pinned fingerprint", func(t *testing.T) {
		cfgPath := filepath.Join(t.TempDir(), "config.toml")
		cert, fp, err := lancert.Load(cfgPath, netip.MustParseAddr(nsLANAddr), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, keyPath := lancert.Paths(cfgPath)
		if st, err := os.Stat(keyPath); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("the key file: %v, mode %v, want 0600", err, st.Mode().Perm())
		}
		if got := cert.Leaf.IPAddresses; len(got) != 1 || got[0].String() != nsLANAddr {
			t.Errorf("the certificate names %v, want %s", got, nsLANAddr)
		}
		if again, ok, err := lancert.Fingerprint(cfgPath); err != nil || !ok || again != fp {
			t.Errorf("lancert.Fingerprint = %q, %v, %v; want %q as made", again, ok, err, fp)
		}
		lan := serveLAN(lancert.TLSConfig(cert))
		run(t, "https", lan, pinned(fp), []attempt{
			{"Mia's form over HTTPS", nsAllowedAddr, mia, "", true, 200, "the phone is dialing 123", "123"},
			{"a computer outside allow_ips over HTTPS", nsOtherAddr, mia, "", true, 403, "listener.allow_ips", ""},
			{"no credentials over HTTPS", nsAllowedAddr, mia, "", false, 401, "user name and password", ""},
		})
		before := len(r.sim.Dialed())
		_, err = n.clientFrom(nsAllowedAddr, pinned(strings.Repeat("00:", 31)+"00")).Get("https://" + lan + mia)
		if err == nil || !strings.Contains(err.Error(), "not the pinned one") {
			t.Errorf("a client pinning another certificate: %v, want its pin to refuse", err)
		}
		if _, err := n.clientFrom(nsAllowedAddr, nil).Get("http://" + lan + mia); err == nil {
			// The HTTPS socket answers plain HTTP with a 400 from net/http;
			// what matters is that nothing dials.
			t.Log("plain HTTP to the HTTPS socket got an answer")
		}
		if d := r.sim.Dialed()[before:]; len(d) != 0 {
			t.Errorf("the phone dialed %v for clients that never got through TLS", d)
		}
	})
}
