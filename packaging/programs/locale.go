package programs

import (
	"os"
	"slices"
	"strings"
)

// Environ is the environment to start another of dialbridge's programs
// with: this process's, except that a C or POSIX locale with a codeset
// (LANG=C.UTF-8, the default in containers and on many servers) also gets
// LANGUAGE=en. The toolkit's locale lookup reads "C.UTF-8" as a language
// called "C", cannot parse it and logs three lines of errors from its
// package initialisation, before any of dialbridge's code could intervene.
// A C or POSIX locale means English, so saying so changes no word shown,
// and the plain "C" and "POSIX" the lookup already understands are left
// alone.
func Environ() []string {
	return environ(os.Environ())
}

// environ is Environ over a given environment.
func environ(env []string) []string {
	get := func(key string) (string, bool) {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], key+"="); ok {
				return v, true
			}
		}
		return "", false
	}
	if v, _ := get("LANGUAGE"); v != "" {
		return env
	}
	// The first of these that is set decides, as in the C library.
	for _, key := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, _ := get(key)
		if v == "" {
			continue
		}
		name, _, _ := strings.Cut(v, ".")
		if _, codeset, ok := strings.Cut(v, "."); ok && codeset != "" && (name == "C" || name == "POSIX") {
			// Replaced, not added: with a key twice, programs disagree
			// on which one counts.
			out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "LANGUAGE=") })
			return append(out, "LANGUAGE=en")
		}
		return env
	}
	return env
}
