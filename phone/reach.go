package phone

import (
	"errors"
	"net"
	"syscall"
)

// Why a phone cannot be reached, in words a person acts on. Go's own words
// ("connection refused", "lookup phone.local on 10.0.0.1:53: no such host")
// say what the network did, not what to check, and stay English in every
// language; a cause none of these reads stays as it is.
var (
	causeRefused         = say("phone.cause.refused", "the connection was refused (nothing answers at that address and port; check both)")
	causeHostUnreachable = say("phone.cause.host_unreachable", "no route leads to it (is it switched on and connected to this network?)")
	causeNetUnreachable  = say("phone.cause.net_unreachable", "this computer has no route to its network")
	causeReset           = say("phone.cause.reset", "it broke off the connection")
	causeNoSuchHost      = say("phone.cause.no_such_host", "the name {{.Host}} is unknown to the DNS (check the address)")
	causeLookup          = say("phone.cause.lookup", "the name {{.Host}} could not be looked up (the DNS server did not answer)")
)

// reachCause is why an unreachable phone could not be reached, as a
// sentence where the cause is one of the above, else err as it is.
func reachCause(err error) error {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return causeNoSuchHost.with(map[string]any{"Host": dns.Name}, nil)
	case errors.As(err, &dns):
		return causeLookup.with(map[string]any{"Host": dns.Name}, nil)
	case errors.Is(err, syscall.ECONNREFUSED):
		return causeRefused.with(nil, nil)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.EHOSTDOWN):
		return causeHostUnreachable.with(nil, nil)
	case errors.Is(err, syscall.ENETUNREACH):
		return causeNetUnreachable.with(nil, nil)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED):
		return causeReset.with(nil, nil)
	}
	return err
}
