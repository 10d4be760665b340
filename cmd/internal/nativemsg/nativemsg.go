// Package nativemsg is the framing of the browsers' native messaging: each
// message is a 32-bit length in the machine's own byte order followed by
// that many bytes of UTF-8 JSON, on the host's stdin and stdout.
//
// It is standard library only: the browser starts the host (the front
// program) for every message the extension sends, so it must start fast.
package nativemsg

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxIn bounds a message from the browser. Chromium allows 64 MiB, but
// dialbridge's extension sends a number and an origin: anything near this
// size is not from it, and reading it whole would only cost memory.
const MaxIn = 64 << 10

// MaxOut is the browsers' limit for a message from the host (1 MB); a
// longer one would make the browser drop the connection.
const MaxOut = 1024 * 1024

// ErrTooLong means a frame's length is over the limit. The stream cannot be
// trusted after it (the rest of the frame was not read), so the host ends.
var ErrTooLong = errors.New("native message too long")

// Read returns the next message's bytes. io.EOF means the browser closed
// the pipe between messages (the normal end); a pipe closed inside a
// message is io.ErrUnexpectedEOF. The bytes are checked to be UTF-8 JSON,
// so that callers only decode.
func Read(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.NativeEndian.Uint32(hdr[:])
	if n > MaxIn {
		return nil, fmt.Errorf("%w: the browser announced %d bytes, at most %d are accepted", ErrTooLong, n, MaxIn)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("reading a native message of %d bytes: %w", n, err)
	}
	if !utf8.Valid(msg) || !json.Valid(msg) {
		return msg, &BadMessageError{Len: int(n)}
	}
	return msg, nil
}

// BadMessageError is a frame that arrived whole but is not UTF-8 JSON: the
// stream is still in step, so the host answers with an error and goes on.
type BadMessageError struct{ Len int }

func (e *BadMessageError) Error() string {
	return fmt.Sprintf("a native message of %d bytes is not UTF-8 JSON", e.Len)
}

// Write sends v as one message. A message over MaxOut is not sent: the
// browser would drop the connection over it.
func Write(w io.Writer, v any) error {
	msg, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding a native message: %w", err)
	}
	if len(msg) > MaxOut {
		return fmt.Errorf("%w: %d bytes to send, browsers take at most %d", ErrTooLong, len(msg), MaxOut)
	}
	buf := make([]byte, 4, 4+len(msg))
	binary.NativeEndian.PutUint32(buf, uint32(len(msg)))
	_, err = w.Write(append(buf, msg...))
	return err
}
