// Package siptest gives tests of the sip brand real SIP parts on loopback:
// Debian's baresip as the desk phone, set to answer automatically, and a
// PBX that records the calls the phone places. The driver's tests and the
// whole program's tests share them.
package siptest

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"
)

// Phone is a running baresip playing a desk phone that answers every call
// at once and follows a REFER by calling its target.
type Phone struct {
	// URI is the phone's address, the phone.address that pairs with it.
	URI string
	// Trace is baresip's output so far (its SIP trace among it), for
	// failure messages.
	Trace func() string
}

// The answer modes of baresip's account: answer every call at once, as a
// desk phone that allows auto-answer from dialbridge's computer, or ring
// until someone picks up, as one that does not.
const (
	AutoAnswer = "auto"
	Manual     = "manual"
)

// Baresip starts baresip on a free loopback port, answering calls in
// answermode, and stops it when t ends. It skips t when baresip is not
// installed (Debian: baresip).
func Baresip(t *testing.T, answermode string) *Phone {
	t.Helper()
	bin, err := exec.LookPath("baresip")
	if err != nil {
		t.Skip("baresip is not installed (Debian: baresip)")
	}
	// baresip listens on its port for UDP and TCP and on the next for TLS;
	// another program may take one of them between the check and the start.
	for range 5 {
		p, err := startBaresip(t, bin, freePort(t), answermode)
		if err == nil {
			return p
		}
		if !strings.Contains(err.Error(), "Address already in use") {
			t.Fatal(err)
		}
	}
	t.Fatal("baresip found no free port in 5 tries")
	return nil
}

func startBaresip(t *testing.T, bin string, port int, answermode string) (*Phone, error) {
	dir := t.TempDir()
	// aufile plays a short silence as the microphone and writes what it
	// hears to a file: no sound card, and G.711 works with it.
	if err := os.WriteFile(filepath.Join(dir, "silence.wav"), silenceWAV(8000), 0o600); err != nil {
		return nil, err
	}
	config := fmt.Sprintf(`poll_method		epoll
sip_listen		127.0.0.1:%d
sip_trans_def		udp
audio_path		%s
audio_player		aufile,%s
audio_source		aufile,%s
audio_alert		aufile,%s
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module_app		account.so
module_app		menu.so
`, port, dir, filepath.Join(dir, "heard.wav"), filepath.Join(dir, "silence.wav"), filepath.Join(dir, "alert.wav"))
	uri := fmt.Sprintf("sip:phone@127.0.0.1:%d", port)
	accounts := "<" + uri + ">;regint=0;answermode=" + answermode + "\n"
	for name, body := range map[string]string{"config": config, "accounts": accounts, "contacts": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-f", dir, "-s", "-4")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	var mu sync.Mutex
	var trace strings.Builder
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			mu.Lock()
			trace.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), "baresip is ready") {
				once.Do(func() { close(ready) })
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	p := &Phone{URI: uri, Trace: func() string { mu.Lock(); defer mu.Unlock(); return trace.String() }}
	stop := func() {
		cancel()
		<-done
		_ = cmd.Wait()
	}
	select {
	case <-ready:
	case <-done:
		stop()
		return nil, fmt.Errorf("baresip exited before it was ready:\n%s", p.Trace())
	case <-time.After(20 * time.Second):
		stop()
		return nil, fmt.Errorf("baresip did not get ready:\n%s", p.Trace())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("baresip:\n%s", p.Trace())
		}
	})
	return p, nil
}

// WaitTrace waits until baresip's output contains text, or fails t
// after timeout.
func (p *Phone) WaitTrace(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.Trace(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("baresip never showed %q within %s", text, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// freePort returns a loopback port that was free a moment ago for UDP
// and TCP alike, as baresip listens on both.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
		_ = pc.Close()
		if err == nil {
			_ = ln.Close()
			return port
		}
	}
	t.Fatal("no loopback port is free for UDP and TCP")
	return 0
}

// silenceWAV is one second of silence as 16-bit mono PCM at rate Hz.
func silenceWAV(rate int) []byte {
	data := rate * 2
	b := make([]byte, 44+data)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	return b
}

// PBX is a SIP server on a loopback UDP port that records the calls it is
// offered and turns them down (486 Busy Here), as a PBX whose callee is busy.
type PBX struct {
	// Domain is its host:port, the sip_domain that sends calls to it.
	Domain string
	calls  chan string
}

// StartPBX starts a PBX and stops it when t ends.
func StartPBX(t *testing.T) *PBX {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("pbx"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	p := &PBX{Domain: pc.LocalAddr().String(), calls: make(chan string, 16)}
	srv.OnInvite(func(req *gosip.Request, tx gosip.ServerTransaction) {
		p.calls <- req.Recipient.User
		_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusBusyHere, "Busy Here", nil))
	})
	srv.OnAck(func(*gosip.Request, gosip.ServerTransaction) {})
	go func() { _ = srv.ServeUDP(pc) }()
	t.Cleanup(func() { _ = ua.Close(); _ = pc.Close() })
	return p
}

// Waiting is how many calls the PBX was offered that WaitCall has not
// returned yet.
func (p *PBX) Waiting() int { return len(p.calls) }

// WaitCall returns the user part of the next call the PBX is offered (the
// number the caller dialed), or fails t after timeout.
func (p *PBX) WaitCall(t *testing.T, timeout time.Duration) string {
	t.Helper()
	select {
	case n := <-p.calls:
		return n
	case <-time.After(timeout):
		t.Fatalf("no call reached the PBX at %s within %s", p.Domain, timeout)
		return ""
	}
}
