package sip

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// onlyFrom allows the loopback address 127.0.0.1 alone, as openLink
// allows the phone's.
func onlyFrom(a net.Addr) bool {
	host, _, _ := net.SplitHostPort(a.String())
	return host == "127.0.0.1"
}

// TestOnlyThePhoneIsHeard: a datagram or connection from another address
// (127.0.0.2, on the same loopback) is dropped unread; the phone's gets
// through.
func TestOnlyThePhoneIsHeard(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	filtered := phoneOnlyPacketConn{PacketConn: pc, allowed: onlyFrom}
	for _, from := range []string{"127.0.0.2", "127.0.0.1"} {
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.ParseIP(from)}, pc.LocalAddr().(*net.UDPAddr))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.Write([]byte("OPTIONS from " + from))
		_ = c.Close()
	}
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 100)
	n, _, err := filtered.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "OPTIONS from 127.0.0.1" {
		t.Errorf("read %q, %v; want only the phone's datagram", buf[:n], err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fl := phoneOnlyListener{Listener: ln, allowed: onlyFrom}
	stranger, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	phoneConn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer phoneConn.Close()
	got, err := fl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if got.RemoteAddr().String() != phoneConn.LocalAddr().String() {
		t.Errorf("accepted %s, want the phone's %s", got.RemoteAddr(), phoneConn.LocalAddr())
	}
	_ = stranger.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := stranger.Read(buf); err == nil {
		t.Error("the stranger's connection is still open")
	}
}

// TestTheSocketIsOpenOnlyForTheExchange: once an operation is over, the
// port dialbridge sent from is free again.
func TestTheSocketIsOpenOnlyForTheExchange(t *testing.T) {
	s := startSim(t, SimOptions{})
	d := open(t, phone.Settings{Brand: Brand, Address: s.URL(), SIPDomain: SimDomain})
	s.Ring()
	if err := d.Answer(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if err := d.Dial(context.Background(), phone.DialOptions{Number: "200"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, "BYE")
	for _, r := range s.Requests() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			pc, err := net.ListenPacket("udp", r.RemoteAddr)
			if err == nil {
				_ = pc.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s came from %s, which is still open: %v", r.Method, r.RemoteAddr, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
