package integrate

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/dialbridge/dialbridge/packaging/nativehost"
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

// ThisNativeHosts is where this user's browsers find dialbridge's native
// messaging host, for this installation.
func ThisNativeHosts() (nativehost.Hosts, error) {
	env, err := CurrentEnv()
	if err != nil {
		return nativehost.Hosts{}, err
	}
	return NativeHosts(env), nil
}

// Register makes dialbridge the handler of phone links and installs the
// browsers' native messaging host manifests, so that dialbridge's
// extension reaches dialbridge; then it writes to w which program opens
// each scheme now and which browsers the extension reaches it from: what
// the platform did, not what was asked. A scheme the desktop still gives
// another program is an error, unless the platform keeps the final choice
// to the person: then w gets what they must still do.
func Register(ctx context.Context, d Desktop, hosts nativehost.Hosts, w io.Writer) error {
	if err := hosts.Install(); err != nil {
		return err
	}
	if err := d.RegisterHandler(ctx); err != nil {
		return err
	}
	others, err := WriteStatus(ctx, d, hosts, w)
	if err != nil || len(others) == 0 {
		return err
	}
	if hint := d.ConfirmHint(); hint != "" {
		fmt.Fprintln(w, hint)
		return nil
	}
	return fmt.Errorf("the desktop still opens %s links with another program", strings.Join(others, ", "))
}

// Unregister undoes Register (the handler and the host manifests) and
// writes which program opens each scheme now.
func Unregister(ctx context.Context, d Desktop, hosts nativehost.Hosts, w io.Writer) error {
	if err := hosts.Remove(); err != nil {
		return err
	}
	if err := d.UnregisterHandler(ctx); err != nil {
		return err
	}
	_, err := WriteStatus(ctx, d, hosts, w)
	return err
}

// WriteStatus is WriteHandlers, then one line naming the browsers in
// which dialbridge's extension reaches dialbridge (their host manifest
// starts this installation's front): what `dialbridge register --status`
// shows.
func WriteStatus(ctx context.Context, d Desktop, hosts nativehost.Hosts, w io.Writer) (others []string, err error) {
	others, err = WriteHandlers(ctx, d, w)
	if err != nil {
		return nil, err
	}
	if in := hosts.Installed(); len(in) > 0 {
		fmt.Fprintf(w, "%-8s dialbridge's extension reaches dialbridge in %s\n", "browser:", strings.Join(in, ", "))
	} else {
		fmt.Fprintf(w, "%-8s dialbridge's extension cannot reach dialbridge (dialbridge register lets it in)\n", "browser:")
	}
	return others, nil
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
