package commands

import (
	"context"
	"io"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
)

// The desktop commands tie dialbridge into the desktop through
// packaging/integrate. register also installs the browsers' native
// messaging host manifests, so that dialbridge's extension reaches
// dialbridge; unregister removes them. newDesktop and newHosts are passed
// in for the tests.

// Register is `dialbridge register`: dialbridge opens tel:, callto: and
// sip: links and its browser extension reaches it from now on (--status:
// only show who does). The Settings window's "Make dialbridge the handler
// for phone links" runs it, so that the window process needs no platform
// code of its own.
func Register(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error), newHosts func() (nativehost.Hosts, error)) error {
	fs, _ := cli.NewFlags("register", stderr)
	statusOnly := fs.Bool("status", false, "show which program opens phone links, change nothing")
	if err := cli.Parse(fs, args, cli.Args{Usage: "register takes no arguments besides --status"}); err != nil {
		return err
	}
	d, hosts, err := openIntegrations(newDesktop, newHosts)
	if err != nil {
		return err
	}
	if *statusOnly {
		_, err := integrate.WriteStatus(ctx, d, hosts, stdout)
		return err
	}
	return integrate.Register(ctx, d, hosts, stdout)
}

// Unregister is `dialbridge unregister`: dialbridge stops opening phone
// links and its browser extension no longer reaches it, for a person who
// wants another program to.
func Unregister(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error), newHosts func() (nativehost.Hosts, error)) error {
	fs, _ := cli.NewFlags("unregister", stderr)
	if err := cli.Parse(fs, args, cli.Args{Usage: "unregister takes no arguments"}); err != nil {
		return err
	}
	d, hosts, err := openIntegrations(newDesktop, newHosts)
	if err != nil {
		return err
	}
	return integrate.Unregister(ctx, d, hosts, stdout)
}

// openIntegrations opens what register and unregister change: the
// desktop's phone-link handler and the browsers' native-messaging hosts.
func openIntegrations(newDesktop func() (integrate.Desktop, error), newHosts func() (nativehost.Hosts, error)) (integrate.Desktop, nativehost.Hosts, error) {
	d, err := newDesktop()
	if err != nil {
		return nil, nativehost.Hosts{}, err
	}
	hosts, err := newHosts()
	if err != nil {
		return nil, nativehost.Hosts{}, err
	}
	return d, hosts, nil
}

// Autostart is `dialbridge autostart on|off|status`: whether dialbridge
// starts at login, so that clicked numbers dial without starting it first.
func Autostart(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error)) error {
	fs, _ := cli.NewFlags("autostart", stderr)
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: 1, OneOf: []string{"on", "off", "status"}, Usage: "autostart needs on, off or status"}); err != nil {
		return err
	}
	args = fs.Args()
	d, err := newDesktop()
	if err != nil {
		return err
	}
	if args[0] != "status" {
		if err := d.SetAutostart(ctx, args[0] == "on"); err != nil {
			return err
		}
	}
	return integrate.WriteAutostart(ctx, d, stdout)
}
