package phonehttp

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// OptionsFrom fills the client options from the paired phone's settings:
// the web credentials, the pinned certificate and the time-out.
func OptionsFrom(s phone.Settings) Options {
	return Options{
		Brand: s.Brand, Address: s.Address, Username: s.Username, Password: s.Password, Transport: s.Transport,
		Timeout: s.Timeout, TLSFingerprint: s.TLSFingerprint, OnNewFingerprint: s.OnNewFingerprint,
	}
}

// Open makes the client for o and hands it to newDriver: the driver
// constructor of every brand that speaks HTTP, so that a brand's descriptor
// only says how its driver is made from a client.
func Open(o Options, newDriver func(*Client) phone.Driver) (phone.Driver, error) {
	c, err := New(o)
	if err != nil {
		return nil, err
	}
	return newDriver(c), nil
}

// Opener is Open as a brand's driver constructor: the client options come
// from the paired phone's settings unchanged.
// It takes a brand's New as it is, whatever driver type New returns.
func Opener[D phone.Driver](newDriver func(*Client) D) func(phone.Settings) (phone.Driver, error) {
	return func(s phone.Settings) (phone.Driver, error) {
		return Open(OptionsFrom(s), func(c *Client) phone.Driver { return newDriver(c) })
	}
}

// Base is what every driver that speaks HTTP starts from: the client to
// its phone, its brand's name, and ErrNotSupported answers naming the
// brand for whatever the phone cannot do. A driver embeds it and
// implements only what its phone really does.
type Base struct {
	phone.Unsupported
	// Client talks to the phone.
	Client *Client
	// Sleep waits between the keys of a key sequence on phones that take
	// one key per request (phone.Sleep when nil), so that tests need not
	// wait.
	Sleep func(context.Context, time.Duration) error
}

// NewBase returns the Base of a brand's driver talking through c.
func NewBase(brand string, c *Client) Base {
	return Base{Unsupported: phone.Unsupported{BrandName: brand}, Client: c}
}

// Brand is the brand's config name ("snom", "yealink", ...).
func (b Base) Brand() string { return b.BrandName }
