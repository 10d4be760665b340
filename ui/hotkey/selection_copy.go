//go:build windows || darwin

package hotkey

import (
	"context"
	"fmt"
	"time"

	"github.com/dialbridge/dialbridge/ui/tray/clipboard"
)

// Selection is the text selected in the program that has the focus.
// Windows and macOS share no selection the way X11 does, so it is taken
// with a simulated copy (Ctrl+C, Cmd+C) and the clipboard's text is put
// back afterwards. The clipboard is emptied first, so that a copy that
// copies nothing is not mistaken for the old clipboard. Only text is put
// back: a picture on the clipboard is gone after the hotkey.
func Selection(ctx context.Context) (string, error) {
	r := clipboard.New()
	saved, err := r.Read(ctx)
	if err != nil {
		return "", err
	}
	if err := clipboard.WriteText(""); err != nil {
		return "", err
	}
	defer func() { _ = clipboard.WriteText(saved) }()
	if err := sendCopy(); err != nil {
		return "", err
	}
	// The program copies when it gets to the key press.
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); {
		text, err := r.Read(ctx)
		if err != nil {
			return "", err
		}
		if text != "" {
			return text, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("reading the copied selection: %w", ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
	return "", nil
}
