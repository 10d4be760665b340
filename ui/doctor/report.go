package doctor

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// Write prints the report: one line per link, or the JSON document for
// scripts.
func (r Report) Write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	for _, l := range r.Lines() {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// Err is nil when every link holds, else the sentence naming the first
// broken link, for the exit status.
func (r Report) Err() error {
	if r.OK() {
		return nil
	}
	for _, c := range r.Checks {
		if c.Link == r.FirstBroken {
			return errors.New(lang.X("doctor.first_broken", "the first broken link is {{.Link}}: {{.Message}}", map[string]any{"Link": string(c.Link), "Message": c.Message}))
		}
	}
	return errors.New(string(r.FirstBroken))
}

// Bundle is what a support zip holds besides the report.
type Bundle struct {
	// ConfigPath is the config file; its secrets are left out.
	ConfigPath string
	// Version is dialbridge's version.
	Version string
	// Now stamps the zip's files.
	Now time.Time
}

// logLines is how much of the resident's failure report goes in.
const logLines = 200

// WriteBundle writes the support zip: the config file without its
// secret (the pairing token; passwords live in the keyring and are never
// read here), the last lines of what the resident logged where dialbridge
// keeps it (start-failure.txt beside the config file), the versions, and
// the report as text and JSON.
func WriteBundle(w io.Writer, r Report, b Bundle) error {
	z := zip.NewWriter(w)
	add := func(name string, body []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.Now})
		if err != nil {
			return err
		}
		_, err = f.Write(body)
		return err
	}
	var text strings.Builder
	_ = r.Write(&text, false)
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	versions := fmt.Sprintf("dialbridge %s\ngo %s\nos %s/%s\n", b.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	files := []struct {
		name string
		body []byte
	}{
		{"doctor.txt", []byte(text.String())},
		{"doctor.json", js},
		{"versions.txt", []byte(versions)},
		{"config.toml", redactedConfig(b.ConfigPath)},
		{"log.txt", lastLines(control.StartFailurePath(b.ConfigPath), logLines)},
	}
	for _, f := range files {
		if err := add(f.name, f.body); err != nil {
			return fmt.Errorf("writing %s into the support zip: %w", f.name, err)
		}
	}
	return z.Close()
}

// redactedConfig is the config file with the pairing token replaced, or
// why it could not be read.
func redactedConfig(path string) []byte {
	cfg, err := config.Load(path)
	if err != nil {
		return []byte("# " + err.Error() + "\n")
	}
	if cfg.Phone.PairingToken != "" {
		cfg.Phone.PairingToken = "REDACTED"
	}
	return config.Render(cfg)
}

// lastLines is the end of the file at path, or a line saying there is
// none.
func lastLines(path string, n int) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		return []byte("# " + err.Error() + "\n")
	}
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return []byte(strings.Join(lines, ""))
}
