package phone

// The sentences of a driver's Error, each with a translation key, so that
// the windows and the command line word a phone's refusal in the person's
// language (package sentence, i18n.Error) while Error stays English for
// logs and tests. The drivers keep writing Op and Detail in English: the
// phrases they use are known here by their words, so that no driver needs
// to know about translations, and one this file does not know stays
// English inside the translated frame rather than being lost.

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// form is one sentence with its translation key and its English text.
// In a phrase form (an Op or a Detail) each {{.Name}} is a part a driver
// fills in, such as the number it was asked to dial.
type form struct {
	key, text string
	// names are the placeholders of text.
	names []string
	// re reads a phrase of this form back: the whole phrase, and each
	// filled-in part as a submatch, in the order of names. It is compiled
	// only when an error is first worded (see match): the resident runs
	// all day without one, and a hundred compiled expressions would cost
	// it over a megabyte from the start.
	once sync.Once
	re   *regexp.Regexp
}

// match is the compiled pattern; nil for a form without parts, which
// reads only its own text.
func (f *form) match() *regexp.Regexp {
	f.once.Do(func() {
		if len(f.names) == 0 {
			return
		}
		pattern := regexp.QuoteMeta(f.text)
		for _, name := range f.names {
			pattern = strings.Replace(pattern, regexp.QuoteMeta("{{."+name+"}}"), "(.*?)", 1)
		}
		f.re = regexp.MustCompile("^" + pattern + "$")
	})
	return f.re
}

// forms are every form of the package, so that a test holds each to its
// entries in the translation files.
var forms []*form

// say declares a form. Only package variables call it.
func say(key, text string) *form {
	f := &form{key: key, text: text, names: sentence.Placeholders(text)}
	forms = append(forms, f)
	return f
}

// with is the sentence of f with the values of vals it names and cause
// (nil for none).
func (f *form) with(vals map[string]any, cause error) *sentence.Sentence {
	args := make(map[string]any, len(f.names))
	for _, name := range f.names {
		args[name] = vals[name]
	}
	return sentence.New(f.key, f.text, args, cause)
}

// kindSays is the sentence of each kind of failure; Where, Brand and Op
// are sentences of their own (below). A kind this table lacks says what
// ErrProtocol says.
var kindSays = map[ErrorKind]*form{
	ErrProtocol:     say("phone.err.unexpected", "{{.Where}} gave an unexpected answer"),
	ErrUnreachable:  say("phone.err.unreachable", "{{.Where}} cannot be reached"),
	ErrAuth:         say("phone.err.auth", "{{.Where}} refused the user name or password"),
	ErrRefused:      say("phone.err.refused", "{{.Where}} refused to {{.Op}}"),
	ErrNotSupported: say("phone.err.not_supported", "{{.Brand}} cannot {{.Op}} remotely"),
	ErrNoSuchCall:   say("phone.err.no_such_call", "That call no longer exists on the phone"),
	ErrCertificate:  say("phone.err.certificate", "{{.Where}} presented a different TLS certificate than the one trusted when it was paired"),
}

// The sentences a kind says instead when it knows more: that the phone
// timed out, which key it lacks, what it answered unexpectedly to; and
// the HTTP status, said after any of them.
var (
	sayTimedOut     = say("phone.err.timed_out", "{{.Where}} did not answer in time")
	sayNoKey        = say("phone.err.no_key", "{{.Brand}} has no key {{.Key}}")
	sayUnexpectedTo = say("phone.err.unexpected_to", "{{.Where}} gave an unexpected answer to {{.Op}}")
	sayHTTPStatus   = say("phone.err.http_status", "{{.What}} (HTTP {{.Status}})")
)

// Which phone: the one at an address, or the one dialbridge is paired with.
var sayWhere, sayWhereAt = say("phone.where", "The phone"), say("phone.where_at", "The phone at {{.Address}}")

// articleSays names a brand's phones by the English article brandName
// gives ("" for an unknown brand); the brand's name itself stays.
var articleSays = map[string]*form{
	"":   say("phone.brand.unknown", "This phone"),
	"A":  say("phone.brand.a", "A {{.Name}} phone"),
	"An": say("phone.brand.an", "An {{.Name}} phone"),
}

// What was attempted, and the details a driver adds, by their words.
var (
	sayDoThis        = say("phone.op.do_this", "do this")
	opForms, details = phrases()
)

// phrases are the forms of what the drivers attempt (Op) and of the fixed
// details they add (what to change on the phone), in the order they are
// tried: a form with a part to fill in after the fixed phrases it would
// also read.
func phrases() (ops, details []*form) {
	ops = []*form{
		say("phone.op.dial", "dial"),
		say("phone.op.hang_up", "hang up"),
		say("phone.op.answer", "answer a call"),
		say("phone.op.hold", "put a call on hold"),
		say("phone.op.resume", "resume a held call"),
		say("phone.op.transfer", "transfer a call"),
		say("phone.op.dtmf", "send DTMF"),
		say("phone.op.dtmf_no_digits", "send DTMF without digits"),
		say("phone.op.call_target", "call the transfer target"),
		say("phone.op.hold_and_call_target", "hold the call and call the transfer target"),
		say("phone.op.complete_transfer", "complete the transfer"),
		say("phone.op.connect", "connect two calls"),
		say("phone.op.conference", "start a conference"),
		say("phone.op.settings", "change its settings"),
		say("phone.op.display", "show a page on its display"),
		say("phone.op.firewall_test", "run the firewall test"),
		say("phone.op.list_commands", "list its commands"),
		say("phone.op.start_page", "show its start page"),
		say("phone.op.watch", "report its calls (SUBSCRIBE to the dialog event)"),
		say("phone.op.auto_answer", "answer dialbridge's call automatically"),
		say("phone.op.stop_forward", "stop forwarding its calls"),
		say("phone.op.attended_transfer", "complete an attended transfer"),
		say("phone.op.hold_and_call_a_target", "hold a call and call a transfer target"),
		say("phone.op.join", "join calls into a conference"),
		say("phone.op.clear", "clear a call for every party"),
		say("phone.op.press_some_keys", "press keys"),
		say("phone.op.dnd", "switch do not disturb"),
		say("phone.op.forward_calls", "forward calls"),
		say("phone.op.dnd_on", "switch do not disturb on"),
		say("phone.op.dnd_off", "switch do not disturb off"),
		say("phone.op.key_lights", "set its key lights"),
		say("phone.op.show_screen", "show a screen on its display"),
		say("phone.op.save_settings", "save its settings"),
		say("phone.op.show_settings", "show its settings"),
		say("phone.op.fetch_firewall_test", "fetch the firewall-test URL"),
		say("phone.op.clear_call", "clear a call"),
		say("phone.op.dial_number", "dial \"{{.Number}}\""),
		say("phone.op.dtmf_char", "send DTMF with the character {{.Char}}"),
		say("phone.op.press_keys", "press the keys {{.Keys}}"),
		say("phone.op.press_key", "press {{.Key}}"),
		say("phone.op.forward", "forward its calls to {{.Target}}"),
		say("phone.op.take_refer", "take the transfer (REFER) to {{.Number}}"),
		// What any of the above was attempted with or without.
		say("phone.op.without_call_id", "{{.Op}} without its CSTA call id"),
		say("phone.op.with_character", "{{.Op}} with the character {{.Char}}"),
		say("phone.op.without_digits", "{{.Op}} without digits"),
	}
	details = []*form{
		say("phone.detail.number_empty", "the number is empty"),
		say("phone.detail.no_call", "the phone has no call right now"),
		say("phone.detail.none_ringing", "no call is ringing on the phone"),
		say("phone.detail.no_model", "its start page names no model"),
		say("phone.detail.no_dialog_state", "the phone does not offer its dialog state"),
		say("phone.detail.sip_domain", "phone.sip_domain is empty; set it to the domain of the PBX the phone is registered with"),
		say("phone.detail.csta_forbidden", "the phone's settings do not allow CSTA requests from this computer"),
		say("phone.detail.rest_forbidden", "the phone does not let this user use the REST API"),
		say("phone.detail.fanvil_forbidden", "allow action URIs from this computer in the phone's web interface"),
		say("phone.detail.no_cti", "this phone does not offer CTI commands; check its model and firmware"),
		say("phone.detail.keypad", "its keypad has no {{.Char}} key: set dialing.format to \"national\" so that numbers are written with the international prefix"),
		say("phone.detail.notify", "the phone does not take the NOTIFY event {{.Event}}; allow remote control by SIP NOTIFY (talk and hold events) on the phone"),
		say("phone.detail.no_command", "its firmware has no \"{{.Command}}\" command"),
		say("phone.detail.auerswald_access", "allow incoming action URLs on the phone (Settings > Access); they are off by default"),
		say("phone.detail.auerswald_firmware", "this phone has no action URL commands (they came with firmware 1.4A); update its firmware"),
		say("phone.detail.cisco_push", "this phone takes no pushed commands; enable its web access in CUCM"),
		say("phone.detail.cisco_user", "CUCM did not accept the user: it must be an application or end user that controls this phone"),
		say("phone.detail.cisco_error", "the phone reports CiscoIPPhoneError {{.Code}} ({{.Text}})"),
		say("phone.detail.cisco_not_done", "the phone did not carry out {{.URL}} (status {{.Status}})"),
		say("phone.detail.no_action_uri", "this phone has no action URI at {{.Path}}"),
		say("phone.detail.passcode", "the phone refused the passcode (its admin password)"),
		say("phone.detail.grandstream_remote", "enable \"Action URI Support\", put this computer in the \"Action URI Allowed IP List\" and disable \"Remote Control Pop up Window Support\" (web interface: Network > Remote Control)"),
		say("phone.detail.answered_quoted", "the phone answered \"{{.Answer}}\"; if every command fails, {{.Hint}}"),
		say("phone.detail.rest_off", "the phone's REST API is off; enable it (apps.restapi.enabled = 1, web interface: Settings > Applications > REST API)"),
		say("phone.detail.busy", "the phone is busy"),
		say("phone.detail.line_unregistered", "the phone's line is not registered with the PBX"),
		say("phone.detail.no_line", "the phone has no such line; check the identity setting (a line number)"),
		say("phone.detail.default_password", "the REST API refuses to work while the phone has its default admin password; change it"),
		say("phone.detail.answered_code", "the phone answered {{.Code}} ({{.Text}})"),
		say("phone.detail.auto_answer", "is auto-answer allowed for calls from this computer ({{.Address}})? Allow it on the phone (Snom: Answer After Policy; others: auto-answer by Call-Info/Alert-Info)"),
		say("phone.detail.rang", "it rang but did not answer; {{.Hint}}"),
		say("phone.detail.snom_no_http", "this phone does not accept HTTP commands (Snom D8xx firmware removed command.htm); pair it as \"snom-csta\" instead"),
		say("phone.detail.unknown_request", "it does not know the request (an older firmware?)"),
		say("phone.detail.snom_remote", "check that remote control over HTTP is allowed in the phone's web interface"),
		say("phone.detail.snom_admin", "the phone's web interface does not let this user change settings; pair with the administrator account"),
		say("phone.detail.csta_id", "add csta_id=$csta_id to the phone's action URLs so that dialbridge learns the id of every call"),
		say("phone.detail.csta_firmware", "this phone does not accept CSTA requests over HTTP (firmware 8.7.0 to 8.7.2 have none); update it or pair it as \"snom\""),
		say("phone.detail.yealink_call_id", "\"{{.ID}}\" is not a Yealink call id"),
		say("phone.detail.yealink_allow", "add this computer's address to the phone's \"Action URI Allow IP List\" (web interface: Features > Remote Control; features.action_uri_limit_ip) and press OK when the phone shows \"Allow remote control?\" (or set features.show_action_uri_option = 0)"),
		say("phone.detail.yealink_firmware", "this phone has no Action URI at /servlet (firmware before V70 used /cgi-bin/ConfigManApp.com); update its firmware"),
		// Last: the phone's own words (a SIP status line) with a hint.
		say("phone.detail.status_hint", "{{.Answer}}; {{.Hint}}"),
	}
	return ops, details
}

// Sentence is the error as a sentence with its translation key, for
// i18n.Error and the control API: its English is Error's, word for word.
func (e *Error) Sentence() *sentence.Sentence {
	where := sayWhere.with(nil, nil)
	if e.Address != "" {
		where = sayWhereAt.with(map[string]any{"Address": e.Address}, nil)
	}
	name, article := brandName(e.Brand)
	vals := map[string]any{"Where": where, "Op": phrase(opForms, e.Op), "Key": e.Key,
		"Brand": articleSays[article].with(map[string]any{"Name": name}, nil)}
	if e.Op == "" {
		vals["Op"] = sayDoThis.with(nil, nil)
	}
	f, known := kindSays[e.Kind]
	switch {
	case !known || e.Kind == ErrProtocol:
		f = kindSays[ErrProtocol]
		if e.Op != "" {
			f = sayUnexpectedTo
		}
	case e.Kind == ErrUnreachable && e.Err != nil && errors.Is(e.Err, errTimeout):
		f = sayTimedOut
	case e.Kind == ErrNotSupported && e.Key != "":
		f = sayNoKey
	}
	s := f.with(vals, nil)
	if e.Status != 0 {
		s = sayHTTPStatus.with(map[string]any{"What": s, "Status": e.Status}, nil)
	}
	switch {
	case e.Detail != "":
		s.Err = phrase(details, e.Detail)
	case f == sayTimedOut:
		// "did not answer in time" says it all; what follows Timeout's
		// marker is the network's words for the same.
	case e.Kind == ErrUnreachable && e.Err != nil:
		s.Err = NetCause(e.Err)
	}
	return s
}

// phrase is text as the sentence of the first of forms that reads it, or,
// when none does, as itself: words of the phone or of a driver this file
// does not know, which stay as they are. A part named Op is what was
// attempted and a part named Hint a detail, each read as a phrase again
// ("hang up without its CSTA call id").
func phrase(forms []*form, text string) error {
	for _, f := range forms {
		re := f.match()
		if re == nil {
			if text == f.text {
				return f.with(nil, nil)
			}
			continue
		}
		if m := re.FindStringSubmatch(text); m != nil {
			vals := map[string]any{}
			for i, name := range f.names {
				switch name {
				case "Op":
					vals[name] = phrase(opForms, m[i+1])
				case "Hint":
					vals[name] = phrase(details, m[i+1])
				default:
					vals[name] = m[i+1]
				}
			}
			return f.with(vals, nil)
		}
	}
	return errors.New(text)
}
