//go:build linux

package idlemem

import (
	"debug/elf"
	"fmt"
	"os"
	"syscall"
)

// releaseFile drops the read-only pages of exe from this process with
// madvise(MADV_DONTNEED). For a private file mapping that was never
// written, that only removes the page table entries: the next access
// faults the page back in from the page cache, unchanged. Go does not
// write to its code or constant data, and a Go binary is not relocated
// at load time, so no such page holds anything but the file's bytes.
func releaseFile(exe string) (Stats, error) {
	if os.Getpagesize() <= 0 {
		return Stats{}, nil
	}
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return Stats{}, fmt.Errorf("reading this process's memory map: %w", err)
	}
	regions, err := ParseMaps(data, exe)
	if err != nil {
		return Stats{}, err
	}
	regions, err = notRelocated(exe, regions)
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	for _, r := range regions {
		// MADV_RANDOM first: from now on a page used again comes back
		// alone, not with the 64 KiB around it (fault-around and
		// read-ahead are off for such a mapping), so what stays mapped
		// while waiting is what waiting uses. The raw calls take the
		// addresses as numbers: these pages are the kernel's mapping of
		// the file, not memory Go manages.
		for _, advice := range []uintptr{syscall.MADV_RANDOM, syscall.MADV_DONTNEED} {
			if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, r.Start, r.Size(), advice); errno != 0 {
				return st, fmt.Errorf("releasing %#x-%#x of %s: %w", r.Start, r.End, exe, errno)
			}
		}
		st.Regions++
		st.Bytes += r.Size()
	}
	return st, nil
}

// notRelocated keeps of regions only pages the dynamic loader cannot have
// written: it answers nothing for a position-independent binary (every
// page may be relocated), and cuts out the RELRO segment of a dynamically
// linked one (the GOT, written at load time, then made read-only; giving
// it back would revert it to the file's unrelocated bytes).
func notRelocated(exe string, regions []Region) ([]Region, error) {
	f, err := elf.Open(exe)
	if err != nil {
		return nil, fmt.Errorf("reading the program headers of %s: %w", exe, err)
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC {
		return nil, nil
	}
	page := uint64(os.Getpagesize())
	for _, p := range f.Progs {
		if p.Type != elf.PT_GNU_RELRO {
			continue
		}
		lo := p.Vaddr &^ (page - 1)
		hi := (p.Vaddr + p.Memsz + page - 1) &^ (page - 1)
		regions = Without(regions, Region{Start: uintptr(lo), End: uintptr(hi)})
	}
	return regions, nil
}
