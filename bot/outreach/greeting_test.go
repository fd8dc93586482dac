package outreach_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/flows/content"
)

// TestGreetingOfEachFlyerIsAnsweredInItsLanguage: the person who scans the WhatsApp
// code of a flyer sends its greeting; Faro answers with its welcome in the flyer's
// language (the draft ones enabled), and never says the code.
func TestGreetingOfEachFlyerIsAnsweredInItsLanguage(t *testing.T) {
	m := maker(t)
	ct, err := content.Load(content.Sources{Enabled: m.Langs()})
	if err != nil {
		t.Fatal(err)
	}
	c, closeRedis, err := store.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeRedis)
	conv, err := bot.NewConversation(bot.Config{
		Engine: ct.Engine, Texts: ct.Texts, Store: session.NewRedis(c, session.Options{}),
		Secret: []byte("test-secret-0123456789abcdef"), Logger: slog.New(slog.DiscardHandler),
		OrgCode: ct.Directory.OrgCode,
	})
	if err != nil {
		t.Fatal(err)
	}
	o := orgs(t)[0]
	l, err := m.Links(o)
	if err != nil {
		t.Fatal(err)
	}
	for i, lang := range m.Langs() {
		u, err := url.Parse(l.WhatsApp[lang])
		if err != nil {
			t.Fatal(err)
		}
		// A Peruvian number: the language comes from the greeting, not the number.
		form := url.Values{"From": {"whatsapp:+5198765432" + string(rune('0'+i))}, "MessageSid": {"SM" + lang}, "Body": {u.Query().Get("text")}}
		in, ok := whatsapp.ParseForm(form, time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC))
		if !ok {
			t.Fatal("not a WhatsApp message")
		}
		out, err := conv.Handle(context.Background(), in)
		if err != nil || len(out) == 0 {
			t.Fatalf("%s: %v, %v", lang, out, err)
		}
		welcome, _, _ := strings.Cut(strings.TrimSpace(ct.Texts.Text(lang, "welcome.body", nil)), "\n")
		if !strings.Contains(out[0].Text, welcome) {
			t.Errorf("%s: the greeting %q is answered with %q, want the welcome in %s (%q)", lang, in.Text, firstLine(out[0].Text), lang, welcome)
		}
		if strings.Contains(bot.NumberedText(out[0]), "(ref") || strings.Contains(out[0].Text, o.Code) {
			t.Errorf("%s: the reply says the code: %q", lang, out[0].Text)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
