package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/redis/go-redis/v9"
)

// tgFrom has chat write text to s (update and message id n) and waits for a reply.
func tgFrom(t *testing.T, s *served, chat string, n int, text string) {
	t.Helper()
	before := len(sentTo(s, chat))
	tgPost(t, s, chat, n, text)
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(sentTo(s, chat)) > before }, "a reply to "+text)
}

// tgPost has chat write text to s (update and message id n).
func tgPost(t *testing.T, s *served, chat string, n int, text string) {
	t.Helper()
	body := `{"update_id":` + itoa(n) + `,"message":{"message_id":` + itoa(n) + `,"date":1767225600,"from":{"id":` + chat +
		`,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":` + chat + `,"type":"private"},"text":"` + text + `"}}`
	req, _ := http.NewRequest(http.MethodPost, s.base+telegram.WebhookPath, strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, srvTGSecret)
	if code := do(t, req); code != 200 {
		t.Fatalf("webhook %d", code)
	}
}

// sentTo lists the texts s sent to chat on Telegram (tried, delivered or not).
func sentTo(s *served, chat string) []string {
	var out []string
	for _, r := range s.tg.Requests("sendMessage") {
		if r.Form["chat_id"] == chat {
			out = append(out, r.Form["text"])
		}
	}
	return out
}

// keysLeft lists which of the person's keys (every key, the tombstone included) exist.
func keysLeft(t *testing.T, rdb redis.UniversalClient, user string) []string {
	t.Helper()
	k := store.KeysOf("", user)
	var left []string
	for _, name := range append(k.All(), k.Tombstone()) {
		if n, err := rdb.Exists(context.Background(), name).Result(); err != nil {
			t.Fatal(err)
		} else if n > 0 {
			left = append(left, name)
		}
	}
	return left
}

// sessionOf reads the session stored under user, opened with secret.
func sessionOf(t *testing.T, rdb redis.UniversalClient, secret, user string) session.Snapshot {
	t.Helper()
	raw, err := rdb.Get(context.Background(), store.KeysOf("", user).Session()).Bytes()
	if err == redis.Nil {
		return session.Snapshot{}
	} else if err != nil {
		t.Fatal(err)
	}
	return session.NewRedis(rdb, session.Options{Secret: []byte(secret)}).Decode(raw)
}

// capture is a handoff.Outbound that keeps what an operator sends.
type capture struct {
	mu   sync.Mutex
	sent []bot.Outbound
}

func (c *capture) Send(msgs ...bot.Outbound) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, msgs...)
	return nil
}

func (c *capture) Window(string) (bot.ReplyWindow, bool) { return nil, false }

// TestServeRotatesTheSecret: everything is written under secret A; then the servers
// restart with FARO_HMAC_SECRET=B and FARO_HMAC_SECRET_PREVIOUS=A. The reply A's server
// left queued in its outbox is sent; a person continues her conversation (her social
// name and her open ticket kept, now under her name under B, and nothing left under
// A's); the operator reads the ticket's transcript and reaches her; a person who erases
// while an old replica (A only) wrote her again is erased under both names. After the
// rotation window (PREVIOUS removed), a person last seen under A starts from the menu.
func TestServeRotatesTheSecret(t *testing.T) {
	redisURL := storetest.URL(t)
	rdb, err := store.Dial(redisURL, "single")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	ctx := context.Background()
	a, b := freshSecret(t), freshSecret(t)
	run := int(time.Now().UnixNano()%1e8) * 10
	instance := "rotate-test-" + itoa(run)
	dani, eva := "7301"+itoa(run%100000), "7302"+itoa(run%100000)
	words := "necesito hablar de algo privado"

	// Under A: Dani gives her name and leaves a message for the operators; Eva and
	// (on WhatsApp) Ana give theirs; a reply to Dani stays queued in the outbox.
	first := startServe(t, redisURL, "FARO_HMAC_SECRET", a, "FARO_OUTBOX", "true", "FARO_INSTANCE", instance,
		"FARO_SHUTDOWN_TIMEOUT", "300ms")
	for i, text := range []string{"hola", "me llamo Dani", "persona", "1"} {
		tgFrom(t, first, dani, run+i, text)
	}
	tgPost(t, first, dani, run+4, words) // left for the operators
	daniA, daniB := store.UserKey([]byte(a), bot.ChannelTelegram, dani), store.UserKey([]byte(b), bot.ChannelTelegram, dani)
	deskA, err := handoff.New(rdb, []byte(a), handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool {
		lines, _ := deskA.Transcript(ctx, daniA)
		return len(lines) > 0
	}, "her message left in a ticket")
	tgFrom(t, first, eva, run+10, "hola")
	tgFrom(t, first, eva, run+11, "me llamo Eva")
	for i, text := range []string{"hola", "me llamo Ana"} {
		before := len(first.tw.Requests("Messages.json"))
		if code := first.whatsapp(t, "SMrotate"+itoa(run+20+i)+"000000000000000000000", text); code != 200 {
			t.Fatalf("whatsapp webhook %d", code)
		}
		channeltest.Eventually(t, 10*time.Second, func() bool { return len(first.tw.Requests("Messages.json")) > before }, "a reply on whatsapp")
	}
	for range 20 {
		first.tg.Enqueue("sendMessage", channeltest.TelegramError(500, 0))
	}
	tgFrom(t, first, dani, run+5, "auxilio")
	first.cancel()
	first.cancel = nil
	select {
	case <-first.done: // an error saying a message was not delivered is expected
	case <-time.After(15 * time.Second):
		t.Fatal("first server did not stop")
	}

	evaA, evaB := store.UserKey([]byte(a), bot.ChannelTelegram, eva), store.UserKey([]byte(b), bot.ChannelTelegram, eva)
	anaA, anaB := store.UserKey([]byte(a), bot.ChannelWhatsApp, srvPhone), store.UserKey([]byte(b), bot.ChannelWhatsApp, srvPhone)
	if s := sessionOf(t, rdb, a, daniA); s.Session.Vars["name"] != "Dani" || s.Session.Ticket == "" {
		t.Fatalf("under A, Dani's session is %+v", s.Session)
	}

	// The rotation: B, with A as the previous secret.
	second := startServe(t, redisURL, "FARO_HMAC_SECRET", b, "FARO_HMAC_SECRET_PREVIOUS", a, "FARO_OUTBOX", "true",
		"FARO_INSTANCE", instance)
	channeltest.Eventually(t, 10*time.Second, func() bool {
		return slices.ContainsFunc(sentTo(second, dani), func(s string) bool { return strings.Contains(s, "105") })
	}, "the reply queued under A sent")

	// The console reads the ticket opened under A, before she writes again.
	desk, err := handoff.New(rdb, []byte(b), handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Previous([]byte(a)); err != nil {
		t.Fatal(err)
	}
	lines, err := desk.Transcript(ctx, daniA)
	if err != nil || !slices.ContainsFunc(lines, func(e handoff.Entry) bool { return e.Text == words }) {
		t.Fatalf("the transcript sealed under A: %v, %v", lines, err)
	}

	// Dani writes again: she is carried over to her name under B. What she writes in an
	// open chat goes to the person, with no reply from Faro: wait for it in the ticket.
	tgPost(t, second, dani, run+6, "sigo aquí")
	channeltest.Eventually(t, 10*time.Second, func() bool {
		lines, _ := desk.Transcript(ctx, daniB)
		return slices.ContainsFunc(lines, func(e handoff.Entry) bool { return e.Text == "sigo aquí" })
	}, "her new message in the ticket carried over")
	if s := sessionOf(t, rdb, b, daniB); s.Session.Vars["name"] != "Dani" || s.Session.Ticket == "" {
		t.Errorf("under B, Dani's session is %+v", s.Session)
	}
	if left := keysLeft(t, rdb, daniA); len(left) > 0 {
		t.Errorf("left under A after the carry: %v", left)
	}
	tk, err := desk.Get(ctx, daniB)
	if err != nil || !tk.Open() {
		t.Fatalf("her ticket under B: %+v, %v", tk, err)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		lines, _ = desk.Transcript(ctx, daniB)
		return slices.ContainsFunc(lines, func(e handoff.Entry) bool { return e.Text == "sigo aquí" })
	}, "her new message in the ticket carried over")
	if !slices.ContainsFunc(lines, func(e handoff.Entry) bool { return e.Text == words }) {
		t.Errorf("the transcript under B lost the message written under A: %v", lines)
	}
	queue, err := desk.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(queue, func(s handoff.Summary) bool { return s.User == daniB }) ||
		slices.ContainsFunc(queue, func(s handoff.Summary) bool { return s.User == daniA }) {
		t.Errorf("the queue does not hold her ticket under B only: %+v", queue)
	}
	out := &capture{}
	if err := desk.Claim(ctx, daniB, tk.ID, "op-rotate"); err != nil {
		t.Fatal(err)
	}
	if err := desk.Reply(ctx, out, daniB, tk.ID, "op-rotate", "m-"+itoa(run), "Hola Dani, aquí estoy"); err != nil {
		t.Fatalf("the operator's reply (address sealed under A): %v", err)
	}
	if len(out.sent) != 1 || out.sent[0].Address != dani || out.sent[0].Channel != bot.ChannelTelegram {
		t.Errorf("the operator's reply went to %+v", out.sent)
	}

	// Eva is carried over; a replica not yet restarted (A only) writes her again
	// under A; she erases on the new server: nothing is left under either name.
	tgFrom(t, second, eva, run+12, "hola")
	if s := sessionOf(t, rdb, b, evaB); s.Session.Vars["name"] != "Eva" {
		t.Errorf("under B, Eva's session is %+v", s.Session)
	}
	old := startServe(t, redisURL, "FARO_HMAC_SECRET", a)
	tgFrom(t, old, eva, run+13, "hola")
	old.stop(t)
	if len(keysLeft(t, rdb, evaA)) == 0 {
		t.Fatal("the old replica wrote nothing under A")
	}
	tgFrom(t, second, eva, run+14, "borrar")
	tgFrom(t, second, eva, run+15, "1")
	if left := storetest.Left(context.Background(), rdb, append(keysLeft(t, rdb, evaA), keysLeft(t, rdb, evaB)...)); len(left) != 0 {
		t.Errorf("left after her erase: %v", left)
	}
	second.stop(t)

	// After the window: B only. Ana, last seen under A, starts from the menu.
	third := startServe(t, redisURL, "FARO_HMAC_SECRET", b)
	before := len(third.tw.Requests("Messages.json"))
	if code := third.whatsapp(t, "SMrotate"+itoa(run+30)+"000000000000000000000", "hola"); code != 200 {
		t.Fatalf("whatsapp webhook %d", code)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(third.tw.Requests("Messages.json")) > before }, "a reply to Ana")
	reply := third.tw.Requests("Messages.json")[before].Form["Body"]
	if !strings.Contains(reply, "Soy Faro") || strings.Contains(reply, "Ana") {
		t.Errorf("after the window Ana got %q, want the welcome", reply)
	}
	if s := sessionOf(t, rdb, b, anaB); s.Raw == nil || s.Session.Vars["name"] != "" {
		t.Errorf("after the window, Ana's session under B is %+v", s.Session)
	}
	if sessionOf(t, rdb, a, anaA).Raw == nil {
		t.Error("her session under A is gone: it should be left to expire")
	}
	third.stop(t)
	for _, s := range []*served{first, second, old, third} {
		channeltest.AssertRedacted(t, s.logs, srvTGToken, dani, eva, srvPhone, words, "Dani", "Eva", "Ana")
	}
}
