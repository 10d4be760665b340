package main

import (
	"context"

	"github.com/dialbridge/dialbridge/phone"
)

// recentSource gives the calls of earlier runs for the tray's recent list
// (the call service's Recent). The tray loads them once at start; later
// calls reach the menu through the call events, which come before the
// journal has written them.
type recentSource func(ctx context.Context) ([]phone.Call, error)

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
