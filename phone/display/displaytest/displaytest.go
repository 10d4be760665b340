// Package displaytest holds the hostile corpus that every output format of
// package display, and every place that shows outside text, is tested
// with: markup, entities, CR/LF, NUL, bidi overrides, a 10 kB name,
// invalid UTF-8.
package displaytest

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

//go:embed testdata/hostile.txt
var corpus string

// Hostile is the display name from the report that started this: markup
// that a notification server would render as a bold "Bank", a link and an
// image it fetches.
const Hostile = `<b>Bank</b> & <a href="https://evil.example/x">pay</a><img src="http://127.0.0.1:9/t.png">`

// Corpus is every string of testdata/hostile.txt (one Go-quoted string a
// line, # for comments). A line that does not parse is a broken corpus,
// reported as an error rather than skipped.
func Corpus() ([]string, error) {
	var out []string
	for i, line := range strings.Split(corpus, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(line)
		if err != nil {
			return nil, fmt.Errorf("hostile.txt line %d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Load is Corpus for a test: a broken corpus fails the test at once.
func Load(t testing.TB) []string {
	t.Helper()
	c, err := Corpus()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
