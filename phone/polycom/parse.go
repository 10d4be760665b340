package polycom

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// StatusOK is the REST API's success code.
const StatusOK = "2000"

// statusText is the REST API's code table (Polycom UC Software REST API
// reference), with what the driver makes of each code.
var statusText = map[string]string{
	"2000": "API executed successfully",
	"4000": "Invalid input parameters",
	"4001": "Device busy",
	"4002": "Line not registered",
	"4003": "Operation not allowed",
	"4004": "Operation not supported",
	"4005": "Line does not exist",
	"4006": "URLs not configured",
	"4007": "Call does not exist",
	"4008": "Configuration export failed",
	"4009": "Input size limit exceeded",
	"4010": "Default password not allowed",
	"5000": "Failed to process request",
}

// ParseStatus reads the "Status" of a REST answer: {"Status": "2000", ...}.
// The code may be a string or a number; it must be four digits.
func ParseStatus(body []byte) (string, error) {
	var raw struct {
		Status json.RawMessage `json:"Status"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return "", errors.New("the answer is not the phone's REST JSON")
	}
	if raw.Status == nil {
		return "", errors.New(`the answer has no "Status"`)
	}
	var code string
	if err := json.Unmarshal(raw.Status, &code); err != nil {
		var n json.Number
		if err := json.Unmarshal(raw.Status, &n); err != nil {
			return "", errors.New(`the answer's "Status" is neither text nor a number`)
		}
		code = n.String()
	}
	if len(code) != 4 || strings.Trim(code, "0123456789") != "" {
		return "", errors.New(`the answer's "Status" is not a four-digit code`)
	}
	return code, nil
}

// Call is one call in a callStatus answer.
type Call struct {
	// Handle is the CallHandle that callctrl requests take as "Ref".
	Handle string
	// State is the phone's word for the call's state ("Connected",
	// "Ringing", "Hold", ...).
	State string
}

// ParseCallStatus reads GET /api/v1/webCallControl/callStatus: "data" is
// one call object (v1) or a list of them (newer firmware), or empty when
// no call is up. Handles come back as the phone wrote them, with a 0x
// prefix added when it left it out (firmware 5.x omits it; the callctrl
// requests want it, as Posh-UCS found).
func ParseCallStatus(body []byte) ([]Call, error) {
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return nil, errors.New("the call status is not the phone's REST JSON")
	}
	type rawCall struct {
		CallHandle string `json:"CallHandle"`
		CallState  string `json:"CallState"`
		State      string `json:"State"`
	}
	var list []rawCall
	data := bytes.TrimSpace(raw.Data)
	switch {
	case len(data) == 0 || string(data) == "null" || string(data) == "{}" || string(data) == `""`:
		return nil, nil
	case data[0] == '[':
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, errors.New("the call status holds a malformed list of calls")
		}
	default:
		var one rawCall
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, errors.New("the call status holds a malformed call")
		}
		list = []rawCall{one}
	}
	out := make([]Call, 0, len(list))
	for _, c := range list {
		h := strings.TrimSpace(c.CallHandle)
		if h == "" || len(h) > 32 {
			continue
		}
		if !strings.HasPrefix(h, "0x") {
			if _, err := strconv.ParseUint(h, 16, 64); err == nil {
				h = "0x" + h
			}
		}
		st := c.CallState
		if st == "" {
			st = c.State
		}
		out = append(out, Call{Handle: h, State: st})
	}
	return out, nil
}
