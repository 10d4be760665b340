package tray

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

func TestMain(m *testing.M) {
	// The words come from the environment's locale: pin English.
	os.Setenv("LC_ALL", "en_US.UTF-8")
	os.Setenv("LANGUAGE", "")
	if err := i18n.Load(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// useLocale switches lang's localizer for one test (lang re-reads the
// environment whenever translations are added).
func useLocale(t *testing.T, locale string) {
	t.Helper()
	t.Setenv("LC_ALL", locale)
	if err := lang.AddTranslationsFS(i18n.Files(), "translations"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Setenv("LC_ALL", "en_US.UTF-8")
		_ = lang.AddTranslationsFS(i18n.Files(), "translations")
	})
}

var now = time.Date(2026, 3, 25, 10, 34, 22, 0, time.UTC)

func newTestModel() *Model {
	m := NewModel()
	m.Now = func() time.Time { return now }
	return m
}

const allCaps = phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume | phone.CanTransfer | phone.CanDTMF |
	phone.CanConsult | phone.CanConference | phone.CanDND | phone.CanForward

var ready = Phone{State: PhoneReady, Name: "snom at 192.0.2.10", Caps: allCaps}

func ringing(id string) phone.Call {
	return phone.Call{ID: id, GUID: "g-" + id, Direction: phone.Inbound, Remote: "+49301234567", RemoteAlias: "Anna Muster", Created: now.Add(-time.Minute)}
}

func connected(c phone.Call) phone.Call {
	c.Connected = c.Created.Add(5 * time.Second)
	return c
}

func held(c phone.Call) phone.Call {
	c.OnHold = true
	return c
}

func ended(c phone.Call) phone.Call {
	c.Disconnected = c.Created.Add(30 * time.Second)
	return c
}

func dialing(id, nr string) phone.Call {
	return phone.Call{ID: id, GUID: "g-" + id, Direction: phone.Outbound, Remote: nr, Created: now.Add(-10 * time.Second)}
}

// itemState is what the tests look at for one item.
type itemState struct {
	Label   string
	Enabled bool
	Visible bool
}

func items(menu Menu) map[ItemID]itemState {
	out := map[ItemID]itemState{}
	var walk func([]Item)
	walk = func(its []Item) {
		for _, it := range its {
			if it.ID != Separator {
				out[it.ID] = itemState{it.Label, it.Enabled, it.Visible}
			}
			walk(it.Children)
		}
	}
	walk(menu.Items)
	return out
}

func TestMenu(t *testing.T) {
	hidden := itemState{}
	tests := []struct {
		name     string
		phone    Phone
		events   []phone.Call // fed in order as call events
		clip     Clipboard
		wantIcon assets.TrayIcon
		want     map[ItemID]itemState
	}{
		{
			name:     "not paired",
			phone:    Phone{State: PhoneNotPaired},
			wantIcon: assets.TrayOffline,
			want: map[ItemID]itemState{
				ItemStatus:        {"No phone paired", false, true},
				ItemCall:          hidden,
				ItemAnswer:        hidden,
				ItemDial:          {"Dial…", false, true},
				ItemDialClipboard: {"Dial number from clipboard", false, true},
				ItemAbout:         {"About dialbridge", true, true},
				ItemRecent:        {"No calls yet", false, true},
				ItemSimulate:      {"Simulate incoming call", false, false},
				ItemPair:          {"Pair a phone…", true, true},
				ItemSettings:      {"Settings…", true, true},
				ItemQuit:          {"Quit", true, true},
			},
		},
		{
			name:     "idle demo phone",
			phone:    Phone{State: PhoneReady, Demo: true, Caps: allCaps},
			wantIcon: assets.TrayIdle,
			want: map[ItemID]itemState{
				ItemStatus:     {"The simulated phone is ready", false, true},
				ItemWhatsWrong: hidden,
				ItemCall:       hidden,
				ItemHangup:     {"Hang up", false, false},
				ItemDial:       {"Dial…", true, true},
				ItemSimulate:   {"Simulate incoming call", true, true},
				ItemJournal:    {"Journal…", true, true},
				ItemAbout:      {"About dialbridge", true, true},
			},
		},
		{
			name:     "unreachable",
			phone:    Phone{State: PhoneUnreachable, Name: "snom at 192.0.2.10", Caps: allCaps},
			wantIcon: assets.TrayOffline,
			want: map[ItemID]itemState{
				ItemStatus:     {"snom at 192.0.2.10 cannot be reached", false, true},
				ItemWhatsWrong: {"What's wrong?", true, true},
				ItemDial:       {"Dial…", true, true},
			},
		},
		{
			name:     "ringing",
			phone:    ready,
			events:   []phone.Call{ringing("1")},
			wantIcon: assets.TrayRinging,
			want: map[ItemID]itemState{
				ItemCall:       {"Incoming call from Anna Muster (+49301234567)", false, true},
				ItemAnswer:     {"Answer", true, true},
				ItemHangup:     {"Reject", true, true},
				ItemHoldResume: {"Hold", false, true},
				ItemTransfer:   {"Transfer…", false, true},
			},
		},
		{
			name:     "ringing on a phone that can only hang up",
			phone:    Phone{State: PhoneReady, Name: "x", Caps: phone.CanDial | phone.CanHangup},
			events:   []phone.Call{ringing("1")},
			wantIcon: assets.TrayRinging,
			want: map[ItemID]itemState{
				ItemAnswer:     {"Answer", true, false},
				ItemHangup:     {"Reject", true, true},
				ItemHoldResume: {"Hold", false, false},
				ItemTransfer:   {"Transfer…", false, false},
			},
		},
		{
			name:     "connected",
			phone:    ready,
			events:   []phone.Call{ringing("1"), connected(ringing("1"))},
			wantIcon: assets.TrayInCall,
			want: map[ItemID]itemState{
				ItemCall:       {"In a call with Anna Muster (+49301234567)", false, true},
				ItemAnswer:     {"Answer", false, true},
				ItemHangup:     {"Hang up", true, true},
				ItemHoldResume: {"Hold", true, true},
				ItemTransfer:   {"Transfer…", true, true},
			},
		},
		{
			name:     "on hold",
			phone:    ready,
			events:   []phone.Call{held(connected(ringing("1")))},
			wantIcon: assets.TrayOnHold,
			want: map[ItemID]itemState{
				ItemCall:       {"On hold: Anna Muster (+49301234567)", false, true},
				ItemHoldResume: {"Resume", true, true},
			},
		},
		{
			name:     "dialing out",
			phone:    ready,
			events:   []phone.Call{dialing("2", "030 1234")},
			wantIcon: assets.TrayInCall,
			want: map[ItemID]itemState{
				ItemCall:       {"Calling 030 1234", false, true},
				ItemAnswer:     {"Answer", false, true},
				ItemHangup:     {"Hang up", true, true},
				ItemHoldResume: {"Hold", false, true},
			},
		},
		{
			name:     "a second call rings while one is held",
			phone:    ready,
			events:   []phone.Call{held(connected(ringing("1"))), {ID: "3", Direction: phone.Inbound, Remote: "0401111", Created: now}},
			wantIcon: assets.TrayRinging,
			want: map[ItemID]itemState{
				ItemCall:   {"Incoming call from 0401111", false, true},
				ItemAnswer: {"Answer", true, true},
			},
		},
		{
			name:     "missed call goes to recent calls, newest first",
			phone:    ready,
			events:   []phone.Call{ended(connected(dialing("2", "030 1234"))), ringing("1"), ended(ringing("1"))},
			wantIcon: assets.TrayIdle,
			want: map[ItemID]itemState{
				ItemCall:            hidden,
				ItemRecent:          {"Recent calls", true, true},
				ItemRecentFirst:     {"Missed: Anna Muster (+49301234567), 10:33 AM", true, true},
				ItemRecentFirst + 1: {"To 030 1234, 10:34 AM", true, true},
				ItemRecentFirst + 2: hidden,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMenu(t, modelWith(tt.phone, tt.clip, tt.events...).Menu(), tt.wantIcon, tt.want)
		})
	}
}

// TestClipboardItemSaysWhatAClickDials reads the clipboard item beside a
// ready phone for each thing the clipboard can hold: what a click dials,
// or why it dials nothing.
func TestClipboardItemSaysWhatAClickDials(t *testing.T) {
	tests := []struct {
		name string
		clip Clipboard
		want itemState
	}{
		{"a number", Clipboard{Read: true, Text: "Tel. 030/1234-56", Dial: "030123456"}, itemState{"Dial 030123456 from clipboard", true, true}},
		{"a blocked number", Clipboard{Read: true, Text: "0900 123456", Dial: "0900123456", Blocked: true}, itemState{"Clipboard: 0900123456 is blocked", false, true}},
		{"text", Clipboard{Read: true, Text: "hello"}, itemState{"No phone number in the clipboard", false, true}},
		{"nothing", Clipboard{Read: true}, itemState{"No phone number in the clipboard", false, true}},
		{"not read yet", Clipboard{}, itemState{"Dial number from clipboard", true, true}},
		{"no clipboard tool", Clipboard{Unreadable: true}, itemState{"The clipboard cannot be read", false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMenu(t, modelWith(ready, tt.clip).Menu(), assets.TrayIdle, map[ItemID]itemState{ItemDialClipboard: tt.want})
		})
	}
}

// modelWith is a model that was told of the phone p, the clipboard clip
// and the call events, in this order.
func modelWith(p Phone, clip Clipboard, calls ...phone.Call) *Model {
	m := newTestModel()
	m.SetPhone(p)
	m.SetClipboard(clip)
	for _, c := range calls {
		m.HandleCall(phone.CallEvent{Call: c, At: now})
	}
	return m
}

// checkMenu compares the menu's icon and the items named in want; an item
// wanted hidden (the zero itemState) is compared by its hiddenness alone,
// as a hidden item keeps its words.
func checkMenu(t *testing.T, menu Menu, wantIcon assets.TrayIcon, want map[ItemID]itemState) {
	t.Helper()
	if menu.Icon != wantIcon {
		t.Errorf("icon %q, want %q", menu.Icon, wantIcon)
	}
	got := items(menu)
	for id, w := range want {
		g := got[id]
		if w == (itemState{}) {
			g = itemState{Visible: g.Visible}
		}
		if g != w {
			t.Errorf("item %d = %+v, want %+v", id, g, w)
		}
	}
}

func TestRecentCallsAreBounded(t *testing.T) {
	m := newTestModel()
	m.SetPhone(ready)
	for i := range RecentSlots + 5 {
		c := ended(dialing(fmt.Sprint(i), fmt.Sprintf("0301%03d", i)))
		m.HandleCall(phone.CallEvent{Call: c})
	}
	got := items(m.Menu())
	if l := got[ItemRecentFirst].Label; !strings.Contains(l, fmt.Sprintf("0301%03d", RecentSlots+4)) {
		t.Errorf("first recent call %q, want the newest", l)
	}
	if l := got[ItemRecentFirst+RecentSlots-1].Label; !strings.Contains(l, "0301005") {
		t.Errorf("last recent call %q, want the 10th newest", l)
	}
	if _, ok := got[ItemRecentFirst+RecentSlots]; ok {
		t.Error("more recent call slots than RecentSlots")
	}
}

func TestLoadRecentMerges(t *testing.T) {
	m := newTestModel()
	m.SetPhone(ready)
	fresh := ended(dialing("1", "111"))
	fresh.Created = now
	m.HandleCall(phone.CallEvent{Call: fresh})
	stale := fresh
	stale.Remote = "stale copy"
	older := ended(ringing("9"))
	m.LoadRecent([]phone.Call{stale, older, ringing("still active")})
	got := items(m.Menu())
	want := []string{"To 111, 10:34 AM", "Missed: Anna Muster (+49301234567), 10:33 AM"}
	for i, w := range want {
		if l := got[ItemRecentFirst+ItemID(i)].Label; l != w {
			t.Errorf("recent call %d = %q, want %q", i, l, w)
		}
	}
	if got[ItemRecentFirst+2].Visible {
		t.Error("an active call was loaded as a recent one")
	}
}

func TestWhen(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{now.Add(-time.Hour), "9:34 AM"},
		{now.Add(-24 * time.Hour), "yesterday 10:34 AM"},
		{now.Add(-72 * time.Hour), "Mar 22 10:34 AM"},
	}
	m := newTestModel()
	for _, tt := range tests {
		if got := m.when(tt.at); got != tt.want {
			t.Errorf("when(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
}

// TestHostileCallersShowAsText puts every name of the hostile corpus into
// the recent calls and reads the labels back as dbusmenu shows them: the
// name's own characters (display.Name), never an access key, a second
// line or a reordered number.
func TestHostileCallersShowAsText(t *testing.T) {
	corpus := displaytest.Load(t)
	for _, name := range corpus {
		m := newTestModel()
		m.SetPhone(ready)
		c := ended(ringing("1"))
		c.RemoteAlias = name
		m.HandleCall(phone.CallEvent{Action: phone.ActionDisconnected, Call: c})
		label := items(m.Menu())[ItemRecentFirst].Label
		who := "+49301234567"
		if n := display.Name(name); n != "" {
			who = n + " (" + who + ")"
		}
		if want := "Missed: " + who + ", 10:33 AM"; label != want {
			t.Errorf("%.40q: the recent call reads %q, want %q", name, label, want)
		}
		if got := strings.ReplaceAll(menuText(label), "__", "_"); got != label || strings.ContainsAny(label, "\r\n\x00\u202e") {
			t.Errorf("%.40q: the menu shows %q for %q", name, menuText(label), label)
		}
	}
}

func TestWhatsWrongOpensTheChecksWhileThePhoneIsOffline(t *testing.T) {
	m := newTestModel()
	m.SetPhone(Phone{State: PhoneUnreachable, Name: "snom at 192.0.2.10"})
	got, ok := m.Click(ItemWhatsWrong)
	if !ok || got.Kind != EventWhatsWrong {
		t.Errorf("Click = %+v, %v; want EventWhatsWrong", got, ok)
	}
}

func TestClick(t *testing.T) {
	call := connected(ringing("1"))
	tests := []struct {
		name   string
		calls  []phone.Call
		clip   Clipboard
		id     ItemID
		want   Event
		wantOK bool
	}{
		{"answer while ringing", []phone.Call{ringing("1")}, Clipboard{}, ItemAnswer, Event{Kind: EventAnswer, Call: ringing("1")}, true},
		{"answer when connected is disabled", []phone.Call{call}, Clipboard{}, ItemAnswer, Event{}, false},
		{"hold", []phone.Call{call}, Clipboard{}, ItemHoldResume, Event{Kind: EventHold, Call: call}, true},
		{"resume", []phone.Call{held(call)}, Clipboard{}, ItemHoldResume, Event{Kind: EventResume, Call: held(call)}, true},
		{"hang up", []phone.Call{call}, Clipboard{}, ItemHangup, Event{Kind: EventHangup, Call: call}, true},
		{"transfer", []phone.Call{call}, Clipboard{}, ItemTransfer, Event{Kind: EventTransfer, Call: call}, true},
		{"send tones", []phone.Call{call}, Clipboard{}, ItemTones, Event{Kind: EventTones, Call: call}, true},
		{"no tones to a held call", []phone.Call{held(call)}, Clipboard{}, ItemTones, Event{}, false},
		{"consult", []phone.Call{call}, Clipboard{}, ItemConsult, Event{Kind: EventConsult, Call: call}, true},
		{"conference with one call", []phone.Call{call}, Clipboard{}, ItemConference, Event{}, false},
		{"conference with a held call beside", []phone.Call{held(call), connected(dialing("2", "204"))}, Clipboard{}, ItemConference,
			Event{Kind: EventConference, Call: connected(dialing("2", "204"))}, true},
		{"do not disturb on", nil, Clipboard{}, ItemDND, Event{Kind: EventDND, On: true}, true},
		{"hang up after the call ended", []phone.Call{call, ended(call)}, Clipboard{}, ItemHangup, Event{}, false},
		{"call back", []phone.Call{ended(ringing("1"))}, Clipboard{}, ItemRecentFirst, Event{Kind: EventCallBack, Number: "+49301234567", Call: ended(ringing("1"))}, true},
		{"empty recent slot", nil, Clipboard{}, ItemRecentFirst, Event{}, false},
		{"dial clipboard", nil, Clipboard{Read: true, Text: "030 1234", Dial: "0301234"}, ItemDialClipboard, Event{Kind: EventDialClipboard, Number: "030 1234"}, true},
		{"dial clipboard not read yet", nil, Clipboard{}, ItemDialClipboard, Event{Kind: EventDialClipboard}, true},
		{"blocked clipboard", nil, Clipboard{Read: true, Text: "0900", Dial: "0900", Blocked: true}, ItemDialClipboard, Event{}, false},
		{"no number in the clipboard", nil, Clipboard{Read: true, Text: "hello"}, ItemDialClipboard, Event{}, false},
		{"dial", nil, Clipboard{}, ItemDial, Event{Kind: EventDial}, true},
		{"settings", nil, Clipboard{}, ItemSettings, Event{Kind: EventSettings}, true},
		{"journal", nil, Clipboard{}, ItemJournal, Event{Kind: EventJournal}, true},
		{"pair", nil, Clipboard{}, ItemPair, Event{Kind: EventPair}, true},
		{"about", nil, Clipboard{}, ItemAbout, Event{Kind: EventAbout}, true},
		{"quit", nil, Clipboard{}, ItemQuit, Event{Kind: EventQuit}, true},
		{"simulate is for the demo phone only", nil, Clipboard{}, ItemSimulate, Event{}, false},
		{"status line", nil, Clipboard{}, ItemStatus, Event{}, false},
		{"what's wrong is for an offline phone only", nil, Clipboard{}, ItemWhatsWrong, Event{}, false},
		{"separator", nil, Clipboard{}, Separator, Event{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := modelWith(ready, tt.clip, tt.calls...).Click(tt.id)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("Click(%d) = %+v, %v; want %+v, %v", tt.id, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestChangedCoalesces(t *testing.T) {
	m := newTestModel()
	m.SetPhone(ready)
	m.SetPhone(ready)
	m.HandleCall(phone.CallEvent{Call: ringing("1")})
	<-m.Changed()
	select {
	case <-m.Changed():
		t.Error("more than one pending change signal")
	default:
	}
	m.SetClipboard(Clipboard{})
	select {
	case <-m.Changed():
		t.Error("an unchanged clipboard signalled a change")
	default:
	}
}

func TestGerman(t *testing.T) {
	useLocale(t, "de_DE.UTF-8")
	m := modelWith(ready, Clipboard{}, ringing("1"))
	got := items(m.Menu())
	want := map[ItemID]string{
		ItemCall:   "Anruf von Anna Muster (+49301234567)",
		ItemAnswer: "Annehmen",
		ItemHangup: "Ablehnen",
		ItemQuit:   "Beenden",
		ItemAbout:  "Über dialbridge",
	}
	for id, w := range want {
		if got[id].Label != w {
			t.Errorf("item %d = %q, want %q", id, got[id].Label, w)
		}
	}
	if w := m.when(now.Add(-72 * time.Hour)); w != "22.3. 10:34" {
		t.Errorf("German date %q, want %q", w, "22.3. 10:34")
	}
}

// TestEveryWordIsTranslated drives the model through every state and
// checks that each word it looked up is in every language's files, so a
// new label cannot ship untranslated.
func TestEveryWordIsTranslated(t *testing.T) {
	used := map[string]bool{}
	m := newTestModel()
	m.L = func(key string, data ...any) string {
		used[key] = true
		return lang.L(key, data...)
	}
	phones := []Phone{{State: PhoneNotPaired}, {State: PhoneUnreachable, Name: "x"}, {State: PhoneReady, Demo: true, Caps: allCaps}}
	calls := []phone.Call{ringing("1"), connected(ringing("1")), held(connected(ringing("1"))), dialing("2", "1"), ended(ringing("1")), ended(connected(ringing("3"))), ended(dialing("4", "2")), {ID: "5"}, ended(phone.Call{ID: "6", Created: now.Add(-30 * time.Hour)}), ended(phone.Call{ID: "7", Created: now.Add(-90 * time.Hour)})}
	clips := []Clipboard{{}, {Unreadable: true}, {Read: true, Text: "x"}, {Read: true, Text: "1", Dial: "1"}, {Read: true, Text: "1", Dial: "1", Blocked: true}}
	for _, p := range phones {
		m.SetPhone(p)
		for _, c := range calls {
			m.HandleCall(phone.CallEvent{Call: c})
			m.Menu()
		}
		for _, c := range clips {
			m.SetClipboard(c)
			m.Menu()
		}
	}
	byLang := map[string]map[string]bool{}
	entries, err := i18n.Files().ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		parts := strings.Split(e.Name(), ".")
		data, err := i18n.Files().ReadFile("translations/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var words map[string]string
		if err := json.Unmarshal(data, &words); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		l := parts[len(parts)-2]
		if byLang[l] == nil {
			byLang[l] = map[string]bool{}
		}
		for k := range words {
			byLang[l][k] = true
		}
	}
	for _, l := range []string{"en", "de"} {
		var missing []string
		for k := range used {
			if !byLang[l][k] {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s lacks %q", l, missing)
		}
	}
	if len(used) < 30 {
		t.Errorf("only %d words looked up: the walk through the states is incomplete", len(used))
	}
}

// The phone is checked every 30 s: the same answer again must not wake
// the view to rebuild the menu; a different one must.
func TestSetPhoneSignalsOnlyChanges(t *testing.T) {
	m := newTestModel()
	drain := func() bool {
		select {
		case <-m.Changed():
			return true
		default:
			return false
		}
	}
	m.SetPhone(ready)
	if !drain() {
		t.Fatal("pairing a phone did not signal a change")
	}
	m.SetPhone(ready)
	if drain() {
		t.Error("the same phone state again signalled a change")
	}
	gone := ready
	gone.State = PhoneUnreachable
	m.SetPhone(gone)
	if !drain() {
		t.Error("the phone going away did not signal a change")
	}
}
