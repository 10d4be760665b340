package iconart

import (
	"image"
	"image/color"
	"math"
)

// Tray names one tray icon state. The names are the file names under
// assets/icons (tray-NAME.png, tray-NAME.ico).
type Tray string

// The tray states dialbridge shows.
const (
	Idle    Tray = "idle"
	Ringing Tray = "ringing"
	InCall  Tray = "incall"
	OnHold  Tray = "onhold"
	Offline Tray = "offline"
)

// TrayStates lists every tray state, in a fixed order.
func TrayStates() []Tray { return []Tray{Idle, Ringing, InCall, OnHold, Offline} }

// The palette: one strong color per state, chosen to read on light and
// dark panels alike, with the glyph always white.
var (
	white     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	blue      = color.NRGBA{0x25, 0x63, 0xeb, 0xff}
	blueLight = color.NRGBA{0x3b, 0x82, 0xf6, 0xff}
	blueDark  = color.NRGBA{0x1e, 0x40, 0xaf, 0xff}
	amber     = color.NRGBA{0xea, 0x88, 0x0c, 0xff}
	green     = color.NRGBA{0x16, 0xa3, 0x4a, 0xff}
	violet    = color.NRGBA{0x7c, 0x3a, 0xed, 0xff}
	grey      = color.NRGBA{0x6b, 0x72, 0x80, 0xff}
)

// background is each state's disc color.
func background(s Tray) color.NRGBA {
	switch s {
	case Ringing:
		return amber
	case InCall:
		return green
	case OnHold:
		return violet
	case Offline:
		return grey
	default:
		return blue
	}
}

// RenderTray draws the icon of state s at size×size pixels: a colored disc
// with a white handset, plus the state's mark (sound waves when ringing,
// speech dots in a call, pause bars on hold, a slash when offline).
func RenderTray(s Tray, size int) *image.RGBA {
	p := newPainter(size)
	bg := background(s)
	p.circle(bg, 32, 32, 31)
	small := size < 24
	switch s {
	case Ringing:
		handset(p, white, 29, 35, 0.86)
		waves(p, white, small)
	case InCall:
		handset(p, white, 29, 35, 0.86)
		// Speech: three dots where the far end's voice comes from.
		r := 3.1
		if small {
			r = 3.8
		}
		for _, x := range []float64{37, 45, 53} {
			p.circle(white, x, 19, r)
		}
	case OnHold:
		handset(p, white, 29, 35, 0.86)
		w := 4.2
		if small {
			w = 5.2
		}
		p.roundRect(white, 38, 11, w, 15, w/2)
		p.roundRect(white, 46, 11, w, 15, w/2)
	case Offline:
		handset(p, white, 29, 35, 0.86)
		bar := 2.1
		if small {
			bar = 2.7
		}
		p.capsule(white, 38, 12, 51, 25, bar)
		p.capsule(white, 51, 12, 38, 25, bar)
	default:
		handset(p, white, 32, 32, 0.95)
	}
	return p.img
}

// RenderApp draws the application icon at size×size pixels: a rounded
// blue square with a white handset and the sound waves of a phone that is
// about to ring, the picture of what dialbridge does.
func RenderApp(size int) *image.RGBA {
	p := newPainter(size)
	p.roundRect(white, 2, 2, 60, 60, 14)
	verticalGradient(p.img, blueLight, blueDark)
	handset(p, white, 29, 35, 0.9)
	waves(p, white, size < 24)
	return p.img
}

// handset draws the classic telephone receiver, earpiece at the top left
// and mouthpiece at the bottom right, centred at (cx, cy) and scaled by k.
// It is built upright (earpiece up, handle bowing left, cups facing right)
// and turned 45° anticlockwise.
func handset(p *painter, c color.NRGBA, cx, cy, k float64) {
	defer p.place(cx, cy, k, -45)()
	const (
		half  = 13.5 // from the centre to each cup
		bow   = 6.5  // how far the handle bows out
		thick = 6.6  // the handle's width
		shift = -1.5 // centres the C shape's weight
	)
	// The handle: a band along the circle through both cup centres and the
	// point of greatest bow.
	r := (half*half + bow*bow) / (2 * bow)
	a := math.Asin(half / r)
	p.arc(c, shift+r-bow, 0, r, thick, math.Pi-a, math.Pi+a)
	// The cups, slightly turned towards each other like a real receiver's.
	p.capsule(c, shift-1, -half-0.5, shift+7.5, -half+2.2, 4.9)
	p.capsule(c, shift-1, half+0.5, shift+7.5, half-2.2, 4.9)
}

// waves draws two sound waves at the top right, where a ringing phone's
// sound comes from.
func waves(p *painter, c color.NRGBA, small bool) {
	w := 3.6
	if small {
		w = 4.6
	}
	from, to := -82*math.Pi/180, -8*math.Pi/180
	p.arc(c, 30, 34, 15, w, from, to)
	if !small {
		p.arc(c, 30, 34, 23, w, from, to)
	}
}
