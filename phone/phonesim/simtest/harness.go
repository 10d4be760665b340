package simtest

import (
	"testing"

	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Start starts a simulator with start, fails t when that fails, and stops
// the simulator when t ends: the harness every brand's tests begin with.
func Start[S interface{ Close() error }](t *testing.T, start func() (S, error)) S {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Client returns the phone client for opts, failing t when the options
// are wrong.
func Client(t *testing.T, opts phonehttp.Options) *phonehttp.Client {
	t.Helper()
	c, err := phonehttp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
