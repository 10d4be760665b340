package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/ui/notify"
	"github.com/dialbridge/dialbridge/ui/tray"
	"github.com/dialbridge/dialbridge/ui/tray/clipboard"
	"github.com/dialbridge/dialbridge/ui/trayapp"
)

// spelling is one way people, pages and programs write a number, and what
// every way in must make of it under readingConfig's rules: the dial
// string, the blocked rule that refuses it for dials the person did not
// type, or the refusal of a text that is no number.
type spelling struct {
	text string
	// raw is how a click-to-dial client puts text into a query string
	// when that is not plain percent-encoding: a raw '+' for the plus
	// sign, or a form's '+' for a blank. "" means percent-encoded.
	raw    string
	dial   string
	rule   string // the blocked rule, "" for none
	refuse string // part of the refusal; then dial and rule are ""
}

// readingCorpus covers the spellings of the issue that found the listener
// reading numbers its own way: tel: with ;ext= and ;phone-context=,
// callto:// and callto:, sip:/sips: with user=phone, %2B and a raw '+',
// blanks, (0), dashes, dots, vanity numbers, service codes, premium and
// directory numbers, and texts that are no number. The rules are a Berlin
// office behind a PBX with outside line 0.
var readingCorpus = []spelling{
	{text: "tel:+1-201-555-0123", raw: "tel:+1-201-555-0123", dial: "00012015550123"},
	{text: "tel:+1-201-555-0123;ext=45", dial: "00012015550123"},
	{text: "tel:1234567;phone-context=+49-30", dial: "00301234567"},
	{text: "tel:7042;phone-context=example.com", dial: "7042"},
	{text: "tel:%2B4930123456", dial: "0030123456"},
	{text: "TEL:+49%2030%20123456", dial: "0030123456"},
	{text: "callto://+4930123456", raw: "callto://+4930123456", dial: "0030123456"},
	{text: "callto:+49 30 123456", raw: "callto:+49+30+123456", dial: "0030123456"},
	{text: "sip:+4930123456@pbx;user=phone", raw: "sip:+4930123456@pbx;user=phone", dial: "0030123456"},
	{text: "sips:+4930123456@pbx.example;user=phone", dial: "0030123456"},
	{text: "sip:204@pbx.example", dial: "204"},
	{text: "+49 30 1234567", raw: "%2B49+30+1234567", dial: "00301234567"},
	{text: "+49301234567", raw: "+49301234567", dial: "00301234567"},
	{text: "+49 (0)30 123 45-67", dial: "00301234567"},
	{text: "(030) 123456", dial: "0030123456"},
	{text: "030-123-4567", dial: "00301234567"},
	{text: "030.123.4567", dial: "00301234567"},
	{text: "Tel.: +49 (0)30 123456 ext. 12", dial: "0030123456"},
	{text: "0800 FLOWERS", raw: "0800+FLOWERS", dial: "008003569377"},
	{text: "+1-800-GO-FEDEX", dial: "00018004633339"},
	{text: "*21#", dial: "*21#"},
	{text: "*21*0301234567#", dial: "*21*0301234567#"},
	{text: "#31#0301234567", dial: "#31#0301234567"},
	{text: "204", dial: "204"},
	{text: "112", dial: "0112"},
	// Premium and directory numbers: blocked for links and programs,
	// dialled when typed.
	{text: "tel:+49-900-1234567", raw: "tel:+49-900-1234567", dial: "009001234567", rule: "0900*"},
	{text: "0900 1234567", dial: "009001234567", rule: "0900*"},
	{text: "*21*09001234567#", dial: "*21*09001234567#", rule: "0900*"},
	{text: "11833", dial: "011833", rule: "118*"},
	// No number.
	{text: "030123 --config", refuse: `"--config" looks like a command-line option`},
	{text: "030-ABC-1234", refuse: `the word "ABC" stands between digits`},
	{text: "PLEASE CALL 0800 NOW", refuse: `the word "NOW" after the number is part of a sentence`},
	{text: "callto:echo123", refuse: `"echo123", which is not a phone number`},
	{text: "sip:alice@example.com", refuse: `the SIP user "alice"`},
	{text: "abc", refuse: "contains no phone number"},
	{text: "0301234567890123456789012345", refuse: "too many digits"},
}

// readingConfig is the config body of readingCorpus's office (the port
// and the phone are added).
const readingConfig = `
[dialing]
country = "DE"
area_code = "30"
outside_line = "0"
internal_max_digits = 4
`

// outcome is what one way in did with a text: the dial string the phone
// was asked for ("" for none) or the sentence it refused it with.
type outcome struct {
	dialed  string
	refusal string
}

// way is one way a number comes into dialbridge.
type way struct {
	name string
	// typed: the person typed or picked the number, so the blocked list
	// does not apply.
	typed bool
	// links: the way takes only tel:, callto: and sip: links.
	links bool
	try   func(t testing.TB, rg *readingRig, sp spelling) outcome
}

// crmOrigin is the web origin readingConfig's office lets dial with fetch.
const crmOrigin = "https://crm.example"

// readingRig is a resident in this process, paired with a simulated Snom
// phone that records what it is asked to dial.
type readingRig struct {
	r       *resident.App
	sim     brandsim.Dialer
	cfgPath string
	base    string
	client  *control.Client
	tray    *trayapp.App
	// clip is what the tray reads as the clipboard.
	clip *clipboard.Reader
}

func newReadingRig(t testing.TB) *readingRig {
	t.Helper()
	sim, _, err := brandsim.StartDialer("snom", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "pa55"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	t.Setenv("DIALBRIDGE_PHONE_PASSWORD", "pa55")
	body := fmt.Sprintf("allowed_origins = [%q]\n[phone]\nbrand = \"snom\"\naddress = %q\nusername = \"admin\"\n%s", crmOrigin, sim.URL(), readingConfig)
	r, port, cfgPath := startResidentWith(t, body, func(r *resident.App) {
		// Dozens of dials a second here; the rate limit has its own tests.
		r.Dial().Limit = nil
	})
	// `dialbridge tel:…` finds the resident by the default config path.
	t.Setenv("DIALBRIDGE_CONFIG", cfgPath)
	clip := &clipboard.Reader{LookPath: exec.LookPath, Getenv: os.Getenv, Timeout: 5 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := slog.New(slog.DiscardHandler)
	return &readingRig{
		r: r, sim: sim, cfgPath: cfgPath,
		base:   fmt.Sprintf("http://127.0.0.1:%d", port),
		client: control.NewClient(r.ControlFile(), nil),
		// The tray as runTray wires it, without the menu on a desktop.
		tray: trayapp.New(trayapp.Deps{
			Calls: r.Calls(), Read: r.Read, Phone: pairingOf(r),
			Notes: notify.New(nil, log, ctx.Done()), Clipboard: clip, Log: log,
		}),
		clip: clip,
	}
}

// listenerWay sends the number in one of the listener's dial formats
// through real HTTP; quoted percent-encodes it (blanks as %20), or, with
// raw set, uses the spelling's raw form where it has one.
func listenerWay(name, method, path, param string, raw bool) way {
	return way{name: name, try: func(t testing.TB, rg *readingRig, sp spelling) outcome {
		value := strings.ReplaceAll(url.QueryEscape(sp.text), "+", "%20")
		if raw && sp.raw != "" {
			value = sp.raw
		}
		target, body := path+"?"+param+"="+value, ""
		if method == http.MethodPost {
			target, body = path, param+"="+value
		}
		req, err := http.NewRequest(method, rg.base+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		text := strings.TrimSpace(string(b))
		if res.StatusCode != http.StatusOK {
			return outcome{refusal: fmt.Sprintf("%d %s", res.StatusCode, text)}
		}
		return outcome{dialed: strings.TrimPrefix(text, "OK: the phone is dialing ")}
	}}
}

// fromErr turns an entry's answer into an outcome.
func fromErr(dialed string, err error) outcome {
	if err != nil {
		return outcome{refusal: err.Error()}
	}
	return outcome{dialed: dialed}
}

// controlWay dials through the control API as the program named by source
// does.
func controlWay(name, source string, typed bool) way {
	return way{name: name, typed: typed, try: func(t testing.TB, rg *readingRig, sp spelling) outcome {
		return fromErr(rg.client.Dial(context.Background(), control.DialCommand{Number: sp.text, Typed: typed, Source: source}))
	}}
}

// commandWay runs a command of this program in this process, as the front
// hands it over, and reads the dial string from what it prints.
func commandWay(name string, links, typed bool, run func(rg *readingRig, text string, stdout io.Writer) error) way {
	return way{name: name, links: links, typed: typed, try: func(t testing.TB, rg *readingRig, sp spelling) outcome {
		var out bytes.Buffer
		err := run(rg, sp.text, &out)
		return fromErr(strings.TrimSpace(strings.TrimPrefix(out.String(), "The phone is dialing ")), err)
	}}
}

// everyWay is every way a number comes in: each listener format, the
// control API as links, programs and the dial pad use it, the command
// line, clicked links and the tray (the clipboard item as the menu shows
// and dials it, and a number picked from the recent calls).
var everyWay = []way{
	listenerWay("Mia native", http.MethodGet, "/", "action=make_call&target", false),
	listenerWay("Mia native, raw + and form blanks", http.MethodGet, "/", "action=make_call&target", true),
	listenerWay("Snom command.htm GET", http.MethodGet, "/command.htm", "number", false),
	listenerWay("Snom command.htm POST", http.MethodPost, "/command.htm", "number", true),
	listenerWay("Yealink servlet", http.MethodGet, "/servlet", "key=number", true),
	listenerWay("Yealink ConfigManApp", http.MethodGet, "/cgi-bin/ConfigManApp.com", "number", false),
	listenerWay("Yealink cgiServer.exx", http.MethodGet, "/cgiServer.exx", "number", true),
	listenerWay("Grandstream api-make_call", http.MethodGet, "/cgi-bin/api-make_call", "phonenumber", false),
	controlWay("control API, a program", "control API", false),
	controlWay("control API, the dial pad", "dial pad", true),
	commandWay("dialbridge dial", false, true, func(rg *readingRig, text string, stdout io.Writer) error {
		return commands.Dial(context.Background(), []string{"--config", rg.cfgPath, "--", text}, stdout, io.Discard)
	}),
	commandWay("a clicked link", true, false, func(rg *readingRig, text string, stdout io.Writer) error {
		if !reach.IsLink(text) {
			panic("not a link: " + text)
		}
		return commands.Link(context.Background(), []string{text}, stdout, io.Discard)
	}),
	{name: "tray, clipboard", try: func(t testing.TB, rg *readingRig, sp spelling) outcome {
		a := rg.tray
		rg.clip.Tools = []clipboard.Tool{{Name: "printf", Args: []string{"%s", sp.text}}}
		a.RefreshClipboard(context.Background())
		shown := clipboardLabel(a.Model().Menu())
		// The menu shows what clicking does.
		want := "No phone number in the clipboard"
		if rd, err := rg.r.Read(sp.text); err == nil {
			want = "Dial " + display.Name(rd.Dial) + " from clipboard"
			if rd.Blocked != nil {
				want = "Clipboard: " + display.Name(rd.Dial) + " is blocked"
			}
		}
		if shown != want {
			t.Errorf("%q: the tray menu shows %q, want %q", sp.text, shown, want)
		}
		ev, ok := a.Model().Click(tray.ItemDialClipboard)
		if !ok {
			// The item is disabled: dial what the clipboard holds, as the
			// tray does where the menu could not be refreshed.
			ev = tray.Event{Kind: tray.EventDialClipboard}
		}
		if err := a.Handle(context.Background(), ev); err != nil {
			return outcome{refusal: err.Error()}
		}
		return outcome{dialed: rg.lastDialed()}
	}},
	{name: "tray, recent calls", typed: true, try: func(t testing.TB, rg *readingRig, sp spelling) outcome {
		ev := tray.Event{Kind: tray.EventCallBack, Number: sp.text}
		if err := rg.tray.Handle(context.Background(), ev); err != nil {
			return outcome{refusal: err.Error()}
		}
		return outcome{dialed: rg.lastDialed()}
	}},
}

// clipboardLabel is the label of the tray's clipboard item.
func clipboardLabel(m tray.Menu) string {
	for _, it := range m.Items {
		if it.ID == tray.ItemDialClipboard {
			return it.Label
		}
	}
	return ""
}

// lastDialed is the number the simulated phone was asked to dial last.
func (rg *readingRig) lastDialed() string {
	d := rg.sim.Dialed()
	if len(d) == 0 {
		return ""
	}
	return d[len(d)-1].Number
}

// normalizeSays runs `dialbridge normalize` on text and returns the dial
// string it promises and the blocked note, or its refusal.
func normalizeSays(rg *readingRig, text string) (dial, blocked string, err error) {
	var out bytes.Buffer
	if err := commands.Normalize(context.Background(), []string{"--config", rg.cfgPath, text}, &out, io.Discard); err != nil {
		return "", "", err
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := strings.TrimPrefix(lines[len(lines)-1], "dial: ")
	dial, blocked, _ = strings.Cut(last, " ")
	return dial, blocked, nil
}

// checkWay tries sp through w and checks the outcome against sp (which the
// tests hold to what `dialbridge normalize` promises), and that the phone
// heard exactly what the outcome says.
func checkWay(t testing.TB, rg *readingRig, w way, sp spelling) {
	t.Helper()
	before := len(rg.sim.Dialed())
	got := w.try(t, rg, sp)
	dialedNow := rg.sim.Dialed()[before:]
	blocked := sp.rule != "" && !w.typed
	switch {
	case sp.refuse != "" || blocked:
		want := sp.refuse
		if blocked {
			want = fmt.Sprintf("the rule %q", sp.rule)
		}
		if got.refusal == "" || !strings.Contains(got.refusal, want) {
			t.Errorf("%s: %q dialed %q (%s), want it refused with %s", w.name, sp.text, got.dialed, got.refusal, want)
		}
		if len(dialedNow) != 0 {
			t.Errorf("%s: %q made the phone dial %v", w.name, sp.text, dialedNow)
		}
	default:
		if got.dialed != sp.dial || got.refusal != "" {
			t.Errorf("%s: %q dialed %q (%s), want %q", w.name, sp.text, got.dialed, got.refusal, sp.dial)
		}
		if len(dialedNow) != 1 || dialedNow[0].Number != sp.dial {
			t.Errorf("%s: %q made the phone dial %v, want %s", w.name, sp.text, dialedNow, sp.dial)
		}
	}
}

// tryEveryWay checks sp through every way that takes it.
func tryEveryWay(t testing.TB, rg *readingRig, sp spelling) {
	t.Helper()
	for _, w := range everyWay {
		if w.links && !reach.IsLink(sp.text) {
			continue
		}
		checkWay(t, rg, w, sp)
	}
}

// TestEveryWayInReadsANumberAsNormalizeSays runs every way a number comes
// in against the corpus: each dials the dial string `dialbridge normalize`
// promises, refuses the same texts, and applies the same blocked rule to
// every dial the person did not type.
func TestEveryWayInReadsANumberAsNormalizeSays(t *testing.T) {
	rg := newReadingRig(t)
	for _, sp := range readingCorpus {
		dial, blocked, err := normalizeSays(rg, sp.text)
		switch {
		case sp.refuse != "":
			if err == nil || !strings.Contains(err.Error(), sp.refuse) {
				t.Errorf("normalize %q: %q %v, want the refusal %q", sp.text, dial, err, sp.refuse)
			}
		case err != nil || dial != sp.dial:
			t.Errorf("normalize %q: %q %v, want %q", sp.text, dial, err, sp.dial)
		case (sp.rule == "") != (blocked == ""), sp.rule != "" && !strings.Contains(blocked, fmt.Sprintf("%q", sp.rule)):
			t.Errorf("normalize %q: blocked note %q, want the rule %q", sp.text, blocked, sp.rule)
		}
		tryEveryWay(t, rg, sp)
	}
}

// someRefusal matches any refusal: every one is a sentence with a blank.
const someRefusal = " "

// FuzzEveryWayInAgrees is the differential check behind the table test:
// whatever the text, every way in does what the one reading
// (resident.read, which `dialbridge normalize` prints) says: dials its
// dial string, refuses it when it is no number, and refuses it by its
// blocked rule for every dial the person did not type. Texts that some way
// cannot carry at all are skipped: JSON (the control API) carries only
// valid UTF-8, and a command-line argument cannot hold a NUL byte.
func FuzzEveryWayInAgrees(f *testing.F) {
	for _, sp := range readingCorpus {
		f.Add(sp.text)
	}
	rg := newReadingRig(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Skip("no way in carries this text unchanged")
		}
		rd, err := rg.r.Read(text)
		sp := spelling{text: text, dial: rd.Dial}
		var be *dialplan.BlockedError
		switch {
		case err != nil:
			// The sentences differ by way (status codes, prefixes); the
			// refusal itself must not.
			sp = spelling{text: text, refuse: someRefusal}
		case errors.As(rd.Blocked, &be):
			sp.rule = be.Pattern
		case rd.Blocked != nil:
			t.Fatalf("%q: the blocked list cannot be checked: %v", text, rd.Blocked)
		}
		tryEveryWay(t, rg, sp)
	})
}

// TestAPremiumNumberFromAWebPageIsBlocked: a page of an allowed origin may
// dial without asking, but a premium number written as a tel: URI is read
// as one and refused by the premium rule in every dial format, while the
// same page's ordinary number dials.
func TestAPremiumNumberFromAWebPageIsBlocked(t *testing.T) {
	rg := newReadingRig(t)
	for _, f := range []struct{ path, param string }{
		{"/", "action=make_call&target"},
		{"/command.htm", "number"},
		{"/servlet", "key=number"},
		{"/cgi-bin/ConfigManApp.com", "number"},
		{"/cgiServer.exx", "number"},
		{"/cgi-bin/api-make_call", "phonenumber"},
	} {
		for _, tc := range []struct {
			number, dial string
			status       int
		}{
			{"tel%3A%2B49-900-1234567", "", http.StatusForbidden},
			{"tel:+49-900-1234567", "", http.StatusForbidden},
			{"tel%3A%2B49-30-1234567", "00301234567", http.StatusOK},
		} {
			req, err := http.NewRequest(http.MethodGet, rg.base+f.path+"?"+f.param+"="+tc.number, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", crmOrigin)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Sec-Fetch-Mode", "cors")
			before := len(rg.sim.Dialed())
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			dialed := rg.sim.Dialed()[before:]
			if res.StatusCode != tc.status {
				t.Errorf("%s %s from %s: %d %s, want %d", f.path, tc.number, crmOrigin, res.StatusCode, b, tc.status)
			}
			switch {
			case tc.dial == "" && (len(dialed) != 0 || !strings.Contains(string(b), `the rule "0900*"`)):
				t.Errorf("%s %s: the phone dialed %v, answer %q; want it refused by the rule \"0900*\"", f.path, tc.number, dialed, b)
			case tc.dial != "" && (len(dialed) != 1 || dialed[0].Number != tc.dial):
				t.Errorf("%s %s: the phone dialed %v, want %s", f.path, tc.number, dialed, tc.dial)
			}
		}
	}
}
