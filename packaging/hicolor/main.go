// Command hicolor lays out the application icon for the freedesktop icon
// theme: one PNG per size in the Windows .ico that assets/ draws natively
// (16 to 256 pixels), as DIR/NxN/apps/NAME.png, the tree that the .deb
// installs under /usr/share/icons/hicolor. Taking the .ico's images keeps
// each size hand-tuned instead of scaled from the 256-pixel PNG.
//
// Usage: go run ./packaging/hicolor -ico assets/icons/app.ico -name dialbridge -out DIR
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/sergeymakinen/go-ico"
)

func main() {
	icoPath := flag.String("ico", "assets/icons/app.ico", "the application icon")
	name := flag.String("name", "dialbridge", "the icon name (Icon= of the desktop entry)")
	out := flag.String("out", "", "the hicolor directory to fill")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "hicolor: -out is required")
		os.Exit(2)
	}
	f, err := os.Open(*icoPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hicolor:", err)
		os.Exit(1)
	}
	defer f.Close()
	written, err := write(f, *name, *out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "hicolor: %s: %v\n", *icoPath, err)
		os.Exit(1)
	}
	for _, p := range written {
		fmt.Println(p)
	}
}

// write decodes every image of the ICO in r and writes it as
// dir/NxN/apps/name.png, returning the paths written.
func write(r io.Reader, name, dir string) ([]string, error) {
	imgs, err := ico.DecodeAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the icon: %w", err)
	}
	if len(imgs) == 0 {
		return nil, errors.New("the icon holds no image")
	}
	var written []string
	for _, img := range imgs {
		b := img.Bounds()
		if b.Dx() != b.Dy() {
			return nil, fmt.Errorf("the %dx%d image is not square, which the icon theme needs", b.Dx(), b.Dy())
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("encoding the %dx%d image: %w", b.Dx(), b.Dy(), err)
		}
		p := filepath.Join(dir, fmt.Sprintf("%dx%d", b.Dx(), b.Dy()), "apps", name+".png")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		written = append(written, p)
	}
	return written, nil
}
