// Command benchstartup measures how long `dialbridge serve` takes from
// process start to a listener that answers, in Go benchmark lines
// ("BenchmarkStartup/serve 1 12.3 ms") for benchreport.
//
// Usage: benchstartup -bin bin/dialbridge -n 10
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/dialbridge", "the dialbridge binary")
	n := flag.Int("n", 10, "runs")
	flag.Parse()
	for i := 0; i < *n; i++ {
		d, err := once(*bin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchstartup:", err)
			os.Exit(1)
		}
		fmt.Printf("BenchmarkStartup/serve 1 %.2f ms\n", float64(d.Microseconds())/1000)
	}
}

// once starts serve with a demo config on a free port and polls the
// listener until it answers.
func once(bin string) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "benchstartup")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[listener]\nport = %d\n", port)), 0o600); err != nil {
		return 0, err
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/api/v1/ping", port)
	hc := &http.Client{Timeout: time.Second}
	start := time.Now()
	cmd := exec.Command(bin, "serve", "--config", cfg)
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for time.Since(start) < 20*time.Second {
		// Any answer (401 without the token) means the listener is up.
		if res, err := hc.Get(url); err == nil {
			res.Body.Close()
			return time.Since(start), nil
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("dialbridge serve did not answer within 20 s")
}
