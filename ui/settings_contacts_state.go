package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/i18n"
)

// SourceStates is the running resident as the Contacts page asks it how
// each caller lookup source is doing (backend.Resident's LookupSources):
// the state the calls get, not a test lookup of the window's own.
type SourceStates interface {
	LookupSources(ctx context.Context) ([]lookup.SourceStatus, error)
}

// sourceStates is the running dialbridge's last answer about its sources.
type sourceStates struct {
	list []lookup.SourceStatus
	err  error
	// asked: an answer (or the failure to get one) came.
	asked bool
}

// askSourceStates asks the running dialbridge how its sources are doing
// (off the UI goroutine) and shows the answer under the rows: when the
// page opens and after a save.
func (s *Settings) askSourceStates() {
	if s.d.Lookups == nil {
		return
	}
	ask(s.d.Env, s.d.Lookups.LookupSources, func(list []lookup.SourceStatus, err error) {
		s.states = sourceStates{list: list, err: err, asked: true}
		s.showSourceStates()
	})
}

// showSourceStates puts under each row the state dialbridge reported for
// the source saved at the row's place, or that the row is not saved yet;
// that dialbridge does not answer is said once, above the rows.
func (s *Settings) showSourceStates() {
	if s.statesNote == nil || s.d.Lookups == nil {
		return // the page is being built, or there is nobody to ask
	}
	if s.states.err != nil {
		s.statesNote.Importance = widget.WarningImportance
		s.statesNote.SetText(lang.X("settings.contacts.states_unknown", "dialbridge does not answer ({{.Err}}), so how the sources are doing is not known; it reads them when it starts.",
			map[string]any{"Err": said(s.states.err.Error())}))
		s.statesNote.Show()
	} else {
		s.statesNote.Hide()
	}
	now := s.d.now()
	for _, r := range s.rows {
		r.showState(s.states, s.base.Lookup, now)
	}
}

// showState shows the state of the row's source: dialbridge's, when the
// row is the source saved at its place, else that it is not saved yet.
func (r *sourceRow) showState(states sourceStates, saved []config.Lookup, now time.Time) {
	r.state.Importance = widget.MediumImportance
	text := ""
	switch src := r.source(); {
	case !src.Saved(saved):
		text = lang.X("settings.contacts.state.unsaved", "Not saved yet: dialbridge asks this source once you save.")
	case states.err != nil || src.From > len(states.list):
		// Nothing known: the line above the rows says why.
	default:
		st := states.list[src.From-1]
		if line := st.Line(now); line != nil {
			text = i18n.Error(line)
		}
		if st.Err != nil {
			r.state.Importance = widget.WarningImportance
		}
	}
	r.state.SetText(said(text))
	if text == "" {
		r.state.Hide()
	} else {
		r.state.Show()
	}
}
