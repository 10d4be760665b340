// Command benchreport turns benchmark output into BENCHMARKS.md. Every
// measurement of `make bench` (Go benchmarks and the scripts that time whole
// processes) is printed in Go's benchmark line format, run several times;
// this tool groups the lines by name and unit, reports median and spread,
// and sets each measurement beside the reference it is judged against.
//
// Usage: benchreport -o BENCHMARKS.md FILE...
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sample is all values of one benchmark name and unit.
type sample struct {
	name, unit string
	values     []float64
}

// comparison sets a measurement beside its reference, with the goal for
// their ratio (or an absolute limit) from issue 10.
type comparison struct {
	title            string
	name, ref, unit  string
	maxRatio         float64 // 0: no ratio goal
	absName, absUnit string  // optional absolute goal
	absLimit         float64
	absLimitSentence string
}

var comparisons = []comparison{
	{title: "Dial latency, p50 (listener hop vs direct to the phone)", name: "DialLatency/via-listener", ref: "DialLatency/direct-to-phone", unit: "p50-µs", maxRatio: 2.5},
	{title: "Dial latency, p99", name: "DialLatency/via-listener", ref: "DialLatency/direct-to-phone", unit: "p99-µs"},
	{title: "Dial latency at one dial every 3 s after idle (as people dial), p50: `dialbridge serve` vs direct to the phone", name: "DialLatencySpaced/via-listener", ref: "DialLatencySpaced/direct-to-phone", unit: "p50-µs", maxRatio: 2.5},
	{title: "Dial latency at one dial every 3 s after idle, p99", name: "DialLatencySpaced/via-listener", ref: "DialLatencySpaced/direct-to-phone", unit: "p99-µs",
		absName: "DialLatencySpaced/via-listener", absUnit: "p99-µs", absLimit: 5000, absLimitSentence: "≤ 5 ms"},
	{title: "Link latency, p50 (`dialbridge tel:` vs a minimal direct client)", name: "LinkLatency/dialbridge-tel", ref: "LinkLatency/direct", unit: "p50-ms", maxRatio: 1.5},
	{title: "Link latency, p99", name: "LinkLatency/dialbridge-tel", ref: "LinkLatency/direct", unit: "p99-ms"},
	{title: "Idle resident RSS (vs a bare fyne.io/systray program)", name: "IdleResident", ref: "IdleBareTray", unit: "MiB-rss", absName: "IdleResident", absUnit: "MiB-rss", absLimit: 15, absLimitSentence: "≤ 15 MiB"},
	{title: "Idle resident CPU over 30 s", name: "IdleResident", ref: "IdleBareTray", unit: "%cpu", absName: "IdleResident", absUnit: "%cpu", absLimit: 0.1, absLimitSentence: "≤ 0.1 %"},
	{title: "Window open time (tray request → window mapped, vs a minimal Fyne window)", name: "WindowOpen/dialpad", ref: "WindowOpen/minimal-fyne", unit: "ms-to-map"},
	{title: "Start-up (`dialbridge serve` → listener ready)", name: "Startup/serve", unit: "ms"},
	{title: "Event storm, 10,000 events from 32 phones at 2,000 events/s: p99 event → CRM request (fast CRM)", name: "EventStorm/paced-2000-per-s", unit: "event-to-crm-p99-ms", absName: "EventStorm/paced-2000-per-s", absUnit: "event-to-crm-p99-ms", absLimit: 5, absLimitSentence: "≤ 5 ms"},
	{title: "Event storm at 4,000 events/s: p99 event → CRM request", name: "EventStorm/paced-4000-per-s", unit: "event-to-crm-p99-ms"},
	{title: "Event storm at saturation (each phone sends its next event when answered): p99 event → CRM request", name: "EventStorm/saturation-fast-crm", unit: "event-to-crm-p99-ms", absName: "EventStorm/saturation-fast-crm", absUnit: "event-to-crm-p99-ms", absLimit: 5, absLimitSentence: "≤ 5 ms"},
	{title: "Browser extension: a page of 10,000 numbers marked (the content script's pass, headless Chromium)", name: "ExtensionMarks10000Numbers", unit: "ms/page", absName: "ExtensionMarks10000Numbers", absUnit: "ms/page", absLimit: 200, absLimitSentence: "≤ 200 ms"},
	{title: "Browser extension: main-thread CPU of that page, marking on minus off (the pass and the page's re-layout)", name: "ExtensionMarks10000Numbers", unit: "cpu-ms/page"},
	{title: "Event storm at saturation: events taken in per second, a CRM taking 2 s vs a fast CRM", name: "EventStorm/saturation-slow-crm", ref: "EventStorm/saturation-fast-crm", unit: "events/s"},
}

// stormNote says how the event storm is measured, since its two kinds of
// run answer different questions (see BenchmarkEventStorm).
const stormNote = `## How the event storm is measured

The storm is 10,000 phone events (2,500 calls: incoming, connected, hold, disconnected) sent by 32 phones into the
real listener, each URL fired at a CRM on 127.0.0.1, on the same 2 cores as dialbridge. Every run fails on a lost or
repeated request.

- **Paced** (` + "`paced-N-per-s`" + `): the events go out at a fixed rate, as phones send them, whether or not dialbridge
  has answered the last one. The latency runs from the moment an event is sent (or was due, when its phone was still
  waiting for an answer) to its request's arrival at the CRM. 2,000 events/s is 500 calls a second, far beyond what
  the phones of a whole office send, and well below the saturation point, so it measures how quickly a CRM hears
  of an event, not how long a queue is.
- **Saturation** (` + "`saturation-*`" + `): every phone sends its next event the moment the last one is answered, so 32
  requests are always in flight. This measures how many events dialbridge can take in, and that a CRM taking 2 s
  per request does not slow that down. Its latencies are those of a queue kept full on purpose: the mean wait is
  32 ÷ throughput (Little's law), so the p99 shows the cost per event, not a delay a desk would see.
`

var lineRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	out := flag.String("o", "BENCHMARKS.md", "output file")
	flag.Parse()
	samples := map[string]*sample{}
	var order []string
	for _, f := range flag.Args() {
		if err := read(f, samples, &order); err != nil {
			fmt.Fprintln(os.Stderr, "benchreport:", err)
			os.Exit(1)
		}
	}
	w, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	defer w.Close()
	write(w, thisMachine(), samples, order)
}

// machine is what BENCHMARKS.md says of where and when it was measured.
type machine struct {
	date, hardware, system, goVersion string
}

func thisMachine() machine {
	return machine{
		date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		hardware:  fmt.Sprintf("%s, %d cores, %s", cpuModel(), runtime.NumCPU(), memTotal()),
		system:    strings.TrimSpace(run("uname", "-srm")),
		goVersion: strings.TrimSpace(run("go", "version")),
	}
}

func read(path string, samples map[string]*sample, order *[]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := parse(f, samples, order); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// parse collects the benchmark lines of r into samples; other lines (the
// scripts' progress, go test's headers) are skipped.
func parse(r io.Reader, samples map[string]*sample, order *[]string) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		name := strings.TrimPrefix(m[1], "Benchmark")
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			key := name + "\x00" + fields[i+1]
			s, ok := samples[key]
			if !ok {
				s = &sample{name: name, unit: fields[i+1]}
				samples[key] = s
				*order = append(*order, key)
			}
			s.values = append(s.values, v)
		}
	}
	return sc.Err()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func get(samples map[string]*sample, name, unit string) *sample {
	return samples[name+"\x00"+unit]
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func spread(s *sample) string {
	lo, hi := slices.Min(s.values), slices.Max(s.values)
	return fmt.Sprintf("%s – %s (%d runs)", num(lo), num(hi), len(s.values))
}

func write(w io.Writer, m machine, samples map[string]*sample, order []string) {
	fmt.Fprintln(w, "# dialbridge benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Written by `make bench` (see `.ci/bench.sh`); every number is the median of several runs, with the")
	fmt.Fprintln(w, "lowest and highest beside it. Reproduce with `make bench` on a fresh clone.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- date: %s\n", m.date)
	fmt.Fprintf(w, "- machine: %s\n", m.hardware)
	fmt.Fprintf(w, "- system: %s\n", m.system)
	fmt.Fprintf(w, "- Go: %s\n", m.goVersion)
	tableHead(w, "Side by side", "measurement", "dialbridge", "reference", "ratio", "goal", "met")
	for _, c := range comparisons {
		s := get(samples, c.name, c.unit)
		if s == nil {
			fmt.Fprintf(w, "| %s | not measured | | | | |\n", c.title)
			continue
		}
		med := median(s.values)
		refCol, ratioCol, goal, met := "—", "—", "—", "—"
		if r := get(samples, c.ref, c.unit); c.ref != "" && r != nil {
			rm := median(r.values)
			refCol = fmt.Sprintf("%s %s", num(rm), c.unit)
			if rm > 0 {
				ratio := med / rm
				ratioCol = fmt.Sprintf("%.2f×", ratio)
				if c.maxRatio > 0 {
					goal = fmt.Sprintf("≤ %.1f×", c.maxRatio)
					met = yes(ratio <= c.maxRatio)
				}
			}
		}
		if c.absLimit > 0 {
			if a := get(samples, c.absName, c.absUnit); a != nil {
				if goal == "—" {
					goal, met = c.absLimitSentence, yes(median(a.values) <= c.absLimit)
				} else {
					goal += ", " + c.absLimitSentence
					met = yes(met == "yes" && median(a.values) <= c.absLimit)
				}
			}
		}
		fmt.Fprintf(w, "| %s | %s %s | %s | %s | %s | %s |\n", c.title, num(med), c.unit, refCol, ratioCol, goal, met)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, stormNote)
	tableHead(w, "Every measurement", "benchmark", "unit", "median", "spread")
	for _, k := range order {
		s := samples[k]
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", s.name, s.unit, num(median(s.values)), spread(s))
	}
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func run(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return string(out)
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "unknown memory"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "MemTotal:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return fmt.Sprintf("%.0f GiB memory", kb/1024/1024)
			}
		}
	}
	return "unknown memory"
}

// tableHead starts a section of the report with a Markdown table: the
// heading, the column names and the separator row, whose cell count must
// match the header's for the table to render.
func tableHead(w io.Writer, title string, columns ...string) {
	fmt.Fprintf(w, "\n## %s\n\n", title)
	fmt.Fprintf(w, "| %s |\n", strings.Join(columns, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(columns)))
}
