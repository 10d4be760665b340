package integrate

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// ThisDesktop is the integration of the running platform for this
// installation.
func ThisDesktop() (Desktop, error) {
	env, err := CurrentEnv()
	if err != nil {
		return nil, err
	}
	return ForThisOS(env)
}

// Register makes dialbridge the handler of phone links, then writes to w
// which program opens each scheme now: what the platform did, not what
// was asked. A scheme the desktop still gives another program is an
// error, unless the platform keeps the final choice to the person: then w
// gets what they must still do.
func Register(ctx context.Context, d Desktop, w io.Writer) error {
	if err := d.RegisterHandler(ctx); err != nil {
		return err
	}
	others, err := WriteHandlers(ctx, d, w)
	if err != nil || len(others) == 0 {
		return err
	}
	if hint := d.ConfirmHint(); hint != "" {
		fmt.Fprintln(w, hint)
		return nil
	}
	return fmt.Errorf("the desktop still opens %s links with another program", strings.Join(others, ", "))
}

// Unregister undoes Register and writes which program opens each scheme
// now.
func Unregister(ctx context.Context, d Desktop, w io.Writer) error {
	if err := d.UnregisterHandler(ctx); err != nil {
		return err
	}
	_, err := WriteHandlers(ctx, d, w)
	return err
}

// WriteHandlers writes one line per scheme, in the order of Schemes: does
// a click open dialbridge? It returns the schemes another program opens.
func WriteHandlers(ctx context.Context, d Desktop, w io.Writer) (others []string, err error) {
	st, err := d.HandlerStatus(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range Schemes {
		who := "another program (or none)"
		if st[s] {
			who = "dialbridge"
		} else {
			others = append(others, s+":")
		}
		fmt.Fprintf(w, "%-8s %s\n", s+":", who)
	}
	return others, nil
}

// WriteAutostart writes whether dialbridge starts at login.
func WriteAutostart(ctx context.Context, d Desktop, w io.Writer) error {
	on, err := d.Autostart(ctx)
	if err != nil {
		return err
	}
	if on {
		fmt.Fprintln(w, "dialbridge starts at login")
	} else {
		fmt.Fprintln(w, "dialbridge does not start at login")
	}
	return nil
}
