package main

import (
	"context"

	"github.com/dialbridge/dialbridge/actionurl/journal"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// recentSource gives the calls of earlier runs for the tray's recent list.
type recentSource func(ctx context.Context) ([]phone.Call, error)

// recentFromJournal reads the newest ended calls from the journal. The tray
// loads them once at start; later calls reach the menu through the call
// events, which come before the journal has written them.
func recentFromJournal(j *journal.Journal) recentSource {
	return func(ctx context.Context) ([]phone.Call, error) {
		entries, err := j.Calls(ctx, journal.Query{Limit: 2 * tray.RecentSlots})
		if err != nil {
			return nil, err
		}
		var calls []phone.Call
		for _, e := range entries {
			if e.Disconnected == nil {
				continue // still going, or left open by a crash
			}
			c := phone.Call{
				ID: e.CallID, GUID: e.GUID, Direction: phone.Inbound,
				Local: e.Local, LocalAlias: e.LocalAlias, Remote: e.Remote, RemoteAlias: e.RemoteAlias,
				Created: e.Created, Disconnected: *e.Disconnected, OnHold: e.OnHold,
			}
			if e.Direction == phone.Outbound.String() {
				c.Direction = phone.Outbound
			}
			if e.Connected != nil {
				c.Connected = *e.Connected
			}
			calls = append(calls, c)
		}
		return calls, nil
	}
}

// loadRecent puts the calls of earlier runs into the menu.
func (a *trayApp) loadRecent(ctx context.Context, src recentSource) {
	if src == nil {
		return
	}
	calls, err := src(ctx)
	if err != nil {
		a.log.Warn("the recent calls of earlier runs could not be read", "error", err.Error())
		return
	}
	a.model.LoadRecent(calls)
}
