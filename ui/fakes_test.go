package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// testNow is the fixed "now" of every window test.
var testNow = time.Date(2025, 11, 24, 14, 30, 0, 0, time.UTC)

// testEnv runs work inline, so that a tap's effect is complete when
// test.Tap returns, and uses the fixed clock.
func testEnv() Env {
	return Env{Now: func() time.Time { return testNow }, Go: func(f func()) { f() }, Timeout: 5 * time.Second}
}

// fakeResident records what the windows ask of the resident.
type fakeResident struct {
	mu          sync.Mutex
	calls       []phone.Call
	callsErr    error
	deliveries  []Delivery
	lines       []Line
	dialErr     error
	dialed      []string // "number|identity"
	reloads     int
	reloadErr   error
	retried     []string
	transferErr error
	transfers   []string // "callID|target"
	forwards    []string
	forwardErr  error
	pingErr     error
	active      []phone.Call
	ops         []string // "callID|op", "callID|op|arg" from Operate
	operateErr  error
}

func (f *fakeResident) Dial(_ context.Context, number, identity string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dialErr != nil {
		return "", f.dialErr
	}
	f.dialed = append(f.dialed, number+"|"+identity)
	return "0" + digitsOf(number), nil
}

func (f *fakeResident) Calls(context.Context) ([]phone.Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]phone.Call(nil), f.calls...), f.callsErr
}

func (f *fakeResident) Deliveries(context.Context) ([]Delivery, error) {
	return append([]Delivery(nil), f.deliveries...), nil
}

func (f *fakeResident) RetryDelivery(_ context.Context, id string) error {
	f.retried = append(f.retried, id)
	for i := range f.deliveries {
		if f.deliveries[i].ID == id {
			f.deliveries[i].Err, f.deliveries[i].Status, f.deliveries[i].Failed = nil, 200, false
			f.deliveries[i].Attempts++
		}
	}
	return nil
}

func (f *fakeResident) Reload(context.Context) error {
	f.reloads++
	return f.reloadErr
}

func (f *fakeResident) Lines(context.Context) ([]Line, error) { return f.lines, nil }

// Transfer records a transfer the phone took; a refused one is not.
func (f *fakeResident) Transfer(_ context.Context, callID, target string) error {
	if f.transferErr != nil {
		return f.transferErr
	}
	return f.record(&f.transfers, callID+"|"+target, nil)
}

func (f *fakeResident) Forward(_ context.Context, target string) error {
	return f.record(&f.forwards, target, f.forwardErr)
}

// record notes a request in *into and answers err; the lock is there as
// the windows ask from their worker goroutines.
func (f *fakeResident) record(into *[]string, request string, err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	*into = append(*into, request)
	return err
}

func (f *fakeResident) Ping(context.Context) error { return f.pingErr }

func (f *fakeResident) Active(context.Context) ([]phone.Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]phone.Call(nil), f.active...), nil
}

// Operate records op with its argument and answers operateErr.
func (f *fakeResident) Operate(_ context.Context, callID, op, arg string) error {
	return f.record(&f.ops, callID+"|"+op+"|"+arg, f.operateErr)
}

// Control records op; the call then ends, as the phone reports it.
func (f *fakeResident) Control(_ context.Context, callID, op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ops = append(f.ops, callID+"|"+op)
	f.active = nil
	return nil
}

// memConfig is a config store in memory that validates like the real one.
type memConfig struct {
	cfg     config.Config
	loadErr error
	saves   int
}

func (m *memConfig) Load() (config.Config, error) { return m.cfg, m.loadErr }

func (m *memConfig) Save(cfg config.Config) error {
	if ps := cfg.Validate(); len(ps) > 0 {
		return ps
	}
	m.saves++
	m.cfg = cfg
	return nil
}

// memSecrets is a keyring in memory.
type memSecrets struct {
	m      map[string]string
	setErr error
}

func (s *memSecrets) Get(user string) (string, error) {
	if v, ok := s.m[user]; ok {
		return v, nil
	}
	return "", config.ErrNoSecret
}

func (s *memSecrets) Set(user, pw string) error {
	if s.setErr != nil {
		return s.setErr
	}
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[user] = pw
	return nil
}

func (s *memSecrets) Delete(user string) error {
	delete(s.m, user)
	return nil
}

// sampleCalls is a day at the desk.
func sampleCalls() []phone.Call {
	at := func(h, m int) time.Time { return time.Date(2025, 11, 24, h, m, 0, 0, time.UTC) }
	return []phone.Call{
		{GUID: "c6", Direction: phone.Inbound, Remote: "+49301234567", RemoteAlias: "Erika Mustermann", Created: at(14, 5), Connected: at(14, 5).Add(4 * time.Second), Disconnected: at(14, 12).Add(9 * time.Second)},
		{GUID: "c5", Direction: phone.Outbound, Remote: "0301234567", Created: at(13, 40), Disconnected: at(13, 41)},
		{GUID: "c4", Direction: phone.Inbound, Remote: "+4940998877", RemoteAlias: "Hamburg Office", Created: at(11, 2), Disconnected: at(11, 3)},
		{GUID: "c3", Direction: phone.Outbound, Remote: "204", RemoteAlias: "Reception", Created: at(10, 15), Connected: at(10, 15).Add(3 * time.Second), Disconnected: at(10, 17)},
		{GUID: "c2", Direction: phone.Inbound, Remote: "+49301234567", RemoteAlias: "Erika Mustermann", Created: time.Date(2025, 11, 23, 16, 20, 0, 0, time.UTC), Connected: time.Date(2025, 11, 23, 16, 20, 5, 0, time.UTC), Disconnected: time.Date(2025, 11, 23, 16, 31, 0, 0, time.UTC)},
		{GUID: "c1", Direction: phone.Outbound, Remote: "204", RemoteAlias: "Reception", Created: time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC), Connected: time.Date(2025, 11, 20, 9, 0, 2, 0, time.UTC), Disconnected: time.Date(2025, 11, 20, 9, 4, 0, 0, time.UTC)},
	}
}

func sampleDeliveries() []Delivery {
	at := func(h, m int) time.Time { return time.Date(2025, 11, 24, h, m, 0, 0, time.UTC) }
	return []Delivery{
		{ID: "d3", At: at(14, 12), Event: phone.ActionDisconnected, URL: "https://crm.example/hangup?guid=c6&secs=425", Status: 200, Attempts: 1},
		{ID: "d2", At: at(14, 5), Event: phone.ActionInbound, URL: "https://crm.example/call?nr=%2B49301234567&name=Erika+Mustermann", Browser: true, Attempts: 1},
		{ID: "d1", At: at(11, 2), Event: phone.ActionInbound, URL: "https://crm.example/call?nr=%2B4940998877&name=Hamburg+Office", Status: 503, Err: outgoing.GaveUp(3, outgoing.AnswerResult("crm.example", 503).Err), Attempts: 3, Failed: true},
	}
}

// fakePairer plays a phone for the wizard.
type fakePairer struct {
	brand       string
	detectErr   error
	password    string
	setup       pairing.EventSetup
	setupErr    error
	fireErr     error
	checkErr    error
	fingerprint string
	waitErr     error
	waitedSince time.Time
	checked     []brands.Settings
}

func (p *fakePairer) Brands() []string { return []string{"snom", "snom-csta", "yealink"} }

func (p *fakePairer) Detect(_ context.Context, address string) (string, error) {
	if p.detectErr != nil {
		return "", p.detectErr
	}
	return p.brand, nil
}

func (p *fakePairer) Check(_ context.Context, s brands.Settings) error {
	p.checked = append(p.checked, s)
	if p.fingerprint != "" && s.OnNewFingerprint != nil {
		s.OnNewFingerprint(p.fingerprint)
	}
	if p.checkErr != nil {
		return p.checkErr
	}
	if s.Password != p.password {
		return fmt.Errorf("The phone at %s refused the user name or password (HTTP 401)", s.Address)
	}
	return nil
}

func (p *fakePairer) SetUpEvents(context.Context, brands.Settings) (pairing.EventSetup, error) {
	return p.setup, p.setupErr
}

func (p *fakePairer) FirewallTest(context.Context, brands.Settings) error { return p.fireErr }

func (p *fakePairer) WaitForPhone(_ context.Context, since time.Time) error {
	p.waitedSince = since
	return p.waitErr
}

var errBoom = errors.New("boom")

// fakeLookups answers how the resident's caller lookup sources are doing,
// as backend.Resident does from the control API.
type fakeLookups struct {
	list  []lookup.SourceStatus
	err   error
	asked int
}

func (f *fakeLookups) LookupSources(context.Context) ([]lookup.SourceStatus, error) {
	f.asked++
	return f.list, f.err
}
