package idlemem

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestParseMaps(t *testing.T) {
	const exe = "/usr/bin/dialbridge-resident"
	listing, err := os.ReadFile(filepath.Join("testdata", "maps.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    string
		exe     string
		want    []Region
		wantErr string
	}{
		{"code and constants, not data", string(listing), exe, []Region{
			{0x400000, 0x1133000},
			{0x1133000, 0x1e9c000},
		}, ""},
		{"another program's file", string(listing), "/usr/bin/other", nil, ""},
		{"a path with a space", "00400000-00500000 r-xp 00000000 fd:01 1 /opt/dial bridge/dialbridge-resident\n", "/opt/dial bridge/dialbridge-resident",
			[]Region{{0x400000, 0x500000}}, ""},
		{"short lines are skipped", "00400000-00500000 r-xp\n\n", exe, nil, ""},
		{"no range", "00400000 r-xp 00000000 fd:01 1 " + exe + "\n", exe, nil, "has no address range"},
		{"backwards range", "00500000-00400000 r-xp 00000000 fd:01 1 " + exe + "\n", exe, nil, "bad address range"},
		{"not hex", "0040000g-00500000 r--p 00000000 fd:01 1 " + exe + "\n", exe, nil, "bad address range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMaps([]byte(tt.data), tt.exe)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestWithout(t *testing.T) {
	rs := []Region{{0x1000, 0x5000}, {0x8000, 0x9000}}
	tests := []struct {
		name string
		cut  Region
		want []Region
	}{
		{"outside", Region{0x6000, 0x7000}, rs},
		{"inside splits", Region{0x2000, 0x3000}, []Region{{0x1000, 0x2000}, {0x3000, 0x5000}, {0x8000, 0x9000}}},
		{"the head", Region{0x0, 0x2000}, []Region{{0x2000, 0x5000}, {0x8000, 0x9000}}},
		{"the tail and the next", Region{0x4000, 0x8800}, []Region{{0x1000, 0x4000}, {0x8800, 0x9000}}},
		{"everything", Region{0x0, 0x10000}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Without(rs, tt.cut); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Release on the test binary itself: the pages come back on use, so the
// test keeps running (and calling code that was just released) afterwards.
func TestReleaseKeepsTheProgramWorking(t *testing.T) {
	r, err := Self()
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.Release()
	if err != nil {
		t.Fatal(err)
	}
	// Again, from the regions read the first time.
	if again, err := r.ReleaseFile(); err != nil || again != st {
		t.Errorf("a second release: %+v, %v; want %+v", again, err, st)
	}
	if runtime.GOOS == "linux" && (st.Regions == 0 || st.Bytes == 0) {
		t.Errorf("released nothing of %s: %+v", r.exe, st)
	}
	// Code and constant data the release dropped, used again.
	if got := strings.Repeat("ab", 3) + filepath.Base("/x/y"); got != "abababy" {
		t.Errorf("got %q", got)
	}
}

func FuzzParseMaps(f *testing.F) {
	listing, err := os.ReadFile(filepath.Join("testdata", "maps.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(listing), "/usr/bin/dialbridge-resident")
	f.Add("ffff-0 r-xp 0 0 0 x\n", "x")
	f.Fuzz(func(t *testing.T, data, exe string) {
		regions, err := ParseMaps([]byte(data), exe)
		if err != nil {
			return
		}
		for _, r := range regions {
			if r.End <= r.Start {
				t.Fatalf("region %#x-%#x from %q", r.Start, r.End, data)
			}
		}
	})
}
