package phone

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Settings is what a driver needs to reach its phone. It mirrors the [phone]
// table of the config file, plus the password from the keyring.
type Settings struct {
	Brand    string
	Address  string
	Username string
	// Password is the phone's secret from the keyring: the web password,
	// Grandstream's CTI passcode, or Auerswald's access token.
	Password string
	// Identity is the account dials use when the request names none
	// (outgoing_uri, CSTA callingDevice, Grandstream account, Polycom line).
	Identity string
	// CSTALegacyConnectionID (phone.csta_legacy, snom-csta only) writes
	// CSTA ConnectionIDs bare, for firmware before 8.7 or with
	// csta_legacy_control=0.
	CSTALegacyConnectionID bool
	// SIPDomain (phone.sip_domain, sip only) is the domain of the PBX the
	// phone is registered with: a dial refers the phone to
	// sip:NUMBER@SIPDomain, so that it calls through its own PBX.
	SIPDomain string
	// TLSFingerprint (phone.tls_fingerprint) is the SHA-256 fingerprint of
	// the phone's certificate trusted at pairing, hex with or without
	// colons. Empty means trust the first certificate seen.
	TLSFingerprint string
	// OnNewFingerprint is called with the fingerprint trusted on first use
	// (colon-separated upper-case hex), so that the caller can store it as
	// phone.tls_fingerprint. It runs during a TLS handshake: store it in
	// the background rather than block.
	OnNewFingerprint func(fp string)
	// Transport overrides the HTTP transport (tests); certificate pinning
	// is then the transport's business.
	Transport http.RoundTripper
	// Timeout bounds each request; zero means the phone client's default.
	Timeout time.Duration
}

// Brand describes one phone brand: everything the rest of dialbridge needs
// to know about it, kept in the brand's own package so that adding a brand
// means writing its folder and adding its descriptor to the registry
// (phone/brands), nothing else.
type Brand struct {
	// Name is the brand's name in the config file ("snom", "yealink", ...).
	Name string
	// Open makes a driver talking to the phone in s.
	Open func(s Settings) (Driver, error)
	// Events is how the brand's phones report their calls; nil for brands
	// whose phones have no action URLs for call events.
	Events func() EventFormat
	// NoEventURLs, for a brand without Events whose driver follows the
	// phone's calls itself (phone.CallWatcher), says so where the pairing
	// URLs would be shown, so that nobody looks for settings to enter.
	NoEventURLs string
	// Detect are the words (lower case) phones of the brand put in their
	// login realm, Server header or page title, so that pairing can tell
	// the brand from an anonymous request. No word may be part of another
	// brand's word.
	Detect []string
	// Check reports what is wrong with the brand's own settings, config
	// key ("phone.address") to the reason, so that the config check names
	// the key before any dial fails; nil when the brand has no rules of
	// its own.
	Check func(s Settings) map[string]string
	// SettingsPage names the page of the phone's web interface where the
	// action URL settings are entered; "" when there is no one page to name.
	SettingsPage string
	// AllowList names the phone's setting that must list this computer's
	// address before the phone takes commands from it (Yealink's "Action
	// URI Allow IP List"), so that pairing prints it beside the event URLs;
	// zero when the brand has none.
	AllowList AllowList
	// FunctionKeys turns function key bindings into the brand's settings
	// (Snom's fkeyN, Yealink's linekey.N.*); nil for a brand whose keys
	// cannot be bound to a URL. dialbridge writes them where the driver
	// is a SettingsWriter; otherwise a person enters them.
	FunctionKeys KeySettings
}

// AllowList is a phone setting that lists the computers the phone takes
// commands from.
type AllowList struct {
	// Name is the setting's name in the phone's configuration files.
	Name string
	// Label is how the phone's web interface shows it, and where.
	Label string
}

// Setting is one of the phone's own configuration settings, by the name
// the phone's configuration files use.
type Setting struct {
	Name  string
	Value string
}

// The optional capabilities below are small interfaces so that pairing and
// the tray can ask any driver for them, instead of knowing which brand's
// driver type offers what.

// SettingsWriter is a driver that can change the phone's settings
// remotely (Snom over CSTA: SetSettings; Snom over HTTP: dummy.htm), so that pairing can point the
// phone's action URLs at dialbridge without the person typing them.
type SettingsWriter interface {
	SetSettings(ctx context.Context, settings ...Setting) error
}

// FirewallTester is a driver that can make the phone request its
// firewall-test URL (Snom over CSTA: FireTest; Snom over HTTP: its
// minibrowser fetches it), which proves that the
// phone reaches the PC before the first real call.
type FirewallTester interface {
	FireTest(ctx context.Context) error
}

// TextShower is a driver that can show a text screen on the phone's own
// display (Snom: an XML minibrowser screen), so that the name a caller
// lookup found shows where the person looks when the phone rings. A phone
// that fetches its screens (Snom over HTTP) gets the document through
// serve, which publishes it and returns the URL the phone fetches it at.
type TextShower interface {
	ShowText(ctx context.Context, title, text string, serve func(document string) string) error
}

// SettingsReader is a driver that can read the phone's settings back (Snom
// over HTTP: settings.htm), so that pairing and dialbridge doctor check
// where the phone really sends its events, not what was sent to it.
type SettingsReader interface {
	ReadSettings(ctx context.Context) (map[string]string, error)
}

// CommandLister is a driver that can read the list of commands the phone
// accepts (Auerswald's action=?). The request needs the credentials and
// changes nothing, so pairing uses it to check the password silently.
type CommandLister interface {
	Learn(ctx context.Context) ([]string, error)
}

// CallWatcher is a driver that can follow the phone's calls itself, for
// phones that report no calls by action URL (the sip brand subscribes to
// the phone's dialog state). Watch hands every event to sink until ctx ends
// (nil) or the phone stops reporting (an error); the resident starts it
// again after a pause.
type CallWatcher interface {
	Watch(ctx context.Context, sink func(Event)) error
}

// DialRecorder is a simulated phone that records the dials it carried
// out, so that a test of the whole program can see what reached the phone.
type DialRecorder interface {
	Dialed() []DialOptions
}

// Simulator is a running simulated phone.
type Simulator interface {
	// URL is the simulator's base address.
	URL() string
	// Close stops it.
	Close() error
}

// SimulatorSettings is a simulated phone that needs more than its address
// and credentials to pair with: the SIP phone names the PBX domain its
// referred calls go to. Simulate asks it to complete the Settings.
type SimulatorSettings interface {
	Complete(s *Settings)
}

// CallPlayer plays calls the way a phone reports them, by requesting its
// action URLs: the demo phone's calls, dialed, rung, answered and hung up
// as a person does them, so the journal, the recent calls and the outgoing
// URLs can be tried without hardware.
type CallPlayer interface {
	// SetActionURLs sets the phone's action URL settings (name to URL).
	SetActionURLs(settings map[string]string)
	// Ring lets a call from number (with the caller's name) ring until it
	// is answered or rejected, or counts it as missed after a while.
	Ring(from, name string)
	// Close ends the calls in progress and stops reporting.
	Close()
}

// AttendedTransferer is a driver that can do an attended transfer: put the
// call on hold and dial the target from the phone (consult), then, once the
// target has answered, connect the held call with the consultation call
// and drop out of both.
type AttendedTransferer interface {
	// Consult holds callID and dials target (a dial string).
	Consult(ctx context.Context, callID, target string) error
	// CompleteTransfer connects the held call with the active one.
	CompleteTransfer(ctx context.Context, heldID, activeID string) error
}

// Conferencer is a driver that can join a held call and the active one
// into a three-party conference on the phone.
type Conferencer interface {
	Conference(ctx context.Context, heldID, activeID string) error
}

// CallClearer is a driver that can end a call for every party (CSTA
// ClearCall), where Hangup only drops this phone out of it.
type CallClearer interface {
	ClearCall(ctx context.Context, callID string) error
}

// DoNotDisturb is a driver that can switch the phone's do-not-disturb
// mode on and off.
type DoNotDisturb interface {
	SetDND(ctx context.Context, on bool) error
}

// Forwarder is a driver that can switch the phone's call forwarding
// "always": every incoming call diverted to another number by the phone
// itself, until it is switched off.
type Forwarder interface {
	// SetForward diverts every call to target (a dial string); "" switches
	// forwarding off.
	SetForward(ctx context.Context, target string) error
}

// FirmwareLearner is a driver whose requests depend on the phone's
// firmware, which it can read from the User-Agent of the phone's own
// requests (its action URLs), before it has to guess.
type FirmwareLearner interface {
	LearnFirmware(userAgent string)
}

// NotSupported is the error for an optional capability (the interfaces
// above) that brand's driver lacks, with op saying what was asked.
func NotSupported(brand, op string) error {
	return &Error{Kind: ErrNotSupported, Op: op, Brand: brand}
}

// Optional finds the optional capability T (one of the interfaces above)
// in d, or in the driver d wraps (one with an Unwrap() Driver method, like
// the registry's driver that adds the configured identity to dials), so
// that a wrapper never hides what the phone can do.
func Optional[T any](d Driver) (T, bool) {
	for d != nil {
		if t, ok := d.(T); ok {
			return t, true
		}
		u, ok := d.(interface{ Unwrap() Driver })
		if !ok {
			break
		}
		d = u.Unwrap()
	}
	var zero T
	return zero, false
}

// Light is what a function key's light shows. The values are the words
// Snom's minibrowser takes in its LED element.
type Light string

// The lights dialbridge shows: steady for a state that lasts (a call, do
// not disturb), blinking for one that wants the person (a ringing call, a
// missed call, a dial waiting for confirmation).
const (
	LightOff   Light = "Off"
	LightOn    Light = "On"
	LightBlink Light = "Blink"
)

// KeyLight is one function key's light: the key as the phone numbers it
// (Snom P1 = 1), what the light shows and in which colour ("red",
// "green", "orange"; phones with one colour ignore it).
type KeyLight struct {
	Key   int
	Light Light
	Color string
}

// LEDSetter is a driver that can set its function keys' lights (Snom over
// HTTP: a screen fetched through the minibrowser; over CSTA: XmlPush), so
// that the keys bound in [[phone.keys]] show dialbridge's state. model
// names the phone's model (the light numbers differ by model): the one
// the phone reports, or phone.model. A phone that fetches its screens gets
// the document through serve, as with TextShower.
type LEDSetter interface {
	SetLEDs(ctx context.Context, model string, lights []KeyLight, serve func(document string) string) error
}

// ErrUnknownModel is what SetLEDs fails with, wrapped in a sentence that
// names the model and what to do, when dialbridge does not know which light
// belongs to which key on the phone's model, or the phone did not say its
// model: trying again changes nothing until the config or the phone does.
var ErrUnknownModel = errors.New("unknown model")

// ModelReader is a driver that can ask the phone for its model (Snom: the
// model its web interface names), so that the lights' numbers need no
// setting where the phone says it.
type ModelReader interface {
	Model(ctx context.Context) (string, error)
}
