package outreach

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"

	qr "github.com/piglig/go-qr"
)

// QR is the QR code of a link, to draw as PNG or SVG.
//
// The encoding is github.com/piglig/go-qr (a maintained, dependency-free QR Code
// Model 2 encoder: all versions and error correction levels, tested against golden
// output); the drawing is done here, so the PNG and the SVG are the same modules with
// the same quiet zone.
type QR struct {
	code *qr.QrCode
}

// quiet is the quiet zone around the code, in modules: 4, as ISO/IEC 18004 asks.
const quiet = 4

// NewQR encodes link at error correction level Q (a quarter of the code can be
// creased, stained or torn and it still scans: printed cards are carried in pockets).
func NewQR(link string) (*QR, error) {
	c, err := qr.EncodeText(link, qr.Quartile)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return &QR{code: c}, nil
}

// Size is the width of the code in modules, quiet zone included.
func (q *QR) Size() int { return q.code.Size() + 2*quiet }

// dark tells whether the module at x, y (quiet zone included) is dark.
func (q *QR) dark(x, y int) bool {
	n := q.code.Size()
	x, y = x-quiet, y-quiet
	return x >= 0 && y >= 0 && x < n && y < n && q.code.Module(x, y)
}

// PNG draws the code with scale pixels per module, black on white, in two colours.
func (q *QR) PNG(scale int) ([]byte, error) {
	if scale < 1 {
		return nil, fmt.Errorf("qr: scale %d", scale)
	}
	side := q.Size() * scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := range q.Size() {
		for x := range q.Size() {
			if !q.dark(x, y) {
				continue
			}
			for dy := range scale {
				row := img.Pix[(y*scale+dy)*img.Stride:]
				for dx := range scale {
					row[x*scale+dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr: png: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG draws the code as one path, one unit per module, with no size of its own: it
// fills the box CSS gives it, and prints sharp at any size. title is read by screen
// readers ("WhatsApp").
func (q *QR) SVG(title string) []byte {
	var b strings.Builder
	side := strconv.Itoa(q.Size())
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + side + ` ` + side + `" shape-rendering="crispEdges" role="img">`)
	b.WriteString(`<title>` + escapeXML(title) + `</title>`)
	b.WriteString(`<rect width="` + side + `" height="` + side + `" fill="#fff"/><path fill="#000" d="`)
	for y := range q.Size() {
		for x := 0; x < q.Size(); x++ {
			if !q.dark(x, y) {
				continue
			}
			run := 1
			for x+run < q.Size() && q.dark(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}

// escapeXML escapes text for an SVG element.
func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
