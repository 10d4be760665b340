// Package iconart draws dialbridge's icons (the tray states and the app
// icon) from geometry, so that every size is rendered natively instead of
// scaled, and so that the committed PNG and ICO files can be regenerated and
// checked for staleness by a test. It uses only anti-aliased filled paths.
package iconart

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// design is the side of the square design space every shape is given in;
// a painter scales it to the pixel size it renders.
const design = 64

// kappa places the control points of a cubic Bézier that approximates a
// quarter circle.
const kappa = 0.5522847

// painter fills shapes given in design units into an RGBA image. xf, when
// set, moves every design point first (a scaling and rotation about a
// centre, with xk its scale factor): shapes built in an upright frame of
// their own can be drawn smaller and tilted.
type painter struct {
	img   *image.RGBA
	scale float64
	z     *vector.Rasterizer
	xf    func(x, y float64) (float64, float64)
	xk    float64
}

func newPainter(size int) *painter {
	return &painter{
		img:   image.NewRGBA(image.Rect(0, 0, size, size)),
		scale: float64(size) / design,
		z:     vector.NewRasterizer(size, size),
		xk:    1,
	}
}

// pt maps a design point to pixels.
func (p *painter) pt(x, y float64) (float32, float32) {
	if p.xf != nil {
		x, y = p.xf(x, y)
	}
	return float32(x * p.scale), float32(y * p.scale)
}

// fill paints what build traced, in c, over what is already there. Each
// shape is rasterised on its own so that overlapping shapes never cancel.
func (p *painter) fill(c color.NRGBA, build func()) {
	b := p.img.Bounds()
	p.z.Reset(b.Dx(), b.Dy())
	p.z.DrawOp = draw.Over
	build()
	p.z.Draw(p.img, b, image.NewUniform(c), image.Point{})
}

// circle fills a circle of radius r around (cx, cy).
func (p *painter) circle(c color.NRGBA, cx, cy, r float64) {
	p.fill(c, func() { p.circlePath(cx, cy, r) })
}

func (p *painter) circlePath(cx, cy, r float64) {
	if p.xf != nil {
		// Rotations and uniform scaling keep circles circles.
		cx, cy = p.xf(cx, cy)
		r *= p.xk
	}
	s := p.scale
	x, y, rr := float32(cx*s), float32(cy*s), float32(r*s)
	k := rr * kappa
	p.z.MoveTo(x+rr, y)
	p.z.CubeTo(x+rr, y+k, x+k, y+rr, x, y+rr)
	p.z.CubeTo(x-k, y+rr, x-rr, y+k, x-rr, y)
	p.z.CubeTo(x-rr, y-k, x-k, y-rr, x, y-rr)
	p.z.CubeTo(x+k, y-rr, x+rr, y-k, x+rr, y)
	p.z.ClosePath()
}

// polygon fills the closed polygon through pts (x0, y0, x1, y1, ...).
func (p *painter) polygon(c color.NRGBA, pts ...float64) {
	p.fill(c, func() { p.polygonPath(pts) })
}

func (p *painter) polygonPath(pts []float64) {
	p.z.MoveTo(p.pt(pts[0], pts[1]))
	for i := 2; i+1 < len(pts); i += 2 {
		p.z.LineTo(p.pt(pts[i], pts[i+1]))
	}
	p.z.ClosePath()
}

// capsule fills a bar of half-width r from (x0, y0) to (x1, y1) with round
// ends: a thick line.
func (p *painter) capsule(c color.NRGBA, x0, y0, x1, y1, r float64) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l > 0 {
		nx, ny := -dy/l*r, dx/l*r
		p.polygon(c, x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny)
	}
	p.circle(c, x0, y0, r)
	p.circle(c, x1, y1, r)
}

// arc fills a band of width w along the circle of radius r around
// (cx, cy), from angle a0 to a1 (radians, clockwise on screen), with round
// ends.
func (p *painter) arc(c color.NRGBA, cx, cy, r, w, a0, a1 float64) {
	const steps = 48
	pts := make([]float64, 0, 4*(steps+1))
	for i := 0; i <= steps; i++ {
		a := a0 + (a1-a0)*float64(i)/steps
		pts = append(pts, cx+(r+w/2)*math.Cos(a), cy+(r+w/2)*math.Sin(a))
	}
	for i := steps; i >= 0; i-- {
		a := a0 + (a1-a0)*float64(i)/steps
		pts = append(pts, cx+(r-w/2)*math.Cos(a), cy+(r-w/2)*math.Sin(a))
	}
	p.polygon(c, pts...)
	p.circle(c, cx+r*math.Cos(a0), cy+r*math.Sin(a0), w/2)
	p.circle(c, cx+r*math.Cos(a1), cy+r*math.Sin(a1), w/2)
}

// roundRect fills the rectangle (x, y, w, h) with corners of radius r.
func (p *painter) roundRect(c color.NRGBA, x, y, w, h, r float64) {
	p.fill(c, func() {
		k := r * (1 - kappa)
		p.z.MoveTo(p.pt(x+r, y))
		p.z.LineTo(p.pt(x+w-r, y))
		p.cubeTo(x+w-k, y, x+w, y+k, x+w, y+r)
		p.z.LineTo(p.pt(x+w, y+h-r))
		p.cubeTo(x+w, y+h-k, x+w-k, y+h, x+w-r, y+h)
		p.z.LineTo(p.pt(x+r, y+h))
		p.cubeTo(x+k, y+h, x, y+h-k, x, y+h-r)
		p.z.LineTo(p.pt(x, y+r))
		p.cubeTo(x, y+k, x+k, y, x+r, y)
		p.z.ClosePath()
	})
}

func (p *painter) cubeTo(bx, by, cx, cy, dx, dy float64) {
	x1, y1 := p.pt(bx, by)
	x2, y2 := p.pt(cx, cy)
	x3, y3 := p.pt(dx, dy)
	p.z.CubeTo(x1, y1, x2, y2, x3, y3)
}

// place sets the painter's transform: a local frame whose origin lands on
// (cx, cy), scaled by k and turned by deg degrees (clockwise on screen). It
// returns a function that restores the previous transform.
func (p *painter) place(cx, cy, k, deg float64) (restore func()) {
	oldXF, oldXK := p.xf, p.xk
	s, c := math.Sincos(deg * math.Pi / 180)
	p.xf = func(x, y float64) (float64, float64) {
		x, y = x*k, y*k
		return cx + x*c - y*s, cy + x*s + y*c
	}
	p.xk = k
	return func() { p.xf, p.xk = oldXF, oldXK }
}

// verticalGradient paints the whole image from top to bottom color under
// the alpha of mask (the image's current coverage).
func verticalGradient(img *image.RGBA, top, bottom color.NRGBA) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		t := float64(y-b.Min.Y) / float64(max(1, b.Dy()-1))
		mix := func(a, b uint8) float64 { return float64(a)*(1-t) + float64(b)*t }
		for x := b.Min.X; x < b.Max.X; x++ {
			i := img.PixOffset(x, y)
			a := float64(img.Pix[i+3]) / 255
			// Premultiplied RGBA: scale the color by the coverage.
			img.Pix[i+0] = uint8(math.Round(mix(top.R, bottom.R) * a))
			img.Pix[i+1] = uint8(math.Round(mix(top.G, bottom.G) * a))
			img.Pix[i+2] = uint8(math.Round(mix(top.B, bottom.B) * a))
		}
	}
}
