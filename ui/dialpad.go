package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// DialPadDeps is what the dial pad needs.
type DialPadDeps struct {
	Env
	// Resident dials and provides the journal for recent numbers.
	Resident Resident
	// Config gives the dialing rules for the live preview.
	Config ConfigStore
	// Number pre-fills the number field (e.g. from the command line).
	Number string
	// TransferCall, when set, turns the dial pad into the transfer window
	// of the tray's "Transfer…": the call in progress with this id (the
	// phone's call id or the journal's GUID) is handed over to the number
	// typed, and the window closes once the phone accepted. The typing,
	// the preview and the recent numbers work as for a dial, so that
	// choosing a colleague to transfer to feels like calling one.
	TransferCall string
	// Forward turns the dial pad into the window of the tray's "Forward
	// calls…": the phone forwards every incoming call to the number typed,
	// and the window closes once the phone accepted.
	Forward bool
	// WatchCalls is how often the pad asks the resident for a ringing call
	// to offer Answer and Reject; 0 never (tests call refreshIncoming).
	WatchCalls time.Duration
}

// DialPad is the window where the person types or pastes a number and sees,
// as they type, what the phone will dial (or, in transfer mode, where the
// call will go).
type DialPad struct {
	d      DialPadDeps
	window fyne.Window
	rules  dialplan.Rules

	number   *widget.Entry
	preview  *widget.Label
	dialBtn  *widget.Button
	line     *widget.Select
	lineBox  *fyne.Container
	lines    []Line
	status   *widget.Label
	recent   *widget.List
	frequent *widget.List
	// noRecent and noFrequent stand in for an empty list.
	noRecent, noFrequent *widget.Label
	// transferNote says which call is being transferred (transfer mode).
	transferNote *widget.Label
	// incoming offers Answer and Reject while a call rings.
	incoming *incomingBar

	recentNums   []numberUse
	frequentNums []numberUse
	dialing      bool
}

// numberUse is one number in the recent or frequent list.
type numberUse struct {
	Number, Name string
	Last         time.Time
	Count        int
}

// NewDialPad builds the dial pad window; call Window().Show() to show it.
func NewDialPad(a fyne.App, d DialPadDeps) *DialPad {
	p := &DialPad{d: d}
	title := lang.X("dialpad.title", "Dial a number")
	action := lang.X("dialpad.dial", "Dial")
	if p.transferring() {
		title = lang.X("dialpad.transfer.title", "Transfer the call")
		action = lang.X("dialpad.transfer", "Transfer")
	}
	if p.d.Forward {
		title = lang.X("dialpad.forward.title", "Forward calls")
		action = lang.X("dialpad.forward", "Forward")
	}
	p.window = a.NewWindow(title)

	p.number = entry("", lang.X("dialpad.number.placeholder", "Type or paste a number, e.g. +49 30 1234567"))
	p.number.OnChanged = func(string) { p.updatePreview() }
	p.number.OnSubmitted = func(string) { p.dial() }
	p.preview = wrapped("")
	p.dialBtn = widget.NewButtonWithIcon(action, theme.MailForwardIcon(), p.dial)
	p.dialBtn.Importance = widget.HighImportance

	p.line = widget.NewSelect(nil, nil)
	p.lineBox = container.NewBorder(nil, nil,
		widget.NewLabelWithStyle(lang.X("dialpad.line", "Dial from"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, p.line)
	p.lineBox.Hide()

	p.status = wrapped("")

	p.recent = p.numberList(&p.recentNums, false)
	p.frequent = p.numberList(&p.frequentNums, true)
	p.noRecent = emptyNote(lang.X("dialpad.no_recent", "No calls yet. Numbers you call or that call you appear here."))
	p.noFrequent = emptyNote(lang.X("dialpad.no_frequent", "Numbers you call often appear here."))
	lists := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("dialpad.recent", "Recent"), theme.HistoryIcon(), container.NewStack(p.recent, p.noRecent)),
		container.NewTabItemWithIcon(lang.X("dialpad.frequent", "Frequent"), theme.ListIcon(), container.NewStack(p.frequent, p.noFrequent)),
	)

	numberLabel := widget.NewLabelWithStyle(lang.X("dialpad.number", "Number"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(
		numberLabel,
		container.NewBorder(nil, nil, nil, p.dialBtn, p.number),
		p.preview,
		p.lineBox,
		widget.NewSeparator(),
	)
	p.incoming = p.newIncomingBar()
	if !p.transferring() && !p.d.Forward {
		top.Objects = append([]fyne.CanvasObject{p.incoming.box}, top.Objects...)
		if d.WatchCalls > 0 {
			p.watchIncoming(d.WatchCalls)
		}
	}
	if p.transferring() {
		// A transfer goes out on the call's own line: no choice of line,
		// and a note on top saying which call moves.
		numberLabel.SetText(lang.X("dialpad.transfer.to", "Transfer to"))
		p.transferNote = wrapped(lang.X("dialpad.transfer.note", "Type the number to transfer the call in progress to."))
		top.Objects = append([]fyne.CanvasObject{p.transferNote}, top.Objects...)
	}
	if p.d.Forward {
		// Forwarding is the phone's, not a line's: no choice of line.
		numberLabel.SetText(lang.X("dialpad.forward.to", "Forward to"))
		top.Objects = append([]fyne.CanvasObject{wrapped(lang.X("dialpad.forward.note",
			"Type the number the phone forwards every incoming call to, until you switch forwarding off in the tray or with \"dialbridge forward off\"."))}, top.Objects...)
	}
	p.window.SetContent(container.NewPadded(container.NewBorder(top, p.status, nil, nil, lists)))
	p.window.Resize(fyne.NewSize(460, 520))
	p.window.Canvas().Focus(p.number)

	p.loadRules()
	p.number.SetText(d.Number)
	p.updatePreview()
	p.loadLists()
	return p
}

// Window is the dial pad's window.
func (p *DialPad) Window() fyne.Window { return p.window }

// transferring reports whether the pad transfers a call instead of dialing.
func (p *DialPad) transferring() bool { return strings.TrimSpace(p.d.TransferCall) != "" }

// loadRules reads the dialing rules once; the preview uses them as the
// person types. A broken config file still lets the person dial: the
// resident applies its own rules, the preview just says it cannot tell.
func (p *DialPad) loadRules() {
	cfg, err := p.d.Config.Load()
	if err != nil {
		p.status.SetText(lang.X("dialpad.rules_unreadable", "The dialing rules could not be read, so no preview is shown: {{.Err}}", map[string]any{"Err": err.Error()}))
		cfg = config.Default()
	}
	p.rules = cfg.Dialing.Rules()
}

// updatePreview shows what the phone would dial for the current text.
func (p *DialPad) updatePreview() {
	text := strings.TrimSpace(p.number.Text)
	if text == "" {
		p.preview.Importance = widget.LowImportance
		if p.d.Forward {
			p.preview.SetText(lang.X("dialpad.forward.preview.empty", "The number the phone will forward its calls to appears here."))
		} else {
			p.preview.SetText(lang.X("dialpad.preview.empty", "The number the phone will dial appears here."))
		}
		p.dialBtn.Disable()
		return
	}
	res, err := p.rules.Read(text)
	if err != nil {
		p.preview.Importance = widget.DangerImportance
		p.preview.SetText(readingError(err))
		p.dialBtn.Disable()
		return
	}
	p.preview.Importance = widget.MediumImportance
	vars := map[string]any{"Dial": res.Dial, "Kind": kindName(res.Kind), "Ext": res.Ext}
	var msg string
	switch {
	case p.d.Forward:
		msg = lang.X("dialpad.forward.preview", "The phone will forward every incoming call to {{.Dial}} ({{.Kind}})", vars)
	case p.transferring():
		msg = lang.X("dialpad.transfer.preview", "The phone will transfer the call to {{.Dial}} ({{.Kind}})", vars)
		if res.Ext != "" {
			// The resident transfers to res.Dial; nobody is left on this
			// end to dial the extension afterwards.
			msg += "\n" + lang.X("dialpad.transfer.ext", "Extension {{.Ext}} is left out: the caller has to ask for it.", vars)
		}
	default:
		msg = lang.X("dialpad.preview.ok", "The phone will dial {{.Dial}} ({{.Kind}})", vars)
		if res.Ext != "" {
			msg += "\n" + lang.X("dialpad.preview.ext", "Extension {{.Ext}}: dial it yourself once the call is answered.", vars)
		}
	}
	p.preview.SetText(msg)
	if !p.dialing {
		p.dialBtn.Enable()
	}
}

// dial sends the number to the resident. Enter in the number field does
// the same as the button.
func (p *DialPad) dial() {
	text := strings.TrimSpace(p.number.Text)
	if text == "" || p.dialing {
		return
	}
	if _, err := p.rules.Read(text); err != nil {
		return // the preview already says why
	}
	if p.transferring() {
		callID := strings.TrimSpace(p.d.TransferCall)
		p.handOver(lang.X("dialpad.transferring", "Asking the phone to transfer the call…"),
			func(ctx context.Context) error { return p.d.Resident.Transfer(ctx, callID, text) },
			func(err error) string {
				return lang.X("dialpad.transfer.failed", "The call was not transferred: {{.Err}}", map[string]any{"Err": err.Error()})
			})
		return
	}
	if p.d.Forward {
		p.handOver(lang.X("dialpad.forwarding", "Asking the phone to forward its calls…"),
			func(ctx context.Context) error { return p.d.Resident.Forward(ctx, text) },
			func(err error) string {
				return lang.X("dialpad.forward.failed", "Calls are not forwarded: {{.Err}}", map[string]any{"Err": err.Error()})
			})
		return
	}
	identity := p.selectedLine()
	p.dialing = true
	p.dialBtn.Disable()
	p.status.Importance = widget.MediumImportance
	p.status.SetText(lang.X("dialpad.dialing", "Asking the phone to dial…"))
	ask(p.d.Env, func(ctx context.Context) (string, error) {
		return p.d.Resident.Dial(ctx, text, identity)
	}, func(dialed string, err error) {
		p.dialing = false
		p.updatePreview()
		if err != nil {
			p.status.Importance = widget.DangerImportance
			p.status.SetText(lang.X("dialpad.failed", "The call was not placed: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			return
		}
		p.status.Importance = widget.SuccessImportance
		p.status.SetText(lang.X("dialpad.dialed", "The phone is dialing {{.Dial}}. Pick up the handset or wait for the speaker.", map[string]any{"Dial": dialed}))
	})
}

// handOver asks the resident to do what the pad is for besides dialing
// (transfer the call, forward the phone's calls) with the number as typed
// (the resident normalizes it, as for a dial), saying working meanwhile.
// On success the window has done its job and closes; on failure it stays
// with failed's sentence of the resident's reason, so that the person can
// correct the number or try again.
func (p *DialPad) handOver(working string, do func(ctx context.Context) error, failed func(error) string) {
	p.dialing = true
	p.dialBtn.Disable()
	p.status.Importance = widget.MediumImportance
	p.status.SetText(working)
	askDone(p.d.Env, do, func(err error) {
		p.dialing = false
		if err != nil {
			p.updatePreview()
			p.status.Importance = widget.DangerImportance
			p.status.SetText(failed(err))
			return
		}
		p.window.Close()
	})
}

func (p *DialPad) selectedLine() string {
	if len(p.lines) < 2 {
		return ""
	}
	for _, l := range p.lines {
		if l.Label == p.line.Selected {
			return l.ID
		}
	}
	return ""
}

// loadLists fetches the journal and the phone's lines in the background.
func (p *DialPad) loadLists() {
	p.d.spawn(func() {
		ctx, cancel := p.d.context()
		defer cancel()
		calls, callsErr := p.d.Resident.Calls(ctx)
		var lines []Line
		var linesErr error
		if !p.transferring() {
			lines, linesErr = p.d.Resident.Lines(ctx)
		}
		fyne.Do(func() {
			if callsErr == nil && p.transferring() {
				p.describeTransfer(calls)
			}
			if callsErr == nil {
				p.recentNums = recentNumbers(calls, 20)
				p.frequentNums = frequentNumbers(calls, 10)
				p.recent.Refresh()
				p.frequent.Refresh()
				showIf(p.noRecent, len(p.recentNums) == 0)
				showIf(p.noFrequent, len(p.frequentNums) == 0)
			} else if p.status.Text == "" {
				p.status.Importance = widget.LowImportance
				p.status.SetText(lang.X("dialpad.no_journal", "Recent numbers are not available: {{.Err}}", map[string]any{"Err": callsErr.Error()}))
			}
			if linesErr == nil {
				p.setLines(lines)
			}
		})
	})
}

// describeTransfer names the other party of the call being transferred,
// when the journal knows the call, so that the person sees they move the
// right one. Only calls in progress count: phones reuse their call ids.
func (p *DialPad) describeTransfer(calls []phone.Call) {
	id := strings.TrimSpace(p.d.TransferCall)
	for _, c := range calls {
		if (c.GUID != id && c.ID != id) || !c.Disconnected.IsZero() {
			continue
		}
		who := c.Remote
		if c.RemoteAlias != "" && c.RemoteAlias != c.Remote {
			who = c.RemoteAlias + " (" + c.Remote + ")"
		}
		if who == "" {
			return
		}
		p.transferNote.SetText(lang.X("dialpad.transfer.note_who", "Type the number to transfer your call with {{.Who}} to.", map[string]any{"Who": who}))
		return
	}
}

// setLines offers a choice of line only when the phone has several.
func (p *DialPad) setLines(lines []Line) {
	p.lines = lines
	if len(lines) < 2 {
		p.lineBox.Hide()
		p.window.Content().Refresh()
		return
	}
	labels := make([]string, len(lines))
	for i, l := range lines {
		labels[i] = l.Label
	}
	p.line.SetOptions(labels)
	p.line.SetSelectedIndex(0)
	p.lineBox.Show()
	p.window.Content().Refresh()
}

// numberList shows recent or frequent numbers; choosing one puts it in the
// number field, ready to dial with Enter.
func (p *DialPad) numberList(items *[]numberUse, counts bool) *widget.List {
	l := widget.NewList(
		func() int { return len(*items) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			detail := captionLabel("")
			detail.Wrapping = fyne.TextWrapOff
			detail.Alignment = fyne.TextAlignTrailing
			return container.NewBorder(nil, nil, nil, detail, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			u := (*items)[id]
			c := o.(*fyne.Container)
			name := c.Objects[0].(*widget.Label)
			detail := c.Objects[1].(*widget.Label)
			if u.Name != "" && u.Name != u.Number {
				name.SetText(u.Name + "  " + u.Number)
			} else {
				name.SetText(u.Number)
			}
			if counts {
				detail.SetText(lang.X("dialpad.times", "{{.Count}}×", map[string]any{"Count": u.Count}))
			} else {
				detail.SetText(formatWhen(u.Last, p.d.now()))
			}
			c.Refresh() // the detail's width changed with its text
		},
	)
	l.OnSelected = func(id widget.ListItemID) {
		p.number.SetText((*items)[id].Number)
		l.UnselectAll()
		p.window.Canvas().Focus(p.number)
	}
	return l
}

// emptyNote is the text an empty list shows, at its top.
func emptyNote(text string) *widget.Label {
	l := wrapped(text)
	l.Importance = widget.LowImportance
	l.Alignment = fyne.TextAlignCenter
	return l
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// recentNumbers lists the distinct remote numbers of calls, most recent
// first, at most n.
func recentNumbers(calls []phone.Call, n int) []numberUse {
	seen := map[string]bool{}
	sorted := append([]phone.Call(nil), calls...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Created.After(sorted[j].Created) })
	var out []numberUse
	for _, c := range sorted {
		if c.Remote == "" || seen[c.Remote] {
			continue
		}
		seen[c.Remote] = true
		out = append(out, numberUse{Number: c.Remote, Name: c.RemoteAlias, Last: c.Created, Count: 1})
		if len(out) == n {
			break
		}
	}
	return out
}

// frequentNumbers lists the numbers with the most calls, at least two, ties
// broken by the most recent call, at most n.
func frequentNumbers(calls []phone.Call, n int) []numberUse {
	by := map[string]*numberUse{}
	for _, c := range calls {
		if c.Remote == "" {
			continue
		}
		u := by[c.Remote]
		if u == nil {
			u = &numberUse{Number: c.Remote}
			by[c.Remote] = u
		}
		u.Count++
		if c.Created.After(u.Last) || u.Last.IsZero() {
			u.Last = c.Created
			if c.RemoteAlias != "" {
				u.Name = c.RemoteAlias
			}
		}
	}
	var out []numberUse
	for _, u := range by {
		if u.Count >= 2 {
			out = append(out, *u)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].Number < out[j].Number
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// readingError says in the person's language why text cannot be dialled.
// A part that is not a number (an option, a word between digits, a
// control character) is named in a translated sentence; other refusals
// carry the dialing rules' own sentence, in the person's language too.
func readingError(err error) string {
	var nn *dialplan.NotANumberError
	if errors.As(err, &nn) {
		vars := map[string]any{"Part": nn.Part}
		switch nn.Reason {
		case dialplan.LooksLikeOption:
			return lang.X("dialpad.notnumber.option", "Cannot dial this: \"{{.Part}}\" looks like a command-line option, not part of a phone number.", vars)
		case dialplan.WordBetweenNumbers:
			return lang.X("dialpad.notnumber.between", "Cannot dial this: the word \"{{.Part}}\" stands between digits. Letters are read as keypad digits only at the end of a number, as in 0800 FLOWERS.", vars)
		case dialplan.InProse:
			return lang.X("dialpad.notnumber.prose", "Cannot dial this: the word \"{{.Part}}\" after the number is part of a sentence. Letters are read as keypad digits only in a vanity number, as in 0800 FLOWERS.", vars)
		case dialplan.ControlCharacter:
			return lang.X("dialpad.notnumber.control", "Cannot dial this: it contains the control character {{.Part}}.", vars)
		}
	}
	return lang.X("dialpad.preview.error", "Cannot dial this: {{.Err}}", map[string]any{"Err": i18n.Error(err)})
}

// kindName names a kind of number in the person's language.
func kindName(k dialplan.Kind) string {
	switch k {
	case dialplan.Internal:
		return lang.X("kind.internal", "internal extension")
	case dialplan.Service:
		return lang.X("kind.service", "service code")
	case dialplan.Emergency:
		return lang.X("kind.emergency", "emergency number")
	case dialplan.ShortCode:
		return lang.X("kind.short", "short number")
	case dialplan.Local:
		return lang.X("kind.local", "local number")
	case dialplan.National:
		return lang.X("kind.national", "national number")
	case dialplan.International:
		return lang.X("kind.international", "international number")
	}
	return fmt.Sprint(k)
}
