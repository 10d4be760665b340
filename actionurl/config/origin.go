package config

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ParseOrigin returns the canonical form of a web origin
// ("scheme://host[:port]", lower case, default port left out as browsers
// send it), or false for anything else: "null", wildcards, user info, a
// path beyond "/", a query or a fragment. Allowed origins and the Origin
// header are both compared in this form, so "https://CRM.example:443/"
// in the config matches what a browser sends and nothing broader does.
func ParseOrigin(s string) (string, bool) {
	if s == "" || s == "null" || len(s) > 2048 || strings.ContainsAny(s, "*\\ \t") {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Opaque != "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" ||
		strings.Contains(s, "#") {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.HasPrefix(u.Host, "[") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", false
		}
		host = a.String()
	} else if !hostChars(host) {
		return "", false
	}
	port := u.Port()
	if strings.HasSuffix(u.Host, ":") && port == "" {
		return "", false
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", false
		}
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// hostChars reports whether h is a host name as browsers serialise it in
// an origin (ASCII, IDNs in punycode): letters, digits, '-', '.', '_'.
func hostChars(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
