package display

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

// textCase is one row of a table test of a string -> string function.
type textCase struct{ name, in, want string }

// runCases runs f on every row as a subtest named after the row.
func runCases(t *testing.T, fname string, f func(string) string, tests []textCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f(tt.in); got != tt.want {
				t.Errorf("%s(%q) = %q, want %q", fname, tt.in, got, tt.want)
			}
		})
	}
}

// TestCleaners runs each function that makes a string safe to show
// somewhere (a notification, a log, a menu, a SIP header) on its table.
func TestCleaners(t *testing.T) {
	funcs := []struct {
		name  string
		f     func(string) string
		cases []textCase
	}{
		{"Name", Name, []textCase{
			{"a plain name stays", "Anna Muster", "Anna Muster"},
			{"spaces and line breaks become single spaces", "  Anna \t\r\n Muster\u2028 ", "Anna Muster"},
			{"bidi override and NUL are dropped", "Evil\u202eredro\u0000", "Evilredro"},
			{"a reversed number cannot pose as one", "\u202e4321 0030+\u202c", "4321 0030+"},
			{"isolates and marks are dropped", "A\u2066B\u2069C\u200fD\u061cE", "ABCDE"},
			{"joiners stay", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"},
			{"invalid bytes are dropped", "An\xffna", "Anna"},
			{"64 characters fit", strings.Repeat("x", 64), strings.Repeat("x", 64)},
			{"65 are cut with an ellipsis", strings.Repeat("x", 65), strings.Repeat("x", 63) + "…"},
			{"a cut drops the space before the ellipsis", strings.Repeat("x", 62) + " yy", strings.Repeat("x", 62) + "…"},
			{"markup is kept as text", "<b>Bank</b>", "<b>Bank</b>"},
			{"nothing stays nothing", " \u202e ", ""},
		}},
		{"ToastBody", ToastBody, []textCase{
			{"plain text stays", "Anna <Muster> & Co", "Anna <Muster> & Co"},
			{"the CDATA end is broken", "x]]><image src='http://e/t.png'/>", "x]] ><image src='http://e/t.png'/>"},
			{"PowerShell expansion is defused", "$(calc) `n $env:USER", "\uff04(calc) \uff40n \uff04env:USER"},
			{"one line", "a\r\n\"@\r\nb", "a \"@ b"},
		}},
		{"XML", XML, []textCase{
			{"markup is escaped", `<b>Bank</b> & "Co" 'x'`, "&lt;b&gt;Bank&lt;/b&gt; &amp; &#34;Co&#34; &#39;x&#39;"},
			{"control characters are dropped", "a\x00b\r\nc\x7fd\x85", "abcd"},
			{"XML's forbidden characters are dropped", "a\ufffeb\uffffc", "abc"},
			{"letters stay", "Jürgen Öztürk", "Jürgen Öztürk"},
		}},
		{"SIPDisplayName", SIPDisplayName, []textCase{
			{"a name is quoted", "Anna Muster", `"Anna Muster"`},
			{"quotes and backslashes are escaped", `Bob "The" \ Builder`, `"Bob \"The\" \\ Builder"`},
			{"CR and LF cannot start a header", "Eve\r\nX-Evil: 1", `"EveX-Evil: 1"`},
			{"an empty name is an empty string", "", `""`},
			{"UTF-8 stays", "Jürgen", `"Jürgen"`},
		}},
		{"LogText", LogText, []textCase{
			{"a forged line stays in its value", "x\nlevel=ERROR msg=forged", "xlevel=ERROR msg=forged"},
			{"terminal escapes are dropped", "\x1b[31mred\x1b[0m", "[31mred[0m"},
			{"bidi controls are dropped", "abc\u202edef", "abcdef"},
			{"the length is kept", strings.Repeat("y", 100), strings.Repeat("y", 100)},
		}},
		{"Origin", Origin, []textCase{
			{"a web origin is shown as is", "https://crm.example", "https://crm.example"},
			{"the port stays", "http://localhost:8080/", "http://localhost:8080"},
			{"a look-alike host shows its ASCII name", "https://\u0430pple.com", "https://xn--pple-43d.com"},
			{"an IPv6 origin keeps its brackets", "http://[::1]:9", "http://[::1]:9"},
			{"a made-up origin is shown as a name", "https://bank.example\u202e\nmoc.live", "https://bank.example moc.live"},
			{"a description is a name", "phone link", "phone link"},
			{"a long origin is cut", "https://" + strings.Repeat("a", 100) + ".example", "https://" + strings.Repeat("a", 55) + "…"},
		}},
		{"DBusMenuLabel", DBusMenuLabel, []textCase{
			{"underscores are doubled", "_File a_b &Open", "__File a__b &Open"},
			{"a label is one line", "a\nb\x00c", "abc"},
		}},
		{"Win32MenuLabel", Win32MenuLabel, []textCase{
			{"ampersands are doubled", "A&B &Open _x", "A&&B &&Open _x"},
			{"a label is one line", "a\nb\x00c", "abc"},
		}},
	}
	for _, fc := range funcs {
		t.Run(fc.name, func(t *testing.T) { runCases(t, fc.name, fc.f, fc.cases) })
	}
}

func TestParty(t *testing.T) {
	tests := []struct{ name, alias, number, want string }{
		{"name and number", "Anna Muster", "+49301234567", "Anna Muster (+49301234567)"},
		{"a name that is the number once", "+49301234567", "+49301234567", "+49301234567"},
		{"the number alone", "", "+49301234567", "+49301234567"},
		{"the name alone", "Anna", "", "Anna"},
		{"neither", " \u202e", "", "unknown caller"},
		{"both limited", "Evil\u202e\nName", "12\x003", "Evil Name (123)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Party(tt.alias, tt.number, "unknown caller"); got != tt.want {
				t.Errorf("Party(%q, %q) = %q, want %q", tt.alias, tt.number, got, tt.want)
			}
		})
	}
}

func TestNotificationBody(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		markup bool
		want   string
	}{
		{"a markup server gets entities", displaytest.Hostile, true,
			`&lt;b&gt;Bank&lt;/b&gt; &amp; &lt;a href="https://evil.example/x"&gt;pay&lt;/a&gt;&lt;img src="http://127.0.0.1:9/t.png"&gt;`},
		{"a plain server gets the text", displaytest.Hostile, false, displaytest.Hostile},
		{"an entity is shown, not resolved", "Anna &amp; Bob", true, "Anna &amp;amp; Bob"},
		{"control characters go, line breaks stay", "a\x00b\x1bc\nd\re", false, "abc\nde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NotificationBody(tt.in, tt.markup); got != tt.want {
				t.Errorf("NotificationBody(%q, %v) = %q, want %q", tt.in, tt.markup, got, tt.want)
			}
		})
	}
}

func TestReplaceAttr(t *testing.T) {
	tests := []struct {
		name string
		in   slog.Attr
		want slog.Value
	}{
		{"a string is cleaned", slog.String("name", "a\nb"), slog.StringValue("ab")},
		{"an error becomes its cleaned text", slog.Any("error", errors.New("x\r\ny")), slog.StringValue("xy")},
		{"a number is left alone", slog.Int("n", 3), slog.IntValue(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReplaceAttr(nil, tt.in); !got.Value.Equal(tt.want) || got.Key != tt.in.Key {
				t.Errorf("ReplaceAttr(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestHostileCorpus(t *testing.T) {
	corpus := displaytest.Load(t)
	if len(corpus) < 15 {
		t.Fatalf("the corpus has %d strings; it lost some", len(corpus))
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range corpus {
				if err := c.check(s); err != nil {
					t.Errorf("%.60q: %v", s, err)
				}
			}
		})
	}
}
