// Package tray is the resident's tray icon and menu. The Model decides
// everything a person sees in the tray (icon, tooltip, every item's label,
// enabled and visible state, the recent calls) from plain inputs and turns
// clicks into Events; the View (systray.go) only mirrors Menu snapshots onto
// fyne.io/systray. Keeping the two apart lets table tests cover the menu
// without a desktop, and keeps Fyne's driver, which ticks all day, out of the
// resident: only fyne.io/fyne/v2/lang is used here, for the words. ui/trayapp
// feeds the model and carries out its Events.
package tray

import (
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// RecentSlots is how many recent calls the menu lists.
const RecentSlots = 10

// PhoneState is how the paired phone is doing, as far as the tray knows.
type PhoneState int

// The phone states.
const (
	// PhoneNotPaired: no phone is configured yet.
	PhoneNotPaired PhoneState = iota
	// PhoneReady: the phone answered the last time it was asked.
	PhoneReady
	// PhoneUnreachable: the phone did not answer; calls cannot be placed.
	PhoneUnreachable
)

// Phone describes the paired phone for the menu.
type Phone struct {
	State PhoneState
	// Name is how the person knows the phone, e.g. "snom at 192.0.2.10".
	// Empty for the demo phone, which has a translated name.
	Name string
	// Demo marks the built-in simulated phone: the menu offers to simulate
	// an incoming call.
	Demo bool
	// Caps is what the phone's driver can do; call items it cannot do are
	// hidden.
	Caps phone.Capability
	// DND is the phone's do not disturb as far as it is known (the check
	// mark of the "Do not disturb" item).
	DND bool
	// Forward is the number the phone forwards every call to, "" while it
	// does not (as far as dialbridge switched it).
	Forward string
}

// Clipboard is what the clipboard holds, as the menu shows it.
type Clipboard struct {
	// Read: the clipboard was read. Until then (and on desktops that do not
	// say when the menu opens) the item offers to dial whatever the
	// clipboard holds when clicked.
	Read bool
	// Text is the clipboard's text, trimmed; Dial what the dialing rules
	// make of it ("" when it is no phone number).
	Text, Dial string
	// Blocked: the number is on the blocked list (premium rate ...).
	Blocked bool
	// Unreadable: the clipboard could not be read at all (no clipboard
	// tool on this desktop); Text and Dial are then empty.
	Unreadable bool
}

// Model is the tray's state behind one mutex. Inputs come from the
// resident (call events, phone status, clipboard); outputs are Menu
// snapshots, a signal on Changed whenever a snapshot would differ, and
// Events from Click.
type Model struct {
	// L looks up the words (lang.L in the program).
	L func(key string, data ...any) string
	// Now is the clock, for "today" and "yesterday" in recent calls.
	Now func() time.Time

	mu      sync.Mutex
	phone   Phone
	active  []phone.Call // newest first
	recent  []phone.Call // newest first, at most RecentSlots
	clip    Clipboard
	changed chan struct{}
}

// NewModel returns a model with no phone, no calls and an unread
// clipboard, using lang.L and the real clock.
func NewModel() *Model {
	return &Model{L: lang.L, Now: time.Now, changed: make(chan struct{}, 1)}
}

// Changed receives a value (coalesced) after any input changed the model:
// the view then takes a new Menu snapshot.
func (m *Model) Changed() <-chan struct{} { return m.changed }

func (m *Model) notify() {
	select {
	case m.changed <- struct{}{}:
	default:
	}
}

// SetPhone records the phone's state.
func (m *Model) SetPhone(p Phone) { setChanged(m, &m.phone, p) }

// PhoneStatus returns what SetPhone last recorded.
func (m *Model) PhoneStatus() Phone {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.phone
}

// SetClipboard records what the clipboard holds.
func (m *Model) SetClipboard(c Clipboard) { setChanged(m, &m.clip, c) }

// setChanged stores v in the model's *field and tells the view only when
// it differs from what was there: the phone is checked every 30 s and the
// clipboard read each time the menu opens, and only a change is worth
// rebuilding the translated menu for, while the resident waits.
func setChanged[T comparable](m *Model, field *T, v T) {
	m.mu.Lock()
	same := *field == v
	*field = v
	m.mu.Unlock()
	if !same {
		m.notify()
	}
}

// HandleCall folds a call event into the model: active calls are tracked
// for the icon and the call items; ended calls go to the recent list.
func (m *Model) HandleCall(ev phone.CallEvent) {
	m.mu.Lock()
	c := ev.Call
	m.active = without(m.active, c)
	if c.Active() {
		m.active = append([]phone.Call{c}, m.active...)
	} else {
		m.recent = addRecent(m.recent, c)
	}
	m.mu.Unlock()
	m.notify()
}

// LoadRecent adds calls from before this run (the journal remembers them
// across restarts) to the recent list, newest first by creation time. Calls
// the model already knows from events keep their newer state.
func (m *Model) LoadRecent(calls []phone.Call) {
	m.mu.Lock()
	merged := append([]phone.Call(nil), m.recent...)
	for _, c := range calls {
		if c.Active() || slices.ContainsFunc(merged, func(x phone.Call) bool { return sameCall(x, c) }) {
			continue
		}
		merged = append(merged, c)
	}
	slices.SortStableFunc(merged, func(a, b phone.Call) int { return b.Created.Compare(a.Created) })
	m.recent = merged[:min(len(merged), RecentSlots)]
	m.mu.Unlock()
	m.notify()
}

// sameCall matches calls by GUID, or by the phone's id when one has no GUID.
func sameCall(a, b phone.Call) bool {
	if a.GUID != "" && b.GUID != "" {
		return a.GUID == b.GUID
	}
	return a.ID == b.ID
}

func without(calls []phone.Call, c phone.Call) []phone.Call {
	out := calls[:0:0]
	for _, x := range calls {
		if !sameCall(x, c) {
			out = append(out, x)
		}
	}
	return out
}

func addRecent(recent []phone.Call, c phone.Call) []phone.Call {
	out := append([]phone.Call{c}, without(recent, c)...)
	return out[:min(len(out), RecentSlots)]
}

// current is the call the call items act on: a ringing inbound call first,
// then a connected one, then one being dialed, then one on hold.
func current(active []phone.Call) (phone.Call, bool) {
	rank := func(c phone.Call) int {
		switch {
		case c.Direction == phone.Inbound && c.Connected.IsZero():
			return 0
		case !c.Connected.IsZero() && !c.OnHold:
			return 1
		case c.Connected.IsZero():
			return 2
		default:
			return 3
		}
	}
	best, ok := phone.Call{}, false
	for _, c := range active {
		if !ok || rank(c) < rank(best) {
			best, ok = c, true
		}
	}
	return best, ok
}

// ItemID names one item of the tray menu. The menu's shape is fixed; items
// are shown, hidden, enabled and relabelled as the state changes.
type ItemID int

// The menu items, in menu order. Recent call slots are ItemRecentFirst+i.
const (
	ItemStatus ItemID = iota + 1
	ItemCall
	ItemAnswer
	ItemHangup
	ItemHoldResume
	ItemTransfer
	ItemDial
	ItemDialClipboard
	ItemRecent
	ItemSimulate
	ItemJournal
	ItemSettings
	ItemPair
	ItemAbout
	ItemQuit
	// The items of the calls the phone can do more with: tones, attended
	// transfer, conference, and do not disturb.
	ItemTones
	ItemConsult
	ItemConference
	ItemDND
	// ItemWhatsWrong stands right under the status while the phone is
	// offline: the checks of dialbridge doctor in a window.
	ItemWhatsWrong
	// ItemForward switches the phone's call forwarding: on through the
	// dial pad asking for the number, off with a click.
	ItemForward
	// ItemRecentFirst is the first of RecentSlots recent call items.
	ItemRecentFirst ItemID = 100
)

// Separator marks where the view puts a separator line.
const Separator ItemID = -1

// Item is one menu entry as it should look now.
type Item struct {
	ID      ItemID
	Label   string
	Enabled bool
	Visible bool
	// Checkable items show a check mark when Checked.
	Checkable, Checked bool
	// Children is the submenu (Recent calls).
	Children []Item
}

// Menu is a snapshot of everything the tray shows.
type Menu struct {
	Icon    assets.TrayIcon
	Tooltip string
	Items   []Item
}

// Menu takes a snapshot of the tray as it should look now.
func (m *Model) Menu() Menu {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.menuLocked()
}

func (m *Model) menuLocked() Menu {
	L := m.L
	p := m.phone
	call, inCall := current(m.active)
	paired := p.State != PhoneNotPaired

	menu := Menu{Icon: m.icon(), Tooltip: "dialbridge – " + m.statusLabel()}
	if inCall {
		menu.Tooltip = "dialbridge – " + m.callLabel(call)
	}
	add := func(it Item) { menu.Items = append(menu.Items, it) }
	sep := func() { add(Item{ID: Separator, Visible: true}) }

	add(Item{ID: ItemStatus, Label: m.statusLabel(), Visible: true})
	offline := p.State == PhoneUnreachable
	add(Item{ID: ItemWhatsWrong, Label: L("What's wrong?"), Visible: offline, Enabled: offline})
	// The call section: only while a call lasts, and only what the phone
	// can do; items that do not fit the call's state are greyed out.
	ringing := inCall && call.Direction == phone.Inbound && call.Connected.IsZero()
	connected := inCall && !call.Connected.IsZero()
	callLabel := ""
	if inCall {
		callLabel = m.callLabel(call)
	}
	add(Item{ID: ItemCall, Label: callLabel, Visible: inCall})
	add(Item{ID: ItemAnswer, Label: L("Answer"), Visible: inCall && p.Caps.Has(phone.CanAnswer), Enabled: ringing})
	hangup := L("Hang up")
	if ringing {
		hangup = L("Reject")
	}
	add(Item{ID: ItemHangup, Label: hangup, Visible: inCall && p.Caps.Has(phone.CanHangup), Enabled: inCall})
	if call.OnHold {
		add(Item{ID: ItemHoldResume, Label: L("Resume"), Visible: inCall && p.Caps.Has(phone.CanResume), Enabled: connected})
	} else {
		add(Item{ID: ItemHoldResume, Label: L("Hold"), Visible: inCall && p.Caps.Has(phone.CanHold), Enabled: connected})
	}
	add(Item{ID: ItemTransfer, Label: L("Transfer…"), Visible: inCall && p.Caps.Has(phone.CanTransfer), Enabled: connected})
	talking := connected && !call.OnHold
	add(Item{ID: ItemTones, Label: L("Send tones…"), Visible: inCall && p.Caps.Has(phone.CanDTMF), Enabled: talking})
	add(Item{ID: ItemConsult, Label: L("Consult and transfer…"), Visible: inCall && p.Caps.Has(phone.CanConsult), Enabled: talking})
	add(Item{ID: ItemConference, Label: L("Conference"), Visible: inCall && p.Caps.Has(phone.CanConference), Enabled: talking && m.heldBeside(call)})
	sep()

	add(Item{ID: ItemDial, Label: L("Dial…"), Visible: true, Enabled: paired})
	add(m.clipboardItem(paired))
	// With no calls the item says so and stays shut: an empty submenu
	// looks broken.
	recent := Item{ID: ItemRecent, Label: L("Recent calls"), Visible: true, Enabled: len(m.recent) > 0}
	if len(m.recent) == 0 {
		recent.Label = L("No calls yet")
	}
	for i := 0; i < RecentSlots; i++ {
		it := Item{ID: ItemRecentFirst + ItemID(i)}
		if i < len(m.recent) {
			c := m.recent[i]
			it.Label = m.recentLabel(c)
			it.Visible = true
			it.Enabled = paired && c.Remote != ""
		}
		recent.Children = append(recent.Children, it)
	}
	add(recent)
	sep()

	add(Item{ID: ItemDND, Label: L("Do not disturb"), Visible: paired && p.Caps.Has(phone.CanDND), Enabled: paired, Checkable: true, Checked: p.DND})
	add(m.forwardItem(paired))
	add(Item{ID: ItemSimulate, Label: L("Simulate incoming call"), Visible: p.Demo, Enabled: p.Demo})
	add(Item{ID: ItemJournal, Label: L("Journal…"), Visible: true, Enabled: true})
	add(Item{ID: ItemSettings, Label: L("Settings…"), Visible: true, Enabled: true})
	add(Item{ID: ItemPair, Label: L("Pair a phone…"), Visible: true, Enabled: true})
	add(Item{ID: ItemAbout, Label: L("About dialbridge"), Visible: true, Enabled: true})
	sep()
	add(Item{ID: ItemQuit, Label: L("Quit"), Visible: true, Enabled: true})
	return menu
}

// forwardItem offers to forward the phone's calls, or, while it does,
// shows where to (checked) and switches it off when clicked.
func (m *Model) forwardItem(paired bool) Item {
	p := m.phone
	it := Item{ID: ItemForward, Label: m.L("Forward calls…"), Visible: paired && p.Caps.Has(phone.CanForward), Enabled: paired, Checkable: true}
	if p.Forward != "" {
		it.Checked = true
		it.Label = m.L("Calls forwarded to {{.Number}}", map[string]any{"Number": display.Name(p.Forward)})
	}
	return it
}

// heldBeside reports whether another call than c is on hold: the call a
// conference joins c with.
func (m *Model) heldBeside(c phone.Call) bool {
	for _, o := range m.active {
		if o.OnHold && !sameCall(o, c) {
			return true
		}
	}
	return false
}

// icon picks the tray picture: offline beats everything, then ringing,
// then a call in progress, then hold.
func (m *Model) icon() assets.TrayIcon {
	if m.phone.State != PhoneReady {
		return assets.TrayOffline
	}
	c, ok := current(m.active)
	switch {
	case !ok:
		return assets.TrayIdle
	case c.Direction == phone.Inbound && c.Connected.IsZero():
		return assets.TrayRinging
	case c.OnHold:
		return assets.TrayOnHold
	default:
		return assets.TrayInCall
	}
}

func (m *Model) phoneName() string {
	if m.phone.Demo || m.phone.Name == "" {
		return m.L("The simulated phone")
	}
	return display.Name(m.phone.Name)
}

func (m *Model) statusLabel() string {
	switch m.phone.State {
	case PhoneNotPaired:
		return m.L("No phone paired")
	case PhoneUnreachable:
		return m.L("{{.Phone}} cannot be reached", map[string]any{"Phone": m.phoneName()})
	default:
		return m.L("{{.Phone}} is ready", map[string]any{"Phone": m.phoneName()})
	}
}

func (m *Model) callLabel(c phone.Call) string {
	data := map[string]any{"Who": m.who(c)}
	switch {
	case c.Direction == phone.Inbound && c.Connected.IsZero():
		return m.L("Incoming call from {{.Who}}", data)
	case c.Connected.IsZero():
		return m.L("Calling {{.Who}}", data)
	case c.OnHold:
		return m.L("On hold: {{.Who}}", data)
	default:
		return m.L("In a call with {{.Who}}", data)
	}
}

func (m *Model) clipboardItem(paired bool) Item {
	it := Item{ID: ItemDialClipboard, Visible: true}
	c := m.clip
	switch {
	case c.Unreadable:
		it.Label = m.L("The clipboard cannot be read")
	case !c.Read:
		it.Label = m.L("Dial number from clipboard")
		it.Enabled = paired
	case c.Dial == "":
		it.Label = m.L("No phone number in the clipboard")
	case c.Blocked:
		it.Label = m.L("Clipboard: {{.Number}} is blocked", map[string]any{"Number": display.Name(c.Dial)})
	default:
		it.Label = m.L("Dial {{.Number}} from clipboard", map[string]any{"Number": display.Name(c.Dial)})
		it.Enabled = paired
	}
	return it
}

// Who names the other party of a call for a person, as display.Party
// does. L looks up the words (lang.L).
func Who(L func(string, ...any) string, c phone.Call) string {
	return display.Party(c.RemoteAlias, c.Remote, L("unknown caller"))
}

func (m *Model) who(c phone.Call) string { return Who(m.L, c) }

func (m *Model) recentLabel(c phone.Call) string {
	data := map[string]any{"Who": m.who(c), "When": m.when(c.Created)}
	switch {
	case c.Missed():
		return m.L("Missed: {{.Who}}, {{.When}}", data)
	case c.Direction == phone.Inbound:
		return m.L("From {{.Who}}, {{.When}}", data)
	default:
		return m.L("To {{.Who}}, {{.When}}", data)
	}
}

// When formats a call's time the short way, as seen at now: the time of
// day today, "yesterday" with it the day before, the date before that. The
// Go time layouts themselves are translated ("3:04 PM" in English, "15:04"
// in German).
func When(L func(string, ...any) string, t, now time.Time) string {
	t = t.In(now.Location())
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, now.Location())
	day := time.Date(y2, m2, d2, 0, 0, 0, 0, now.Location())
	clock := t.Format(L("3:04 PM"))
	switch {
	case day.Equal(today):
		return clock
	case day.Equal(today.AddDate(0, 0, -1)):
		return L("yesterday {{.Time}}", map[string]any{"Time": clock})
	default:
		return t.Format(L("Jan 2")) + " " + clock
	}
}

func (m *Model) when(t time.Time) string { return When(m.L, t, m.Now()) }

// callItems act on the call the call items show (current): the event
// carries it.
var callItems = map[ItemID]EventKind{
	ItemAnswer:     EventAnswer,
	ItemHangup:     EventHangup,
	ItemTransfer:   EventTransfer,
	ItemTones:      EventTones,
	ItemConsult:    EventConsult,
	ItemConference: EventConference,
}

// plainItems need nothing but the click: they open a window or quit.
var plainItems = map[ItemID]EventKind{
	ItemDial:       EventDial,
	ItemSimulate:   EventSimulateIncoming,
	ItemJournal:    EventJournal,
	ItemSettings:   EventSettings,
	ItemPair:       EventPair,
	ItemWhatsWrong: EventWhatsWrong,
	ItemAbout:      EventAbout,
	ItemQuit:       EventQuit,
}

// Click turns a click on item id into an Event, using the state the menu
// showed. A click that no longer fits (the call ended meanwhile, the item
// is disabled) gives no event.
func (m *Model) Click(id ItemID) (Event, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := find(m.menuLocked().Items, id)
	if !ok || !it.Visible || !it.Enabled {
		return Event{}, false
	}
	call, _ := current(m.active)
	if kind, ok := callItems[id]; ok {
		return Event{Kind: kind, Call: call}, true
	}
	if kind, ok := plainItems[id]; ok {
		return Event{Kind: kind}, true
	}
	switch id {
	case ItemHoldResume:
		if call.OnHold {
			return Event{Kind: EventResume, Call: call}, true
		}
		return Event{Kind: EventHold, Call: call}, true
	case ItemDND:
		return Event{Kind: EventDND, On: !m.phone.DND}, true
	case ItemForward:
		return Event{Kind: EventForward, On: m.phone.Forward == ""}, true
	case ItemDialClipboard:
		return Event{Kind: EventDialClipboard, Number: m.clip.Text}, true
	}
	if i := int(id - ItemRecentFirst); i >= 0 && i < len(m.recent) {
		c := m.recent[i]
		return Event{Kind: EventCallBack, Number: c.Remote, Call: c}, true
	}
	return Event{}, false
}

func find(items []Item, id ItemID) (Item, bool) {
	for _, it := range items {
		if it.ID == id && id != Separator {
			return it, true
		}
		if c, ok := find(it.Children, id); ok {
			return c, true
		}
	}
	return Item{}, false
}
