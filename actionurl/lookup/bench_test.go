//go:build linux

package lookup

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// benchBook writes n contacts as a vCard 4 file, with the spellings
// address books hold: nine in ten international ("+49 30 …",
// "tel:+49-30-…"), one in ten national ("030 …").
func benchBook(b *testing.B, n int) (path string, numbers []string) {
	var buf bytes.Buffer
	for i := range n {
		nr := fmt.Sprintf("%07d", 1000000+i)
		var tel string
		switch i % 10 {
		case 0:
			tel = "TEL:030 " + nr
		case 1, 2, 3, 4:
			tel = "TEL;VALUE=uri:tel:+49-30-" + nr
		default:
			tel = "TEL:+49 30 " + nr
		}
		fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Contact %d Example\r\nORG:Company %d\r\n%s\r\nEND:VCARD\r\n", i, i%500, tel)
		numbers = append(numbers, "030"+nr)
	}
	path = filepath.Join(b.TempDir(), "contacts.vcf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path, numbers
}

// rss is the resident memory of the process, from /proc (Linux only).
func rss() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkVCard100k loads 100,000 contacts from a vCard file (the load
// must take at most a second and add at most 15 MB of resident memory once
// the reading's garbage is returned) and looks numbers up in it (at most
// 50 µs each, the dialing rules' reading of the number included).
func BenchmarkVCard100k(b *testing.B) {
	path, numbers := benchBook(b, 100_000)
	key := dialplan.Keyer(berlin)
	b.Run("load", func(b *testing.B) {
		var src *FileSource
		debug.FreeOSMemory()
		before, cpu0 := rss(), cpuTime()
		for b.Loop() {
			src = NewVCardSource(path, key)
			if _, n, err := src.Status(); err != nil || n != 100_000 {
				b.Fatalf("loaded %d numbers, error %v", n, err)
			}
		}
		// The machine the benchmarks run on is shared, so the CPU time
		// the load took is reported beside the wall time.
		b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		debug.FreeOSMemory()
		b.ReportMetric(float64(rss()-before)/(1<<20), "MB-rss-added")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MB-heap-inuse")
		runtime.KeepAlive(src)
	})
	b.Run("lookup", func(b *testing.B) {
		src := NewVCardSource(path, key)
		src.Status()
		i := 0
		for b.Loop() {
			nr := numbers[i%len(numbers)]
			i += 7919
			if _, ok, err := src.Find(b.Context(), Number{Raw: nr, Key: key(nr)}); !ok || err != nil {
				b.Fatalf("%s not found: %v", nr, err)
			}
		}
	})
}
