//go:build !windows

package config

import (
	"os"

	"github.com/google/renameio/v2"
)

func writeFileAtomic(path string, data []byte, perm uint32) error {
	return renameio.WriteFile(path, data, os.FileMode(perm))
}
