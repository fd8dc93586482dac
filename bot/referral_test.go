package bot_test

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/flows/flowstest"
)

func TestParseReferral(t *testing.T) {
	cases := []struct {
		text, rest, code string
		ok               bool
	}{
		{"Hola (ref sjm)", "Hola", "sjm", true},
		{"Hello (ref rtp)", "Hello", "rtp", true},
		{"Olá (ref A_b-9)", "Olá", "A_b-9", true},
		{"hola (REF: sjm) ", "hola", "sjm", true},
		{"Hola(ref sjm)", "Hola", "sjm", true},
		{"Hola ( ref  sjm )", "Hola", "sjm", true},
		{"(ref sjm)", "", "sjm", true},
		{"Hola 👋 (ref sjm)", "Hola 👋", "sjm", true},
		{"Hola", "Hola", "", false},
		{"Hola (ref s jm)", "Hola (ref s jm)", "", false},
		{"Hola (ref sjm) y algo más", "Hola (ref sjm) y algo más", "", false},
		{"Hola (referencia sjm)", "Hola (referencia sjm)", "", false},
		{"Hola (ref " + strings.Repeat("x", 65) + ")", "Hola (ref " + strings.Repeat("x", 65) + ")", "", false},
		{"me pegó (sjm)", "me pegó (sjm)", "", false},
	}
	for _, tc := range cases {
		rest, code, ok := bot.ParseReferral(tc.text)
		if rest != tc.rest || code != tc.code || ok != tc.ok {
			t.Errorf("ParseReferral(%q) = %q, %q, %v; want %q, %q, %v", tc.text, rest, code, ok, tc.rest, tc.code, tc.ok)
		}
	}
	for _, greeting := range []string{"Hola", "Hello", "Olá", " Hola 👋 "} {
		rest, code, ok := bot.ParseReferral(bot.ReferralText(greeting, "sjm"))
		if !ok || code != "sjm" || rest != strings.TrimSpace(greeting) {
			t.Errorf("ReferralText(%q) does not read back: %q, %q, %v", greeting, rest, code, ok)
		}
	}
}

// recorder keeps the last session each user's commit saved.
type recorder struct {
	session.Store
	mu   sync.Mutex
	orgs map[string]string // user key -> Org saved
}

func (r *recorder) Commit(ctx context.Context, key string, ch session.Change) (session.Result, error) {
	res, err := r.Store.Commit(ctx, key, ch)
	if err == nil && !res.Dup && !res.Conflict {
		r.mu.Lock()
		r.orgs[key] = ch.Next.Org
		r.mu.Unlock()
	}
	return res, err
}

func (r *recorder) org(channel, address string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.orgs[store.UserKey(secret, channel, address)]
}

// TestReferralBothChannelsSameOrg: a Telegram deep link and a WhatsApp click-to-chat
// greeting of the same organization, parsed by each channel's ingress, leave the same
// code in the session (as the data writes it), and no reply says the code back.
func TestReferralBothChannelsSameOrg(t *testing.T) {
	c, closeRedis, err := store.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeRedis)
	rec := &recorder{Store: session.NewRedis(c, session.Options{}), orgs: map[string]string{}}
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	const code = "Zq7_x" // as the data writes it; links may carry it in any case
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: rec, Secret: secret,
		Logger: slog.New(slog.DiscardHandler),
		Now:    func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) },
		OrgCode: func(c string) (string, bool) {
			return code, strings.EqualFold(c, code)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	handle := func(in bot.Inbound) []bot.Outbound {
		t.Helper()
		out, err := conv.Handle(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 {
			t.Fatalf("no reply to %+v", in)
		}
		for _, o := range out {
			if strings.Contains(strings.ToLower(bot.NumberedText(o)), strings.ToLower(code)) {
				t.Errorf("a reply says the code back: %q", o.Text)
			}
		}
		return out
	}

	// Telegram: t.me/<bot>?start=Zq7_x sends "/start Zq7_x".
	upd := &models.Update{ID: 1, Message: &models.Message{
		ID: 1, Text: "/start " + code, Chat: models.Chat{ID: 4242, Type: models.ChatTypePrivate},
		From: &models.User{ID: 4242, LanguageCode: "es"},
	}}
	p := telegram.ParseUpdate(upd, now)
	if !p.OK || p.In.StartCode != code {
		t.Fatalf("telegram: %+v", p)
	}
	handle(p.In)
	tg := rec.org(bot.ChannelTelegram, "4242")

	// WhatsApp: wa.me/<number>?text=Hola (ref zq7_x) sends that greeting.
	form := url.Values{"From": {"whatsapp:" + phone}, "MessageSid": {"SM1"}, "Body": {bot.ReferralText("Hola", strings.ToLower(code))}}
	in, ok := whatsapp.ParseForm(form, now)
	if !ok || in.StartCode != strings.ToLower(code) || in.Text != "Hola" {
		t.Fatalf("whatsapp: %+v", in)
	}
	out := handle(in)
	if !strings.Contains(out[0].Text, "Faro") {
		t.Errorf("the greeting should get the welcome: %q", out[0].Text)
	}
	wa := rec.org(bot.ChannelWhatsApp, phone)
	if tg != code || wa != code {
		t.Fatalf("session Org: telegram %q, whatsapp %q; want both %q", tg, wa, code)
	}

	// A later message keeps it; an unknown code does not replace it.
	form = url.Values{"From": {"whatsapp:" + phone}, "MessageSid": {"SM2"}, "Body": {"Hola (ref otra)"}}
	in, _ = whatsapp.ParseForm(form, now)
	handle(in)
	if got := rec.org(bot.ChannelWhatsApp, phone); got != code {
		t.Errorf("after an unknown code: Org %q, want %q kept", got, code)
	}

	// Only the code, the greeting deleted: a fresh start, as /start CODE.
	form = url.Values{"From": {"whatsapp:+51911111111"}, "MessageSid": {"SM3"}, "Body": {"(ref " + code + ")"}}
	in, _ = whatsapp.ParseForm(form, now)
	if !in.Start || in.Text != "" {
		t.Fatalf("only the code: %+v", in)
	}
	handle(in)
	if got := rec.org(bot.ChannelWhatsApp, "+51911111111"); got != code {
		t.Errorf("only the code: Org %q, want %q", got, code)
	}
}

// FuzzParseReferral: whatever a person writes, a code read is one a link may carry,
// the rest is the text before it, and the greeting made again reads back the same.
func FuzzParseReferral(f *testing.F) {
	for _, s := range []string{"Hola (ref sjm)", "hola", "(ref x)", "Hello, can we talk? (REF: a_b-9)", "((ref ref))", "Hola (ref \u00e1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rest, code, ok := bot.ParseReferral(text)
		if !ok {
			if rest != text || code != "" {
				t.Fatalf("no code, yet %q, %q", rest, code)
			}
			return
		}
		if !directoryCode.MatchString(code) || !strings.HasPrefix(text, rest) && !strings.HasPrefix(strings.TrimSpace(text), rest) {
			t.Fatalf("ParseReferral(%q) = %q, %q", text, rest, code)
		}
		if _, again, ok := bot.ParseReferral(bot.ReferralText(rest, code)); !ok || again != code {
			t.Fatalf("ReferralText(%q, %q) does not read back", rest, code)
		}
	})
}

var directoryCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
