package integrate

import (
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/packaging/programs"

	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// CurrentEnv describes this installation: the front program beside this
// one (what links and autostart must run, whichever of the three programs
// asks; symlinks resolved, so that a desktop entry keeps working when
// /usr/local/bin/dialbridge is a link), os.Getenv and the home directory.
func CurrentEnv() (Env, error) {
	exe, err := programs.Path(programs.Front)
	if err != nil {
		return Env{}, fmt.Errorf("finding dialbridge's own binary: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	home, _ := os.UserHomeDir()
	return Env{Exe: exe, Getenv: os.Getenv, Home: home}, nil
}

// NativeHosts is where this user's browsers look for dialbridge's native
// messaging host (`dialbridge register` installs it there): the manifests
// start env.Exe, the front program.
func NativeHosts(env Env) nativehost.Hosts {
	return nativehost.Hosts{Exe: env.Exe, Browsers: nativehost.UserBrowsers(runtime.GOOS, env.Home, env.Getenv), Registry: userRegistry()}
}
