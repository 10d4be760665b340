package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// JournalDeps is what the journal window needs.
type JournalDeps struct {
	Env
	// Resident provides the calls and deliveries and dials call-backs.
	Resident Resident
}

// Journal shows the call journal (with filter, search and call back) and
// the delivery log of outgoing action URLs (with retry).
type Journal struct {
	d      JournalDeps
	window fyne.Window
	tabs   *container.AppTabs

	// calls tab
	allCalls  []phone.Call
	shown     []phone.Call
	search    *widget.Entry
	filter    *widget.Select
	calls     *widget.Table
	selected  int // index into shown, -1 for none
	callBack  *widget.Button
	callsNote *widget.Label

	// deliveries tab
	deliveries    []Delivery
	delivTable    *widget.Table
	delivSelected int
	retry         *widget.Button
	delivNote     *widget.Label
}

// The call filters, in the order of the filter menu.
const (
	filterAll = iota
	filterInbound
	filterOutbound
	filterMissed
)

// NewJournal builds the journal window and starts loading its data.
func NewJournal(a fyne.App, d JournalDeps) *Journal {
	j := &Journal{d: d, selected: -1, delivSelected: -1}
	j.window = a.NewWindow(lang.X("journal.title", "Call journal"))

	j.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("journal.calls", "Calls"), theme.HistoryIcon(), j.callsTab()),
		container.NewTabItemWithIcon(lang.X("journal.deliveries", "Action URLs sent"), theme.UploadIcon(), j.deliveriesTab()),
	)
	j.window.SetContent(j.tabs)
	j.window.Resize(fyne.NewSize(900, 560))
	j.Refresh()
	return j
}

// Window is the journal's window.
func (j *Journal) Window() fyne.Window { return j.window }

// ShowDeliveries brings the delivery log to the front.
func (j *Journal) ShowDeliveries() { j.tabs.SelectIndex(1) }

func (j *Journal) filterOptions() []string {
	return []string{
		lang.X("journal.filter.all", "All calls"),
		lang.X("journal.filter.inbound", "Incoming"),
		lang.X("journal.filter.outbound", "Outgoing"),
		lang.X("journal.filter.missed", "Missed"),
	}
}

func (j *Journal) callsTab() fyne.CanvasObject {
	// Not entry(): its SetText builds the entry's renderer, and an
	// ActionItem set after that is never shown.
	j.search = widget.NewEntry()
	j.search.SetPlaceHolder(lang.X("journal.search", "Search name or number"))
	j.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	j.search.OnChanged = func(string) { j.applyFilter() }
	j.filter = widget.NewSelect(j.filterOptions(), func(string) { j.applyFilter() })
	j.filter.SetSelectedIndex(filterAll)
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), j.Refresh)

	j.calls = newTable([]column{
		{lang.X("journal.col.direction", "Direction"), 130},
		{lang.X("journal.col.party", "Name and number"), 300},
		{lang.X("journal.col.time", "Time"), 170},
		{lang.X("journal.col.duration", "Duration"), 90},
		{lang.X("journal.col.outcome", "Outcome"), 150},
	}, func() int { return len(j.shown) },
		func() fyne.CanvasObject { return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, truncated()) },
		j.updateCallCell)
	followSelection(j.calls, &j.selected, j.updateCallBack)

	j.callBack = widget.NewButtonWithIcon(lang.X("journal.call_back", "Call back"), theme.MailReplyIcon(), j.callBackSelected)
	j.callBack.Importance = widget.HighImportance
	j.callBack.Disable()
	j.callsNote = wrapped("")

	top := container.NewBorder(nil, nil, nil, container.NewHBox(j.filter, refresh), j.search)
	bottom := container.NewBorder(nil, nil, nil, j.callBack, j.callsNote)
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, j.calls))
}

func (j *Journal) updateCallCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := j.shown[id.Row]
	box := o.(*fyne.Container)
	l := box.Objects[0].(*widget.Label)
	icon := box.Objects[1].(*widget.Icon)
	l.Importance = widget.MediumImportance
	icon.Hide()
	switch id.Col {
	case 0:
		icon.Show()
		if c.Direction == phone.Outbound {
			icon.SetResource(theme.MailSendIcon())
			l.SetText(lang.X("journal.outbound", "outgoing"))
		} else {
			icon.SetResource(theme.DownloadIcon())
			l.SetText(lang.X("journal.inbound", "incoming"))
		}
	case 1:
		l.SetText(partyText(c))
	case 2:
		l.SetText(formatWhen(c.Created, j.d.now()))
	case 3:
		if c.Connected.IsZero() {
			l.SetText("–")
		} else {
			l.SetText(phone.FormatDuration(c.Duration(j.d.now())))
		}
	case 4:
		text, imp := outcome(c)
		l.Importance = imp
		l.SetText(text)
	}
	// The template is shared by all columns: lay it out again now that the
	// icon is shown or hidden.
	box.Refresh()
}

// partyText is the remote party as people read it: name and number, as
// display.Party names them (the phone passes on whatever name the caller
// chose). A Label shows it as plain text, never as markup.
func partyText(c phone.Call) string {
	return display.Party(c.RemoteAlias, c.Remote, lang.X("journal.unknown_party", "unknown caller"))
}

// outcome says how a call ended, and how loudly to say it.
func outcome(c phone.Call) (string, widget.Importance) {
	switch c.Outcome() {
	case phone.OutcomeActive:
		if c.OnHold {
			return lang.X("journal.outcome.hold", "on hold"), widget.WarningImportance
		}
		return lang.X("journal.outcome.active", "in progress"), widget.HighImportance
	case phone.OutcomeMissed:
		return lang.X("journal.outcome.missed", "missed"), widget.DangerImportance
	case phone.OutcomeUnanswered:
		return lang.X("journal.outcome.not_answered", "not answered"), widget.WarningImportance
	case phone.OutcomeTransferred:
		return lang.X("journal.outcome.transferred", "transferred to {{.To}}", map[string]any{"To": display.Name(c.TransferredTo)}), widget.MediumImportance
	}
	return lang.X("journal.outcome.answered", "answered"), widget.MediumImportance
}

// Refresh reloads calls and deliveries from the resident.
func (j *Journal) Refresh() {
	j.d.spawn(func() {
		ctx, cancel := j.d.context()
		defer cancel()
		calls, callsErr := j.d.Resident.Calls(ctx)
		deliveries, delivErr := j.d.Resident.Deliveries(ctx)
		fyne.Do(func() {
			if callsErr != nil {
				j.setNote(j.callsNote, widget.DangerImportance, lang.X("journal.calls_failed", "The journal could not be loaded: {{.Err}}", map[string]any{"Err": callsErr.Error()}))
			} else {
				j.allCalls = calls
				j.applyFilter()
			}
			if delivErr != nil {
				j.setNote(j.delivNote, widget.DangerImportance, lang.X("journal.deliveries_failed", "The delivery log could not be loaded: {{.Err}}", map[string]any{"Err": delivErr.Error()}))
			} else {
				j.deliveries = deliveries
				j.delivSelected = -1
				j.delivTable.UnselectAll()
				j.delivTable.Refresh()
				j.updateRetry()
				j.setNote(j.delivNote, widget.LowImportance, lang.X("journal.deliveries_count", "{{.Count}} action URLs in the log.", map[string]any{"Count": len(deliveries)}))
			}
		})
	})
}

// picked is the table row selected (index i, -1 for none) if any: the
// selection outlives a reload that shortens the list.
func picked[T any](rows []T, i int) (T, bool) {
	if i < 0 || i >= len(rows) {
		var zero T
		return zero, false
	}
	return rows[i], true
}

func (j *Journal) setNote(l *widget.Label, imp widget.Importance, text string) {
	l.Importance = imp
	l.SetText(text)
}

// applyFilter shows the calls that match the filter and the search text.
// The search compares names case-insensitively and numbers by their digits,
// so "030 123" finds "+49301234567"'s national form "0301234567".
func (j *Journal) applyFilter() {
	if j.calls == nil {
		return
	}
	q := strings.ToLower(strings.TrimSpace(j.search.Text))
	qDigits := digitsOf(q)
	mode := j.filter.SelectedIndex()
	j.shown = j.shown[:0]
	for _, c := range j.allCalls {
		switch mode {
		case filterInbound:
			if c.Direction != phone.Inbound {
				continue
			}
		case filterOutbound:
			if c.Direction != phone.Outbound {
				continue
			}
		case filterMissed:
			if !c.Missed() {
				continue
			}
		}
		if q != "" {
			name := strings.Contains(strings.ToLower(c.RemoteAlias), q)
			number := strings.Contains(strings.ToLower(c.Remote), q) ||
				(qDigits != "" && strings.Contains(digitsOf(c.Remote), qDigits))
			if !name && !number {
				continue
			}
		}
		j.shown = append(j.shown, c)
	}
	j.selected = -1
	j.calls.UnselectAll()
	j.calls.Refresh()
	j.updateCallBack()
	j.setNote(j.callsNote, widget.LowImportance, lang.X("journal.calls_count", "{{.Shown}} of {{.Total}} calls shown.", map[string]any{"Shown": len(j.shown), "Total": len(j.allCalls)}))
}

// digitsOf keeps only the digits of s.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (j *Journal) updateCallBack() {
	c, ok := picked(j.shown, j.selected)
	enableIf(j.callBack, ok && c.Remote != "")
}

// callBackSelected dials the remote party of the selected call.
func (j *Journal) callBackSelected() {
	c, ok := picked(j.shown, j.selected)
	if !ok {
		return
	}
	number := c.Remote
	j.callBack.Disable()
	j.setNote(j.callsNote, widget.MediumImportance, lang.X("journal.calling_back", "Asking the phone to dial {{.Number}}…", map[string]any{"Number": number}))
	ask(j.d.Env, func(ctx context.Context) (string, error) {
		return j.d.Resident.Dial(ctx, number, "")
	}, func(dialed string, err error) {
		j.updateCallBack()
		if err != nil {
			j.setNote(j.callsNote, widget.DangerImportance, lang.X("dialpad.failed", "The call was not placed: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			return
		}
		j.setNote(j.callsNote, widget.SuccessImportance, lang.X("journal.called_back", "The phone is dialing {{.Dial}}.", map[string]any{"Dial": dialed}))
	})
}

func (j *Journal) deliveriesTab() fyne.CanvasObject {
	j.delivTable = newTable([]column{
		{lang.X("journal.col.time", "Time"), 120},
		{lang.X("journal.col.event", "Event"), 170},
		{lang.X("journal.col.url", "URL"), 300},
		{lang.X("journal.col.result", "Result"), 190},
		{lang.X("journal.col.attempts", "Attempts"), 80},
	}, func() int { return len(j.deliveries) },
		func() fyne.CanvasObject { return truncated() },
		func(id widget.TableCellID, o fyne.CanvasObject) { j.updateDeliveryCell(id, o.(*widget.Label)) })
	followSelection(j.delivTable, &j.delivSelected, j.deliverySelected)
	j.retry = widget.NewButtonWithIcon(lang.X("journal.retry", "Send again"), theme.ViewRefreshIcon(), j.retrySelected)
	j.retry.Disable()
	j.delivNote = widget.NewLabel("")
	j.delivNote.Wrapping = fyne.TextWrapWord
	bottom := container.NewBorder(nil, nil, nil, j.retry, j.delivNote)
	return container.NewPadded(container.NewBorder(nil, bottom, nil, nil, j.delivTable))
}

func (j *Journal) updateDeliveryCell(id widget.TableCellID, l *widget.Label) {
	d := j.deliveries[id.Row]
	l.Importance = widget.MediumImportance
	switch id.Col {
	case 0:
		l.SetText(formatWhen(d.At, j.d.now()))
	case 1:
		l.SetText(eventName(string(d.Event)))
	case 2:
		l.SetText(d.URL)
	case 3:
		text, imp := deliveryResult(d)
		l.Importance = imp
		l.SetText(text)
	case 4:
		l.SetText(fmt.Sprint(d.Attempts))
	}
}

// deliveryResult says how a delivery went, in words.
func deliveryResult(d Delivery) (string, widget.Importance) {
	switch {
	case d.Pending && d.Attempts > 0:
		return lang.X("journal.delivery.retrying", "not yet, trying again"), widget.WarningImportance
	case d.Pending:
		return lang.X("journal.delivery.pending", "waiting to be sent"), widget.LowImportance
	case d.Failed && d.Status != 0:
		return lang.X("journal.delivery.status_failed", "failed (HTTP {{.Status}})", map[string]any{"Status": d.Status}), widget.DangerImportance
	case d.Failed:
		return lang.X("journal.delivery.failed", "failed"), widget.DangerImportance
	case d.Browser:
		return lang.X("journal.delivery.browser", "opened in the browser"), widget.SuccessImportance
	}
	return lang.X("journal.delivery.ok", "delivered (HTTP {{.Status}})", map[string]any{"Status": d.Status}), widget.SuccessImportance
}

// deliverySelected shows whether the selected delivery can be sent again
// and, under the table, its URL and why it failed; the note stays when the
// selection goes.
func (j *Journal) deliverySelected() {
	j.updateRetry()
	d, ok := picked(j.deliveries, j.delivSelected)
	if !ok {
		return
	}
	detail := d.URL
	if d.Err != nil {
		detail += "\n" + display.Text(i18n.Error(d.Err), 200)
	}
	j.setNote(j.delivNote, widget.MediumImportance, detail)
}

func (j *Journal) updateRetry() {
	d, ok := picked(j.deliveries, j.delivSelected)
	enableIf(j.retry, ok && d.Failed)
}

// retrySelected sends the selected failed delivery again.
func (j *Journal) retrySelected() {
	d, ok := picked(j.deliveries, j.delivSelected)
	if !ok {
		return
	}
	id := d.ID
	j.retry.Disable()
	askDone(j.d.Env, func(ctx context.Context) error {
		return j.d.Resident.RetryDelivery(ctx, id)
	}, func(err error) {
		if err != nil {
			j.updateRetry()
			j.setNote(j.delivNote, widget.DangerImportance, lang.X("journal.retry_failed", "It could not be sent again: {{.Err}}", map[string]any{"Err": err.Error()}))
			return
		}
		j.Refresh()
	})
}

// column is one column of a table: its title in the header row, and how
// wide it is.
type column struct {
	title string
	width float32
}

// newTable is a table of rows() rows under a bold header row of the
// columns' titles; create makes a cell and update fills it.
func newTable(columns []column, rows func() int, create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *widget.Table {
	t := widget.NewTable(func() (int, int) { return rows(), len(columns) }, create, update)
	for i, c := range columns {
		t.SetColumnWidth(i, c.width)
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(columns) {
			o.(*widget.Label).SetText(columns[id.Col].title)
		}
	}
	return t
}

// followSelection keeps *row at the table's selected row (-1 for none) and
// runs changed after each change, so that what acts on the row (a button,
// a note) follows the selection.
func followSelection(t *widget.Table, row *int, changed func()) {
	t.OnSelected = func(id widget.TableCellID) {
		*row = id.Row
		changed()
	}
	t.OnUnselected = func(widget.TableCellID) {
		*row = -1
		changed()
	}
}

// truncated is a one-line cell label that ends in "…" where the column
// is too narrow.
func truncated() *widget.Label {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// eventName names one of the call events (phone.Action: inbound, outbound,
// connected, hold, disconnected) in the person's language.
func eventName(ev string) string {
	switch phone.Action(ev) {
	case phone.ActionInbound:
		return lang.X("event.inbound", "Incoming call")
	case phone.ActionOutbound:
		return lang.X("event.outbound", "Outgoing call")
	case phone.ActionConnected:
		return lang.X("event.connected", "Call answered")
	case phone.ActionHold:
		return lang.X("event.hold", "Call held")
	case phone.ActionDisconnected:
		return lang.X("event.disconnected", "Call ended")
	}
	return ev
}
