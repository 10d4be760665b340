// Package control is the resident's control channel as its clients see it:
// where the config and control files live, the control file's contents, the
// request and reply shapes, and a client for the control API.
//
// It imports nothing but the standard library, on purpose: the tel: link
// handler (cmd/dialbridge) is built from it and must start and exit in a
// few milliseconds, which every heavier package's initialization would
// spoil (the numbering plans alone take ~20 ms to decode).
package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// ConfigPath is the config file to use: explicit when given (--config),
// else $DIALBRIDGE_CONFIG, else dialbridge/config.toml in the user's config
// directory. Every program of dialbridge resolves it the same way, so a
// link handler and the resident it wakes agree on the file.
//
// A file someone named (the flag or the variable) must exist: a typo must
// not start a resident on fresh defaults and leave a config and a journal
// wherever the name pointed. Only the default place is created with the
// defaults, on the first run.
func ConfigPath(explicit string) (string, error) {
	p := explicit
	if p == "" {
		p = os.Getenv("DIALBRIDGE_CONFIG")
	}
	if p != "" {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return "", &NoConfigError{Path: p}
		} else if err != nil {
			return "", fmt.Errorf("reading the config file: %w", err)
		}
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w", err)
	}
	return filepath.Join(dir, "dialbridge", "config.toml"), nil
}

// NoConfigError is a config file named with --config or
// $DIALBRIDGE_CONFIG that does not exist.
type NoConfigError struct{ Path string }

func (e *NoConfigError) Error() string { return "no config file at " + e.Path }

// Unwrap makes it an fs.ErrNotExist for errors.Is.
func (e *NoConfigError) Unwrap() error { return fs.ErrNotExist }

// File tells clients where the running resident listens and which token
// it wants. It lives beside the config file with mode 0600, so only the
// same user can read it.
type File struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// FilePath is the control file that belongs to a config file path.
func FilePath(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), "control.json")
}

// StartFailurePath is where a resident that could not start leaves its
// reason, beside the config file: the command that started it in the
// background (a clicked link, `dialbridge dial`) has no other way to hear
// why, and would otherwise wait for a control file that never comes.
func StartFailurePath(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), "start-failure.txt")
}

// WriteStartFailure records why the resident of configPath could not start;
// a start that succeeds removes it (err nil). Failing to write it is not
// reported: the reason is in the log as well.
func WriteStartFailure(configPath string, err error) {
	p := StartFailurePath(configPath)
	if err == nil {
		_ = os.Remove(p)
		return
	}
	_ = os.WriteFile(p, []byte(err.Error()), 0o600)
}

// ReadStartFailure returns the reason a resident left at
// StartFailurePath(configPath), and whether there is one.
func ReadStartFailure(configPath string) (string, bool) {
	data, err := os.ReadFile(StartFailurePath(configPath))
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(data)), true
}

// ReadFile reads the control file; a missing one means no resident runs
// (os.ErrNotExist).
func ReadFile(path string) (File, error) {
	var cf File
	data, err := os.ReadFile(path)
	if err != nil {
		return cf, err
	}
	if err := json.Unmarshal(data, &cf); err != nil {
		return cf, fmt.Errorf("the control file %s is damaged: %w", path, err)
	}
	if cf.URL == "" || cf.Token == "" {
		return cf, fmt.Errorf("the control file %s is incomplete", path)
	}
	return cf, nil
}

// DialCommand is the body of POST /api/v1/dial.
type DialCommand struct {
	Number   string `json:"number"`
	Identity string `json:"identity,omitempty"`
	// Typed: the person typed or picked the number in dialbridge itself.
	Typed bool `json:"typed,omitempty"`
	// Source says which of dialbridge's own entries asks (one of the
	// Source constants), for the log and, in the person's words, for the
	// confirmation prompt and the notification of a refusal.
	Source string `json:"source,omitempty"`
	// Origin is the web page's origin when the number came from a page
	// (the browser extension): the resident then judges the dial exactly
	// as a request that page sent itself, and Typed must be false.
	Origin string `json:"origin,omitempty"`
}

// The entries that dial through the control API, as DialCommand.Source
// names them. The values are English words because the log shows them as
// they are; a person sees them translated (tray.Asker).
const (
	SourcePhoneLink   = "phone link"        // a tel: or callto: link, through the front program
	SourceCommandLine = "command line"      // dialbridge dial
	SourceExtension   = "browser extension" // the native messaging host
	SourceDialPad     = "dial pad"          // the dial pad window
	SourceTransfer    = "transfer"          // the dial pad asking where to transfer a call
	SourceJournal     = "journal"           // calling back from the journal window
	SourceClipboard   = "tray: clipboard"   // the tray's item that dials the clipboard
	SourceHotkey      = "hotkey: selection" // the global hotkey, dialing the selected text
	SourceControlAPI  = "control API"       // any other program with the control token
)

// SourcePhoneKey is the Source of a dial that one of the phone's own
// function keys asked for (key n of [[phone.keys]]).
func SourcePhoneKey(n int) string { return sourcePhoneKey + strconv.Itoa(n) }

// PhoneKeyOf reads the key number back out of a SourcePhoneKey source.
func PhoneKeyOf(source string) (int, bool) {
	digits, ok := strings.CutPrefix(source, sourcePhoneKey)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n > 0
}

const sourcePhoneKey = "phone key "

// Reply is the common answer shape of the control API.
type Reply struct {
	OK     bool   `json:"ok,omitempty"`
	Dialed string `json:"dialed,omitempty"`
	Error  string `json:"error,omitempty"`
	// Says is Error as a sentence with its translation key, when it is
	// one (the blocked list's refusal), so that the command line and the
	// dial pad word it in the person's language; Error stays for clients
	// that know no sentences.
	Says *sentence.Wire `json:"says,omitempty"`
}

// ReplyError is the Reply that refuses with err: its words, and its
// sentence when it has one.
func ReplyError(err error) Reply {
	return Reply{Error: err.Error(), Says: sentence.ToWire(err)}
}

// replyErr is the error r refuses with (saidErr).
func (r Reply) replyErr() error { return saidErr(r.Error, r.Says) }

// saidErr is the error a reply carries as its words and their sentence:
// the sentence built again when it reads as the words (an older or newer
// resident's sentence that does not is not trusted over the words), else
// the words.
func saidErr(words string, says *sentence.Wire) error {
	if says != nil {
		if s := says.Sentence(); s.Error() == words {
			return s
		}
	}
	return errors.New(words)
}

// DialError is a refused or failed request with the HTTP status that says
// so: the resident's sentence travels to the client unchanged, and the
// status lets a caller tell "refused" (403) from "the phone failed" (502).
type DialError struct {
	Status int
	Err    error
}

func (e *DialError) Error() string { return e.Err.Error() }
func (e *DialError) Unwrap() error { return e.Err }
