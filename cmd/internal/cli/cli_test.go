package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestStatus(t *testing.T) {
	usage := func(w io.Writer) { io.WriteString(w, "usage: x\n") }
	tests := []struct {
		name       string
		err        error
		want       int
		wantStderr string
	}{
		{"success", nil, 0, ""},
		{"usage", UsageError{Msg: "x needs a NUMBER"}, 2, "dialbridge: x needs a NUMBER\nusage: x\n"},
		{"wrapped usage", errors.Join(UsageError{Msg: "bad"}), 2, "dialbridge: bad\nusage: x\n"},
		{"chosen status", &ExitError{Code: 3, Err: errors.New("allowed")}, 3, "dialbridge: allowed\n"},
		{"help shown", &ExitError{Code: 0, Err: errors.New("help shown")}, 0, ""},
		{"failure", errors.New("the phone at 192.0.2.10 refused the password (HTTP 401)"), 1, "dialbridge: the phone at 192.0.2.10 refused the password (HTTP 401)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := Status(tt.err, "dialbridge", &stderr, usage); got != tt.want || stderr.String() != tt.wantStderr {
				t.Errorf("got %d %q, want %d %q", got, stderr.String(), tt.want, tt.wantStderr)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	fs, cfg := NewFlags("serve", io.Discard)
	if err := ParseFlags(fs, []string{"--config", "x.toml", "rest"}); err != nil || *cfg != "x.toml" || fs.Arg(0) != "rest" {
		t.Errorf("got %v %q %v", err, *cfg, fs.Args())
	}
	fs, _ = NewFlags("serve", io.Discard)
	var ue UsageError
	if err := ParseFlags(fs, []string{"--nope"}); !errors.As(err, &ue) {
		t.Errorf("an unknown flag: %v, want a UsageError", err)
	}
	fs, _ = NewFlags("serve", io.Discard)
	var ee *ExitError
	if err := ParseFlags(fs, []string{"-h"}); !errors.As(err, &ee) || ee.Code != 0 {
		t.Errorf("-h: %v, want exit status 0", err)
	}
}

// The command is found wherever --config stands, so that `ui settings
// --config F`, `ui dial --config F 030` and `--config F serve` mean what
// they say.
func TestSplitCommandSkipsFlagsAndTheirValues(t *testing.T) {
	tests := []struct {
		args     []string
		wantName string
		wantRest []string
	}{
		{[]string{"settings", "--config", "f.toml"}, "settings", []string{"--config", "f.toml"}},
		{[]string{"--config", "f.toml", "settings", "phone"}, "settings", []string{"--config", "f.toml", "phone"}},
		{[]string{"dial", "--config", "f.toml", "030"}, "dial", []string{"--config", "f.toml", "030"}},
		{[]string{"--config=f.toml", "dial"}, "dial", []string{"--config=f.toml"}},
		{[]string{"-config", "f.toml", "about"}, "about", []string{"-config", "f.toml"}},
		{[]string{"--", "dial"}, "dial", []string{}},
		{[]string{"--config", "f.toml"}, "", []string{"--config", "f.toml"}},
	}
	for _, tt := range tests {
		name, rest := SplitCommand(tt.args)
		if name != tt.wantName || fmt.Sprint(rest) != fmt.Sprint(tt.wantRest) {
			t.Errorf("SplitCommand(%q) = %q %q, want %q %q", tt.args, name, rest, tt.wantName, tt.wantRest)
		}
	}
}

// Every command checks its arguments' count the same way: too few, too
// many or a first word outside OneOf is the command's own sentence with
// exit status 2, wherever the flags stand.
func TestParseChecksTheArgumentsAfterTheFlags(t *testing.T) {
	onOff := Args{Min: 1, Max: 1, OneOf: []string{"on", "off"}, Usage: "dnd needs on or off"}
	tests := []struct {
		name    string
		args    []string
		want    Args
		wantErr string
	}{
		{"no arguments wanted, none given", []string{"--config", "f"}, Args{Usage: "quit takes no arguments"}, ""},
		{"no arguments wanted, one given", []string{"x", "--config", "f"}, Args{Usage: "quit takes no arguments"}, "quit takes no arguments"},
		{"at least one wanted, none given", []string{"--config", "f"}, Args{Min: 1, Max: Any, Usage: "dial needs a NUMBER"}, "dial needs a NUMBER"},
		{"at least one wanted, three given", []string{"030", "--config", "f", "1", "2"}, Args{Min: 1, Max: Any, Usage: "dial needs a NUMBER"}, ""},
		{"at most one wanted, two given", []string{"a", "b"}, Args{Max: 1, Usage: "pair takes at most the ADDRESS"}, "pair takes at most the ADDRESS"},
		{"a word from the list", []string{"off"}, onOff, ""},
		{"a word not in the list", []string{"maybe"}, onOff, "dnd needs on or off"},
		{"two words from the list", []string{"on", "off"}, onOff, "dnd needs on or off"},
		{"a flag mistake comes first", []string{"--nope"}, onOff, "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, _ := NewFlags("x", io.Discard)
			err := Parse(fs, tt.args, tt.want)
			got := ""
			if err != nil {
				var ue UsageError
				if !errors.As(err, &ue) {
					t.Fatalf("got %T %v, want a UsageError", err, err)
				}
				got = ue.Msg
			}
			if got != tt.wantErr {
				t.Errorf("got %q, want %q", got, tt.wantErr)
			}
		})
	}
}
