package backend

import (
	"context"
	"errors"
	"testing"

	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

func TestTheTrayLogsTheSameHealingErrorOnce(t *testing.T) {
	fail := errors.New("the config file is unreadable")
	h := &pairing.Healer{Pairer: &pairing.Pairer{}, Phone: func() (brands.Settings, error) { return brands.Settings{}, fail }}
	var logged []string
	heal := HealQuietly(h, func(msg string, args ...any) { logged = append(logged, msg) })
	for range 3 {
		heal(context.Background())
	}
	if len(logged) != 1 {
		t.Errorf("logged %d times, want once", len(logged))
	}
	fail = errors.New("another failure")
	heal(context.Background())
	if len(logged) != 2 {
		t.Errorf("a new error was not logged: %d", len(logged))
	}
}

func TestHealingLeavesAPhoneWithoutEventsAlone(t *testing.T) {
	h := &pairing.Healer{Pairer: &pairing.Pairer{}, Phone: func() (brands.Settings, error) {
		return brands.Settings{Brand: "polycom", Address: "http://192.0.2.10"}, nil
	}}
	if got, err := h.Heal(context.Background()); got != pairing.Unchanged || err != nil {
		t.Errorf("Heal = %v, %v; want Unchanged without error", got, err)
	}
}
