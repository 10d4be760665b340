package assets

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	ico "github.com/sergeymakinen/go-ico"

	"github.com/dialbridge/dialbridge/assets/internal/iconart"
)

// TestIconFilesUpToDate fails when the committed icons differ from what the
// drawing code makes: run `go generate ./assets` and commit the result.
func TestIconFilesUpToDate(t *testing.T) {
	want, err := iconart.Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join("icons", name))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./assets)", name, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("icons/%s is stale: run go generate ./assets", name)
		}
	}
	entries, err := os.ReadDir("icons")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("icons/%s is not made by the generator: remove it", e.Name())
		}
	}
}

func TestTrayPNGs(t *testing.T) {
	seen := map[string]TrayIcon{}
	for _, s := range TrayIcons() {
		data := TrayPNG(s)
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if got := img.Bounds().Size(); got != (image.Point{64, 64}) {
			t.Errorf("%s: size %v, want 64x64", s, got)
		}
		// Corners transparent (a disc), centre opaque.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s: corner alpha %d, want transparent", s, a)
		}
		if _, _, _, a := img.At(32, 32).RGBA(); a != 0xffff {
			t.Errorf("%s: centre alpha %d, want opaque", s, a)
		}
		if prev, dup := seen[string(data)]; dup {
			t.Errorf("%s looks exactly like %s", s, prev)
		}
		seen[string(data)] = s
		if !bytes.Equal(Tray(s), trayNative(s)) {
			t.Errorf("%s: Tray differs from the native form", s)
		}
	}
}

// TestICOsDecode reads the ICO files with an independent decoder and
// compares every entry with the drawing it was made from.
func TestICOsDecode(t *testing.T) {
	cases := []struct {
		file  string
		sizes []int
		draw  func(size int) image.Image
	}{
		{"app.ico", iconart.AppICOSizes, func(n int) image.Image { return iconart.RenderApp(n) }},
	}
	for _, s := range iconart.TrayStates() {
		cases = append(cases, struct {
			file  string
			sizes []int
			draw  func(size int) image.Image
		}{"tray-" + string(s) + ".ico", iconart.TrayICOSizes, func(n int) image.Image { return iconart.RenderTray(s, n) }})
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("icons", c.file))
			if err != nil {
				t.Fatal(err)
			}
			imgs, err := ico.DecodeAll(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != len(c.sizes) {
				t.Fatalf("%d images, want %d", len(imgs), len(c.sizes))
			}
			for i, img := range imgs {
				size := c.sizes[i]
				if got := img.Bounds().Dx(); got != size {
					t.Errorf("entry %d: %d pixels, want %d", i, got, size)
					continue
				}
				want := c.draw(size)
				if d := maxDiff(img, want); d > 1 {
					t.Errorf("%dpx entry differs from the drawing by up to %d levels", size, d)
				}
			}
		})
	}
}

// maxDiff is the largest difference of any channel (straight alpha, 0-255)
// between two images of the same size.
func maxDiff(a, b image.Image) int {
	worst := 0
	r := a.Bounds()
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			ca := color.NRGBAModel.Convert(a.At(r.Min.X+x, r.Min.Y+y)).(color.NRGBA)
			cb := color.NRGBAModel.Convert(b.At(b.Bounds().Min.X+x, b.Bounds().Min.Y+y)).(color.NRGBA)
			if ca.A == 0 && cb.A == 0 {
				continue
			}
			for _, d := range []int{int(ca.R) - int(cb.R), int(ca.G) - int(cb.G), int(ca.B) - int(cb.B), int(ca.A) - int(cb.A)} {
				if d < 0 {
					d = -d
				}
				worst = max(worst, d)
			}
		}
	}
	return worst
}

func TestAppPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(AppPNG()))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != (image.Point{256, 256}) {
		t.Errorf("size %v, want 256x256", got)
	}
}
