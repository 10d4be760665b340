package run

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestExec(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	ctx := context.Background()
	out, err := Exec([]string{"GREETING=hello"})(ctx, sh, "-c", `echo "$GREETING"`)
	if err != nil || string(out) != "hello\n" {
		t.Errorf("got %q, %v", out, err)
	}
	_, err = Exec(nil)(ctx, sh, "-c", "echo broken >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "exit status 3: broken") {
		t.Errorf("failure: %v", err)
	}
	_, err = Exec(nil)(ctx, "dialbridge-no-such-program")
	if !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("missing program: %v", err)
	}
}
