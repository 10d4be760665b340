package phonekeys

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from what the writer sends")

// recorder stands between the driver and a simulated phone and writes
// down every request as it went over the wire.
type recorder struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newRecorder(t *testing.T, phoneURL string) *recorder {
	target, err := url.Parse(phoneURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		line := r.Method + " " + r.URL.RequestURI()
		if len(body) > 0 {
			line += "\n" + string(body)
		}
		rec.mu.Lock()
		rec.got = append(rec.got, line)
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// golden compares got with testdata/NAME.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	want, err := os.ReadFile(path)
	switch {
	case *update:
		err = os.WriteFile(path, []byte(got), 0o644)
	case err == nil && got != string(want):
		t.Errorf("%s:\ngot\n%s\nwant\n%s", path, got, want)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// writerFor is a Writer for the phone of brand at address with cfg's keys
// (which the test may change).
func writerFor(t *testing.T, brand, address string, cfg *config.Config) *Writer {
	t.Helper()
	drv, err := brands.Open(phone.Settings{Brand: brand, Address: address})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Phone.Brand = brand
	return NewWriter(WriterOptions{
		Config: func() config.Config { return *cfg },
		Driver: func() phone.Driver { return drv },
		Token:  func() string { return testToken },
		Base:   func(context.Context) (string, error) { return testBase, nil },
		// phone.model, which the resident's reading of the model takes
		// first.
		Model: func(context.Context) string { return cfg.Phone.Model },
	})
}
