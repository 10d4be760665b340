package snomcsta

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
)

// The name spaces of the messages (ECMA-323 editions 4 and 5). Requests are
// written in ed4, which every firmware with CSTA over HTTP reads; firmware
// 8.7.3 and later answers in ed5.
const (
	soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
	cstaNS = "http://www.ecma-international.org/standards/ecma-323/csta/ed4"
	ed5NS  = "http://www.ecma-international.org/standards/ecma-323/csta/ed5"
)

// Setting is one phone setting for SetSettings, e.g. action_fwtest_url. It
// is phone.Setting, so that the driver is a phone.SettingsWriter.
type Setting = phone.Setting

// request writes one CSTA request in its SOAP envelope, in the shape of the
// templates of the Snom wiki's "Features/CSTA Support" page, with the blank
// between the xmlns attributes that the wiki lost.
type request struct {
	buf     bytes.Buffer
	legacy  bool
	element string
}

func newRequest(element string, legacy bool) *request {
	r := &request{legacy: legacy, element: element}
	r.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + soapNS + `" xmlns:csta="` + cstaNS + `">` + "\n" +
		"<SOAP-ENV:Body>\n<csta:" + element + ">\n")
	return r
}

// text adds <csta:name>value</csta:name>.
func (r *request) text(name, value string) *request {
	r.buf.WriteString("<csta:" + name + ">")
	escape(&r.buf, value)
	r.buf.WriteString("</csta:" + name + ">\n")
	return r
}

// conn adds a ConnectionID holding the phone's $csta_id: wrapped in callID
// since firmware 8.7.3, bare before 8.7 or with csta_legacy_control=0.
func (r *request) conn(name, callID string) *request {
	if r.legacy {
		return r.text(name, callID)
	}
	r.buf.WriteString("<csta:" + name + "><csta:callID>")
	escape(&r.buf, callID)
	r.buf.WriteString("</csta:callID></csta:" + name + ">\n")
	return r
}

// setting adds one <csta:Setting> of SetSettings.
func (r *request) setting(s Setting) *request {
	r.buf.WriteString("<csta:Setting>\n")
	r.text("name", s.Name)
	r.text("value", s.Value)
	r.buf.WriteString("</csta:Setting>\n")
	return r
}

func (r *request) bytes() []byte {
	r.buf.WriteString("</csta:" + r.element + ">\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n")
	return r.buf.Bytes()
}

func escape(w *bytes.Buffer, s string) {
	_ = xml.EscapeText(w, []byte(s)) // writing to a bytes.Buffer cannot fail
}

// Answer is what the phone said to one CSTA request: either a response
// element (success) or a SOAP fault.
type Answer struct {
	// Response is the local name of the response element, e.g.
	// "AnswerCallResponse"; empty for a fault.
	Response string
	// Edition is "ed4" or "ed5" from the CSTA name space the phone used,
	// or "" when it declared none.
	Edition string
	// Fault is set when the phone refused the request.
	Fault *Fault
}

// Fault is a SOAP fault with the CSTA error code it carries.
type Fault struct {
	// Code and String are SOAP's faultcode and faultstring ("Client",
	// "CSTA Error").
	Code, String string
	// Category is the element inside CSTAErrorCode ("operation",
	// "stateIncompatibility", ...) and Value its text ("invalidCallID").
	Category, Value string
}

// errNoAnswer: the body holds neither a response nor a fault.
var errNoAnswer = errors.New("the answer holds neither a CSTA response nor a SOAP fault")

// maxTokens bounds the work on one answer: real answers have a dozen
// elements, and a phone gone mad must not keep the parser busy.
const maxTokens = 4096

// ParseAnswer reads a phone's answer to a CSTA request in any of the shapes
// Snom firmware produces (the Snom wiki's "Remote phone control" page): with
// or without SOAP envelope and header, ed4 or ed5, empty or self-closing
// response elements, and faults whose CSTAErrorCode sits in the SOAP detail
// or stands alone. It reads the raw tokens, without matching name spaces of
// start and end tags, because one documented fault closes <operation> with
// </csta:operation>.
func ParseAnswer(body []byte) (Answer, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil } // answers are ASCII
	var (
		a        Answer
		f        Fault
		inFault  bool
		inCode   bool   // inside CSTAErrorCode
		field    string // the element whose text is being read
		text     strings.Builder
		gotFault bool
	)
	finish := func() {
		v := strings.TrimSpace(text.String())
		switch {
		case inCode && field != "":
			if f.Category == "" {
				f.Category, f.Value = field, v
			}
		case field == "faultcode":
			f.Code = v
		case field == "faultstring":
			f.String = v
		}
		field = ""
		text.Reset()
	}
	for n := 0; n < maxTokens; n++ {
		tok, err := d.RawToken()
		if err != nil {
			if field != "" {
				finish() // a broken end tag after the text we need
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			noteEdition(&a, t)
			local := t.Name.Local
			switch {
			case local == "Fault":
				inFault, gotFault = true, true
			case local == "CSTAErrorCode":
				inCode, gotFault = true, true
			case inCode:
				field = local
				text.Reset()
			case inFault && (local == "faultcode" || local == "faultstring"):
				field = local
				text.Reset()
			case a.Response == "" && !inFault && strings.HasSuffix(local, "Response") && len(local) > len("Response"):
				a.Response = local
			}
		case xml.CharData:
			if field != "" && text.Len() < 1024 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case field != "" && t.Name.Local == field:
				finish()
			case t.Name.Local == "CSTAErrorCode":
				inCode = false
			case t.Name.Local == "Fault":
				inFault = false
			}
		}
	}
	if gotFault {
		a.Response = ""
		a.Fault = &f
		return a, nil
	}
	if a.Response == "" {
		return a, errNoAnswer
	}
	return a, nil
}

func noteEdition(a *Answer, t xml.StartElement) {
	if a.Edition != "" {
		return
	}
	for _, at := range t.Attr {
		switch {
		case strings.HasSuffix(at.Value, "/csta/ed5"):
			a.Edition = "ed5"
		case strings.HasSuffix(at.Value, "/csta/ed4"):
			a.Edition = "ed4"
		}
	}
}

// codeKey normalizes a CSTA error value so that ed5's "invalidCallID" and
// ed4's "Invalid CallID" compare equal.
func codeKey(v string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(v))
}

// explain turns a CSTA error value into what a person can do about it. The
// values are ECMA-269's; Snom answers most refusals with the operation
// category. noSuchCall reports the errors that mean the call is gone.
func explain(value string) (detail string, noSuchCall bool) {
	switch codeKey(value) {
	case "invalidcallid", "invalidcstacallidentifier", "invalidconnectionid", "invalidcstaconnectionidentifier",
		"nocalltoclear", "noconnectiontoclear", "nocalltoanswer", "noactivecall", "noheldcall":
		return "", true
	case "invaliddeviceid", "invalidcstadeviceidentifier", "invalidcallingdevice":
		return "no identity on the phone matches the calling device; check the identity setting (the SIP user name of one of the phone's identities)", false
	case "invalidcalleddevice", "invaliddestination", "invalidforwardingdestination":
		return "the phone did not accept the number as a destination", false
	case "requestincompatiblewithobject", "invalidobjectstate", "invalidcallstate", "requestincompatiblewithcallingdevice", "requestincompatiblewithcalleddevice":
		return "the call is not in a state that allows this (for example, it is not ringing or not on hold)", false
	case "privilegeviolationonspecifieddevice", "privilegeviolationoncalleddevice", "privilegeviolationoncallingdevice", "securityviolation":
		return "the phone's settings do not allow this request", false
	case "invalidfeature", "servicenotsupported", "requestnotsupported":
		return "this firmware does not support the request", false
	case "":
		return "the phone gave no reason", false
	default:
		return "the phone reports the CSTA error \"" + value + "\"", false
	}
}
