package sip

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// doc writes a dialog-info document with the given dialogs.
func doc(version int, state string, dialogs ...string) string {
	return `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="` + strconv.Itoa(version) + `" state="` + state + `" entity="sip:101@pbx.example">` +
		strings.Join(dialogs, "") + `</dialog-info>`
}

func dlg(id, direction, state, remote string) string {
	return `<dialog id="` + id + `" call-id="c-` + id + `" direction="` + direction + `"><state>` + state + `</state>` +
		`<local><identity>sip:101@pbx.example</identity></local>` +
		`<remote><identity display="Anna Schmidt">` + remote + `</identity></remote></dialog>`
}

func TestParseDialogInfoReadsTheCalls(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    DialogInfo
		wantErr string
	}{
		{name: "an incoming call ringing", body: doc(1, "partial", dlg("a1", "recipient", "early", "sip:030123456@pbx.example")),
			want: DialogInfo{Version: 1, Dialogs: []Dialog{{ID: "a1", Incoming: true, State: "early", Remote: "030123456", RemoteName: "Anna Schmidt", Local: "101@pbx.example"}}}},
		{name: "a full list with an outgoing call to a tel: URI", body: doc(2, "full", dlg("b", "initiator", "confirmed", "tel:+4930123456;phone-context=x")),
			want: DialogInfo{Version: 2, Full: true, Dialogs: []Dialog{{ID: "b", State: "confirmed", Remote: "+4930123456", RemoteName: "Anna Schmidt", Local: "101@pbx.example"}}}},
		{name: "no calls", body: doc(0, "full"), want: DialogInfo{Full: true}},
		{name: "a call on hold", body: doc(4, "full", strings.Replace(dlg("h", "initiator", "confirmed", "sip:200@x"), "</identity></local>",
			`</identity><target uri="sip:101@192.0.2.10"><param pname="+sip.rendering" pvalue="no"/></target></local>`, 1)),
			want: DialogInfo{Version: 4, Full: true, Dialogs: []Dialog{{ID: "h", State: "confirmed", Remote: "200", RemoteName: "Anna Schmidt", Local: "101@pbx.example", Held: true}}}},
		{name: "control characters in a name", body: doc(3, "partial", strings.Replace(dlg("c", "recipient", "early", "sip:1@x"), "Anna Schmidt", "Anna&#10;&#9;X", 1)),
			want: DialogInfo{Version: 3, Dialogs: []Dialog{{ID: "c", Incoming: true, State: "early", Remote: "1", RemoteName: "Anna X", Local: "101@pbx.example"}}}},
		{name: "not XML", body: "SIP/2.0 200 OK", wantErr: "not a dialog-info document"},
		{name: "another document", body: `<presence/>`, wantErr: "not a dialog-info document"},
		{name: "no version", body: `<dialog-info state="full"/>`, wantErr: `version "" is not a number`},
		{name: "a state the RFC does not know", body: doc(1, "full", dlg("d", "recipient", "ringing", "sip:1@x")), wantErr: `got state "ringing"`},
		{name: "a dialog without id", body: doc(1, "full", dlg("", "recipient", "early", "sip:1@x")), wantErr: "id and a state"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDialogInfo([]byte(tc.body))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, %v\nwant %+v", got, err, tc.want)
			}
		})
	}
}

// TestDialogStatesBecomeCallEvents follows calls through the documents a
// phone sends and checks the events the tracker hears.
func TestDialogStatesBecomeCallEvents(t *testing.T) {
	in := func(id, state string) Dialog {
		return Dialog{ID: id, Incoming: true, State: state, Remote: "030123456"}
	}
	out := func(id, state string) Dialog { return Dialog{ID: id, State: state, Remote: "200"} }
	ev := func(k phone.EventKind, id, remote string) phone.Event {
		return phone.Event{Kind: k, Format: Brand, CallID: id, Remote: remote}
	}
	steps := []struct {
		name string
		info DialogInfo
		want []phone.Event
	}{
		{"an incoming call rings", DialogInfo{Version: 1, Dialogs: []Dialog{in("a", "early")}}, []phone.Event{ev(phone.EventIncoming, "a", "030123456")}},
		{"the same document again", DialogInfo{Version: 1, Dialogs: []Dialog{in("a", "early")}}, nil},
		{"it is answered", DialogInfo{Version: 2, Dialogs: []Dialog{in("a", "confirmed")}}, []phone.Event{ev(phone.EventConnected, "a", "030123456")}},
		{"an older document arrives late", DialogInfo{Version: 1, Dialogs: []Dialog{in("a", "early")}}, nil},
		{"an outgoing call is answered at once", DialogInfo{Version: 3, Dialogs: []Dialog{out("b", "confirmed")}},
			[]phone.Event{ev(phone.EventOutgoing, "b", "200"), ev(phone.EventConnected, "b", "200")}},
		{"it is held", DialogInfo{Version: 4, Dialogs: []Dialog{{ID: "a", Incoming: true, State: "confirmed", Remote: "030123456", Held: true}}},
			[]phone.Event{ev(phone.EventHold, "a", "030123456")}},
		{"and resumed", DialogInfo{Version: 5, Dialogs: []Dialog{in("a", "confirmed")}}, []phone.Event{ev(phone.EventUnhold, "a", "030123456")}},
		{"the first call ends", DialogInfo{Version: 6, Dialogs: []Dialog{in("a", "terminated")}}, []phone.Event{ev(phone.EventDisconnected, "a", "030123456")}},
		{"a call rings and is given up", DialogInfo{Version: 7, Dialogs: []Dialog{in("c", "early")}}, []phone.Event{ev(phone.EventIncoming, "c", "030123456")}},
		{"a full list without both", DialogInfo{Version: 8, Full: true},
			[]phone.Event{{Kind: phone.EventDisconnected, Format: Brand, CallID: "b"}, {Kind: phone.EventMissed, Format: Brand, CallID: "c"}}},
		{"a call over before anyone heard of it", DialogInfo{Version: 9, Dialogs: []Dialog{in("d", "terminated")}}, nil},
	}
	var w dialogWatch
	for _, st := range steps {
		if got := w.events(st.info); !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", st.name, got, st.want)
		}
	}
}

// FuzzParseDialogInfo: whatever a phone sends, a document the parser takes
// has dialogs with an id and a known state, ids and numbers without
// control characters, in valid UTF-8, no longer than the limit, and the
// caller's name limited like every name from outside; and the watch
// turns it into events without failing.
func FuzzParseDialogInfo(f *testing.F) {
	f.Add([]byte(doc(1, "partial", dlg("a1", "recipient", "early", "sip:030123456@pbx.example"))))
	f.Add([]byte(doc(2, "full", dlg("b", "initiator", "confirmed", "tel:+4930123456"))))
	f.Add([]byte(doc(0, "full")))
	f.Add([]byte("<dialog-info version=\"9\"><dialog id=\"x\"><state>terminated</state></dialog></dialog-info>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		info, err := ParseDialogInfo(body)
		if err != nil {
			return
		}
		for _, d := range info.Dialogs {
			if d.ID == "" || !dialogStates[d.State] {
				t.Fatalf("%q: dialog %+v", body, d)
			}
			for _, s := range []string{d.ID, d.Remote, d.Local} {
				if len(s) > maxDialogText || !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\n\x1b") {
					t.Fatalf("%q: text %q", body, s)
				}
			}
			if d.RemoteName != display.Name(d.RemoteName) {
				t.Fatalf("%q: name %q is not limited like every name from outside", body, d.RemoteName)
			}
		}
		var w dialogWatch
		w.events(info)
		w.events(DialogInfo{Version: info.Version + 1, Full: true})
		if len(w.known) != 0 {
			t.Fatalf("%q: a full empty list left %d calls", body, len(w.known))
		}
	})
}
