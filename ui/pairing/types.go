package pairing

import "errors"

// Setting is one setting on the phone that makes it report its calls to
// dialbridge, with the value it must have.
type Setting struct {
	// Name is the phone's own name of the setting, e.g. action_incoming_url.
	Name string
	// Label is how the phone's web interface shows it, e.g. "Incoming call".
	Label string
	// Value is what to put in it: a URL of dialbridge's listener.
	Value string
}

// EventSetup is how the phone's action URLs were set up.
type EventSetup struct {
	// Automatic: dialbridge wrote the settings to the phone itself.
	// Otherwise the person must enter them in the phone's web interface.
	Automatic bool
	// ReadBack: the phone showed the settings afterwards and they hold
	// what was written.
	ReadBack bool
	// Settings are the settings written, or to write.
	Settings []Setting
	// Where names the page of the phone's web interface that has them.
	Where string
}

// ErrNoFirewallTest means the brand cannot be asked to call dialbridge on
// its own; a test call by the person proves the same.
var ErrNoFirewallTest = errors.New("this phone has no built-in test to reach dialbridge")

// ErrUnreachable marks a Detect failure because nothing answered at the
// address, as opposed to an answer that did not name a brand.
var ErrUnreachable = errors.New("nothing answers at this address")
