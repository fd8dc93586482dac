package outreach

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
)

//go:embed flyer.html.tmpl
var flyerHTML string

// flyerTmpl is the flyer page; "t" is bound to the language of each render.
var flyerTmpl = template.Must(template.New("flyer").Funcs(template.FuncMap{"t": func(string) string { return "" }}).Parse(flyerHTML))

// cardsPerSheet is how many A6 cards an A4 sheet holds (2 × 2).
const cardsPerSheet = 4

// flyerCode is one QR code of the flyer.
type flyerCode struct {
	Label string
	Link  string // what it encodes
	Short string // what to type without a camera
	SVG   template.HTML
}

// Flyer is l's printable flyer in lang, one self-contained HTML page (its QR codes
// inline, no request made): an A4 sheet of four A6 cards' outsides, then one of
// their insides, for double-sided printing; cut lines around each card. The outside
// has the name, a line, the QR codes and their apps' names: nothing on it says what
// the service is about, and no organization is named anywhere.
func (m *Maker) Flyer(l Links, lang string) ([]byte, error) {
	if !slices.Contains(m.Langs(), lang) {
		return nil, fmt.Errorf("outreach: no flyer texts in %q (have %v)", lang, m.Langs())
	}
	var codes []flyerCode
	add := func(labelKey, link, short string) error {
		if link == "" {
			return nil
		}
		q, err := NewQR(link)
		if err != nil {
			return fmt.Errorf("outreach: %s of %s: %w", labelKey, l.Org.ID, err)
		}
		label := m.texts.Raw(lang, labelKey)
		codes = append(codes, flyerCode{Label: label, Link: link, Short: short, SVG: template.HTML(q.SVG(label))}) //nolint:gosec // drawn by QR.SVG, title escaped
		return nil
	}
	if err := add("front.whatsapp", l.WhatsApp[lang], l.WhatsAppShort); err != nil {
		return nil, err
	}
	if err := add("front.telegram", l.Telegram, l.TelegramShort); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("outreach: %s has no link", l.Org.ID)
	}
	t, err := flyerTmpl.Clone()
	if err != nil {
		return nil, fmt.Errorf("outreach: flyer template: %w", err)
	}
	t.Funcs(template.FuncMap{"t": func(key string) string { return m.texts.Raw(lang, key) }})
	var buf bytes.Buffer
	data := struct {
		Lang  string
		Codes []flyerCode
		Cards []int
	}{lang, codes, make([]int, cardsPerSheet)}
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("outreach: flyer: %w", err)
	}
	return buf.Bytes(), nil
}
