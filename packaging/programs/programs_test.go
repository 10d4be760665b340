package programs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestPathFrom(t *testing.T) {
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	dir := t.TempDir()
	self := filepath.Join(dir, Front+exe)
	sibling := filepath.Join(dir, Resident+exe)
	for _, f := range []string{self, sibling} {
		if err := os.WriteFile(f, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, Windows+exe), 0o755); err != nil {
		t.Fatal(err)
	}
	onPath := func(file string) (string, error) {
		if file == Windows+exe {
			return "/usr/bin/" + file, nil
		}
		return "", errors.New("executable file not found in $PATH")
	}
	tests := []struct {
		name, self, program string
		want                string
		wantErr             string
	}{
		{"sibling first", self, Resident, sibling, ""},
		{"a directory of the name is no program", self, Windows, "/usr/bin/" + Windows + exe, ""},
		{"PATH when no sibling", "", Windows, "/usr/bin/" + Windows + exe, ""},
		{"missing everywhere", self, "dialbridge-nothing", "", "dialbridge-nothing" + exe + " is not installed: it was found neither beside " + self},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pathFrom(tt.self, tt.program, onPath)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("got %q, %v; want an error containing %q that is fs.ErrNotExist", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestEnvironSaysEnglishForACLocaleWithACodeset(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{"C.UTF-8", []string{"LANG=C.UTF-8"}, []string{"LANG=C.UTF-8", "LANGUAGE=en"}},
		{"POSIX.utf8 in LC_ALL", []string{"LANG=de_DE.UTF-8", "LC_ALL=POSIX.utf8"}, []string{"LANG=de_DE.UTF-8", "LC_ALL=POSIX.utf8", "LANGUAGE=en"}},
		{"plain C is understood already", []string{"LANG=C"}, []string{"LANG=C"}},
		{"German stays German", []string{"LANG=de_DE.UTF-8"}, []string{"LANG=de_DE.UTF-8"}},
		{"LC_ALL wins over LANG", []string{"LANG=C.UTF-8", "LC_ALL=de_DE.UTF-8"}, []string{"LANG=C.UTF-8", "LC_ALL=de_DE.UTF-8"}},
		{"LANGUAGE set by the person", []string{"LANG=C.UTF-8", "LANGUAGE=de"}, []string{"LANG=C.UTF-8", "LANGUAGE=de"}},
		{"LANGUAGE set but empty", []string{"LANGUAGE=", "LANG=C.UTF-8"}, []string{"LANG=C.UTF-8", "LANGUAGE=en"}},
		{"nothing set", []string{"HOME=/h"}, []string{"HOME=/h"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := environ(tt.env); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
