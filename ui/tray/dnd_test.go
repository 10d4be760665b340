package tray

import (
	"testing"

	"github.com/dialbridge/dialbridge/phone"
)

// TestDoNotDisturbFollowsThePhone: the item is a check item showing what
// the phone has; a click asks for the other state; a phone without the
// capability has no such item.
func TestDoNotDisturbFollowsThePhone(t *testing.T) {
	for _, tt := range []struct {
		name        string
		p           Phone
		wantVisible bool
		wantChecked bool
	}{
		{"off", ready, true, false},
		{"on", Phone{State: PhoneReady, Name: "snom", Caps: allCaps, DND: true}, true, true},
		{"a phone without it", Phone{State: PhoneReady, Name: "polycom", Caps: phone.CanDial | phone.CanDTMF}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel()
			m.SetPhone(tt.p)
			it, _ := find(m.Menu().Items, ItemDND)
			if it.Visible != tt.wantVisible || !it.Checkable || it.Checked != tt.wantChecked || it.Label != "Do not disturb" {
				t.Errorf("item %+v, want visible %v, checked %v", it, tt.wantVisible, tt.wantChecked)
			}
			ev, ok := m.Click(ItemDND)
			if ok != tt.wantVisible || (ok && ev.On == tt.p.DND) {
				t.Errorf("Click = %+v, %v", ev, ok)
			}
		})
	}
}

// TestForwardItemShowsWhereCallsGo: while the phone does not forward, the
// item offers to (a click asks for a number); while it does, it is checked
// and names the target (a click switches it off); a phone without the
// capability has no such item.
func TestForwardItemShowsWhereCallsGo(t *testing.T) {
	for _, tt := range []struct {
		p           Phone
		wantVisible bool
		wantLabel   string
	}{
		{ready, true, "Forward calls…"},
		{Phone{State: PhoneReady, Name: "snom", Caps: allCaps, Forward: "0301234567"}, true, "Calls forwarded to 0301234567"},
		{Phone{State: PhoneReady, Name: "fanvil", Caps: phone.CanDial | phone.CanHangup}, false, "Forward calls…"},
	} {
		t.Run(tt.p.Name+" "+tt.p.Forward, func(t *testing.T) {
			m := newTestModel()
			m.SetPhone(tt.p)
			it, _ := find(m.Menu().Items, ItemForward)
			if it.Visible != tt.wantVisible || !it.Checkable || it.Checked != (tt.p.Forward != "") || it.Label != tt.wantLabel {
				t.Errorf("item %+v, want visible %v, label %q", it, tt.wantVisible, tt.wantLabel)
			}
			ev, ok := m.Click(ItemForward)
			if ok != tt.wantVisible || (ok && (ev.Kind != EventForward || ev.On != (tt.p.Forward == ""))) {
				t.Errorf("Click = %+v, %v", ev, ok)
			}
		})
	}
}
