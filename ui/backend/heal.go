package backend

import (
	"context"
	"errors"
	"sync"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// NewHealer is the healer of the phone the config file at configPath
// names, reaching the resident of that file and the system keyring, and
// telling the person through notify; the tray runs its Heal after each
// phone check.
func NewHealer(configPath string, secrets config.Secrets, notify func(title, body string)) *pairing.Healer {
	return &pairing.Healer{
		Pairer: &pairing.Pairer{Listener: NewResident(configPath, nil)},
		Phone: func() (brands.Settings, error) {
			cfg, err := config.Load(configPath)
			if err != nil {
				return brands.Settings{}, err
			}
			pw, err := secrets.Get(config.SecretPhone)
			if err != nil && !errors.Is(err, config.ErrNoSecret) {
				return brands.Settings{}, err
			}
			return cfg.Phone.Settings(pw), nil
		},
		Notify: notify,
	}
}

// HealQuietly runs h.Heal for the tray, which has no one to show an error
// to but the log; the same error is logged once, not every 30 seconds.
func HealQuietly(h *pairing.Healer, logf func(msg string, args ...any)) func(ctx context.Context) {
	var mu sync.Mutex
	last := ""
	return func(ctx context.Context) {
		_, err := h.Heal(ctx)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		mu.Lock()
		repeated := msg == last
		last = msg
		mu.Unlock()
		if err != nil && !repeated {
			logf("checking where the phone sends its events failed", "error", err)
		}
	}
}
