// Package idlemem gives back the memory that starting the resident needed
// and waiting does not, so that a program people keep running all day
// shows, and holds, only what it uses while it waits.
//
// Two kinds of memory are left over after start-up:
//   - heap the start-up produced and dropped (decoding the numbering plans,
//     opening the journal, reading the config), which Go's collector would
//     hand back to the system only slowly;
//   - pages of the program file itself: every package's initialization
//     touches code and data spread over most of the binary, and the kernel
//     maps them in 64 KiB batches. They are clean, read-only copies of the
//     file, still in the page cache after Release drops them from this
//     process, so a later use maps them again without reading the disk.
//
// Writable pages (data, heap, stacks) are never touched.
package idlemem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync"
)

// Region is a mapping of the program file that holds no writable data.
type Region struct {
	Start, End uintptr
}

// Size is the region's length in bytes.
func (r Region) Size() uintptr { return r.End - r.Start }

// Stats says what Release gave back.
type Stats struct {
	// Regions is the number of read-only mappings of the program file.
	Regions int
	// Bytes is their total size (an upper bound of what left the RSS).
	Bytes uintptr
}

// Releaser gives back memory of this process and of its program file.
// It reads the memory map once: the program's mappings do not move while
// it runs, and a periodic release should cost only the madvise calls.
type Releaser struct {
	exe     string
	once    sync.Once
	regions []Region
	err     error
}

// Self returns a Releaser for the running program's own file (symlinks
// resolved, as the kernel names it in /proc/self/maps).
func Self() (*Releaser, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return nil, fmt.Errorf("finding the program file: %w", err)
	}
	return &Releaser{exe: exe}, nil
}

// Release returns unused heap to the system and, where the system allows
// (Linux), unmaps the read-only pages of the program file from this
// process. It is meant to run once, when start-up has settled.
func (r *Releaser) Release() (Stats, error) {
	debug.FreeOSMemory()
	return r.ReleaseFile()
}

// ReleaseFile is Release without the garbage collection: cheap enough
// (a few microseconds, and the pages used next come back from the page
// cache) to follow a periodic piece of work that touched code the
// resident needs only for it.
func (r *Releaser) ReleaseFile() (Stats, error) {
	r.once.Do(func() { r.regions, r.err = fileRegions(r.exe) })
	if r.err != nil {
		return Stats{}, r.err
	}
	return dropPages(r.exe, r.regions)
}

// ParseMaps returns the read-only, private mappings of the file exe in a
// /proc/PID/maps listing: its code ("r-xp") and constant data ("r--p").
// Lines that do not have the documented shape are skipped; a listing that
// names exe with a malformed address is an error, so that Release never
// acts on a misread range.
func ParseMaps(data []byte, exe string) ([]Region, error) {
	var out []Region
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// address perms offset dev inode [path]
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 {
			continue
		}
		path := string(bytes.Join(f[5:], []byte(" ")))
		if path != exe {
			continue
		}
		perms := string(f[1])
		if perms != "r-xp" && perms != "r--p" {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			return nil, fmt.Errorf("the mapping %q of %s has no address range", f[0], exe)
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			return nil, fmt.Errorf("the mapping %q of %s has a bad address range", f[0], exe)
		}
		out = append(out, Region{Start: uintptr(start), End: uintptr(end)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the memory map: %w", err)
	}
	return out, nil
}

// Without returns regions with every byte of cut removed, splitting a
// region that cut falls inside.
func Without(regions []Region, cut Region) []Region {
	var out []Region
	for _, r := range regions {
		if cut.End <= r.Start || cut.Start >= r.End {
			out = append(out, r)
			continue
		}
		if r.Start < cut.Start {
			out = append(out, Region{r.Start, cut.Start})
		}
		if cut.End < r.End {
			out = append(out, Region{cut.End, r.End})
		}
	}
	return out
}
