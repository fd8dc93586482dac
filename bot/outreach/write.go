package outreach

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/faro-chat/faro/directory"
)

// qrScale is the PNG's pixels per module: about 400 px for a link, sharp printed at
// 4 cm and light to send by phone.
const qrScale = 10

// Write writes, under dir, for each organization a folder named by its id with
//
//	links.txt               its code and links
//	qr-telegram.png, .svg   the QR code of the Telegram deep link
//	qr-whatsapp-LANG.png, .svg  the QR code of the WhatsApp link, greeting in LANG
//	flyer-LANG.html         the printable flyer in LANG (see Flyer)
//
// and links.csv, a row per organization, for a spreadsheet. langs limits the
// languages (nil: every language of the flyer's locales). It returns the files
// written, relative to dir.
func (m *Maker) Write(ctx context.Context, dir string, orgs []directory.Org, langs []string) ([]string, error) {
	if len(langs) == 0 {
		langs = m.Langs()
	}
	for _, lang := range langs {
		if !m.texts.Has(lang, "front.tagline") {
			return nil, fmt.Errorf("outreach: no flyer texts in %q (have %v)", lang, m.Langs())
		}
	}
	var written []string
	put := func(name string, data []byte) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("outreach: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("outreach: %w", err)
		}
		written = append(written, name)
		return nil
	}
	var table bytes.Buffer
	w := csv.NewWriter(&table)
	head := []string{"id", "name", "code", "telegram"}
	for _, lang := range langs {
		head = append(head, "whatsapp_"+lang)
	}
	_ = w.Write(head)
	for _, o := range orgs {
		if err := ctx.Err(); err != nil {
			return written, fmt.Errorf("outreach: %w", err)
		}
		l, err := m.Links(o)
		if err != nil {
			return written, err
		}
		files, err := m.Files(l, langs)
		if err != nil {
			return written, err
		}
		for _, f := range files {
			if err := put(filepath.Join(o.ID, f.Name), f.Data); err != nil {
				return written, err
			}
		}
		row := []string{o.ID, cell(o.Name), o.Code, l.Telegram}
		for _, lang := range langs {
			row = append(row, l.WhatsApp[lang])
		}
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return written, fmt.Errorf("outreach: links.csv: %w", err)
	}
	return written, put("links.csv", table.Bytes())
}

// File is one file of an organization's folder (see Write).
type File struct {
	Name string // "flyer-es.html"
	Data []byte
}

// FileNames returns the names of the files Files makes for l, in the same order,
// without making them (encoding the QR codes and the flyers is what costs).
func (m *Maker) FileNames(l Links, langs []string) []string {
	if len(langs) == 0 {
		langs = m.Langs()
	}
	names := []string{"links.txt"}
	if l.Telegram != "" {
		names = append(names, "qr-telegram.png", "qr-telegram.svg")
	}
	for _, lang := range langs {
		if l.WhatsApp[lang] != "" {
			names = append(names, "qr-whatsapp-"+lang+".png", "qr-whatsapp-"+lang+".svg")
		}
	}
	for _, lang := range langs {
		names = append(names, "flyer-"+lang+".html")
	}
	return names
}

// Files makes l's files (see Write), in langs (nil: every language of the flyer).
func (m *Maker) Files(l Links, langs []string) ([]File, error) {
	if len(langs) == 0 {
		langs = m.Langs()
	}
	var out []File
	var txt strings.Builder
	fmt.Fprintf(&txt, "%s\ncode: %s\n", l.Org.Name, l.Org.Code)
	qrFiles := func(name, link string) error {
		q, err := NewQR(link)
		if err != nil {
			return fmt.Errorf("outreach: %s of %s: %w", name, l.Org.ID, err)
		}
		p, err := q.PNG(qrScale)
		if err != nil {
			return fmt.Errorf("outreach: %s of %s: %w", name, l.Org.ID, err)
		}
		out = append(out, File{name + ".png", p}, File{name + ".svg", q.SVG(link)})
		return nil
	}
	if l.Telegram != "" {
		fmt.Fprintf(&txt, "telegram: %s\n", l.Telegram)
		if err := qrFiles("qr-telegram", l.Telegram); err != nil {
			return nil, err
		}
	}
	for _, lang := range langs {
		if link := l.WhatsApp[lang]; link != "" {
			fmt.Fprintf(&txt, "whatsapp (%s): %s\n", lang, link)
			if err := qrFiles("qr-whatsapp-"+lang, link); err != nil {
				return nil, err
			}
		}
	}
	for _, lang := range langs {
		h, err := m.Flyer(l, lang)
		if err != nil {
			return nil, err
		}
		out = append(out, File{"flyer-" + lang + ".html", h})
	}
	return append([]File{{"links.txt", []byte(txt.String())}}, out...), nil
}

// cell keeps a spreadsheet from running a name as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
