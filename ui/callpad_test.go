package ui

import (
	"errors"
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/phone"
)

// TestTonePadSendsEachKeyInOrder: clicked and typed keys each send their
// tone in the call, in the order pressed; a refused tone says why.
func TestTonePadSendsEachKeyInOrder(t *testing.T) {
	res := &fakeResident{}
	p := NewTonePad(test.NewTempApp(t), CallPadDeps{Env: testEnv(), Resident: res, Call: "g-1"})
	p.Press("1")
	test.TypeOnCanvas(p.Window().Canvas(), "2#x")
	p.Press("*")
	want := []string{"g-1|dtmf|1", "g-1|dtmf|2", "g-1|dtmf|#", "g-1|dtmf|*"}
	if !reflect.DeepEqual(res.ops, want) || p.sent.Text != "12#*" {
		t.Errorf("sent %q, shows %q; want %q", res.ops, p.sent.Text, want)
	}
	res.operateErr = errors.New("A Fanvil phone cannot send DTMF remotely")
	p.Press("5")
	if want := "The tone 5 was not sent: A Fanvil phone cannot send DTMF remotely"; p.status.Text != want || p.sent.Text != "12#*" {
		t.Errorf("status %q, sent %q; want %q", p.status.Text, p.sent.Text, want)
	}
}

// TestConsultPadCompletesOrReturnsToTheHeldCall: Consult holds the call
// and calls the number; Complete transfer connects the two; Cancel hangs
// up the consultation call and resumes the held one.
func TestConsultPadCompletesOrReturnsToTheHeldCall(t *testing.T) {
	for _, tt := range []struct {
		name string
		end  func(p *ConsultPad)
		want []string
	}{
		{"complete", func(p *ConsultPad) { test.Tap(p.complete) }, []string{"g-1|consult|204", "g-1|transfer|"}},
		{"cancel", func(p *ConsultPad) { test.Tap(p.cancel) }, []string{"g-1|consult|204", "g-2|hangup", "g-1|resume"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			held := phone.Call{ID: "1", GUID: "g-1", OnHold: true}
			res := &fakeResident{active: []phone.Call{held, {ID: "2", GUID: "g-2", Remote: "204"}}}
			p := NewConsultPad(test.NewTempApp(t), CallPadDeps{Env: testEnv(), Resident: res, Call: "g-1"})
			p.Window().Show()
			if p.complete.Visible() || p.cancel.Visible() {
				t.Error("Complete and Cancel show before the consultation")
			}
			test.Type(p.number, "204")
			test.Tap(p.consult)
			if !p.complete.Visible() || !p.cancel.Visible() || p.consult.Visible() {
				t.Errorf("after Consult: complete %v, cancel %v, consult %v", p.complete.Visible(), p.cancel.Visible(), p.consult.Visible())
			}
			tt.end(p)
			if !reflect.DeepEqual(res.ops, tt.want) {
				t.Errorf("the resident was asked %q, want %q", res.ops, tt.want)
			}
		})
	}
}
