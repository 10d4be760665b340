package iconart

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// TrayPNGSize is the side of the tray PNG used on Linux and macOS: large
// enough for a 2× panel, which the tray host scales down smoothly.
const TrayPNGSize = 64

// TrayICOSizes are the sizes in a tray ICO: Windows picks the small-icon
// size for the display scale (16 at 100 %, 20 at 125 %, 24 at 150 %, 32 at
// 200 % ...), and each is drawn natively rather than scaled.
var TrayICOSizes = []int{16, 20, 24, 32, 40, 48, 64}

// AppPNGSize is the side of the application icon PNG (windows, About,
// notifications, the .desktop file).
const AppPNGSize = 256

// AppICOSizes are the sizes in the application ICO (the Windows .exe).
var AppICOSizes = []int{16, 24, 32, 48, 64, 128, 256}

// Files renders every icon file of assets/icons: name -> contents. The
// generator writes them and the assets test compares them with what is
// committed, so a change of design cannot be forgotten in the files.
func Files() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, s := range TrayStates() {
		name := "tray-" + string(s)
		data, err := encodePNG(RenderTray(s, TrayPNGSize))
		if err != nil {
			return nil, fmt.Errorf("%s.png: %w", name, err)
		}
		files[name+".png"] = data
		var imgs []image.Image
		for _, size := range TrayICOSizes {
			imgs = append(imgs, RenderTray(s, size))
		}
		if files[name+".ico"], err = EncodeICO(imgs); err != nil {
			return nil, fmt.Errorf("%s.ico: %w", name, err)
		}
	}
	data, err := encodePNG(RenderApp(AppPNGSize))
	if err != nil {
		return nil, fmt.Errorf("app.png: %w", err)
	}
	files["app.png"] = data
	var imgs []image.Image
	for _, size := range AppICOSizes {
		imgs = append(imgs, RenderApp(size))
	}
	if files["app.ico"], err = EncodeICO(imgs); err != nil {
		return nil, fmt.Errorf("app.ico: %w", err)
	}
	return files, nil
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
