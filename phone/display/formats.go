package display

import (
	"strings"
)

// markupEscaper escapes what the freedesktop notification spec asks
// clients to escape in a body that the server reads as markup.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// NotificationBody is the body of a freedesktop notification. A server
// that reports the "body-markup" capability reads the body as a subset of
// HTML (bold, links, images it may fetch); for it the text is escaped so
// that every character shows as itself. Any other server shows the body as
// plain text, where escaping would show "&amp;", so the text goes as is.
// Either way characters that no server can show (control characters other
// than line breaks and tabs, invalid bytes) are dropped.
func NotificationBody(s string, markup bool) string {
	s = visible(s, true)
	if markup {
		return markupEscaper.Replace(s)
	}
	return s
}

// toastEscaper keeps a body inside the Windows toast that beeep builds:
// go-toast puts the body into <![CDATA[...]]> of an XML template (so "]]>"
// would close it and let the rest be read as elements), and its PowerShell
// fallback pastes that XML into a double-quoted here-string, where "$(...)"
// runs code and "`" escapes. Those characters are replaced by look-alikes
// that neither XML nor PowerShell treats specially.
var toastEscaper = strings.NewReplacer("]]>", "]] >", "$", "\uff04", "`", "\uff40")

// ToastBody is the body of a Windows toast notification as beeep sends it:
// one line, nothing that can leave the CDATA section or the PowerShell
// string it ends up in.
func ToastBody(s string) string {
	return toastEscaper.Replace(oneLine(s))
}

// xmlEscaper escapes text for element content and for attribute values in
// either quote, so a screen's author need not care which.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// XML is text for an XML screen pushed to a phone (Snom minibrowser,
// Yealink XML browser): escaped for element content and attributes, with
// control characters (line breaks included: a screen line is one line) and
// whatever XML 1.0 forbids dropped, so the document always parses.
func XML(s string) string {
	return xmlEscaper.Replace(visible(s, false))
}

// sipEscaper escapes the two characters a SIP quoted-string must escape.
var sipEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// SIPDisplayName is a display name for a SIP header (From, To, Contact,
// P-Asserted-Identity) as an RFC 3261 quoted-string, quotes included: the
// name can never end the string early, and since CR and LF (and every
// other control character) are dropped it can never start a header of its
// own.
func SIPDisplayName(s string) string {
	return `"` + sipEscaper.Replace(visible(s, false)) + `"`
}

// DBusMenuLabel is a label for a com.canonical.dbusmenu item (the tray
// menu on Linux), where "_" marks the access key: underscores are doubled
// so that a caller named "_x" shows "_x" and binds no key. Line breaks and
// other control characters are dropped; a menu item is one line.
func DBusMenuLabel(s string) string {
	return strings.ReplaceAll(visible(s, false), "_", "__")
}

// Win32MenuLabel is a label for a Win32 menu item (the tray menu on
// Windows), where "&" marks the access key: ampersands are doubled.
func Win32MenuLabel(s string) string {
	return strings.ReplaceAll(visible(s, false), "&", "&&")
}
