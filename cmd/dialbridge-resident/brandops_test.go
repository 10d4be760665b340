package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/phone/auerswald"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/golden"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

var updateCallOps = golden.Flag("update-callops", "testdata/callops/*.golden")

// opEvents is how each brand that reports its calls says what happened to
// one: the request its action URL makes, for kind incoming, connected,
// hold, unhold or disconnected. Brands missing here report no calls, and
// the command line acts on the phone's current call.
var opEvents = map[string]func(kind, id, remote string) string{
	"snom":      snomEvent,
	"snom-csta": snomEvent,
	"yealink": func(kind, id, remote string) string {
		return "/phone/" + pairingToken + "/yealink/" + kind + "?call_id=" + id + "&remote=" + remote
	},
	"grandstream": func(kind, id, remote string) string {
		return "/phone/" + pairingToken + "/grandstream/" + kind + "?call_id=" + id + "&remote=" + remote
	},
	"auerswald": func(kind, id, remote string) string {
		// Auerswald says "holding", and "connected" again on resume.
		if k, ok := map[string]string{"hold": "holding", "unhold": "connected"}[kind]; ok {
			kind = k
		}
		return "/phone/" + pairingToken + "/auerswald?event=" + kind + "&callId=" + id + "&number=" + remote
	},
}

// opIdentity is the identity a brand dials from where it shapes what the
// phone receives: over CSTA, its domain makes a transfer target the SIP
// URI the phone calls.
var opIdentity = map[string]string{"snom-csta": "identity = \"demo@pbx.example\"\n"}

// phoneEvent is brand's phone reporting the event kind of call id to the
// resident listening on port, as its action URL does; a brand that
// reports no calls sends nothing.
func phoneEvent(t *testing.T, port int, brand, kind, id string) {
	t.Helper()
	ev, ok := opEvents[brand]
	if !ok {
		return
	}
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", port, ev(kind, id, "42")))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the %s event was answered %s", kind, res.Status)
	}
}

func snomEvent(kind, id, remote string) string {
	return "/phone/" + pairingToken + "/snom/" + kind + "?call_id=c" + id + "&csta_id=" + id + "&remote=" + remote
}

// ringer is a simulator on which a call can ring, giving the phone's id
// of it.
type ringer interface{ Ring(remote string) string }

// TestEveryCallControlFromTheCommandLine is the README's phone table from a
// person's end: for each brand, the commands a person types (dial, answer,
// tones, hold, resume, blind transfer, hang up, do not disturb,
// forwarding) go through a resident paired with the brand's simulator,
// and what the phone received for each, in the brand's documented form,
// or the sentence that says the brand cannot, is the golden file
// testdata/callops/BRAND.golden. A ✓ in the table is a request there; a ✗
// is the sentence.
func TestEveryCallControlFromTheCommandLine(t *testing.T) {
	for _, brand := range []string{"snom", "snom-csta", "yealink", "auerswald", "grandstream", "polycom", "fanvil", "cisco"} {
		t.Run(brand, func(t *testing.T) {
			sim, _, err := brandsim.StartWith(brand, "admin", "pa55")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sim.Close() })
			if y, ok := sim.(*yealink.Sim); ok {
				y.AllowRemoteControl()
			}
			t.Setenv("DIALBRIDGE_PHONE_PASSWORD", "pa55")
			_, port, cfgPath := startResidentWith(t, fmt.Sprintf("[phone]\nbrand = %q\naddress = %q\nusername = \"admin\"\npairing_token = %q\n%s", brand, sim.URL(), pairingToken, opIdentity[brand]), nil)
			var log strings.Builder
			seen := 0
			// received writes what the phone got since the last look.
			received := func() {
				reqs := sim.Requests()
				for _, q := range reqs[seen:] {
					fmt.Fprintf(&log, "  %s\n", requestLine(q))
				}
				seen = len(reqs)
			}
			event := func(kind, id string) { t.Helper(); phoneEvent(t, port, brand, kind, id) }
			run := func(name string, cmd func(context.Context, []string, io.Writer, io.Writer) error, args ...string) error {
				t.Helper()
				var out, errOut strings.Builder
				err := cmd(context.Background(), append([]string{"--config", cfgPath}, args...), &out, &errOut)
				fmt.Fprintf(&log, "%s %s\n", name, strings.Join(args, " "))
				if err != nil {
					fmt.Fprintf(&log, "  refused: %v\n", err)
				}
				received()
				return err
			}
			call := func(a ...string) error { return run("call", commands.Call, a...) }

			// ring lets a call ring on the phone and reports it.
			ring := func(id string) string {
				if rg, ok := sim.(ringer); ok {
					id = rg.Ring("42")
				} else if c, ok := sim.(interface{ Ring(string) }); ok {
					c.Ring("42")
				}
				received()
				event("incoming", id)
				return id
			}
			id := ring("1")
			call("answer")
			if c, ok := sim.(interface{ Connect(string) string }); ok {
				if _, rings := sim.(ringer); !rings {
					id = c.Connect("42") // a phone without ringing calls (Polycom) has one connected
				}
			}
			received()
			event("connected", id)
			call("dtmf", "12#")
			call("hold")
			event("hold", id)
			call("resume")
			event("unhold", id)
			call("transfer", "204")
			event("disconnected", id)
			// Hang up rejects the next call while it rings.
			id = ring("2")
			call("hangup")
			event("disconnected", id)
			// talk lets a call ring, answers it and reports it connected.
			talk := func(id string) string {
				id = ring(id)
				call("answer")
				event("connected", id)
				return id
			}
			// consult holds the call held and calls 204; where the phone
			// did, it reports both, and consult returns the second call.
			consult := func(held, id string) (string, bool) {
				t.Helper()
				if call("consult", "204") != nil {
					return "", false
				}
				id = consulted(sim, held, id)
				event("hold", held)
				event("outgoing", id)
				event("connected", id)
				return id, true
			}
			// clear ends the calls ids for every party; where the phone
			// cannot, the person hangs them up one by one.
			clear := func(ids ...string) {
				refused := call("clear") != nil
				for _, id := range slices.Backward(ids) {
					if refused {
						call("hangup")
					}
					event("disconnected", id)
				}
			}
			// Consult, then complete the transfer.
			held := talk("3")
			second, ok := consult(held, "4")
			if call("transfer") == nil {
				event("disconnected", held)
				event("disconnected", second)
			} else {
				clear(held)
			}
			// Consult, then cancel: hang up the consultation and resume
			// the held call; then consult again and join a conference.
			held = talk("5")
			if second, ok = consult(held, "6"); ok {
				call("hangup")
				event("disconnected", second)
				call("resume")
				event("unhold", held)
				second, _ = consult(held, "7")
				call("conference")
				clear(held, second)
			} else {
				call("conference")
				clear(held)
			}
			run("dnd", commands.DND, "on")
			run("forward", commands.Forward, "204")
			// Dialed last: a Polycom phone shows one call in its status,
			// and the dialed one would hide the next call that rings.
			run("dial", commands.Dial, "030 1234567")

			golden.Check(t, filepath.Join("testdata", "callops", brand+".golden"), log.String(), *updateCallOps, "-update-callops")
		})
	}
}

// consulted is the id of the call consult started: on a simulator that
// lists its calls, the newest to 204 other than held; else id, as a
// phone's action URL would name it.
func consulted(sim any, held, id string) string {
	var ids []string
	switch s := sim.(type) {
	case *snomcsta.Sim:
		for _, c := range s.Calls() {
			if c.ID != held && strings.Contains(c.Remote, "204") {
				ids = append(ids, c.ID)
			}
		}
		slices.Reverse(ids) // the CSTA simulator lists the newest first
	case *auerswald.Sim:
		for _, c := range s.Calls() {
			if c.ID != held && strings.Contains(c.Remote, "204") {
				ids = append(ids, c.ID)
			}
		}
	}
	if len(ids) == 0 {
		return id
	}
	return ids[len(ids)-1]
}

var blanks = regexp.MustCompile(`>\s+<`)

// requestLine writes one request to the phone for the golden file: method,
// path and query, and a body without its SOAP envelope.
func requestLine(q phonesim.Request) string {
	line := q.Method + " " + q.Path
	if q.RawQuery != "" {
		line += "?" + q.RawQuery
	}
	body := strings.TrimSpace(blanks.ReplaceAllString(string(q.Body), "><"))
	if _, after, ok := strings.Cut(body, "Body>"); ok {
		body, _, _ = strings.Cut(after, "</SOAP-ENV:Body")
	}
	if body != "" {
		line += " " + body
	}
	return line
}
