package phone

import (
	"context"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestAnUnreachablePhoneSaysWhatToCheck: the network's words become a
// sentence a person acts on. The refused connection is a real one (a
// loopback port nobody listens on); a failed lookup and an unreachable
// host are built as Go's resolver and dialer report them, since this
// machine cannot be made to lose its route.
func TestAnUnreachablePhoneSaysWhatToCheck(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := (&net.Dialer{}).DialContext(context.Background(), "tcp", addr)
	if refused == nil {
		t.Fatalf("%s took the connection", addr)
	}
	opError := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	tests := []struct {
		name  string
		cause error
		want  string
	}{
		{"a refused connection", refused, "The phone at 192.0.2.10 cannot be reached: the connection was refused (nothing answers at that address and port)"},
		{"an unknown name", &net.DNSError{Err: "no such host", Name: "phone.local", IsNotFound: true},
			"The phone at 192.0.2.10 cannot be reached: the name phone.local is unknown to the DNS (check the address)"},
		{"a silent DNS server", &net.DNSError{Err: "server misbehaving", Name: "phone.local", IsTemporary: true},
			"The phone at 192.0.2.10 cannot be reached: the name phone.local could not be looked up (the DNS server did not answer)"},
		{"no route to the phone", opError(syscall.EHOSTUNREACH), "The phone at 192.0.2.10 cannot be reached: no route leads to it (is it switched on and connected to this network?)"},
		{"no route to its network", opError(syscall.ENETUNREACH), "The phone at 192.0.2.10 cannot be reached: this computer has no route to its network"},
		{"a connection broken off", opError(syscall.ECONNRESET), "The phone at 192.0.2.10 cannot be reached: it broke off the connection"},
		{"words dialbridge does not know", os.ErrPermission, "The phone at 192.0.2.10 cannot be reached: permission denied"},
	}
	for _, tt := range tests {
		e := &Error{Kind: ErrUnreachable, Address: "192.0.2.10", Op: "dial", Err: tt.cause}
		if got := e.Error(); got != tt.want {
			t.Errorf("%s: got %q\nwant %q", tt.name, got, tt.want)
		}
		checkSays(t, e)
	}
}
