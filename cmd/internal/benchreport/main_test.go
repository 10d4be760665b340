package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/BENCHMARKS.golden")

// TestReport turns a sample of make bench's output into BENCHMARKS.md and
// compares it with the golden file: medians, spreads, ratios and, above
// all, whether each goal is met, which is what a reader of the file acts
// on. Measurements missing from the sample are "not measured", never met.
func TestReport(t *testing.T) {
	got := sampleReport(t, machine{date: "2026-11-24 01:11 UTC", hardware: "test CPU, 2 cores, 24 GiB memory",
		system: "Linux x86_64", goVersion: "go version go1.26 linux/amd64"})
	golden := filepath.Join("testdata", "BENCHMARKS.golden")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("report differs from %s (go test -update to accept):\n%s", golden, got.String())
	}
}

// TestGoals checks the lines that judge, one by one, so that a changed
// golden file cannot quietly turn a "no" into a "yes".
func TestGoals(t *testing.T) {
	out := sampleReport(t, machine{})
	tests := []struct {
		row, want string
	}{
		// median 160 vs 70 µs: 2.29×
		{"| Dial latency, p50", "| 160 p50-µs | 70.00 p50-µs | 2.29× | ≤ 2.5× | yes |"},
		// median of 13.5, 13.7, 16.0
		{"| Idle resident RSS", "| 13.70 MiB-rss | 6.80 MiB-rss | 2.01× | ≤ 15 MiB | yes |"},
		{"| Event storm, 10,000 events from 32 phones at 2,000", "| 2.16 event-to-crm-p99-ms | — | — | ≤ 5 ms | yes |"},
		{"| Event storm at saturation (", "| 7.80 event-to-crm-p99-ms | — | — | ≤ 5 ms | **no** |"},
		{"| Link latency, p50", "| not measured | | | | |"},
		// median 310 vs 120 µs: 2.58×, just over the goal
		{"| Dial latency at one dial every 3 s after idle (as people dial), p50", "| 310 p50-µs | 120 p50-µs | 2.58× | ≤ 2.5× | **no** |"},
		// median p99 4800 µs, within 5 ms
		{"| Dial latency at one dial every 3 s after idle, p99", "| 4800 p99-µs | 700 p99-µs | 6.86× | ≤ 5 ms | yes |"},
	}
	for _, tt := range tests {
		var got string
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(l, tt.row) {
				got = l
			}
		}
		if !strings.HasSuffix(got, tt.want) {
			t.Errorf("%s…: got %q, want it to end in %q", tt.row, got, tt.want)
		}
	}
}

// sampleReport is the report on m of the sample of make bench's output in
// testdata.
func sampleReport(t *testing.T, m machine) *bytes.Buffer {
	t.Helper()
	samples := map[string]*sample{}
	var order []string
	if err := read(filepath.Join("testdata", "bench.txt"), samples, &order); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	write(&out, m, samples, order)
	return &out
}
