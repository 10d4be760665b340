package cisco

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Response is the phone's answer to a pushed object.
type Response struct {
	// Items are the ResponseItems of a CiscoIPPhoneResponse, one per
	// ExecuteItem.
	Items []Item
	// Error is the Number of a CiscoIPPhoneError, or 0.
	Error int
}

// Item is one ResponseItem.
type Item struct {
	Status int
	Data   string
	URL    string
}

// errorText names the CiscoIPPhoneError numbers of the services guide.
func errorText(n int) string {
	switch n {
	case 1:
		return "error parsing the CiscoIPPhoneExecute object"
	case 2:
		return "error framing the CiscoIPPhoneResponse object"
	case 3:
		return "internal file error"
	case 4:
		return "authentication error"
	default:
		return "unknown error"
	}
}

// ParseResponse reads a CiscoIPPhoneResponse or a CiscoIPPhoneError.
func ParseResponse(body []byte) (Response, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil } // answers are ASCII
	for {
		tok, err := d.Token()
		if err != nil {
			return Response{}, errors.New("the answer is neither a CiscoIPPhoneResponse nor a CiscoIPPhoneError")
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "CiscoIPPhoneError":
			n, err := strconv.Atoi(strings.TrimSpace(attr(start, "Number")))
			if err != nil || n <= 0 {
				return Response{}, errors.New("a CiscoIPPhoneError without a valid Number")
			}
			return Response{Error: n}, nil
		case "CiscoIPPhoneResponse":
			var raw struct {
				Items []struct {
					Status string `xml:"Status,attr"`
					Data   string `xml:"Data,attr"`
					URL    string `xml:"URL,attr"`
				} `xml:"ResponseItem"`
			}
			if err := d.DecodeElement(&raw, &start); err != nil {
				return Response{}, errors.New("a malformed CiscoIPPhoneResponse")
			}
			if len(raw.Items) == 0 || len(raw.Items) > maxItems {
				return Response{}, errors.New("a CiscoIPPhoneResponse without one to three ResponseItems")
			}
			var r Response
			for _, it := range raw.Items {
				st, err := strconv.Atoi(strings.TrimSpace(it.Status))
				if err != nil {
					return Response{}, errors.New("a ResponseItem without a numeric Status")
				}
				r.Items = append(r.Items, Item{Status: st, Data: it.Data, URL: it.URL})
			}
			return r, nil
		default:
			return Response{}, errors.New("the answer is neither a CiscoIPPhoneResponse nor a CiscoIPPhoneError")
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
