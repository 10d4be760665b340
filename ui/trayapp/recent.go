package trayapp

import (
	"context"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/data"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// recentCalls reads the newest ended calls from the journal. The tray
// loads them once at start; later calls reach the menu through the call
// events, which come before the journal has written them.
func (a *App) recentCalls(ctx context.Context) ([]phone.Call, error) {
	entries, err := a.d.Calls.Journal(ctx, control.JournalQuery{Limit: 2 * tray.RecentSlots})
	if err != nil {
		return nil, err
	}
	var calls []phone.Call
	for _, e := range entries {
		if e.Disconnected == nil {
			continue // still going, or left open by a crash
		}
		calls = append(calls, data.CallOf(e))
	}
	return calls, nil
}

// loadRecent puts the calls of earlier runs into the menu.
func (a *App) loadRecent(ctx context.Context) {
	calls, err := a.recentCalls(ctx)
	if err != nil {
		a.d.Log.Warn("the recent calls of earlier runs could not be read", "error", err.Error())
		return
	}
	a.model.LoadRecent(calls)
}
