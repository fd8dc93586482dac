package outreach_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/outreach"
	"github.com/faro-chat/faro/directory"
)

var opts = outreach.Options{TelegramBot: "@FaroPeruBot", WhatsAppNumber: "whatsapp:+51 987 654 321"}

func maker(t testing.TB) *outreach.Maker {
	t.Helper()
	m, err := outreach.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func orgs(t testing.TB) []directory.Org {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d.Orgs()
}

// decode reads a QR code in a picture with ZXing's decoder (an implementation
// independent of the encoder), as a phone's camera app would.
func decode(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code read: %v", err)
	}
	return res.GetText()
}

// decodePNG reads the QR code of a PNG.
func decodePNG(t testing.TB, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, img)
}

func TestLinks(t *testing.T) {
	m := maker(t)
	o := directory.Org{ID: "x", Name: "X", Code: "sjm"}
	l, err := m.Links(o)
	if err != nil {
		t.Fatal(err)
	}
	if l.Telegram != "https://t.me/FaroPeruBot?start=sjm" {
		t.Errorf("telegram: %s", l.Telegram)
	}
	for _, lang := range []string{"es", "en", "pt"} {
		link := l.WhatsApp[lang]
		u, err := url.Parse(link)
		if err != nil || u.Host != "wa.me" || u.Path != "/51987654321" {
			t.Fatalf("whatsapp %s: %s (%v)", lang, link, err)
		}
		if strings.Contains(link, "+") {
			t.Errorf("whatsapp %s: %s: spaces must be %%20", lang, link)
		}
		text := u.Query().Get("text")
		rest, code, ok := bot.ParseReferral(text)
		if !ok || code != "sjm" || rest == "" || len(text) > 40 {
			t.Errorf("whatsapp %s: greeting %q: want a short greeting the bot reads the code of", lang, text)
		}
	}
	if l.WhatsApp["es"] != "https://wa.me/51987654321?text=Hola%20%28ref%20sjm%29" {
		t.Errorf("whatsapp es: %s", l.WhatsApp["es"])
	}
	if _, err := m.Links(directory.Org{ID: "y", Code: "no spaces"}); err == nil {
		t.Error("a code that cannot be in a link should be refused")
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, o := range []outreach.Options{
		{},
		{TelegramBot: "Faro Bot"},
		{TelegramBot: "faro"}, // not ending in bot
		{WhatsAppNumber: "987"},
		{WhatsAppNumber: "whatsapp:+51abc"},
	} {
		if _, err := outreach.New(o); err == nil {
			t.Errorf("New(%+v): want an error", o)
		}
	}
	m, err := outreach.New(outreach.Options{WhatsAppNumber: "+51987654321"})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := m.Links(directory.Org{ID: "x", Code: "x"})
	if l.Telegram != "" || l.WhatsApp["es"] == "" {
		t.Errorf("WhatsApp only: %+v", l)
	}
}

// TestQRDecodesToTheLink: the PNG of every organization's links reads back to the
// link; the SVG is well-formed and draws the same number of modules.
func TestQRDecodesToTheLink(t *testing.T) {
	m := maker(t)
	for _, o := range orgs(t) {
		l, err := m.Links(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, link := range []string{l.Telegram, l.WhatsApp["es"], l.WhatsApp["en"], l.WhatsApp["pt"]} {
			q, err := outreach.NewQR(link)
			if err != nil {
				t.Fatal(err)
			}
			p, err := q.PNG(4)
			if err != nil {
				t.Fatal(err)
			}
			if got := decodePNG(t, p); got != link {
				t.Errorf("%s: PNG reads %q, want %q", o.ID, got, link)
			}
			svg := q.SVG("WhatsApp")
			if err := xml.Unmarshal(svg, new(struct{})); err != nil {
				t.Errorf("%s: SVG not well-formed: %v", o.ID, err)
			}
			if want := `viewBox="0 0 ` + strconv.Itoa(q.Size()) + " " + strconv.Itoa(q.Size()) + `"`; !bytes.Contains(svg, []byte(want)) {
				t.Errorf("%s: SVG: want %s", o.ID, want)
			}
		}
	}
}

// revealing are words that tell what the service is about, in the flyer's languages:
// none may be on its outside.
var revealing = regexp.MustCompile(`(?i)sex|trabaj|work|violen|emergen|peligro|danger|perigo|auxilio|socorro|help|ayuda|ajuda|trata|traffick|tráfico|vih|hiv|\bits\b|abus|polic|derech|rights|direit|migra|refug|víctima|victim|vítima|denuncia|golpe|salud|health|saúde`)

// TestFlyerOutsideIsDiscreet: the outside of every card, in every language, has no
// word that says what the service is about, and no organization is named on the
// flyer; the inside has every sentence of the card.
func TestFlyerOutsideIsDiscreet(t *testing.T) {
	m := maker(t)
	for _, o := range orgs(t) {
		l, _ := m.Links(o)
		for _, lang := range m.Langs() {
			h, err := m.Flyer(l, lang)
			if err != nil {
				t.Fatal(err)
			}
			page := string(h)
			outside := between(t, page, `id="outside"`, `</section>`)
			text := visibleText(outside)
			if !strings.Contains(text, "Faro") || len(text) < 40 {
				t.Fatalf("%s %s: the outside's text not found: %q", o.ID, lang, text)
			}
			if w := revealing.FindString(text); w != "" {
				t.Errorf("%s %s: the outside says %q: %q", o.ID, lang, w, text)
			}
			if strings.Contains(page, o.Name) || strings.Contains(page, o.ID) {
				t.Errorf("%s %s: the flyer names the organization", o.ID, lang)
			}
			if n := strings.Count(outside, `class="card front"`); n != 4 {
				t.Errorf("%s %s: %d cards outside, want 4", o.ID, lang, n)
			}
			if !strings.Contains(page, `lang="`+lang+`"`) {
				t.Errorf("%s %s: no lang attribute", o.ID, lang)
			}
		}
	}
}

func between(t testing.TB, s, from, to string) string {
	t.Helper()
	_, after, ok := strings.Cut(s, from)
	if !ok {
		t.Fatalf("no %s", from)
	}
	in, _, _ := strings.Cut(after, to)
	return in
}

// visibleText is the text of an HTML fragment without its tags, attributes, styles and
// SVG titles (a screen reader's "WhatsApp").
func visibleText(h string) string {
	h = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`).ReplaceAllString(h, " ")
	return strings.Join(strings.Fields(h), " ")
}

func TestWrite(t *testing.T) {
	m := maker(t)
	dir := t.TempDir()
	all := orgs(t)
	files, err := m.Write(context.Background(), dir, all[:1], []string{"es", "en"})
	if err != nil {
		t.Fatal(err)
	}
	id := all[0].ID
	for _, want := range []string{"links.csv", id + "/links.txt", id + "/qr-telegram.png", id + "/qr-telegram.svg",
		id + "/qr-whatsapp-es.png", id + "/qr-whatsapp-en.svg", id + "/flyer-es.html", id + "/flyer-en.html"} {
		if !contains(files, filepath.FromSlash(want)) {
			t.Errorf("%s not written (%v)", want, files)
		}
	}
	if contains(files, filepath.FromSlash(id+"/flyer-pt.html")) {
		t.Error("pt was not asked for")
	}
	l, _ := m.Links(all[0])
	p, err := os.ReadFile(filepath.Join(dir, id, "qr-whatsapp-es.png"))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodePNG(t, p); got != l.WhatsApp["es"] {
		t.Errorf("qr-whatsapp-es.png reads %q, want %q", got, l.WhatsApp["es"])
	}
	if _, err := m.Write(context.Background(), dir, all, []string{"fr"}); err == nil {
		t.Error("a language without texts should be refused")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Write(ctx, t.TempDir(), all, nil); err == nil {
		t.Error("a cancelled context should stop the writing")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestFileNamesAreTheFiles: the names the console lists without making the files are
// those Files makes, in its order, with a Telegram link or without, for every language
// or one.
func TestFileNamesAreTheFiles(t *testing.T) {
	m := maker(t)
	l, err := m.Links(directory.Org{ID: "x", Name: "X", Code: "sjm"})
	if err != nil {
		t.Fatal(err)
	}
	noTelegram := l
	noTelegram.Telegram = ""
	for _, c := range []struct {
		links outreach.Links
		langs []string
	}{{l, nil}, {l, []string{"pt"}}, {noTelegram, nil}} {
		files, err := m.Files(c.links, c.langs)
		if err != nil {
			t.Fatal(err)
		}
		var made []string
		for _, f := range files {
			made = append(made, f.Name)
		}
		if got := m.FileNames(c.links, c.langs); !slices.Equal(got, made) {
			t.Errorf("langs %v, telegram %q: names %v, files %v", c.langs, c.links.Telegram, got, made)
		}
	}
}
