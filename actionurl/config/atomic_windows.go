//go:build windows

package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic on Windows: renameio has no Windows support, but
// os.Rename there is MoveFileEx with MOVEFILE_REPLACE_EXISTING, which
// replaces the target in one step on NTFS.
func writeFileAtomic(path string, data []byte, perm uint32) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, os.FileMode(perm)); err != nil {
		return fmt.Errorf("setting permissions: %w", err)
	}
	return os.Rename(tmp, path)
}
