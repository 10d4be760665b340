package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteLaysOutEverySize(t *testing.T) {
	f, err := os.Open("../../assets/icons/app.ico")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := t.TempDir()
	written, err := write(f, "dialbridge", dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"16x16": true, "32x32": true, "48x48": true, "256x256": true}
	for _, p := range written {
		rel, _ := filepath.Rel(dir, p)
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 3 || parts[1] != "apps" || parts[2] != "dialbridge.png" {
			t.Errorf("unexpected path %s", rel)
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if got := fmt.Sprintf("%dx%d", cfg.Width, cfg.Height); got != parts[0] {
			t.Errorf("%s is %s", rel, got)
		}
		delete(want, parts[0])
	}
	if len(want) > 0 {
		t.Errorf("sizes missing: %v", want)
	}
}

func TestWriteRejectsWhatIsNotAnIcon(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if _, err := write(&buf, "dialbridge", t.TempDir()); err == nil || !strings.Contains(err.Error(), "reading the icon") {
		t.Errorf("got %v", err)
	}
}
