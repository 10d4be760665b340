package resident

import (
	"context"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/i18n"
)

// keysWriteTimeout bounds one write of the function keys.
const keysWriteTimeout = 20 * time.Second

// phoneKeys is the resident's part in the function keys: the phone's
// presses run through presser, and writer writes the bindings.
type phoneKeys struct {
	presser *phonekeys.Presser
	writer  *phonekeys.Writer
	// ctx ends when the resident closes; a write in the background then
	// stops.
	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// openKeys prepares the phone's function keys once the call service is
// open: presses go to its operations, and the writer writes the bindings
// (startKeys starts that, once the listener has the port the keys' URLs
// name).
func (r *App) openKeys(o Options) {
	k := &phoneKeys{}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	k.presser = phonekeys.NewPresser(phonekeys.PresserOptions{
		Calls: r.calls, Config: r.Config, Clipboard: o.Clipboard, Failed: o.KeyFailed, Log: r.log,
	})
	k.writer = phonekeys.NewWriter(phonekeys.WriterOptions{
		Config: r.Config, Driver: r.phone.Driver, Token: r.pairingToken,
		Base: func(ctx context.Context) (string, error) {
			return phoneevents.KeysBase(ctx, r.Config(), r.lns[0].Addr().(*net.TCPAddr).Port, io.Discard)
		},
		Model:  r.lights.phoneModel,
		Lights: r.LightsProblem,
		Words:  i18n.Error,
		Log:    r.log,
	})
	r.keys = k
	r.cleanups = append(r.cleanups, func() {
		k.cancel()
		k.bg.Wait()
		k.presser.Wait()
	})
}

// startKeys lets the phone's key presses in and writes the keys.
func (r *App) startKeys() {
	r.calls.Events().SetKeys(r.keys.presser)
	r.writeKeysLater()
}

// writeKeysLater writes the function keys in the background.
func (r *App) writeKeysLater() {
	k := r.keys
	if k == nil {
		return
	}
	k.bg.Add(1)
	go func() {
		defer k.bg.Done()
		ctx, cancel := context.WithTimeout(k.ctx, keysWriteTimeout)
		defer cancel()
		k.writer.Write(ctx)
	}()
}

// FunctionKeys writes the function keys and tells how the last write
// went, for the control API's keys routes; nil before the App has opened
// them.
func (r *App) FunctionKeys() *phonekeys.Writer {
	if r.keys == nil {
		return nil
	}
	return r.keys.writer
}

// keysChanged reports whether a new config asks for the keys to be
// written again: their bindings, the phone's model, the phone, or the
// address the phone reaches dialbridge at changed.
func keysChanged(a, b config.Config) bool {
	return !slices.Equal(a.Phone.Keys, b.Phone.Keys) || a.Phone.Model != b.Phone.Model || !samePairing(a.Phone, b.Phone) ||
		a.Listener.LANAddress != b.Listener.LANAddress || a.Listener.LANTLS != b.Listener.LANTLS
}
