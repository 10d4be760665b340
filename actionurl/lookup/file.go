package lookup

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-vcard"
)

// Book is an address book read into memory: each number's key leads to
// its contact. It is built for large books (100,000 contacts and more):
// the contacts' words lie one after another in one block of bytes, and an
// E.164 key is held as a number, so that a book costs a few dozen bytes per
// contact rather than a few hundred.
type Book struct {
	e164  map[uint64]uint32 // "+49301234567" as 49301234567 with a length mark
	other map[string]uint32 // extensions and numbers without E.164 form
	// words holds each contact as name, unitSep, company, unitSep, url;
	// starts[i] is where contact i begins, starts[i+1] where it ends.
	words  []byte
	starts []uint32
}

// unitSep separates a contact's words in Book.words; it is taken out of the
// words themselves, where it has no business.
const unitSep = 0x1f

func newBook() *Book {
	return &Book{e164: map[uint64]uint32{}, other: map[string]uint32{}}
}

// Len is the number of numbers the book knows.
func (b *Book) Len() int { return len(b.e164) + len(b.other) }

// Contacts is the number of contacts with at least one number.
func (b *Book) Contacts() int { return max(len(b.starts)-1, 0) }

// packKey turns an E.164 key into a number: its digits, and a 1 in front
// so that the length is kept. Keys that are not "+" and 1 to 17 digits do
// not pack.
func packKey(key string) (uint64, bool) {
	if len(key) < 2 || len(key) > 18 || key[0] != '+' {
		return 0, false
	}
	v := uint64(1)
	for i := 1; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

// Find returns the contact the key belongs to; the first contact listed
// with a number wins.
func (b *Book) Find(key string) (Contact, bool) {
	var i uint32
	var ok bool
	if k, packed := packKey(key); packed {
		i, ok = b.e164[k]
	} else {
		i, ok = b.other[key]
	}
	if !ok {
		return Contact{}, false
	}
	w := string(b.words[b.starts[i]:b.starts[i+1]])
	var c Contact
	c.Name, w, _ = strings.Cut(w, string(rune(unitSep)))
	c.Company, c.URL, _ = strings.Cut(w, string(rune(unitSep)))
	return c, true
}

func (b *Book) has(key string) bool {
	if k, packed := packKey(key); packed {
		_, ok := b.e164[k]
		return ok
	}
	_, ok := b.other[key]
	return ok
}

func (b *Book) add(c Contact, numbers []string, key KeyFunc) {
	if c.Name == "" && c.Company == "" {
		return
	}
	if len(b.starts) == 0 {
		b.starts = append(b.starts, 0)
	}
	idx := uint32(len(b.starts) - 1)
	added := false
	for _, nr := range numbers {
		k := key(nr)
		if k == "" || b.has(k) {
			continue
		}
		if p, packed := packKey(k); packed {
			b.e164[p] = idx
		} else {
			b.other[k] = idx
		}
		added = true
	}
	if !added {
		return
	}
	for i, w := range []string{c.Name, c.Company, c.URL} {
		if i > 0 {
			b.words = append(b.words, unitSep)
		}
		b.words = append(b.words, strings.ReplaceAll(w, string(rune(unitSep)), " ")...)
	}
	b.starts = append(b.starts, uint32(len(b.words)))
}

// done gives back the room the growing slices kept in reserve.
func (b *Book) done() *Book {
	b.words = slices.Clone(b.words)
	b.starts = slices.Clone(b.starts)
	return b
}

// ReadVCard reads vCard 3 and 4 cards: the formatted name (or the
// structured name), the first part of ORG and every TEL, written as text
// or as a tel: URI. A card that cannot be read stops the reading with an
// error naming the card, so a broken file never replaces a good book.
func ReadVCard(r io.Reader, key KeyFunc) (*Book, error) {
	b := newBook()
	dec := vcard.NewDecoder(r)
	for n := 1; ; n++ {
		card, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return b.done(), nil
		}
		if err != nil {
			return nil, say("vcard_card", "card {{.N}} cannot be read", map[string]any{"N": n}, err)
		}
		addCard(b, card, key)
	}
}

// addCard adds one vCard: the formatted name (or the structured name), the
// first part of ORG, the URL and every TEL.
func addCard(b *Book, card vcard.Card, key KeyFunc) {
	c := Contact{Name: card.PreferredValue(vcard.FieldFormattedName), URL: card.PreferredValue(vcard.FieldURL)}
	if c.Name == "" {
		if nm := card.Name(); nm != nil {
			c.Name = strings.Join(strings.Fields(strings.Join([]string{nm.HonorificPrefix, nm.GivenName, nm.AdditionalName, nm.FamilyName}, " ")), " ")
		}
	}
	if org := card.PreferredValue(vcard.FieldOrganization); org != "" {
		c.Company, _, _ = strings.Cut(org, ";")
	}
	b.add(c, card.Values(vcard.FieldTelephone), key)
}

// ReadCSV reads a table whose first row names the columns: "name" (or
// "full name", "display name"), "company" (or "organization", "firma"),
// "url", and one or more number columns, any header with "phone",
// "number", "mobile", "tel" or "fax" in it ("Phone", "Mobile number",
// "Telefon"). Separators may be "," or ";" (the first row decides).
func ReadCSV(r io.Reader, key KeyFunc) (*Book, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	first, _, _ := strings.Cut(string(data), "\n")
	cr := csv.NewReader(strings.NewReader(string(data)))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, say("csv_header", "the header row cannot be read", nil, err)
	}
	name, company, link := -1, -1, -1
	var numbers []int
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case h == "name" || h == "full name" || h == "display name":
			name = i
		case h == "company" || h == "organization" || h == "organisation" || h == "firma":
			company = i
		case h == "url":
			link = i
		case containsAny(h, "phone", "number", "mobile", "tel", "fax"):
			numbers = append(numbers, i)
		}
	}
	if name < 0 && company < 0 {
		return nil, say("csv_no_name", `the header row names no "name" or "company" column`, nil, nil)
	}
	if len(numbers) == 0 {
		return nil, say("csv_no_number", `the header row names no number column (a header with "phone", "number", "mobile", "tel" or "fax" in it)`, nil, nil)
	}
	b := newBook()
	col := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	nrs := make([]string, 0, len(numbers))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return b.done(), nil
		}
		if err != nil {
			return nil, err
		}
		nrs = nrs[:0]
		for _, i := range numbers {
			nrs = append(nrs, col(rec, i))
		}
		b.add(Contact{Name: col(rec, name), Company: col(rec, company), URL: col(rec, link)}, nrs, key)
	}
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// FileSource is an address book file (vCard or CSV), read again when it
// changes: every lookup compares the file's size and modification time,
// which costs one stat. A file that cannot be read keeps the book read
// before, and the error is reported until the file is good again.
type FileSource struct {
	kind, path string
	read       func(io.Reader, KeyFunc) (*Book, error)
	key        KeyFunc

	mu      sync.Mutex
	book    *Book
	mod     time.Time
	size    int64
	err     error
	loaded  time.Time
	statted bool
}

// NewVCardSource is a vCard file source; NewCSVSource a CSV one.
func NewVCardSource(path string, key KeyFunc) *FileSource {
	return &FileSource{kind: "vcard", path: path, read: ReadVCard, key: key}
}

// NewCSVSource is a CSV file source (see ReadCSV for the columns).
func NewCSVSource(path string, key KeyFunc) *FileSource {
	return &FileSource{kind: "csv", path: path, read: ReadCSV, key: key}
}

// Label names the source: its kind and file.
func (s *FileSource) Label() string { return s.kind + " " + s.path }

// Find looks the number up in the book, reading the file first when it
// changed. While the file cannot be read, the book read before answers and
// the error says why it is not the file's current state.
func (s *FileSource) Find(_ context.Context, n Number) (Contact, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	if s.book == nil {
		return Contact{}, false, s.err
	}
	c, ok := s.book.Find(n.Key)
	return c, ok, s.err
}

// Status reports when the file was last read, how many numbers it holds
// and the error of the last attempt (nil when the file is good).
func (s *FileSource) Status() (loaded time.Time, numbers int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	if s.book != nil {
		numbers = s.book.Len()
	}
	return s.loaded, numbers, s.err
}

func (s *FileSource) refresh() {
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// The system's "stat …: no such file or directory" would name the
		// path a third time, in English whatever the person reads.
		s.err = say("file_missing", "there is no file {{.Path}}", map[string]any{"Path": s.path}, nil)
		return
	case err != nil:
		s.err = s.unreadable(err)
		return
	case fi.IsDir():
		s.err = say("file_dir", "{{.Path}} is a folder; path names the address book file itself", map[string]any{"Path": s.path}, nil)
		return
	}
	if s.book != nil && s.err == nil && fi.ModTime().Equal(s.mod) && fi.Size() == s.size {
		return
	}
	if s.err != nil && s.statted && fi.ModTime().Equal(s.mod) && fi.Size() == s.size {
		return // still the same broken file
	}
	s.mod, s.size, s.statted = fi.ModTime(), fi.Size(), true
	f, err := os.Open(s.path)
	if err != nil {
		s.err = s.unreadable(err)
		return
	}
	defer f.Close()
	b, err := s.read(f, s.key)
	if err != nil {
		s.err = s.unreadable(err)
		return
	}
	s.book, s.err, s.loaded = b, nil, time.Now()
}

// unreadable is why the file could not be read, naming it.
func (s *FileSource) unreadable(err error) error {
	return say("file_read", "the address book {{.Path}} cannot be read", map[string]any{"Path": s.path}, err)
}
