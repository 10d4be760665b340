//go:build !linux

package idlemem

// fileRegions finds nothing: only Linux is known to keep the pages of the
// program file mapped after start-up in a way one can undo safely.
func fileRegions(string) ([]Region, error) { return nil, nil }

// dropPages has nothing to drop where fileRegions finds nothing.
func dropPages(string, []Region) (Stats, error) { return Stats{}, nil }
