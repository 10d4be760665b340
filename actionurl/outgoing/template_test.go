package outgoing

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// answered is a call as the tracker reports it when it ends.
func answered() phone.CallEvent {
	created := time.Date(2019, 3, 25, 9, 34, 22, 0, time.UTC)
	return phone.CallEvent{
		Action: phone.ActionDisconnected,
		At:     created.Add(12 * time.Second),
		Call: phone.Call{
			ID: "3c2b", GUID: "0169b46a-57b0-7fff-bfff-ffffffffffff", Direction: phone.Inbound,
			Local: "101@pbx.example", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			Created: created, Connected: created.Add(5 * time.Second), Disconnected: created.Add(12 * time.Second),
		},
	}
}

// miaExample is the output example of Mia CSTA's manual (with its missing "&"
// before calldirectionINT, as Mia prints it).
const miaExample = "https://example.com/call.php?action=<$action>&calldirection=<$call_direction>calldirectionINT=<$call_direction_as_int>" +
	"&localparty=<$local_party>&localalias=<$local_alias>&holdstate=<$hold_state>&callduration=<$call_duration_seconds>" +
	"&createdtime=<$call_created_time>&connectedtime=<$call_connected_time>&disconnectedtime=<$call_disconnected_time>" +
	"&callguid=<$call_guid>&remoteparty=<$remote_party>&remotedisplayname=<$remote_alias>"

func TestExpandEveryPlaceholder(t *testing.T) {
	tpl, err := ParseTemplate(miaExample)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tpl.ExpandEvent(answered(), berlin)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://example.com/call.php?action=disconnected&calldirection=inboundcalldirectionINT=0" +
		"&localparty=101%40pbx.example&localalias=101%40pbx.example&holdstate=off_hold&callduration=7" +
		"&createdtime=2019-03-25T10-34-22&connectedtime=2019-03-25T10-34-27&disconnectedtime=2019-03-25T10-34-34" +
		"&callguid=0169b46a-57b0-7fff-bfff-ffffffffffff&remoteparty=%2B4930123456&remotedisplayname=Peter+M%C3%BCller"
	if got != want {
		t.Errorf("expanded\n got %s\nwant %s", got, want)
	}
}

func TestValuesOf(t *testing.T) {
	ev := answered()
	ev.Action = phone.ActionHold
	ev.Call.Direction = phone.Outbound
	ev.Call.OnHold = true
	ev.Call.LocalAlias = "Desk"
	ev.Call.Disconnected = time.Time{}
	ev.At = ev.Call.Connected.Add(65 * time.Second)
	v := ValuesOf(ev, berlin)
	want := map[Placeholder]string{
		PAction: "hold", PCallDirection: "outbound", PCallDirectionAsInt: "1", PLocalAlias: "Desk",
		PHoldState: "on_hold", PCallDurationSeconds: "65", PCallDisconnectedTime: "",
		PCallConnectedTime: "2019-03-25T10-34-27",
	}
	for p, w := range want {
		if v[p] != w {
			t.Errorf("%s = %q, want %q", p, v[p], w)
		}
	}
	// A call that was never answered has no talk time and no connect time.
	ev = answered()
	ev.Call.Connected = time.Time{}
	v = ValuesOf(ev, berlin)
	if v[PCallDurationSeconds] != "0" || v[PCallConnectedTime] != "" {
		t.Errorf("unanswered: duration %q, connected %q", v[PCallDurationSeconds], v[PCallConnectedTime])
	}
}

// TestInjection: a caller name full of URL syntax arrives as one value,
// wherever the placeholder stands.
func TestInjection(t *testing.T) {
	const evil = "Bob&admin=1#x/../?"
	ev := answered()
	ev.Call.RemoteAlias = evil
	ev.Call.Remote = ".."
	tests := []struct {
		template string
		check    func(u *url.URL) string
	}{
		{"https://crm.example/call?name=<$remote_alias>&nr=<$remote_party>", func(u *url.URL) string {
			q := u.Query()
			if len(q) != 2 || q.Get("name") != evil || q.Get("nr") != ".." || u.Fragment != "" || u.Path != "/call" {
				return "query " + u.RawQuery + " fragment " + u.Fragment
			}
			return ""
		}},
		{"https://crm.example/people/<$remote_alias>/calls/<$remote_party>?x=1", func(u *url.URL) string {
			if u.Path != "/people/"+evil+"/calls/.." || u.RawQuery != "x=1" || u.Fragment != "" {
				return "path " + u.Path + " query " + u.RawQuery
			}
			if !strings.Contains(u.EscapedPath(), "/calls/%2E%2E") {
				return "the dots climb the path: " + u.EscapedPath()
			}
			return ""
		}},
		{"https://crm.example/#/call/<$remote_alias>", func(u *url.URL) string {
			if u.Fragment != "/call/"+evil || u.RawQuery != "" {
				return "fragment " + u.Fragment
			}
			return ""
		}},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate(tt.template)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tpl.ExpandEvent(ev, berlin)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		if u.Host != "crm.example" {
			t.Errorf("%s: host became %q", tt.template, u.Host)
		}
		if msg := tt.check(u); msg != "" {
			t.Errorf("%s expanded to %s: %s", tt.template, got, msg)
		}
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct{ template, want string }{
		{"https://crm.example/?a=<$caller>&b=<$remote_party>&c=<$nope>", "unknown placeholders <$caller>, <$nope> (known: <$action>"},
		{"https://crm.example/?a=<$Remote_Party>", "unknown placeholder <$Remote_Party>"},
		{"https://<$remote_party>.crm.example/", "<$remote_party> stands in the scheme or host"},
		{"https://user:<$remote_alias>@crm.example/", "stands in the scheme or host"},
		{"<$action>://crm.example/", "is not an http:// or https:// URL"},
		{"crm.example/call?nr=<$remote_party>", "is not an http:// or https:// URL"},
		{"ftp://crm.example/<$remote_party>", "is not an http:// or https:// URL"},
		{"https:///path?<$remote_party>", "has no host"},
		{"https://crm.example/?a=<$remote_party", "opens a placeholder that is never closed"},
		{"https://crm example/", "is not a valid URL"},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.template)
		var te *TemplateError
		if err == nil || !errors.As(err, &te) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTemplate(%q) = %v, want %q", tt.template, err, tt.want)
		}
	}
	for _, ok := range []string{
		"http://crm.example",
		"HTTPS://crm.example:8443/x/<$call_guid>?a=<$action>#<$remote_alias>",
		"http://[::1]:8080/<$remote_party>",
		"https://crm.example/call.php?a=<b>&nr=<$remote_party>",
	} {
		if _, err := ParseTemplate(ok); err != nil {
			t.Errorf("ParseTemplate(%q): %v", ok, err)
		}
	}
}

func TestRulesDeliveries(t *testing.T) {
	rule := func(action phone.Action, raw string, mode Mode, index int) Rule {
		tpl, err := ParseTemplate(raw)
		if err != nil {
			t.Fatal(err)
		}
		return Rule{Action: action, Template: tpl, Mode: mode, Index: index}
	}
	rs := Rules{
		rule(phone.ActionDisconnected, "https://crm.example/end?guid=<$call_guid>", ModeBackground, 1),
		rule(phone.ActionDisconnected, "https://crm.example/popup?nr=<$remote_party>", ModeBrowser, 2),
		rule(phone.ActionInbound, "https://crm.example/in", ModeBackground, 4),
	}
	ev := answered()
	ds, errs := rs.Deliveries(ev, berlin)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := []Delivery{
		{CallGUID: ev.Call.GUID, Action: phone.ActionDisconnected, URL: "https://crm.example/end?guid=" + ev.Call.GUID,
			Mode: ModeBackground, Status: StatusPending, Created: ev.At},
		{CallGUID: ev.Call.GUID, Action: phone.ActionDisconnected, URL: "https://crm.example/popup?nr=%2B4930123456",
			Mode: ModeBrowser, Status: StatusPending, Created: ev.At},
	}
	if len(ds) != len(want) {
		t.Fatalf("got %d deliveries, want %d: %+v", len(ds), len(want), ds)
	}
	for i := range want {
		if ds[i] != want[i] {
			t.Errorf("delivery %d\n got %+v\nwant %+v", i, ds[i], want[i])
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	f.Add(miaExample)
	f.Add("https://crm.example/<$remote_party>/x?a=<$remote_alias>#<$call_guid>")
	f.Add("https://<$remote_party>/")
	f.Add("http://[::1]:1/<$action")
	f.Fuzz(func(t *testing.T, raw string) {
		tpl, err := ParseTemplate(raw)
		if err != nil {
			return
		}
		// A template that passed the check expands to an http(s) URL with
		// the same host whatever the values.
		var v Values
		for i := range v {
			v[i] = "Bob&admin=1#x/../?@evil.example:1/"
		}
		u, err := url.Parse(tpl.Expand(&v))
		if err != nil {
			t.Fatalf("%q expanded to an invalid URL: %v", raw, err)
		}
		var plain Values
		p, _ := url.Parse(tpl.Expand(&plain))
		if u.Host != p.Host || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("%q: values changed the host from %q to %q", raw, p.Host, u.Host)
		}
	})
}

func FuzzExpand(f *testing.F) {
	f.Add("Bob&admin=1#x/../?", "..", "+49 30 123")
	f.Add("%zz", ".", "")
	f.Fuzz(func(t *testing.T, name, number, local string) {
		tpl, err := ParseTemplate("https://crm.example/p/<$remote_party>/x?name=<$remote_alias>&local=<$local_party>#f=<$remote_alias>")
		if err != nil {
			t.Fatal(err)
		}
		var v Values
		v[PRemoteAlias], v[PRemoteParty], v[PLocalParty] = name, number, local
		u, err := url.Parse(tpl.Expand(&v))
		if err != nil {
			t.Fatalf("invalid URL for %q %q %q: %v", name, number, local, err)
		}
		q := u.Query()
		if u.Host != "crm.example" || len(q) != 2 || q.Get("name") != name || q.Get("local") != local {
			t.Fatalf("values leaked: host %q query %v", u.Host, q)
		}
		if u.Path != "/p/"+number+"/x" || u.Fragment != "f="+name {
			t.Fatalf("path %q fragment %q for number %q name %q", u.Path, u.Fragment, number, name)
		}
	})
}

func BenchmarkExpand(b *testing.B) {
	tpl, err := ParseTemplate(miaExample)
	if err != nil {
		b.Fatal(err)
	}
	ev := answered()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.ExpandEvent(ev, berlin); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTemplate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTemplate(miaExample); err != nil {
			b.Fatal(err)
		}
	}
}
