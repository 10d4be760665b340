package lookup

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// The readers take files a person exported from anywhere: whatever the
// bytes, they return a book or an error, never panic, and every number in
// a book leads to a contact with a name or a company.
func checkBook(t *testing.T, b *Book, err error) {
	if err != nil {
		return
	}
	if len(b.starts) > 0 && int(b.starts[len(b.starts)-1]) != len(b.words) {
		t.Fatalf("the last contact ends at %d of %d bytes", b.starts[len(b.starts)-1], len(b.words))
	}
	check := func(k any, i uint32) {
		if int(i) >= b.Contacts() {
			t.Fatalf("key %v leads to contact %d of %d", k, i, b.Contacts())
		}
	}
	for k, i := range b.e164 {
		check(k, i)
	}
	for k, i := range b.other {
		check(k, i)
		if c, ok := b.Find(k); !ok || (c.Name == "" && c.Company == "") {
			t.Fatalf("key %q leads to %+v", k, c)
		}
	}
}

func FuzzReadVCard(f *testing.F) {
	key := dialplan.Keyer(berlin)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadVCard(bytes.NewReader(data), key)
		checkBook(t, b, err)
	})
}

func FuzzReadCSV(f *testing.F) {
	key := dialplan.Keyer(berlin)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadCSV(bytes.NewReader(data), key)
		checkBook(t, b, err)
	})
}

// FuzzParseCtag reads whatever a server answers a PROPFIND for the ctag
// with: a ctag, "" or an error, never a panic, and never a ctag the
// answer does not hold.
func FuzzParseCtag(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ctag, err := parseCtag(bytes.NewReader(data))
		if err != nil && ctag != "" {
			t.Fatalf("an error with ctag %q", ctag)
		}
		if ctag != "" && !bytes.Contains(data, []byte(strings.TrimSpace(ctag))) && !bytes.Contains(data, []byte("&")) {
			t.Fatalf("ctag %q is not in the answer", ctag)
		}
	})
}
