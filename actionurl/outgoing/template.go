// Package outgoing fires the action URLs a person configured for the five
// call events of Mia CSTA (inbound, outbound, connected, hold, disconnected;
// see package actionurl for what Mia CSTA is): URL templates with
// <$placeholders> expanded and each value escaped for where it stands,
// background requests through a durable outbox (bounded workers, time-outs,
// retries with backoff, nothing lost across a crash), and opening in the
// browser for http and https only.
package outgoing

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// Placeholder is one of Mia CSTA's <$name> placeholders (docs/protocols.md).
type Placeholder uint8

// The placeholders, in the order of Mia's list, then dialbridge's own.
const (
	PAction Placeholder = iota
	PCallDirection
	PCallDirectionAsInt
	PLocalParty
	PLocalAlias
	PRemoteParty
	PRemoteAlias
	PHoldState
	PCallDurationSeconds
	PCallCreatedTime
	PCallConnectedTime
	PCallDisconnectedTime
	PCallGUID
	// PRemoteCompany is dialbridge's own, after Mia's list: the caller's
	// company from a caller lookup, empty when none knows it.
	PRemoteCompany
	numPlaceholders
)

var placeholderNames = [numPlaceholders]string{
	PAction:               "action",
	PCallDirection:        "call_direction",
	PCallDirectionAsInt:   "call_direction_as_int",
	PLocalParty:           "local_party",
	PLocalAlias:           "local_alias",
	PRemoteParty:          "remote_party",
	PRemoteAlias:          "remote_alias",
	PHoldState:            "hold_state",
	PCallDurationSeconds:  "call_duration_seconds",
	PCallCreatedTime:      "call_created_time",
	PCallConnectedTime:    "call_connected_time",
	PCallDisconnectedTime: "call_disconnected_time",
	PCallGUID:             "call_guid",
	PRemoteCompany:        "remote_company",
}

// String is the placeholder as written in a template, e.g. "<$remote_party>".
func (p Placeholder) String() string {
	if p < numPlaceholders {
		return "<$" + placeholderNames[p] + ">"
	}
	return fmt.Sprintf("Placeholder(%d)", int(p))
}

// Placeholders lists every placeholder as written in a template, for help
// texts and the settings window.
func Placeholders() []string {
	out := make([]string, numPlaceholders)
	for p := range numPlaceholders {
		out[p] = p.String()
	}
	return out
}

// TimeLayout is Mia CSTA's time format, e.g. 2019-03-25T10-34-22: dashes in
// the time part too, so that the value needs no escaping anywhere.
const TimeLayout = "2006-01-02T15-04-05"

// Values are the placeholder values of one call event, computed once and
// used for every URL of that event.
type Values [numPlaceholders]string

// ValuesOf computes the placeholder values of ev, with times in loc (nil
// means time.Local).
func ValuesOf(ev phone.CallEvent, loc *time.Location) Values {
	if loc == nil {
		loc = time.Local
	}
	c := ev.Call
	var v Values
	v[PAction] = string(ev.Action)
	v[PCallDirection] = c.Direction.String()
	v[PCallDirectionAsInt] = strconv.Itoa(int(c.Direction))
	v[PLocalParty] = c.Local
	v[PLocalAlias] = c.LocalAlias
	if v[PLocalAlias] == "" {
		// Mia CSTA's manual: beside a desk phone ("hardware telephone" mode)
		// the local alias equals the local party, for want of a name.
		v[PLocalAlias] = c.Local
	}
	v[PRemoteParty] = c.Remote
	v[PRemoteAlias] = c.RemoteAlias
	v[PHoldState] = "off_hold"
	if c.OnHold {
		v[PHoldState] = "on_hold"
	}
	v[PCallDurationSeconds] = strconv.FormatInt(int64(c.Duration(ev.At)/time.Second), 10)
	v[PCallCreatedTime] = formatTime(c.Created, loc)
	v[PCallConnectedTime] = formatTime(c.Connected, loc)
	v[PCallDisconnectedTime] = formatTime(c.Disconnected, loc)
	v[PCallGUID] = c.GUID
	v[PRemoteCompany] = c.RemoteCompany
	return v
}

func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(TimeLayout)
}

// part is where a piece of the URL stands, which decides its escaping.
type part uint8

const (
	inScheme part = iota
	inAuthority
	inPath
	inQuery
	inFragment
)

// segment is a literal piece of a template or one placeholder.
type segment struct {
	literal string
	ph      Placeholder
	isPh    bool
	where   part
}

// Template is a parsed outgoing action URL. Values from the caller can
// only land in the path, query or fragment, each escaped for its place, so
// no caller name can add a parameter, change the path's meaning or move
// the request to another host.
type Template struct {
	raw  string
	segs []segment
	size int
}

// TemplateError says what is wrong with a template, in words for the
// person who wrote it.
type TemplateError struct {
	// Template is the template as written.
	Template string
	// Unknown are the placeholders that do not exist, as written.
	Unknown []string
	// Reason is any other problem.
	Reason string
}

func (e *TemplateError) Error() string {
	if len(e.Unknown) > 0 {
		noun := "placeholder"
		if len(e.Unknown) > 1 {
			noun = "placeholders"
		}
		return fmt.Sprintf("unknown %s %s (known: %s)", noun, strings.Join(e.Unknown, ", "), strings.Join(Placeholders(), " "))
	}
	return e.Reason
}

// ParseTemplate parses a URL template with <$placeholders>. It fails when
// a placeholder is unknown, when one stands in the scheme or host, and
// when the URL could not be an http(s) URL with a host whatever the
// values: such a URL would never be fired, so the config check says so up
// front.
func ParseTemplate(raw string) (*Template, error) {
	t := &Template{raw: raw}
	var unknown []string
	rest := raw
	for rest != "" {
		i := strings.Index(rest, "<$")
		if i < 0 {
			t.segs = append(t.segs, segment{literal: rest})
			break
		}
		if i > 0 {
			t.segs = append(t.segs, segment{literal: rest[:i]})
		}
		end := strings.IndexByte(rest[i:], '>')
		if end < 0 {
			return nil, &TemplateError{Template: raw, Reason: fmt.Sprintf("%q opens a placeholder that is never closed with '>'", clip(rest[i:]))}
		}
		name := rest[i+2 : i+end]
		ph, ok := lookupPlaceholder(name)
		if !ok {
			unknown = append(unknown, "<$"+name+">")
		}
		t.segs = append(t.segs, segment{ph: ph, isPh: true})
		rest = rest[i+end+1:]
	}
	if len(unknown) > 0 {
		return nil, &TemplateError{Template: raw, Unknown: unknown}
	}
	// What the URL looks like with harmless values: it must be http(s)
	// with a host. Since values never reach the scheme or the host (locate
	// sees to that), no caller's name can change this.
	var sample Values
	for i := range sample {
		sample[i] = "x"
	}
	if _, err := checkURL(t.Expand(&sample)); err != nil {
		return nil, &TemplateError{Template: raw, Reason: err.Error()}
	}
	if err := t.locate(); err != nil {
		return nil, err
	}
	return t, nil
}

func lookupPlaceholder(name string) (Placeholder, bool) {
	for p, n := range placeholderNames {
		if n == name {
			return Placeholder(p), true
		}
	}
	return 0, false
}

// locate works out where each segment stands in the URL, reading the
// literal text only (a placeholder's value never changes the structure).
func (t *Template) locate() error {
	where := inScheme
	sawColon := false
	for i := range t.segs {
		s := &t.segs[i]
		if s.isPh {
			if where == inScheme || where == inAuthority {
				return &TemplateError{Template: t.raw, Reason: fmt.Sprintf(
					"%s stands in the scheme or host of the URL; values from a call may only go into its path, query or fragment", s.ph)}
			}
			s.where = where
			t.size += 16
			continue
		}
		s.where = where
		t.size += len(s.literal)
		lit := s.literal
		for j := 0; j < len(lit); j++ {
			c := lit[j]
			switch where {
			case inScheme:
				if c == ':' && !sawColon {
					sawColon = true
					if strings.HasPrefix(lit[j+1:], "//") {
						where = inAuthority
						j += 2
					} else {
						where = inPath
					}
				}
			case inAuthority:
				switch c {
				case '/':
					where = inPath
				case '?':
					where = inQuery
				case '#':
					where = inFragment
				}
			case inPath:
				switch c {
				case '?':
					where = inQuery
				case '#':
					where = inFragment
				}
			case inQuery:
				if c == '#' {
					where = inFragment
				}
			}
		}
	}
	return nil
}

// String returns the template as written.
func (t *Template) String() string { return t.raw }

// Uses reports whether the template contains p.
func (t *Template) Uses(p Placeholder) bool {
	for _, s := range t.segs {
		if s.isPh && s.ph == p {
			return true
		}
	}
	return false
}

// Expand fills in v, each value escaped for its place: query escaping in
// the query (so "&", "=", "#" and "+" stay inside the value), path
// escaping in the path (so "/" and "?" do too, and "." or ".." cannot
// climb the path), and the same in the fragment.
func (t *Template) Expand(v *Values) string {
	var b strings.Builder
	b.Grow(t.size + 32)
	for _, s := range t.segs {
		if !s.isPh {
			b.WriteString(s.literal)
			continue
		}
		val := v[s.ph]
		switch s.where {
		case inQuery:
			b.WriteString(url.QueryEscape(val))
		default:
			esc := url.PathEscape(val)
			if esc == "." || esc == ".." {
				esc = strings.ReplaceAll(esc, ".", "%2E")
			}
			b.WriteString(esc)
		}
	}
	return b.String()
}

// ExpandEvent expands the template for one call event, and checks that the
// result is an http(s) URL with a host; a URL that is not is never fired.
func (t *Template) ExpandEvent(ev phone.CallEvent, loc *time.Location) (string, error) {
	v := ValuesOf(ev, loc)
	u := t.Expand(&v)
	if _, err := checkURL(u); err != nil {
		return "", err
	}
	return u, nil
}

// checkURL accepts only absolute http and https URLs with a host.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%q is not a valid URL: %v", clip(raw), err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q is not an http:// or https:// URL", clip(raw))
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host", clip(raw))
	}
	return u, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
