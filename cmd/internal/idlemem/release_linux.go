//go:build linux

package idlemem

import (
	"debug/elf"
	"fmt"
	"os"
	"syscall"
)

// fileRegions finds the pages of exe that dropPages may give back: its
// read-only mappings, less anything the dynamic loader wrote.
func fileRegions(exe string) ([]Region, error) {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return nil, fmt.Errorf("reading this process's memory map: %w", err)
	}
	regions, err := ParseMaps(data, exe)
	if err != nil {
		return nil, err
	}
	return notRelocated(exe, regions)
}

// dropPages drops regions of exe from this process with
// madvise(MADV_DONTNEED). For a private file mapping that was never
// written, that only removes the page table entries: the next access
// faults the page back in from the page cache, unchanged. Go does not
// write to its code or constant data, and a Go binary is not relocated
// at load time, so no such page holds anything but the file's bytes.
func dropPages(exe string, regions []Region) (Stats, error) {
	var st Stats
	for _, r := range regions {
		// The raw call takes the addresses as numbers: these pages are
		// the kernel's mapping of the file, not memory Go manages.
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, r.Start, r.Size(), syscall.MADV_DONTNEED); errno != 0 {
			return st, fmt.Errorf("releasing %#x-%#x of %s: %w", r.Start, r.End, exe, errno)
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
