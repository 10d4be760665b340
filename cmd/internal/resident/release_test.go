package resident

import (
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/cmd/internal/idlemem"
)

// TestPrepareRemembersTheDial: every dial's reading tells the memory
// release that a person is dialing (cmd/internal/idlemem's tests show what
// it then keeps).
func TestPrepareRemembersTheDial(t *testing.T) {
	r := &App{}
	if r.mem.DialedWithin(time.Now(), idlemem.KeepWhileDialing) {
		t.Fatal("a fresh resident counts as dialing")
	}
	r.rules = config.Default().Dialing.Rules()
	_, _ = r.prepare("030 1234567", true)
	if !r.mem.DialedWithin(time.Now(), idlemem.KeepWhileDialing) {
		t.Error("prepare did not record the dial")
	}
}
