package display

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	toast "git.sr.ht/~jackmordaunt/go-toast"
	"git.sr.ht/~jackmordaunt/go-toast/tmpl"
)

// The checks below state what each format promises for any input; the
// corpus test and the fuzz targets both run them. Each parses the output
// the way its reader does and compares what the reader would show with
// the text that went in.

// shownText is what every format must show for s: s without the
// characters no shown text keeps.
func shownText(s string) string { return visible(s, false) }

func checkLine(out string) error {
	if !utf8.ValidString(out) {
		return errors.New("invalid UTF-8")
	}
	for _, r := range out {
		if Hidden(r) {
			return fmt.Errorf("kept %U", r)
		}
	}
	return nil
}

func checkName(in string) error {
	out := Name(in)
	if err := checkLine(out); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(out); n > MaxName {
		return fmt.Errorf("%d characters, more than %d", n, MaxName)
	}
	if strings.TrimSpace(out) != out || strings.Contains(out, "  ") || strings.IndexFunc(out, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) >= 0 {
		return fmt.Errorf("%q: spaces not single", out)
	}
	full := Text(in, 1<<30)
	if utf8.RuneCountInString(full) <= MaxName {
		if out != full {
			return fmt.Errorf("%q, want %q uncut", out, full)
		}
	} else if !strings.HasSuffix(out, "…") || !strings.HasPrefix(full, strings.TrimSuffix(out, "…")) {
		return fmt.Errorf("%q is not a cut of %q", out, full)
	}
	return nil
}

// elementText parses doc with encoding/xml (as strict as the GMarkup and
// Qt parsers notification servers use) and returns the text inside the
// one element it must have, its attributes, and an error for any other
// element.
func elementText(doc string) (text string, attrs []xml.Attr, err error) {
	d := xml.NewDecoder(strings.NewReader(doc))
	var b strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String(), attrs, nil
		}
		if err != nil {
			return "", nil, fmt.Errorf("does not parse: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth > 0 {
				return "", nil, fmt.Errorf("opens element <%s>", t.Name.Local)
			}
			attrs = t.Attr
			depth++
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			depth--
		default:
			return "", nil, fmt.Errorf("has %T", tok)
		}
	}
}

func checkNotificationBody(in string) error {
	want := visible(in, true)
	if plain := NotificationBody(in, false); plain != want {
		return fmt.Errorf("plain body %q, want %q", plain, want)
	}
	out := NotificationBody(in, true)
	got, _, err := elementText("<body>" + out + "</body>")
	if err != nil {
		return fmt.Errorf("markup body %q: %w", out, err)
	}
	if got != want {
		return fmt.Errorf("markup body %q shows %q, want %q", out, got, want)
	}
	return nil
}

func checkXML(in string) error {
	out := XML(in)
	got, attrs, err := elementText(`<Text a="` + out + `" b='` + out + `'>` + out + `</Text>`)
	if err != nil {
		return fmt.Errorf("%q: %w", out, err)
	}
	want := shownText(in)
	if got != want {
		return fmt.Errorf("%q shows %q, want %q", out, got, want)
	}
	for _, a := range attrs {
		if a.Value != want {
			return fmt.Errorf("attribute %s shows %q, want %q", a.Name.Local, a.Value, want)
		}
	}
	return nil
}

// parseQuotedString reads an RFC 3261 quoted-string that must fill s:
// DQUOTE *(qdtext / quoted-pair) DQUOTE, where qdtext is LWS, %x21,
// %x23-5B, %x5D-7E or UTF8-NONASCII and quoted-pair is "\" and one
// character %x00-09 / %x0B-0C / %x0E-7F.
func parseQuotedString(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' {
		return "", errors.New("does not start with a quote")
	}
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			if i != len(s)-1 {
				return "", fmt.Errorf("ends at byte %d of %d", i, len(s))
			}
			return b.String(), nil
		case c == '\\':
			if i+1 >= len(s) || s[i+1] > 0x7f || s[i+1] == '\r' || s[i+1] == '\n' {
				return "", fmt.Errorf("bad quoted-pair at byte %d", i)
			}
			b.WriteByte(s[i+1])
			i += 2
		case c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e):
			b.WriteByte(c)
			i++
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError {
				return "", fmt.Errorf("invalid UTF-8 at byte %d", i)
			}
			b.WriteRune(r)
			i += size
		default:
			return "", fmt.Errorf("control byte %#x at %d", c, i)
		}
	}
	return "", errors.New("never closed")
}

func checkSIP(in string) error {
	out := SIPDisplayName(in)
	if strings.ContainsAny(out, "\r\n") {
		return fmt.Errorf("%q has CR or LF", out)
	}
	got, err := parseQuotedString(out)
	if err != nil {
		return fmt.Errorf("%q: %w", out, err)
	}
	if want := shownText(in); got != want {
		return fmt.Errorf("%q reads %q, want %q", out, got, want)
	}
	return nil
}

// parseMnemonics reads a menu label the way the menu does: marker doubled
// is the marker itself, marker and another character binds an access key.
func parseMnemonics(label string, marker rune) (string, error) {
	var b strings.Builder
	rs := []rune(label)
	for i := 0; i < len(rs); i++ {
		if rs[i] != marker {
			b.WriteRune(rs[i])
			continue
		}
		if i+1 < len(rs) && rs[i+1] == marker {
			b.WriteRune(marker)
			i++
			continue
		}
		return "", fmt.Errorf("binds an access key at character %d", i)
	}
	return b.String(), nil
}

func checkMenu(in string) error {
	for _, f := range []struct {
		escape func(string) string
		marker rune
	}{{DBusMenuLabel, '_'}, {Win32MenuLabel, '&'}} {
		out := f.escape(in)
		if err := checkLine(out); err != nil {
			return fmt.Errorf("%q: %w", out, err)
		}
		got, err := parseMnemonics(out, f.marker)
		if err != nil {
			return fmt.Errorf("%q: %w", out, err)
		}
		if want := shownText(in); got != want {
			return fmt.Errorf("%q shows %q, want %q", out, got, want)
		}
	}
	return nil
}

// checkLog writes in as a value and as an error through slog's text and
// JSON handlers with ReplaceAttr, and reads it back.
func checkLog(in string) error {
	want := LogText(in)
	if err := checkLine(want); err != nil {
		return err
	}
	var text, js bytes.Buffer
	opts := &slog.HandlerOptions{ReplaceAttr: ReplaceAttr}
	for _, h := range []slog.Handler{slog.NewTextHandler(&text, opts), slog.NewJSONHandler(&js, opts)} {
		slog.New(h).Info("incoming call", "name", in, "error", errors.New(in))
	}
	for _, out := range []string{text.String(), js.String()} {
		if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
			return fmt.Errorf("not one line: %q", out)
		}
		if err := checkLine(strings.TrimSuffix(out, "\n")); err != nil {
			return fmt.Errorf("%q: %w", out, err)
		}
	}
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		return fmt.Errorf("JSON log line: %w", err)
	}
	if rec["name"] != want || rec["error"] != want || rec["msg"] != "incoming call" {
		return fmt.Errorf("JSON log line %q, want name and error %q", js.String(), want)
	}
	for _, key := range []string{" name=", " error="} {
		line := text.String()
		v := line[strings.Index(line, key)+len(key):]
		var got string
		if strings.HasPrefix(v, `"`) {
			q, err := strconv.QuotedPrefix(v)
			if err != nil {
				return fmt.Errorf("text log line %q: %w", line, err)
			}
			got, _ = strconv.Unquote(q)
		} else {
			got, _, _ = strings.Cut(strings.TrimSuffix(v, "\n"), " ")
		}
		if got != want {
			return fmt.Errorf("text log line %q reads %q, want %q", line, got, want)
		}
	}
	return nil
}

func checkOrigin(in string) error {
	out := Origin(in)
	if err := checkLine(out); err != nil {
		return fmt.Errorf("%q: %w", out, err)
	}
	if n := utf8.RuneCountInString(out); n > MaxName {
		return fmt.Errorf("%q: %d characters", out, n)
	}
	if strings.ContainsFunc(out, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) {
		return fmt.Errorf("%q is not one line", out)
	}
	return nil
}

// checkToast builds the toast exactly as beeep does on Windows, with
// go-toast's own templates: the body must stay one text node of the XML,
// and the PowerShell fallback's here-string must hold nothing that
// PowerShell expands.
func checkToast(in string) error {
	out := ToastBody(in)
	n := toast.Notification{AppID: "dialbridge", Title: "Incoming call", Body: out, Audio: toast.Silent, ActivationType: toast.Foreground, Duration: toast.Short}
	var doc bytes.Buffer
	if err := tmpl.XMLTemplate.Execute(&doc, &n); err != nil {
		return err
	}
	d := xml.NewDecoder(&doc)
	var texts []string
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("toast XML for %q does not parse: %w", out, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "toast", "visual", "binding", "audio":
			case "text":
				inText = true
				texts = append(texts, "")
			default:
				return fmt.Errorf("toast for %q opens <%s>", out, t.Name.Local)
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(t)
			}
		}
	}
	if want := []string{"Incoming call", out}; len(texts) != 2 || texts[1] != out {
		if out == "" && len(texts) == 1 {
			return nil // go-toast leaves out an empty body
		}
		return fmt.Errorf("toast texts %q, want %q", texts, want)
	}
	var script bytes.Buffer
	if err := tmpl.ScriptTemplate.Execute(&script, struct{ AppID, XML string }{"dialbridge", doc.String()}); err != nil {
		return err
	}
	s := script.String()
	start, end := strings.Index(s, "@\"\n"), strings.LastIndex(s, "\n\"@")
	if start < 0 || end < start {
		return errors.New("no here-string in the PowerShell script")
	}
	if here := s[start+3 : end]; strings.ContainsAny(here, "$`") || strings.Contains(here, "\n\"@") {
		return fmt.Errorf("the PowerShell here-string for %q would expand or end early", out)
	}
	if strings.ContainsFunc(out, func(r rune) bool { return Hidden(r) || (r != ' ' && unicode.IsSpace(r)) }) {
		return fmt.Errorf("%q is not one clean line", out)
	}
	return nil
}

// checks names every format's check, for the corpus test.
var checks = []struct {
	name  string
	check func(string) error
}{
	{"name", checkName},
	{"notification body", checkNotificationBody},
	{"toast body", checkToast},
	{"XML screen", checkXML},
	{"SIP display name", checkSIP},
	{"menu label", checkMenu},
	{"log line", checkLog},
	{"origin", checkOrigin},
}
