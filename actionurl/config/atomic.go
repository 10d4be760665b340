package config

// WriteFileAtomic replaces path with data so that a reader (or a crash)
// sees either the old file or the new one, never a mix: the data goes to a
// temporary file in the same directory, is synced, and is renamed over
// path. The config file and the control file are both written this way.
func WriteFileAtomic(path string, data []byte, perm uint32) error {
	return writeFileAtomic(path, data, perm)
}
