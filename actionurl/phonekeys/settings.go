package phonekeys

import (
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// Program is what binds cfg's [[phone.keys]] in the phone: each key with
// its label and its URL (phoneevents.KeyURL under base with token), the
// keys to reset, and the model. The writer and `dialbridge pairing-urls
// --keys` both build it here, so what is written and what is printed are
// the same.
func Program(cfg config.Config, base, token, model string, removed []int) phone.KeyProgram {
	p := phone.KeyProgram{Model: model, Removed: removed}
	for _, k := range cfg.Phone.Keys {
		p.Keys = append(p.Keys, phone.FunctionKey{Number: k.Key, Label: k.Label, URL: phoneevents.KeyURL(base, token, k.Key)})
	}
	return p
}

// Settings are the brand's settings that bind cfg's keys: what a person
// enters where dialbridge cannot write them. An error says when the brand
// cannot bind a key to a URL at all.
func Settings(cfg config.Config, base, token, model string, removed []int) ([]phone.Setting, error) {
	b, ok := brands.Lookup(cfg.Phone.Brand)
	if !ok || b.FunctionKeys == nil {
		return nil, sentence.New("fkeys.err.no_url_keys", "A {{.Brand}} phone has no documented way to make a key call a URL, so dialbridge cannot bind its keys.", map[string]any{"Brand": cfg.Phone.Brand}, nil)
	}
	if token == "" {
		return nil, sentence.New("fkeys.err.no_token", "There is no pairing token yet: start dialbridge once, or set phone.pairing_token.", nil, nil)
	}
	return b.FunctionKeys(Program(cfg, base, token, model, removed)), nil
}

// ManualEntry is the KeysStatus.Manual of a brand whose driver cannot
// write settings.
const ManualEntry = "dialbridge cannot write this phone's settings: enter the key settings that \"dialbridge pairing-urls --keys\" prints in the phone's web interface"
