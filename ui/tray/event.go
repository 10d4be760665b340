package tray

import "github.com/dialbridge/dialbridge/phone"

// EventKind is what a click asks the resident to do.
type EventKind int

// The events a click can raise.
const (
	EventDial EventKind = iota + 1
	EventDialClipboard
	EventCallBack
	EventAnswer
	EventHangup
	EventHold
	EventResume
	EventTransfer
	EventSimulateIncoming
	EventJournal
	EventSettings
	EventPair
	EventAbout
	EventQuit
	EventTones
	EventConsult
	EventConference
	EventDND
	EventWhatsWrong
	// EventForward: On asks for a number to forward the phone's calls
	// to, !On switches forwarding off.
	EventForward
)

var eventNames = map[EventKind]string{
	EventDial: "dial", EventDialClipboard: "dial clipboard", EventCallBack: "call back",
	EventAnswer: "answer", EventHangup: "hang up", EventHold: "hold", EventResume: "resume",
	EventTransfer: "transfer", EventSimulateIncoming: "simulate incoming call",
	EventJournal: "journal", EventSettings: "settings", EventPair: "pair", EventAbout: "about",
	EventQuit: "quit", EventTones: "send tones", EventConsult: "consult and transfer", EventConference: "conference",
	EventDND: "do not disturb", EventWhatsWrong: "what's wrong", EventForward: "forward calls",
}

// String names the event for logs.
func (k EventKind) String() string {
	if n, ok := eventNames[k]; ok {
		return n
	}
	return "unknown"
}

// Event is one thing the person asked for in the tray menu.
type Event struct {
	Kind EventKind
	// Number is what to dial: the clipboard's text or the recent call's
	// number. The resident applies the dialing rules again.
	Number string
	// Call is the call to act on (answer, hang up, hold, resume,
	// transfer, tones, consult, conference), or the recent call to call
	// back.
	Call phone.Call
	// On is do not disturb's new state (EventDND), or whether forwarding
	// is to go on (EventForward).
	On bool
}
