package form

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

func berlin() config.Config {
	cfg := config.Default()
	cfg.Dialing.Country = "DE"
	cfg.Dialing.AreaCode = "30"
	return cfg
}

func TestAFormFilledFromAConfigGivesTheSameConfigBack(t *testing.T) {
	full := berlin()
	full.Listener.Port = 61999
	full.Listener.MakeCall = false
	full.Listener.AllowedOrigins = []string{"https://crm.example", "https://helpdesk.example:8443"}
	full.Listener.AllowIPs = []string{"192.0.2.0/24"}
	full.Listener.Confirm = "always"
	full.Listener.Username = "alice"
	full.Listener.LANAddress = "auto"
	full.Listener.LANTLS = true
	full.Dialing.OutsideLine = "0"
	full.Dialing.Format = "e164"
	full.Dialing.Blocked = []string{"0900*", "0137*"}
	full.Phone = config.Phone{Brand: "snom", Address: "http://192.0.2.10", Username: "admin", Identity: "101@pbx.example", TLSFingerprint: "ab:cd", PairingToken: "0123456789abcdef0123", ShowCallerName: true}
	full.Desktop.Hotkey = "ctrl+alt+d"
	sipPhone := berlin()
	sipPhone.Phone = config.Phone{Brand: "sip", Address: "sip:101@192.0.2.10:5060", Username: "101", SIPDomain: "pbx.example"}
	// The window writes the events it shows in the order of a call.
	full.Outgoing = []config.Outgoing{
		{Event: "inbound", URL: "https://crm.example/ring?nr=<$remote_party>"},
		{Event: "connected", URL: "https://crm.example/up?g=<$call_guid>", Enabled: true, OpenInBrowser: true},
		// A second entry of an event, which the window does not show.
		{Event: "connected", URL: "https://log.example/?g=<$call_guid>", Enabled: true},
	}
	nothingBlocked := berlin()
	nothingBlocked.Dialing.Blocked = []string{}

	for name, cfg := range map[string]config.Config{"defaults": config.Default(), "everything set": full, "nothing blocked": nothingBlocked, "a SIP phone": sipPhone} {
		t.Run(name, func(t *testing.T) {
			got, _ := FromConfig(cfg).Apply(cfg)
			if g, w := string(config.Render(got)), string(config.Render(cfg)); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
	// The Contacts page's switch, not the base config, decides.
	if got, _ := FromConfig(full).Apply(config.Default()); !got.Phone.ShowCallerName {
		t.Error("the form lost phone.show_caller_name")
	}
}

func TestApplyNumbersEachShownEventsEntry(t *testing.T) {
	f := FromConfig(config.Default())
	f.Events[1].URL = "https://crm.example/out"
	f.Events[3].Enabled = true
	cfg, entries := f.Apply(config.Default())
	if got, want := entries.Key("outbound"), "outgoing[1]"; got != want {
		t.Errorf("outbound: got %q, want %q", got, want)
	}
	if got, want := entries.Key("hold"), "outgoing[2]"; got != want {
		t.Errorf("hold: got %q, want %q", got, want)
	}
	if got := entries.Key("inbound"); got != "" {
		t.Errorf("inbound has no URL and no switch, got key %q", got)
	}
	if len(cfg.Outgoing) != 2 {
		t.Errorf("got %d outgoing entries, want 2: %+v", len(cfg.Outgoing), cfg.Outgoing)
	}
}

func TestCheckKeysEveryProblemByItsConfigKey(t *testing.T) {
	tests := []struct {
		name string
		edit func(f *Form)
		want Problem // Msg is compared only when set
	}{
		{"port too big", func(f *Form) { f.Port = "70000" }, Problem{Key: "listener.port", Kind: KindPort}},
		{"port not a number", func(f *Form) { f.Port = "sixty" }, Problem{Key: "listener.port", Kind: KindPort}},
		{"origin with a path on line 2", func(f *Form) { f.Origins = "https://crm.example\n\nhttps://x.example/page" },
			Problem{Key: "listener.allowed_origins", Kind: KindOrigin, Line: 3, Value: "https://x.example/page"}},
		{"wildcard origin", func(f *Form) { f.Origins = " * " }, Problem{Key: "listener.allowed_origins", Kind: KindOriginWildcard, Line: 1, Value: "*"}},
		{"bad network", func(f *Form) { f.IPs = "192.0.2.1\n192.0.2.0/33"; f.ListenerUser, f.ListenerPass = "crm", "pw" }, Problem{Key: "listener.allow_ips", Kind: KindIP, Line: 2, Value: "192.0.2.0/33"}},
		{"user without password", func(f *Form) { f.ListenerUser = "alice" }, Problem{Key: "listener.password", Kind: KindListenerPassword}},
		{"country of more letters", func(f *Form) { f.Country = "Germany" }, Problem{Key: "dialing.country", Kind: KindCountry}},
		{"unknown country", func(f *Form) { f.Country = "QQ" }, Problem{Key: "dialing.country", Kind: KindConfig,
			Msg: `"QQ" is not an ISO 3166 country code known to libphonenumber (e.g. "DE", "AT", "US")`}},
		{"area code with letters", func(f *Form) { f.AreaCode = "3O" }, Problem{Key: "dialing.area_code", Kind: KindDigits}},
		{"area code with trunk prefix", func(f *Form) { f.AreaCode = "030" }, Problem{Key: "dialing.area_code", Kind: KindConfig,
			Msg: `"030" must be written without the trunk prefix 0, e.g. "30"`}},
		{"outside line with letters", func(f *Form) { f.OutsideLine = "x" }, Problem{Key: "dialing.outside_line", Kind: KindDigits}},
		{"international prefix with letters", func(f *Form) { f.IntlPrefix = "oo" }, Problem{Key: "dialing.international_prefix", Kind: KindDigits}},
		{"longest extension too long", func(f *Form) { f.InternalMax = "12" }, Problem{Key: "dialing.internal_max_digits", Kind: KindInternal}},
		{"longest extension not a number", func(f *Form) { f.InternalMax = "four" }, Problem{Key: "dialing.internal_max_digits", Kind: KindInternal}},
		{"blocked pattern", func(f *Form) { f.DefaultBlocked = false; f.Blocked = "09x0*" }, Problem{Key: "dialing.blocked", Kind: KindConfig}},
		{"no brand", func(f *Form) { f.Brand = ""; f.Address = "192.0.2.10" }, Problem{Key: "phone.brand", Kind: KindBrand}},
		{"a hotkey an admin wrote wrong", func(f *Form) { f.Hotkey = "ctrl+alt+esc" }, Problem{Key: "desktop.hotkey", Kind: KindConfig,
			Msg: `"ctrl+alt+esc": "esc" is not a key dialbridge can use (a to z, 0 to 9, f1 to f12, space), e.g. "ctrl+alt+d"`}},
		{"real phone without address", func(f *Form) { f.Brand = "snom"; f.Address = " " }, Problem{Key: "phone.address", Kind: KindAddress}},
		{"SIP phone without address", func(f *Form) { f.Brand = "sip"; f.Address = ""; f.SIPDomain = "pbx.example" }, Problem{Key: "phone.address", Kind: KindAddress}},
		{"SIP phone at a web address", func(f *Form) { f.Brand = "sip"; f.Address = "http://192.0.2.10"; f.SIPDomain = "pbx.example" }, Problem{Key: "phone.address", Kind: KindConfig,
			Msg: `"http://192.0.2.10" is not a SIP address; write it as sip:101@192.0.2.10:5060`}},
		{"SIP phone without PBX domain", func(f *Form) { f.Brand = "sip"; f.Address = "sip:101@192.0.2.10"; f.SIPDomain = " " }, Problem{Key: "phone.sip_domain", Kind: KindSIPDomain}},
		{"PBX domain with a user part", func(f *Form) { f.Brand = "sip"; f.Address = "sip:101@192.0.2.10"; f.SIPDomain = "101@pbx.example" }, Problem{Key: "phone.sip_domain", Kind: KindConfig,
			Msg: `"101@pbx.example" is not a domain like "pbx.example" or "192.0.2.1:5060"`}},
		{"LAN address of every interface", func(f *Form) { f.LANAddress = "0.0.0.0" }, Problem{Key: "listener.lan_address", Kind: KindLANAddress,
			Msg: `"0.0.0.0" is not one address of this computer; name the one the phone reaches`}},
		{"LAN address not an address", func(f *Form) { f.LANAddress = "office" }, Problem{Key: "listener.lan_address", Kind: KindLANAddress}},
		{"other computers without a user name", func(f *Form) { f.IPs = "192.0.2.20" }, Problem{Key: "listener.allow_ips", Kind: KindIPsNeedUser}},
		{"enabled URL empty", func(f *Form) { f.Events[0].Enabled = true }, Problem{Key: "outgoing[1].url", Kind: KindURLEmpty}},
		{"URL with unknown placeholder", func(f *Form) { f.Events[1].URL = "https://crm.example/?n=<$number>" }, Problem{Key: "outgoing[1].url", Kind: KindConfig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FromConfig(berlin())
			tt.edit(&f)
			c := Check(f, berlin(), Stored{})
			if c.OK() || len(c.Problems) != 1 {
				t.Fatalf("got problems %+v, want one", c.Problems)
			}
			got := c.Problems[0]
			// The sentence of a config problem (the dialing rules') reads
			// as its message; the windows word it in the person's language.
			if got.Says != nil && got.Msg != "" && got.Says.Error() != got.Msg {
				t.Errorf("Says %q does not read as Msg %q", got.Says, got.Msg)
			}
			got.Says = nil
			if tt.want.Msg == "" {
				got.Msg = ""
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckPassesAGoodFormAndAStoredPassword(t *testing.T) {
	f := FromConfig(berlin())
	f.ListenerUser = "alice" // the keyring holds her password
	f.Origins = "https://crm.example"
	f.Events[2] = Event{Event: "connected", URL: "https://crm.example/up?g=<$call_guid>", Enabled: true}
	c := Check(f, berlin(), Stored{Listener: true})
	if !c.OK() {
		t.Fatalf("problems with a good form: %+v", c.Problems)
	}
	if got := c.For("outgoing[1]"); len(got) != 0 {
		t.Errorf("For: %+v", got)
	}
}

func TestCheckedForFindsTheProblemsUnderAKey(t *testing.T) {
	c := Checked{Problems: []Problem{{Key: "dialing.blocked[3]"}, {Key: "outgoing[2].url"}, {Key: "outgoing[12].url"}, {Key: "dialing.blocked_extra"}}}
	for key, want := range map[string]int{"dialing.blocked": 1, "outgoing[2]": 1, "outgoing[1]": 0, "listener": 0} {
		if got := len(c.For(key)); got != want {
			t.Errorf("For(%q): got %d problems, want %d", key, got, want)
		}
	}
}

// file is the config file on disk, saved atomically by the config package.
type file struct{ path string }

func (f file) Load() (config.Config, error) { return config.Load(f.path) }
func (f file) Save(cfg config.Config) error { return config.Save(f.path, cfg) }

// keyring stands in for the system keyring, which needs a desktop session;
// err makes it refuse, which a real keyring does when it is locked.
type keyring struct {
	m   map[string]string
	err error
}

func (k *keyring) Set(user, pw string) error {
	if k.err != nil {
		return k.err
	}
	k.m[user] = pw
	return nil
}

func (k *keyring) Delete(user string) error {
	if k.err != nil {
		return k.err
	}
	delete(k.m, user)
	return nil
}

// resident answers Reload with err and counts the calls.
type resident struct {
	err     error
	reloads int
}

func (r *resident) Reload(context.Context) error { r.reloads++; return r.err }

func newFile(t *testing.T, cfg config.Config) file {
	t.Helper()
	f := file{filepath.Join(t.TempDir(), "config.toml")}
	if err := f.Save(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSaveStoresPasswordsThenTheFileThenReloads(t *testing.T) {
	refused := errors.New("the keyring is locked")
	tests := []struct {
		name        string
		user        string
		listenerPw  string
		phonePw     string
		stored      Stored
		keyringErr  error
		reloadErr   error
		wantErr     bool
		wantKeyring map[string]string
		wantStored  Stored
		wantOutcome Outcome
	}{
		{name: "no passwords", wantKeyring: map[string]string{}},
		{name: "both passwords typed", user: "alice", listenerPw: "l1", phonePw: "p1",
			wantKeyring: map[string]string{config.SecretListener: "l1", config.SecretPhone: "p1"}, wantStored: Stored{true, true}},
		{name: "empty fields keep the stored passwords", user: "alice", stored: Stored{true, true},
			wantKeyring: map[string]string{config.SecretListener: "old", config.SecretPhone: "old"}, wantStored: Stored{true, true}},
		{name: "a cleared user name drops the listener password", stored: Stored{true, true},
			wantKeyring: map[string]string{config.SecretPhone: "old"}, wantStored: Stored{false, true}},
		{name: "a password without a user name is not stored", listenerPw: "l1", wantKeyring: map[string]string{}},
		{name: "resident not running", reloadErr: fmt.Errorf("ping: %w", control.ErrNotRunning), wantKeyring: map[string]string{}, wantOutcome: NotRunning},
		{name: "resident refuses", reloadErr: errors.New("bad config"), wantKeyring: map[string]string{}, wantOutcome: ReloadFailed},
		{name: "keyring refuses", user: "alice", listenerPw: "l1", keyringErr: refused, wantErr: true, wantKeyring: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			disk := newFile(t, berlin())
			kr := &keyring{m: map[string]string{}, err: tt.keyringErr}
			if tt.stored.Listener {
				kr.m[config.SecretListener] = "old"
			}
			if tt.stored.Phone {
				kr.m[config.SecretPhone] = "old"
			}
			res := &resident{err: tt.reloadErr}
			f := FromConfig(berlin())
			f.Port = "61235"
			f.ListenerUser, f.ListenerPass, f.PhonePass = tt.user, tt.listenerPw, tt.phonePw
			c := Check(f, berlin(), Stored{Listener: true})

			saved, err := Saver{Files: disk, Keyring: kr, Resident: res}.Save(context.Background(), c.Config, f, tt.stored)

			onDisk, lerr := disk.Load()
			if lerr != nil {
				t.Fatal(lerr)
			}
			if tt.wantErr {
				var ke *KeyringError
				if !errors.As(err, &ke) || !errors.Is(err, refused) {
					t.Errorf("got error %v, want the keyring's", err)
				}
				if onDisk.Listener.Port != berlin().Listener.Port || res.reloads != 0 {
					t.Errorf("after a failure: port on disk %d, %d reloads; want the old file, no reload", onDisk.Listener.Port, res.reloads)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if onDisk.Listener.Port != 61235 || res.reloads != 1 {
				t.Errorf("port on disk %d, %d reloads; want 61235 and one", onDisk.Listener.Port, res.reloads)
			}
			if fmt.Sprint(kr.m) != fmt.Sprint(tt.wantKeyring) {
				t.Errorf("keyring: got %v, want %v", kr.m, tt.wantKeyring)
			}
			if saved.Stored != tt.wantStored || saved.Outcome != tt.wantOutcome {
				t.Errorf("got %+v, want stored %+v, outcome %d", saved, tt.wantStored, tt.wantOutcome)
			}
			if tt.wantOutcome == ReloadFailed && saved.Err != tt.reloadErr {
				t.Errorf("Err: got %v, want the resident's", saved.Err)
			}
		})
	}
}

func TestPairingWritesThePhoneTable(t *testing.T) {
	pinned := berlin()
	pinned.Phone = config.Phone{Brand: "snom", Address: "192.0.2.10", Username: "admin", TLSFingerprint: "old", PairingToken: "kept-token-0123456789"}
	tests := []struct {
		name    string
		base    config.Config
		p       Pairing
		want    config.Phone
		wantEvs string
	}{
		{"a new phone on the network", berlin(), Pairing{Brand: "yealink", Address: "192.0.2.20", Username: "admin", Password: "pw"},
			config.Phone{Brand: "yealink", Address: "192.0.2.20", Username: "admin", PairingToken: "new-token"}, "auto"},
		{"a simulated phone on this computer", berlin(), Pairing{Brand: "snom", Address: "http://127.0.0.1:8080", Username: "admin"},
			config.Phone{Brand: "snom", Address: "http://127.0.0.1:8080", Username: "admin", PairingToken: "new-token"}, ""},
		{"the same phone keeps its pin and token", pinned, Pairing{Brand: "snom", Address: "192.0.2.10", Username: "root"},
			config.Phone{Brand: "snom", Address: "192.0.2.10", Username: "root", TLSFingerprint: "old", PairingToken: "kept-token-0123456789"}, "auto"},
		{"another address drops the pin", pinned, Pairing{Brand: "snom", Address: "192.0.2.11", Username: "admin"},
			config.Phone{Brand: "snom", Address: "192.0.2.11", Username: "admin", PairingToken: "kept-token-0123456789"}, "auto"},
		{"a certificate seen while testing is pinned", pinned, Pairing{Brand: "snom", Address: "192.0.2.11", Username: "admin", Fingerprint: "new"},
			config.Phone{Brand: "snom", Address: "192.0.2.11", Username: "admin", TLSFingerprint: "new", PairingToken: "kept-token-0123456789"}, "auto"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Apply(tt.base, func() string { return "new-token" })
			if !reflect.DeepEqual(got.Phone, tt.want) || got.Listener.LANAddress != tt.wantEvs {
				t.Errorf("got %+v events %q, want %+v events %q", got.Phone, got.Listener.LANAddress, tt.want, tt.wantEvs)
			}
			if s := tt.p.Settings(tt.base); s.TLSFingerprint != map[bool]string{true: "old"}[tt.base.Phone.Address == tt.p.Address] {
				t.Errorf("Settings pins %q", s.TLSFingerprint)
			}
		})
	}
}

func TestPairStoresThePasswordFirstAndToleratesNoResident(t *testing.T) {
	refused := errors.New("the keyring is locked")
	for _, tt := range []struct {
		name       string
		keyringErr error
		reloadErr  error
		wantErr    error
		wantBrand  string
	}{
		{"paired", nil, nil, nil, "snom"},
		{"resident not running", nil, control.ErrNotRunning, nil, "snom"},
		{"resident refuses", nil, errors.New("bad config"), errors.New("bad config"), "snom"},
		{"keyring refuses", refused, nil, refused, "demo"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			disk := newFile(t, config.Default())
			kr := &keyring{m: map[string]string{}, err: tt.keyringErr}
			err := Saver{Files: disk, Keyring: kr, Resident: &resident{err: tt.reloadErr}}.
				Pair(context.Background(), Pairing{Brand: "snom", Address: "192.0.2.10", Username: "admin", Password: "pw"})
			if fmt.Sprint(err) != fmt.Sprint(tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
			var ke *KeyringError
			if errors.As(err, &ke) != (tt.keyringErr != nil) {
				t.Errorf("error %v: KeyringError is %v", err, ke)
			}
			cfg, lerr := disk.Load()
			if lerr != nil {
				t.Fatal(lerr)
			}
			if cfg.Phone.Brand != tt.wantBrand {
				t.Errorf("brand on disk %q, want %q", cfg.Phone.Brand, tt.wantBrand)
			}
			// The wizard's token has the one strength the resident's has.
			if tt.keyringErr == nil && (kr.m[config.SecretPhone] != "pw" || len(cfg.Phone.PairingToken) != control.PairingTokenBits/4) {
				t.Errorf("keyring %v, token %q (want %d bits)", kr.m, cfg.Phone.PairingToken, control.PairingTokenBits)
			}
		})
	}
}
