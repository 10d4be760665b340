package phone

import (
	"errors"
	"net"
	"syscall"
)

// Why a phone, or any server dialbridge asks (an address book, a
// directory, a CRM), cannot be reached, in words a person acts on. Go's
// own words ("connection refused", "lookup phone.local on 10.0.0.1:53: no
// such host") say what the network did, not what to check, and stay
// English in every language; a cause none of these reads stays as it is.
var (
	causeNoSuchHost = say("phone.cause.no_such_host", "the name {{.Host}} is unknown to the DNS (check the address)")
	causeLookup     = say("phone.cause.lookup", "the name {{.Host}} could not be looked up (the DNS server did not answer)")
)

// errnoCauses are the sentences of the system's connection errors.
var errnoCauses = []struct {
	errnos []syscall.Errno
	says   *form
}{
	{[]syscall.Errno{syscall.ECONNREFUSED}, say("phone.cause.refused", "the connection was refused (nothing answers at that address and port)")},
	{[]syscall.Errno{syscall.EHOSTUNREACH, syscall.EHOSTDOWN}, say("phone.cause.host_unreachable", "no route leads to it (is it switched on and connected to this network?)")},
	{[]syscall.Errno{syscall.ENETUNREACH}, say("phone.cause.net_unreachable", "this computer has no route to its network")},
	{[]syscall.Errno{syscall.ECONNRESET, syscall.ECONNABORTED}, say("phone.cause.reset", "it broke off the connection")},
}

// NetCause is why a connection failed, as a sentence where the cause is
// one of the above, else err as it is: the one wording of the network's
// failures for the drivers' errors and the caller lookup's sources.
func NetCause(err error) error {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return causeNoSuchHost.with(map[string]any{"Host": dns.Name}, nil)
		}
		return causeLookup.with(map[string]any{"Host": dns.Name}, nil)
	}
	for _, c := range errnoCauses {
		for _, errno := range c.errnos {
			if errors.Is(err, errno) {
				return c.says.with(nil, nil)
			}
		}
	}
	return err
}
