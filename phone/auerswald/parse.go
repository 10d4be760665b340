package auerswald

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"unicode"
)

// The shape of the phone's answers is not documented beyond the list of
// actions (Auerswald's "Action Urls" page for firmware 1.4), so the parsers
// accept the plausible ones: JSON arrays, JSON objects and plain text lists.

// maxActions bounds what a list may hold; firmware 1.4 has eleven.
const maxActions = 64

// ParseActions reads the answer to action=?: the commands this firmware
// supports. It accepts a JSON array of names (or of objects with a "name"
// or "action"), a JSON object holding such an array under "actions",
// "commands" or "available" (or whose keys are the names), and plain text
// with the names separated by commas, semicolons, spaces or lines. Names
// come back lower-case, each once, in the phone's order.
func ParseActions(body []byte) ([]string, error) {
	body = bytes.TrimSpace(body)
	var names []string
	switch {
	case len(body) == 0:
		return nil, errors.New("the phone listed no commands")
	case body[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, errors.New("the list of commands is not valid JSON")
		}
		names = namesFromJSON(list)
	case body[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, errors.New("the list of commands is not valid JSON")
		}
		for _, key := range []string{"actions", "commands", "available", "data"} {
			var list []json.RawMessage
			if raw, ok := obj[key]; ok && json.Unmarshal(raw, &list) == nil {
				names = namesFromJSON(list)
				break
			}
		}
		if names == nil {
			for k := range obj {
				names = append(names, k)
			}
			sort.Strings(names) // map order is random; the keys carry no order
		}
	default:
		names = strings.FieldsFunc(string(body), func(r rune) bool {
			return r == ',' || r == ';' || r == '|' || unicode.IsSpace(r)
		})
	}
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(strings.Trim(n, `"'[]:.`))
		if !validAction(n) || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		if len(out) == maxActions {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the phone's answer names no commands")
	}
	return out, nil
}

func namesFromJSON(list []json.RawMessage) []string {
	names := make([]string, 0, len(list))
	for _, raw := range list {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			names = append(names, s)
			continue
		}
		var obj struct{ Name, Action, Command string }
		if json.Unmarshal(raw, &obj) == nil {
			for _, n := range []string{obj.Name, obj.Action, obj.Command} {
				if n != "" {
					names = append(names, n)
					break
				}
			}
		}
	}
	return names
}

func validAction(n string) bool {
	if n == "" || len(n) > 32 || n[0] < 'a' || n[0] > 'z' {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Result is what the phone said to one command.
type Result struct {
	// OK reports success: a 2xx status whose body does not say otherwise.
	OK bool
	// Message is the phone's reason in its own words, cleaned for a
	// sentence: one line, printable, at most maxMessage runes.
	Message string
}

const maxMessage = 200

// ParseResult reads the phone's answer to a command. A 2xx answer is a
// success unless a JSON body says "success": false, "ok": false,
// "status": "error" or carries an "error"; any other status is a failure,
// with the message taken from the JSON fields error, message, msg or
// detail, or from the text of the body.
func ParseResult(status int, body []byte) Result {
	ok := status >= 200 && status < 300
	body = bytes.TrimSpace(body)
	msg := ""
	if len(body) > 0 && body[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			for _, key := range []string{"error", "message", "msg", "detail", "result"} {
				var s string
				if raw, has := obj[key]; has && json.Unmarshal(raw, &s) == nil && s != "" {
					msg = s
					if key == "error" {
						ok = false
					}
					break
				}
			}
			var b bool
			for _, key := range []string{"success", "ok"} {
				if raw, has := obj[key]; has && json.Unmarshal(raw, &b) == nil && !b {
					ok = false
				}
			}
			var st string
			if raw, has := obj["status"]; has && json.Unmarshal(raw, &st) == nil && strings.EqualFold(st, "error") {
				ok = false
			}
			return Result{OK: ok, Message: clean(msg)}
		}
	}
	if !ok {
		msg = string(body)
		if bytes.HasPrefix(bytes.ToLower(body), []byte("<")) {
			msg = "" // an HTML error page says nothing a person needs
		}
	}
	return Result{OK: ok, Message: clean(msg)}
}

// clean keeps the first line of s, drops control characters and caps it.
func clean(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxMessage {
			b.WriteString("…")
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			n++
		}
	}
	return strings.TrimSpace(b.String())
}
