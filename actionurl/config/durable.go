package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// KeepBrokenAside moves a config file that does not load (a typo, a key of
// a newer version, a file cut short by a crash of another program) out of
// the way, to PATH.broken-YYYYMMDD-HHMMSS, so that the app can write a new
// one without destroying what an admin wrote. It returns the name it was
// kept under, or "" when the file loads or does not exist. The broken file
// is never changed, only renamed; it is never moved merely for being read.
func KeepBrokenAside(path string, now time.Time) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the config file before replacing it (nothing was written): %w", err)
	}
	if _, err := Parse(data); err == nil {
		return "", nil
	}
	base := path + ".broken-" + now.UTC().Format("20060102-150405")
	for i := 1; i <= 100; i++ {
		aside := base
		if i > 1 {
			aside = fmt.Sprintf("%s-%d", base, i)
		}
		// A hard link never replaces an existing file, so an earlier
		// broken copy from the same second survives; the old name is
		// removed only once the new one exists.
		err := os.Link(path, aside)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// No hard links here (some network or FAT file systems): a
			// rename after checking that the name is free.
			if _, serr := os.Lstat(aside); serr == nil {
				continue
			}
			if err := os.Rename(path, aside); err != nil {
				return "", fmt.Errorf("keeping the broken config file aside as %s (nothing was written): %w", aside, err)
			}
			return aside, nil
		}
		if err := os.Remove(path); err != nil {
			return "", fmt.Errorf("keeping the broken config file aside as %s (nothing was written): %w", aside, err)
		}
		return aside, nil
	}
	return "", fmt.Errorf("keeping the broken config file aside: 100 copies named %s-N exist already; remove some", base)
}
