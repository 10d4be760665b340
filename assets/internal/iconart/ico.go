package iconart

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// EncodeICO packs images (square, at most 256 pixels) into one Windows
// .ico file, the format fyne.io/systray's SetIcon wants on Windows. Sizes
// below 256 are stored as 32-bit BMP entries, which every Windows version
// and every icon loader reads; 256 is stored as PNG, as Windows itself does,
// to keep the file small.
func EncodeICO(imgs []image.Image) ([]byte, error) {
	type entry struct {
		w, h int
		data []byte
	}
	entries := make([]entry, 0, len(imgs))
	for _, img := range imgs {
		b := img.Bounds()
		if b.Dx() != b.Dy() || b.Dx() < 1 || b.Dx() > 256 {
			return nil, fmt.Errorf("an icon image must be square and 1 to 256 pixels, not %dx%d", b.Dx(), b.Dy())
		}
		var data []byte
		if b.Dx() == 256 {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return nil, fmt.Errorf("encoding the 256 pixel entry: %w", err)
			}
			data = buf.Bytes()
		} else {
			data = bmpEntry(img)
		}
		entries = append(entries, entry{b.Dx(), b.Dy(), data})
	}

	var out bytes.Buffer
	le := binary.LittleEndian
	// ICONDIR: reserved, type 1 (icon), count.
	_ = binary.Write(&out, le, [3]uint16{0, 1, uint16(len(entries))})
	offset := 6 + 16*len(entries)
	for _, e := range entries {
		// ICONDIRENTRY; a dimension of 256 is written as 0.
		_ = binary.Write(&out, le, struct {
			W, H, Colors, Reserved uint8
			Planes, BitCount       uint16
			Size, Offset           uint32
		}{uint8(e.w % 256), uint8(e.h % 256), 0, 0, 1, 32, uint32(len(e.data)), uint32(offset)})
		offset += len(e.data)
	}
	for _, e := range entries {
		out.Write(e.data)
	}
	return out.Bytes(), nil
}

// bmpEntry is one icon image as a BITMAPINFOHEADER, bottom-up BGRA pixels
// with straight alpha, and the 1-bit AND mask (set where fully transparent)
// that older loaders still read.
func bmpEntry(img image.Image) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	maskStride := (w + 31) / 32 * 4
	var buf bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&buf, le, struct {
		Size                    uint32
		Width, Height           int32
		Planes, BitCount        uint16
		Compression, ImageSize  uint32
		XPerMeter, YPerMeter    int32
		ColorsUsed, ColorsImpor uint32
	}{40, int32(w), int32(2 * h), 1, 32, 0, uint32(w*h*4 + maskStride*h), 0, 0, 0, 0})
	mask := make([]byte, maskStride*h)
	for row := 0; row < h; row++ {
		y := b.Min.Y + h - 1 - row
		for x := 0; x < w; x++ {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, y)).(color.NRGBA)
			buf.Write([]byte{c.B, c.G, c.R, c.A})
			if c.A == 0 {
				mask[row*maskStride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	buf.Write(mask)
	return buf.Bytes()
}
