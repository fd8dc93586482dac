package outreach_test

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/faro-chat/faro/bot/browsertest"
)

// pdfPage is a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// mediaBox is a PDF page's size in points.
var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// TestFlyerInChromium renders each language's flyer in headless Chromium: four A6
// cards a sheet, every card's text within its card, the QR codes as drawn on screen
// read back to the links; the screenshot and the PDF (A4, two pages: outsides, then
// insides) are written to the screenshot folder.
func TestFlyerInChromium(t *testing.T) {
	m := maker(t)
	o := orgs(t)[0]
	l, err := m.Links(o)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string][]byte{}
	for _, lang := range m.Langs() {
		if pages["/"+lang], err = m.Flyer(l, lang); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(p)
	}))
	t.Cleanup(srv.Close)

	b := browsertest.Start(t)
	for _, lang := range m.Langs() {
		tab := b.Tab(t, "flyer-"+lang, browsertest.Laptop)
		tab.Go(srv.URL + "/" + lang)
		tab.WaitCount("#outside .card", 4)
		tab.WaitCount("#inside .card", 4)
		// An A6 card is 105 mm wide: 396.85 CSS pixels.
		if w := browsertest.Eval[float64](tab, `document.querySelector('.card').getBoundingClientRect().width`); math.Abs(w-396.85) > 1 {
			t.Errorf("%s: card %.1f px wide, want 105 mm (396.85 px)", lang, w)
		}
		overflow := browsertest.Eval[int](tab, `[...document.querySelectorAll('.card, .card *')].filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).length`)
		if overflow != 0 {
			t.Errorf("%s: %d elements of the cards overflow: the text does not fit an A6 card", lang, overflow)
		}
		for i, want := range []string{l.WhatsApp[lang], l.Telegram} {
			shot := tab.ElementScreenshot(`#outside .card:first-child .code:nth-child(`+string(rune('1'+i))+`) svg`, 1)
			if got := decodePNG(t, shot); got != want {
				t.Errorf("%s: QR code %d on screen reads %q, want %q", lang, i+1, got, want)
			}
		}
		tab.Screenshot("flyer-" + lang)
		_, pdf := tab.PDF("flyer-" + lang)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", lang)
		}
		if n := len(pdfPage.FindAll(pdf, -1)); n != 2 {
			t.Errorf("%s: PDF has %d pages, want 2 (outsides, insides)", lang, n)
		}
		boxes := mediaBox.FindAllSubmatch(pdf, -1)
		if len(boxes) == 0 {
			t.Errorf("%s: no page size in the PDF", lang)
		}
		for _, box := range boxes {
			w, _ := strconv.ParseFloat(string(box[1]), 64)
			h, _ := strconv.ParseFloat(string(box[2]), 64)
			if math.Abs(w-595.3) > 2 || math.Abs(h-841.9) > 2 { // A4 in points
				t.Errorf("%s: PDF page %.1f × %.1f pt, want A4 (595.3 × 841.9)", lang, w, h)
			}
		}
		tab.NoProblems()
	}
}
