package snom

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// ledOffsets is the light number of P1 by model: a key's light is its
// setting's index (P1 is fkey0) plus this. Snom numbers the lights of the
// keys after the lights of its own (message, line keys), which differ by
// model; these are the models whose numbering is known. Any other model
// gets no light rather than the wrong one.
var ledOffsets = map[string]int{
	"D335": 2,
	"D385": 2,
	"D735": 5,
	"D785": 5,
	"D862": 5,
	"D865": 5,
}

// LEDModels are the models whose key lights dialbridge knows, for the
// README and the sentence about an unknown model.
func LEDModels() []string {
	return []string{"D335", "D385", "D735", "D785", "D862", "D865"}
}

// NormalModel writes a model as the light table keys it: "snom D785",
// "snomd785" and "D785" are all "D785" (read the way phone.ModelOf reads
// a User-Agent).
func NormalModel(model string) string {
	if m := phone.ModelOf(model); m != "" {
		return m
	}
	return strings.ToUpper(strings.TrimSpace(model))
}

// modelError is phone.ErrUnknownModel with its sentence, which names the model
// and what to do, and is shown to the person as it is.
type modelError struct{ msg string }

func (e *modelError) Error() string        { return e.msg }
func (e *modelError) Is(target error) bool { return target == phone.ErrUnknownModel }

// LEDNumber is the light number of function key key (P1 = 1) on model.
func LEDNumber(model string, key int) (int, error) {
	m := NormalModel(model)
	if m == "" {
		return 0, &modelError{fmt.Sprintf("the phone did not say its model; set phone.model (one of %s) so that dialbridge knows which light belongs to which key", strings.Join(LEDModels(), ", "))}
	}
	off, ok := ledOffsets[m]
	if !ok {
		return 0, &modelError{fmt.Sprintf("dialbridge does not know which light belongs to which key on a Snom %s (it knows %s), so it leaves the lights alone", m, strings.Join(LEDModels(), ", "))}
	}
	return key - 1 + off, nil
}

// LEDScreen is the minibrowser screen that sets the lights: one LED element
// per light, numbered for model, and a fetch of snom://mb_exit a
// millisecond later, which closes the screen again so the person sees at
// most a flash of it.
func LEDScreen(model string, lights []phone.KeyLight) (string, error) {
	var b strings.Builder
	b.WriteString("<SnomIPPhoneText><Text>dialbridge</Text>")
	for _, l := range lights {
		n, err := LEDNumber(model, l.Key)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, `<LED number="%d"`, n)
		if l.Color != "" {
			fmt.Fprintf(&b, ` color="%s"`, display.XML(l.Color))
		}
		fmt.Fprintf(&b, ">%s</LED>", display.XML(string(l.Light)))
	}
	b.WriteString(`<fetch mil="1">snom://mb_exit</fetch></SnomIPPhoneText>`)
	return b.String(), nil
}

// SetLEDs sets the key lights: serve publishes the screen that sets them
// on dialbridge's phone-event path, and the phone fetches it through its
// minibrowser, the way to set a light over plain HTTP.
func (d *Driver) SetLEDs(ctx context.Context, model string, lights []phone.KeyLight, serve func(document string) string) error {
	doc, err := LEDScreen(model, lights)
	if err != nil {
		return err
	}
	return d.fetchScreen(ctx, "set its key lights", serve(doc))
}

// fetchScreen makes the phone fetch u through its minibrowser and show
// it: the one way a program makes a Snom phone show a screen over plain
// HTTP (a text, the key lights, the firewall test).
func (d *Driver) fetchScreen(ctx context.Context, op, u string) error {
	return d.page(ctx, op, minibrowserPath, url.Values{"url": {u}}, nil)
}

// Model asks the phone for its model: its start page names it in the
// login realm or the page title ("snom D785").
func (d *Driver) Model(ctx context.Context) (string, error) {
	return ReadModel(ctx, d.Client)
}

// ReadModel reads the model of the Snom phone c talks to from its start
// page (its login realm, Server header or title, "snom D785"), for this
// driver and the CSTA one (the same web server).
func ReadModel(ctx context.Context, c *phonehttp.Client) (string, error) {
	res, err := c.Get(ctx, "show its start page", "/", nil)
	if err != nil {
		return "", err
	}
	texts := append(res.Header.Values("WWW-Authenticate"), res.Header.Values("Server")...)
	// Only the page's title: the rest of a page holds words that read
	// like models.
	if _, rest, ok := strings.Cut(string(res.Body), "<title>"); ok {
		title, _, _ := strings.Cut(rest, "</title>")
		texts = append(texts, title)
	}
	if m := phone.ModelOf(strings.Join(texts, " ")); m != "" {
		return m, nil
	}
	return "", c.ErrorDetail(phone.ErrProtocol, "show its start page", res.Status, "its start page names no model")
}
