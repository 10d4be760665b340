// Command directdial is the baseline that `dialbridge tel:...` is measured
// against: the smallest program that sends the same control-API request
// (POST /api/v1/dial with the per-user token) to a running resident. It
// imports only the standard library, so the gap between its time and the
// real handler's is what dialbridge's own start-up costs.
//
// Usage: DIALBRIDGE_CONFIG=/path/config.toml directdial 'tel:+49 30 1234567'
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Getenv("DIALBRIDGE_CONFIG")); err != nil {
		fmt.Fprintln(os.Stderr, "directdial:", err)
		os.Exit(1)
	}
}

// control is the part of the resident's control.json this program needs.
type control struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

func run(args []string, configPath string) error {
	if len(args) != 1 || configPath == "" {
		return fmt.Errorf("usage: DIALBRIDGE_CONFIG=FILE directdial LINK")
	}
	ctlPath := filepath.Join(filepath.Dir(configPath), "control.json")
	raw, err := os.ReadFile(ctlPath)
	if err != nil {
		return fmt.Errorf("reading the control file: %w", err)
	}
	var c control
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("the control file %s is damaged: %w", ctlPath, err)
	}
	body, err := json.Marshal(map[string]string{"number": args[0], "source": "phone link"})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, c.URL+"/api/v1/dial", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("the control file %s names a bad address: %w", ctlPath, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("sending the dial request to %s: %w", c.URL, err)
	}
	defer res.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the resident answered HTTP %d: %s", res.StatusCode, bytes.TrimSpace(reply))
	}
	return nil
}
