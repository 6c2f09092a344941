package widget

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Logos are the images amoCRM requires in a widget archive, with their sizes.
var Logos = map[string]struct{ W, H int }{
	"logo_min.png":    {84, 84},
	"logo_medium.png": {240, 84},
	"logo_main.png":   {400, 272},
	"logo_small.png":  {108, 108},
	"logo.png":        {130, 100},
}

var (
	brand  = color.NRGBA{0x1b, 0x7f, 0xe3, 0xff}
	bubble = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// Logo draws the widget's mark — a white speech bubble with three dots on the brand blue —
// centred on a w×h canvas, anti-aliased by 4×4 supersampling, as PNG.
func Logo(w, h int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	s := math.Min(float64(w), float64(h)) // the mark is a square of side s
	cx, cy := float64(w)/2, float64(h)/2
	bg := func(x, y float64) bool { return inRoundRect(x, y, 0, 0, float64(w), float64(h), s*0.18) }
	// The bubble: a rounded rectangle with a tail at its bottom left.
	bw, bh := s*0.62, s*0.42
	bx, by := cx-bw/2, cy-bh/2-s*0.05
	fg := func(x, y float64) bool {
		if inRoundRect(x, y, bx, by, bx+bw, by+bh, s*0.1) {
			dot := s * 0.045
			for i := -1; i <= 1; i++ {
				if math.Hypot(x-(cx+float64(i)*s*0.15), y-(by+bh/2)) < dot {
					return false
				}
			}
			return true
		}
		return inTriangle(x, y, bx+bw*0.2, by+bh-1, bx+bw*0.42, by+bh-1, bx+bw*0.14, by+bh+s*0.16)
	}
	const n = 4
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			var inBG, inFG int
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					x, y := float64(px)+(float64(sx)+0.5)/n, float64(py)+(float64(sy)+0.5)/n
					if bg(x, y) {
						inBG++
						if fg(x, y) {
							inFG++
						}
					}
				}
			}
			img.SetNRGBA(px, py, blend(inBG, inFG, n*n))
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// blend mixes the brand blue and white by coverage, with alpha for the rounded corners.
func blend(inBG, inFG, total int) color.NRGBA {
	if inBG == 0 {
		return color.NRGBA{}
	}
	f := float64(inFG) / float64(inBG)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-f) + float64(b)*f)) }
	return color.NRGBA{mix(brand.R, bubble.R), mix(brand.G, bubble.G), mix(brand.B, bubble.B),
		uint8(math.Round(255 * float64(inBG) / float64(total)))}
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}

func inTriangle(x, y, ax, ay, bx, by, cx, cy float64) bool {
	side := func(px, py, qx, qy float64) float64 { return (x-qx)*(py-qy) - (px-qx)*(y-qy) }
	d1, d2, d3 := side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}
