package iconart

import (
	"encoding/binary"
	"image"
	"testing"
)

func TestEncodeICORejects(t *testing.T) {
	tests := []struct {
		name string
		img  image.Image
	}{
		{"not square", image.NewRGBA(image.Rect(0, 0, 16, 32))},
		{"too large", image.NewRGBA(image.Rect(0, 0, 512, 512))},
		{"empty", image.NewRGBA(image.Rect(0, 0, 0, 0))},
	}
	for _, tt := range tests {
		if _, err := EncodeICO([]image.Image{tt.img}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestEncodeICODirectory(t *testing.T) {
	data, err := EncodeICO([]image.Image{RenderTray(Idle, 16), RenderApp(256)})
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if got := [3]uint16{le.Uint16(data), le.Uint16(data[2:]), le.Uint16(data[4:])}; got != [3]uint16{0, 1, 2} {
		t.Fatalf("ICONDIR %v, want [0 1 2]", got)
	}
	tests := []struct {
		entry     int
		wantWidth byte
		wantMagic string
	}{
		{0, 16, "\x28\x00\x00\x00"}, // BITMAPINFOHEADER size 40
		{1, 0, "\x89PNG"},           // 256 is written as 0, stored as PNG
	}
	for _, tt := range tests {
		e := data[6+16*tt.entry:]
		if e[0] != tt.wantWidth {
			t.Errorf("entry %d: width byte %d, want %d", tt.entry, e[0], tt.wantWidth)
		}
		size, off := le.Uint32(e[8:]), le.Uint32(e[12:])
		if int(off+size) > len(data) {
			t.Fatalf("entry %d points past the end", tt.entry)
		}
		if got := string(data[off : off+4]); got != tt.wantMagic {
			t.Errorf("entry %d starts %q, want %q", tt.entry, got, tt.wantMagic)
		}
	}
}
