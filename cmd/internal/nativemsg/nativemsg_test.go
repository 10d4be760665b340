package nativemsg

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

func frame(body string) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(len(body)))
	return append(b, body...)
}

func TestReadTakesFramesInTurnAndEndsCleanly(t *testing.T) {
	in := bytes.NewReader(append(frame(`{"type":"state"}`), frame(`{"type":"dial","number":"030 1234"}`)...))
	for _, want := range []string{`{"type":"state"}`, `{"type":"dial","number":"030 1234"}`} {
		got, err := Read(in)
		if err != nil || string(got) != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if _, err := Read(in); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}
}

func TestReadRefusesBadFrames(t *testing.T) {
	huge := binary.NativeEndian.AppendUint32(nil, MaxIn+1)
	tests := []struct {
		name    string
		in      []byte
		wantErr error
		bad     bool
	}{
		{"a length over the limit", append(huge, '{'), ErrTooLong, false},
		{"a pipe closed in the length", []byte{1, 0}, io.ErrUnexpectedEOF, false},
		{"a pipe closed in the body", frame(`{"type":"state"}`)[:8], io.ErrUnexpectedEOF, false},
		{"a body that is not JSON", frame(`dial 0301234`), nil, true},
		{"a body that is not UTF-8", frame("\"\xff\""), nil, true},
		{"an empty body", frame(""), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.in))
			var bad *BadMessageError
			if got := errors.As(err, &bad); got != tt.bad {
				t.Errorf("err %v: a bad message %v, want %v", err, got, tt.bad)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestWriteFramesAndRefusesOversizedMessages(t *testing.T) {
	var out bytes.Buffer
	if err := Write(&out, map[string]any{"id": 7, "ok": true}); err != nil {
		t.Fatal(err)
	}
	if got, want := out.Bytes(), frame(`{"id":7,"ok":true}`); !bytes.Equal(got, want) {
		t.Errorf("got % x, want % x", got, want)
	}
	out.Reset()
	if err := Write(&out, strings.Repeat("x", MaxOut)); !errors.Is(err, ErrTooLong) || out.Len() != 0 {
		t.Errorf("an oversized message: err %v, %d bytes written", err, out.Len())
	}
}

// FuzzRead: whatever the pipe carries, Read never panics, never returns
// more than MaxIn bytes, returns only valid JSON without an error, and what
// Write sends of a message Read accepted reads back the same.
func FuzzRead(f *testing.F) {
	f.Add(frame(`{"id":1,"type":"dial","number":"+49 30 1234567","origin":"https://crm.example"}`))
	f.Add(frame(`{"type":"state"}`))
	f.Add(binary.NativeEndian.AppendUint32(nil, 0xffffffff))
	f.Fuzz(func(t *testing.T, in []byte) {
		msg, err := Read(bytes.NewReader(in))
		if len(msg) > MaxIn {
			t.Fatalf("%d bytes returned", len(msg))
		}
		if err != nil {
			return
		}
		if !json.Valid(msg) {
			t.Fatalf("invalid JSON %q returned without an error", msg)
		}
		// Valid JSON may hold a number no float64 holds (10E1000000000000):
		// it decodes as a json.Number, as the browser's side keeps it.
		v, err := decode(msg)
		if err != nil {
			t.Fatalf("%q does not decode", msg)
		}
		var out bytes.Buffer
		if err := Write(&out, json.RawMessage(msg)); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&out)
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		w, _ := decode(back)
		a, _ := json.Marshal(v)
		b, _ := json.Marshal(w)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s came back as %s", a, b)
		}
	})
}

// decode reads a JSON value with its numbers kept as written
// (json.Number), so one no float64 holds still compares.
func decode(msg []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	err := dec.Decode(&v)
	return v, err
}
