package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

func newTestJournal(t *testing.T, res *fakeResident) *Journal {
	t.Helper()
	a := test.NewTempApp(t)
	j := NewJournal(a, JournalDeps{Env: testEnv(), Resident: res})
	j.Window().Resize(fyne.NewSize(900, 560))
	return j
}

func shownGUIDs(j *Journal) string {
	var ids []string
	for _, c := range j.shown {
		ids = append(ids, c.GUID)
	}
	return strings.Join(ids, " ")
}

func TestJournalFilterAndSearch(t *testing.T) {
	tests := []struct {
		name   string
		filter int
		search string
		want   string
	}{
		{"everything, newest first", filterAll, "", "c6 c5 c4 c3 c2 c1"},
		{"incoming", filterInbound, "", "c6 c4 c2"},
		{"outgoing", filterOutbound, "", "c5 c3 c1"},
		{"missed", filterMissed, "", "c4"},
		{"name, any case", filterAll, "erika", "c6 c2"},
		{"number as written elsewhere", filterAll, "030 123", "c5"},
		{"digits inside an E.164 number", filterAll, "30 1234567", "c6 c5 c2"},
		{"extension", filterOutbound, "204", "c3 c1"},
		{"nothing matches", filterMissed, "erika", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newTestJournal(t, &fakeResident{calls: sampleCalls()})
			j.filter.SetSelectedIndex(tt.filter)
			test.Type(j.search, tt.search)
			if got := shownGUIDs(j); got != tt.want {
				t.Errorf("shown %q, want %q", got, tt.want)
			}
			if !strings.HasSuffix(j.callsNote.Text, "of 6 calls shown.") {
				t.Errorf("note = %q", j.callsNote.Text)
			}
		})
	}
}

func TestJournalCallBack(t *testing.T) {
	res := &fakeResident{calls: sampleCalls()}
	j := newTestJournal(t, res)
	if !j.callBack.Disabled() {
		t.Fatal("Call back is enabled with no call selected")
	}
	j.calls.Select(widget.TableCellID{Row: 2, Col: 1}) // Hamburg Office, missed
	test.Tap(j.callBack)
	if len(res.dialed) != 1 || res.dialed[0] != "+4940998877|" {
		t.Errorf("dialed %q", res.dialed)
	}
	if !strings.HasPrefix(j.callsNote.Text, "The phone is dialing") {
		t.Errorf("note = %q", j.callsNote.Text)
	}
}

func TestJournalCells(t *testing.T) {
	j := newTestJournal(t, &fakeResident{calls: sampleCalls()})
	cell := func(row, col int) string {
		box := j.calls.CreateCell().(*fyne.Container)
		j.updateCallCell(widget.TableCellID{Row: row, Col: col}, box)
		return box.Objects[0].(*widget.Label).Text
	}
	tests := []struct {
		row, col int
		want     string
	}{
		{0, 0, "incoming"},
		{0, 1, "Erika Mustermann (+49301234567)"},
		{0, 2, "14:05"},
		{0, 3, "7:05"},
		{0, 4, "answered"},
		{1, 0, "outgoing"},
		{1, 3, "–"},
		{1, 4, "not answered"},
		{2, 4, "missed"},
		{4, 2, "yesterday 16:20"},
		{5, 2, "2025-11-20 09:00"},
	}
	for _, tt := range tests {
		if got := cell(tt.row, tt.col); got != tt.want {
			t.Errorf("row %d col %d = %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
}

// TestJournalShowsHostileNamesAsText puts every name of the hostile
// corpus into the journal: the party cell is a plain Label (never RichText
// or Markdown) with the name as display.Name limits it.
func TestJournalShowsHostileNamesAsText(t *testing.T) {
	corpus := displaytest.Load(t)
	var calls []phone.Call
	for i, name := range corpus {
		calls = append(calls, phone.Call{GUID: fmt.Sprint(i), Direction: phone.Inbound, Remote: "+49301234567", RemoteAlias: name, Created: testNow.Add(-time.Duration(i) * time.Minute)})
	}
	j := newTestJournal(t, &fakeResident{calls: calls})
	if len(j.shown) != len(calls) {
		t.Fatalf("the journal shows %d of %d calls", len(j.shown), len(calls))
	}
	for row, c := range j.shown {
		box := j.calls.CreateCell().(*fyne.Container)
		j.updateCallCell(widget.TableCellID{Row: row, Col: 1}, box)
		l, ok := box.Objects[0].(*widget.Label)
		if !ok {
			t.Fatalf("the party cell is a %T, want a plain *widget.Label", box.Objects[0])
		}
		want := "+49301234567"
		if n := display.Name(c.RemoteAlias); n != "" {
			want = n + " (" + want + ")"
		}
		if l.Text != want {
			t.Errorf("%.40q shows %q, want %q", c.RemoteAlias, l.Text, want)
		}
	}
}

func TestJournalOutcomes(t *testing.T) {
	start := testNow.Add(-time.Minute)
	tests := []struct {
		call phone.Call
		want string
	}{
		{phone.Call{Created: start}, "in progress"},
		{phone.Call{Created: start, Connected: start, OnHold: true}, "on hold"},
		{phone.Call{Created: start, Disconnected: testNow}, "missed"},
		{phone.Call{Direction: phone.Outbound, Created: start, Disconnected: testNow}, "not answered"},
		{phone.Call{Created: start, Connected: start, Disconnected: testNow}, "answered"},
		{phone.Call{Created: start, Connected: start, Disconnected: testNow, TransferredTo: "205"}, "transferred to 205"},
	}
	for _, tt := range tests {
		if got, _ := outcome(tt.call); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.call, got, tt.want)
		}
	}
}

func TestJournalRetriesAFailedDelivery(t *testing.T) {
	res := &fakeResident{deliveries: sampleDeliveries()}
	j := newTestJournal(t, res)
	j.tabs.SelectIndex(1)
	j.delivTable.Select(widget.TableCellID{Row: 0, Col: 2}) // delivered
	if !j.retry.Disabled() {
		t.Error("Send again is offered for a delivered URL")
	}
	j.delivTable.Select(widget.TableCellID{Row: 2, Col: 2}) // failed 503
	if j.retry.Disabled() {
		t.Fatal("Send again is not offered for a failed URL")
	}
	if !strings.Contains(j.delivNote.Text, "HTTP 503") {
		t.Errorf("note does not explain the failure: %q", j.delivNote.Text)
	}
	test.Tap(j.retry)
	if len(res.retried) != 1 || res.retried[0] != "d1" {
		t.Fatalf("retried %q", res.retried)
	}
	if got, _ := deliveryResult(j.deliveries[2]); got != "delivered (HTTP 200)" {
		t.Errorf("after the retry the log shows %q", got)
	}
}

func TestJournalDeliveryResults(t *testing.T) {
	tests := []struct {
		d    Delivery
		want string
	}{
		{Delivery{Pending: true}, "waiting to be sent"},
		{Delivery{Pending: true, Attempts: 2, Status: 503}, "not yet, trying again"},
		{Delivery{Status: 204}, "delivered (HTTP 204)"},
		{Delivery{Browser: true}, "opened in the browser"},
		{Delivery{Failed: true, Status: 500, Err: errors.New("server error")}, "failed (HTTP 500)"},
		{Delivery{Failed: true, Err: errors.New("connection refused")}, "failed"},
		{Delivery{Failed: true, Browser: true, Err: errors.New("no browser")}, "failed"},
	}
	for _, tt := range tests {
		if got, _ := deliveryResult(tt.d); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestJournalSaysWhenItCannotLoad(t *testing.T) {
	j := newTestJournal(t, &fakeResident{callsErr: errors.New("dialbridge is not running")})
	if want := "The journal could not be loaded: dialbridge is not running"; j.callsNote.Text != want {
		t.Errorf("note = %q, want %q", j.callsNote.Text, want)
	}
}

func TestJournalMarkup(t *testing.T) {
	j := newTestJournal(t, &fakeResident{calls: sampleCalls(), deliveries: sampleDeliveries()})
	assertMarkup(t, "journal_calls.xml", j.Window())
	j.tabs.SelectIndex(1)
	assertMarkup(t, "journal_deliveries.xml", j.Window())
}

// TestJournalSaysWhyADeliveryFailedInThePersonsLanguage: the failed
// delivery, selected, shows its URL and why it failed; the reason is the
// sentence the resident kept, worded in the person's language.
func TestJournalSaysWhyADeliveryFailedInThePersonsLanguage(t *testing.T) {
	const url = "https://crm.example/call?nr=%2B4940998877&name=Hamburg+Office"
	for _, tc := range []struct {
		language, want, golden string
	}{
		{"en", url + "\ngave up after 3 attempts: crm.example answered HTTP 503 (Service Unavailable)",
			"journal_deliveries_reason.xml"},
		{"de", url + "\nnach 3 Versuchen aufgegeben: crm.example hat mit HTTP 503 (Service Unavailable) geantwortet",
			"journal_deliveries_reason_de.xml"},
	} {
		t.Run(tc.language, func(t *testing.T) {
			useLanguage(t, tc.language)
			j := newTestJournal(t, &fakeResident{calls: sampleCalls(), deliveries: sampleDeliveries()})
			j.tabs.SelectIndex(1)
			j.delivTable.Select(widget.TableCellID{Row: 2, Col: 2}) // failed 503
			if got := j.delivNote.Text; got != tc.want {
				t.Errorf("the note reads %q\nwant %q", got, tc.want)
			}
			settle(j.Window())
			assertMarkup(t, tc.golden, j.Window())
		})
	}
}
