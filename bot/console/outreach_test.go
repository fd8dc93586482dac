package console

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/outreach"
)

// TestOutreachPage: a coordinator sees each organization's code and links and
// downloads its flyers and QR codes; an operator does not see the page; without the
// bot's addresses the page says what to configure.
func TestOutreachPage(t *testing.T) {
	f := newFixture(t)
	coordPW := f.account("coord", RoleCoordinator)
	opPW := f.account("ana", RoleOperator)
	coord := f.browser()
	coord.mustLogin("coord", coordPW)

	r := coord.do(http.MethodGet, "/operator/outreach", nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, "FARO_TELEGRAM_BOT_USERNAME") {
		t.Fatalf("without the bot's addresses: %d\n%s", r.status, r.body)
	}

	m, err := outreach.New(outreach.Options{TelegramBot: "FaroPeruBot", WhatsAppNumber: "+51987654321"})
	if err != nil {
		t.Fatal(err)
	}
	f.console.cfg.Outreach = m
	f.console.cfg.Orgs = loadContent(t).Directory.Orgs()
	r = coord.do(http.MethodGet, "/operator/outreach", nil)
	for _, want := range []string{"Encuentros", "https://t.me/FaroPeruBot?start=sjm", "/operator/outreach/encuentros-sjm/flyer-es.html", "/operator/outreach/encuentros-sjm/qr-telegram.png"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	r = coord.do(http.MethodGet, "/operator/outreach/encuentros-sjm/flyer-es.html", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="faro-encuentros-sjm-flyer-es.html"`) ||
		!strings.Contains(r.body, `id="outside"`) {
		t.Errorf("flyer: %d %v", r.status, r.header)
	}
	r = coord.do(http.MethodGet, "/operator/outreach/encuentros-sjm/qr-telegram.png", nil)
	if _, err := png.Decode(bytes.NewReader([]byte(r.body))); r.status != http.StatusOK || err != nil {
		t.Errorf("QR code: %d, %v", r.status, err)
	}
	for _, path := range []string{"/operator/outreach/nope/flyer-es.html", "/operator/outreach/encuentros-sjm/..%2fx", "/operator/outreach/encuentros-sjm/flyer-fr.html"} {
		if r := coord.do(http.MethodGet, path, nil); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}

	op := f.browser()
	op.mustLogin("ana", opPW)
	if r := op.do(http.MethodGet, "/operator/outreach", nil); r.status == http.StatusOK {
		t.Error("an operator should not see the coordinators' outreach page")
	}
	if r := op.do(http.MethodGet, "/operator/outreach/encuentros-sjm/flyer-es.html", nil); r.status == http.StatusOK {
		t.Error("an operator should not download the flyers")
	}
}
