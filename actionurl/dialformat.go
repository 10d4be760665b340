// Package actionurl is dialbridge's HTTP side: the local listener that takes
// dial requests in every format click-to-dial clients speak (Mia, Snom,
// Yealink, Grandstream), the control API of the tray and windows, the
// security policy in front of both, and the outgoing action URLs fired on
// call events.
//
// "Mia", throughout dialbridge, is Mia CSTA: a Windows CTI program whose
// "hardware telephone" mode sits beside a SIP desk phone, as dialbridge does.
// dialbridge speaks its formats so that what worked with Mia keeps working:
// the listener takes Mia's dial request /?action=make_call&target=N on Mia's
// default port 61234; the outgoing action URLs fire on Mia's five call events
// (inbound, outbound, connected, hold, disconnected) and expand Mia's <$name>
// placeholders (package outgoing); and the settings follow the seven numbered
// items of Mia's action URL settings dialog, so "Mia 3" in a comment or in
// the config file means its item 3 (incoming action URLs on or off).
// docs/protocols.md lists the items and placeholders.
package actionurl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/dialbridge/dialbridge/phone"
)

// Format names the dial-request dialect a client spoke.
type Format string

// The dial formats click-to-dial clients send (docs/protocols.md, "Dial
// requests").
const (
	FormatNative      Format = "native"      // /?action=make_call&target=N (Mia)
	FormatSnom        Format = "snom"        // /command.htm?number=N
	FormatYealink     Format = "yealink"     // /servlet?key=number=N
	FormatYealinkV70  Format = "yealink-v70" // /cgi-bin/ConfigManApp.com?number=N
	FormatYealinkT3x  Format = "yealink-t3x" // /cgiServer.exx?number=N (T38G, T32G)
	FormatGrandstream Format = "grandstream" // /cgi-bin/api-make_call?phonenumber=N
	FormatControl     Format = "control"     // the control API (dialbridge dial, tray, windows)
)

// DialRequest is a dial request as a client sent it, before policy and
// dialing rules.
type DialRequest struct {
	// Number is the number as the client sent it, decoded, not normalized.
	Number string
	// Identity is the outgoing_uri / account the client asked for, if any.
	Identity string
	// Format is the dialect the request came in.
	Format Format
	// Password is a credential carried in the query (Grandstream's
	// password/passcode), checked like listener credentials. Never logged.
	Password string
	// Typed is true when the person typed or chose the number themselves in
	// dialbridge (dial pad, tray), which exempts it from the blocked-number
	// and rate rules; never true for anything that arrived over HTTP formats.
	Typed bool
}

// ErrNotDial means the request is not a dial format at all (another path):
// the listener answers 404 for it.
var ErrNotDial = errors.New("not a dial request")

// ParseDial reads a dial request from a request's path, raw query and (for
// POST) raw form body. It accepts every dial format click-to-dial clients
// speak and the liberties real clients take: parameters in any order, '#'
// and '*' raw or escaped. The number is handed on as the client wrote it,
// percent-decoded and otherwise untouched (a raw '+' stays a '+'): reading
// it is the dialing rules' job (dialplan.Rules.Read), the same for every
// way a number comes in, so a "tel:+1-201-555-0123" or "0800+FLOWERS" in a
// query dials what `dialbridge normalize` says for the same text.
func ParseDial(method, path, rawQuery, rawBody string) (DialRequest, error) {
	params := parseParams(rawQuery)
	if method == "POST" && rawBody != "" {
		for k, v := range parseParams(rawBody) {
			if _, ok := params[k]; !ok {
				params[k] = v
			}
		}
	}
	var req DialRequest
	switch path {
	case "/", "":
		action, ok := params["action"]
		if !ok {
			return req, ErrNotDial
		}
		if action != "make_call" {
			return req, fmt.Errorf("unknown action %q (only make_call is supported)", action)
		}
		req = DialRequest{Format: FormatNative, Number: params["target"]}
		if req.Number == "" {
			return req, errors.New("no number given: add target=NUMBER")
		}
	case "/command.htm":
		req = DialRequest{Format: FormatSnom, Number: params["number"], Identity: params["outgoing_uri"]}
		if req.Number == "" {
			return req, errors.New("no number given: add number=NUMBER")
		}
	case "/servlet":
		key, ok := params["key"]
		if !ok {
			return req, errors.New("no number given: add key=number=NUMBER")
		}
		n, isNumber := strings.CutPrefix(key, "number=")
		if !isNumber {
			return req, fmt.Errorf("key=%s is a key event; only key=number=NUMBER dials", clip(key))
		}
		req = DialRequest{Format: FormatYealink, Number: n, Identity: params["outgoing_uri"]}
	case "/cgi-bin/ConfigManApp.com":
		req = DialRequest{Format: FormatYealinkV70, Number: params["number"], Identity: params["outgoing_uri"]}
	case "/cgiServer.exx":
		req = DialRequest{Format: FormatYealinkT3x, Number: params["number"], Identity: params["outgoing_uri"]}
	case "/cgi-bin/api-make_call":
		req = DialRequest{Format: FormatGrandstream, Number: params["phonenumber"], Identity: params["account"]}
		req.Password = params["passcode"]
		if req.Password == "" {
			req.Password = params["password"]
		}
		if req.Number == "" {
			return req, errors.New("no number given: add phonenumber=NUMBER")
		}
	default:
		return req, ErrNotDial
	}
	if req.Number == "" {
		return req, errors.New("no number given: add number=NUMBER")
	}
	if len(req.Identity) > 256 || strings.IndexFunc(req.Identity, unicode.IsControl) >= 0 {
		return req, errors.New("the outgoing identity is too long or contains control characters")
	}
	return req, nil
}

// parseParams splits a query string. Unlike url.ParseQuery it keeps '+' as
// a plus sign in values (phone numbers arrive as "+4930..." unescaped far
// more often than form-encoded spaces do; the dialing rules read a '+'
// after a letter or digit as the blank a form meant), and the first
// occurrence of a key wins. Keys are matched case-sensitively, as the
// phones do.
func parseParams(raw string) map[string]string {
	params := map[string]string{}
	for k, v := range phone.QueryPairs(raw) {
		key, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		val, err := url.PathUnescape(v)
		if err != nil {
			// A stray '%' (e.g. "100%") is taken literally rather than
			// losing the whole request.
			val = v
		}
		if _, seen := params[key]; !seen {
			params[key] = val
		}
	}
	return params
}

func clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
