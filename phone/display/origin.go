package display

import (
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// Origin is who asked to dial, as a person should read it in the
// confirmation prompt and in notifications. A web origin is shown as
// scheme://host[:port] with the host in its ASCII form, so that a
// look-alike domain in another script ("аpple.com" with a Cyrillic "а")
// shows as the xn-- name it is. Anything else (a non-browser client can
// send any Origin header, and the other entries describe themselves) is
// shown as a Name: one line, no bidi tricks, cut to MaxName characters.
func Origin(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return Name(s)
	}
	switch u.Scheme {
	case "http", "https", "chrome-extension", "moz-extension":
	default:
		return Name(s)
	}
	host, err := idna.Lookup.ToASCII(u.Hostname())
	if err != nil || host == "" {
		return Name(s)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	return Name(u.Scheme + "://" + host)
}
