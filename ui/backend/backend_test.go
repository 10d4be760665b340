package backend

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/data"
)

const token = "0123456789abcdef0123456789abcdef"

// crmGaveUp is why the fake resident's delivery 12 failed, as its outbox
// words it; olderReason is a reason an older resident sent as words only.
var crmGaveUp = outgoing.GaveUp(5, outgoing.AnswerResult("crm.example", 503).Err)

const olderReason = "crm.example did not answer in time"

// fakeControl is a resident's control API: it checks the token like the
// real one and answers in the real JSON shapes.
type fakeControl struct {
	dials     []control.DialCommand
	reloads   int
	retried   []string
	transfers []string // "path target"
	controls  []string // "POST path"
}

func (f *fakeControl) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+token {
		actionurl.WriteJSON(w, http.StatusUnauthorized, control.Reply{Error: "wrong token"})
		return
	}
	at := time.Date(2025, 11, 24, 14, 5, 0, 0, time.UTC)
	connected, ended := at.Add(4*time.Second), at.Add(429*time.Second)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/dial":
		var c control.DialCommand
		_ = json.NewDecoder(r.Body).Decode(&c)
		f.dials = append(f.dials, c)
		actionurl.WriteJSON(w, http.StatusOK, control.Reply{Dialed: "0301234567"})
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/reload":
		f.reloads++
		actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/journal":
		actionurl.WriteJSON(w, http.StatusOK, control.CallList{Calls: []control.CallEntry{
			{GUID: "g2", CallID: "7", Direction: "outbound", Remote: "204", Created: at.Add(time.Hour), Outcome: "not answered", Disconnected: &ended},
			{GUID: "g1", CallID: "6", Direction: "inbound", Remote: "+49301234567", RemoteAlias: "Erika Mustermann",
				Created: at, Connected: &connected, Disconnected: &ended, Outcome: "answered", DurationSeconds: 425},
		}})
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/deliveries":
		actionurl.WriteJSON(w, http.StatusOK, control.DeliveryList{Deliveries: []control.DeliveryEntry{
			{ID: 12, Action: "disconnected", URL: "https://crm.example/end", Mode: "background", Status: "failed", Created: at, Attempts: 5, HTTPStatus: 503, LastError: crmGaveUp.Error(), Says: sentence.ToWire(crmGaveUp), Done: &ended},
			{ID: 11, Action: "inbound", URL: "https://crm.example/call", Mode: "browser", Status: "delivered", Created: at, Attempts: 1, Done: &connected},
			{ID: 10, Action: "inbound", URL: "https://crm.example/call", Mode: "background", Status: "pending", Created: at, Attempts: 2, LastError: olderReason},
		}})
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/deliveries/99/retry":
		http.NotFound(w, r) // a resident without the endpoint
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/deliveries/"):
		f.retried = append(f.retried, r.URL.Path)
		actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/ping":
		actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/call/") && strings.HasSuffix(r.URL.Path, "/transfer"):
		// The answers of the resident's callControl.
		var c struct {
			Target string `json:"target"`
		}
		if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
			actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "the body is not JSON"})
			return
		}
		switch {
		case r.URL.EscapedPath() != "/api/v1/call/g%2F1/transfer" && r.URL.Path != "/api/v1/call/17/transfer":
			actionurl.WriteJSON(w, http.StatusNotFound, control.Reply{Error: "that call is not in progress (it may have ended)"})
		case strings.TrimSpace(c.Target) == "":
			actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "transfer needs a target number"})
		case c.Target == "999":
			actionurl.WriteJSON(w, http.StatusNotImplemented, control.Reply{Error: "the Yealink phone at 192.0.2.10 cannot transfer calls"})
		default:
			f.transfers = append(f.transfers, r.URL.EscapedPath()+" "+c.Target)
			actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
		}
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/calls":
		actionurl.WriteJSON(w, http.StatusOK, control.CallList{Calls: []control.CallEntry{
			{GUID: "g3", CallID: "8", Direction: "inbound", Remote: "+4930901820", RemoteAlias: "Demo Caller", Created: at, Outcome: "active"},
		}})
	case r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/answer") || strings.HasSuffix(r.URL.Path, "/hangup")):
		f.controls = append(f.controls, r.URL.EscapedPath())
		actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/phone/seen":
		actionurl.WriteJSON(w, http.StatusOK, control.PhoneSeen{At: at, Format: "snom", Event: "test", From: "127.0.0.1"})
	default:
		actionurl.WriteJSON(w, http.StatusNotFound, control.Reply{Error: "not found"})
	}
}

// running starts the fake resident and writes its control file beside a
// config file, as the real resident does.
func running(t *testing.T) (*Resident, *fakeControl, string) {
	t.Helper()
	f := &fakeControl{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := actionurl.WriteControlFile(control.FilePath(cfgPath), control.File{URL: srv.URL, Token: token, PID: 1}); err != nil {
		t.Fatal(err)
	}
	return NewResident(cfgPath, nil), f, cfgPath
}

func TestResidentDialsAsTypedByThePerson(t *testing.T) {
	r, f, _ := running(t)
	dialed, err := r.Dial(context.Background(), "+49 30 1234567", "101@pbx")
	if err != nil || dialed != "0301234567" {
		t.Fatalf("Dial = %q, %v", dialed, err)
	}
	want := control.DialCommand{Number: "+49 30 1234567", Identity: "101@pbx", Typed: true, Source: "dial pad"}
	if len(f.dials) != 1 || f.dials[0] != want {
		t.Errorf("resident got %+v, want %+v", f.dials, want)
	}
}

func TestResidentTransfersTheCall(t *testing.T) {
	tests := []struct {
		name, callID, target string
		wantSent             string // "" when nothing was transferred
		wantErr              string
	}{
		{"by call id", "17", "+49 30 1234567", "/api/v1/call/17/transfer +49 30 1234567", ""},
		{"by GUID, escaped", "g/1", "204", "/api/v1/call/g%2F1/transfer 204", ""},
		{"call ended", "18", "204", "", "that call is not in progress (it may have ended)"},
		{"no target", "17", " ", "", "transfer needs a target number"},
		{"phone cannot", "17", "999", "", "the Yealink phone at 192.0.2.10 cannot transfer calls"},
		{"no call named", "", "204", "", "no call to transfer was named"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f, _ := running(t)
			err := r.Transfer(context.Background(), tt.callID, tt.target)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				if len(f.transfers) != 0 {
					t.Errorf("transferred %q after an error", f.transfers)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.transfers) != 1 || f.transfers[0] != tt.wantSent {
				t.Errorf("resident got %q, want %q", f.transfers, tt.wantSent)
			}
		})
	}
}

func TestResidentAnswersTheRingingCall(t *testing.T) {
	r, f, _ := running(t)
	active, err := r.Active(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].GUID != "g3" || active[0].Direction != phone.Inbound || !active[0].Connected.IsZero() {
		t.Fatalf("active calls %+v, want the ringing g3", active)
	}
	for _, op := range []string{"answer", "hangup"} {
		if err := r.Control(context.Background(), "g/3", op); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}
	if want := []string{"/api/v1/call/g%2F3/answer", "/api/v1/call/g%2F3/hangup"}; strings.Join(f.controls, " ") != strings.Join(want, " ") {
		t.Errorf("resident got %q, want %q", f.controls, want)
	}
}

func TestResidentPing(t *testing.T) {
	r, _, _ := running(t)
	if err := r.Ping(context.Background()); err != nil {
		t.Errorf("Ping with a running resident: %v", err)
	}
	stopped := NewResident(filepath.Join(t.TempDir(), "config.toml"), nil)
	if err := stopped.Ping(context.Background()); !errors.Is(err, control.ErrNotRunning) {
		t.Errorf("Ping without a resident = %v, want ErrNotRunning", err)
	}
}

func TestResidentNotRunning(t *testing.T) {
	r := NewResident(filepath.Join(t.TempDir(), "config.toml"), nil)
	_, err := r.Dial(context.Background(), "204", "")
	if !errors.Is(err, control.ErrNotRunning) || !strings.Contains(err.Error(), "start it") {
		t.Errorf("err = %v, want ErrNotRunning with advice", err)
	}
	if err := r.Reload(context.Background()); !errors.Is(err, control.ErrNotRunning) {
		t.Errorf("Reload err = %v", err)
	}
	if err := r.Transfer(context.Background(), "17", "204"); !errors.Is(err, control.ErrNotRunning) {
		t.Errorf("Transfer err = %v", err)
	}
	if _, err := r.LookupSources(context.Background()); !errors.Is(err, control.ErrNotRunning) {
		t.Errorf("LookupSources err = %v", err)
	}
}

func TestResidentJournalBecomesCalls(t *testing.T) {
	r, _, _ := running(t)
	calls, err := r.Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	got := calls[1]
	if got.GUID != "g1" || got.Direction != phone.Inbound || got.RemoteAlias != "Erika Mustermann" ||
		got.Outcome() != phone.OutcomeAnswered || got.Duration(time.Now()) != 425*time.Second {
		t.Errorf("call = %+v", got)
	}
	if calls[0].Direction != phone.Outbound || calls[0].Outcome() != phone.OutcomeUnanswered {
		t.Errorf("outbound call = %+v (outcome %s)", calls[0], calls[0].Outcome())
	}
}

func TestResidentDeliveries(t *testing.T) {
	r, f, _ := running(t)
	ds, err := r.Deliveries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id                       string
		failed, pending, browser bool
		status                   int
	}{
		{"12", true, false, false, 503},
		{"11", false, false, true, 0},
		{"10", false, true, false, 0},
	}
	for i, w := range want {
		d := ds[i]
		if d.ID != w.id || d.Failed != w.failed || d.Pending != w.pending || d.Browser != w.browser || d.Status != w.status {
			t.Errorf("delivery %d = %+v, want %+v", i, d, w)
		}
	}
	if ds[0].Event != phone.ActionDisconnected {
		t.Errorf("delivery 0 = %+v", ds[0])
	}
	// Why a delivery failed comes as the sentence the resident kept, for
	// the window to word; from an older resident, as its words.
	for i, w := range []struct{ words, key string }{
		{crmGaveUp.Error(), "outgoing.err.gave_up"}, {}, {olderReason, ""},
	} {
		var got struct{ words, key string }
		if ds[i].Err != nil {
			got.words = ds[i].Err.Error()
		}
		if s := sentence.Of(ds[i].Err); s != nil {
			got.key = s.Key
		}
		if got != w {
			t.Errorf("delivery %d says %+v; want %+v", i, got, w)
		}
	}
	if err := r.RetryDelivery(context.Background(), "12"); err != nil {
		t.Fatal(err)
	}
	if len(f.retried) != 1 || f.retried[0] != "/api/v1/deliveries/12/retry" {
		t.Errorf("retried %q", f.retried)
	}
	if err := r.RetryDelivery(context.Background(), "99"); err == nil || !strings.Contains(err.Error(), "has no retry") {
		t.Errorf("retry on a resident without the endpoint: %v", err)
	}
}

func TestResidentReloadAndSeen(t *testing.T) {
	r, f, _ := running(t)
	if err := r.Reload(context.Background()); err != nil || f.reloads != 1 {
		t.Errorf("Reload: %v, %d reloads", err, f.reloads)
	}
	seen, err := r.Seen(context.Background())
	if err != nil || seen.Event != "test" || seen.Format != "snom" {
		t.Errorf("Seen = %+v, %v", seen, err)
	}
}

func TestEventsBaseFollowsTheConfig(t *testing.T) {
	tests := []struct {
		name, eventsAddress, token string
		wantBase, wantErr          string
	}{
		{"loopback phone", "", token, "http://127.0.0.1:61299", ""},
		{"fixed address", "192.0.2.5", token, "http://192.0.2.5:61299", ""},
		{"no token yet", "", "", "", "no pairing token yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, cfgPath := running(t)
			cfg := config.Default()
			cfg.Listener.Port = 61299
			cfg.Listener.LANAddress = tt.eventsAddress
			cfg.Phone.PairingToken = tt.token
			if err := (ConfigFile{Path: cfgPath}).Save(cfg); err != nil {
				t.Fatal(err)
			}
			base, tok, err := r.EventsBase(context.Background(), "127.0.0.1:8080")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || base != tt.wantBase || tok != tt.token {
				t.Errorf("EventsBase = %q, %q, %v; want %q", base, tok, err, tt.wantBase)
			}
		})
	}
}

func TestLinesOfferTheConfiguredIdentity(t *testing.T) {
	r, _, cfgPath := running(t)
	lines, err := r.Lines(context.Background())
	if err != nil || len(lines) != 0 {
		t.Errorf("without identity: %v, %v", lines, err)
	}
	cfg := config.Default()
	cfg.Phone.Identity = "101@pbx.example"
	if err := (ConfigFile{Path: cfgPath}).Save(cfg); err != nil {
		t.Fatal(err)
	}
	lines, err = r.Lines(context.Background())
	if err != nil || len(lines) != 1 || lines[0] != (data.Line{ID: "101@pbx.example", Label: "101@pbx.example"}) {
		t.Errorf("with identity: %v, %v", lines, err)
	}
}

func TestConfigFileSavesAtomicallyAndPrivately(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	f := ConfigFile{Path: path}
	cfg, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener.Port = 61300
	if err := f.Save(cfg); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config file: %v, mode %v", err, st.Mode())
	}
	back, err := f.Load()
	if err != nil || back.Listener.Port != 61300 {
		t.Errorf("loaded back %+v, %v", back.Listener, err)
	}
	cfg.Listener.Port = 0
	if err := f.Save(cfg); err == nil {
		t.Error("an invalid config was saved")
	}
	if back, _ := f.Load(); back.Listener.Port != 61300 {
		t.Error("a refused save changed the file")
	}
}

func TestRunReportsTheCommandsSentence(t *testing.T) {
	err := run(context.Background(), "/bin/sh", "-c", "echo working; echo 'dialbridge: xdg-mime is not installed' >&2; exit 1")
	if err == nil || !strings.HasPrefix(err.Error(), "xdg-mime is not installed") {
		t.Errorf("err = %v", err)
	}
	if err := run(context.Background(), "/bin/sh", "-c", "exit 0"); err != nil {
		t.Errorf("success reported as %v", err)
	}
}
