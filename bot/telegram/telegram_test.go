package telegram

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
)

const (
	testToken  = "123456:TESTtokenAAAAbbbbCCCCdddd"
	testSecret = "wh-secret_0123456789"
	testChat   = "987654321"
)

// fixture is a Telegram channel wired to a fake Bot API and a fake Handler.
type fixture struct {
	ch   *Channel
	hub  *bot.Hub
	api  *channeltest.FakeAPI
	h    *channeltest.FakeHandler
	logs *channeltest.Logs
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	hc := channeltest.NoNetwork(t)
	api := channeltest.NewFakeAPI(t, channeltest.TelegramOK)
	log, logs := channeltest.NewLogger()
	h := &channeltest.FakeHandler{}
	ch, hub := channeltest.Wire(t, h, nil, log, func(in bot.Inbox) (*Channel, error) {
		return New(Config{
			Token: testToken, WebhookSecret: testSecret, APIURL: api.URL, HTTPClient: hc,
			Retry:  bot.RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
			Pacing: bot.Pacing{Interval: time.Millisecond, Burst: 1},
			Logger: log,
		}, in)
	})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hub.Close(ctx)
		// Whatever the test did, no secret or chat id reached the logs.
		channeltest.AssertRedacted(t, logs, testToken, testSecret, testChat, "me robaron")
	})
	return &fixture{ch: ch, hub: hub, api: api, h: h, logs: logs}
}

func (f *fixture) setup(t *testing.T) *channeltest.Setup {
	return &channeltest.Setup{
		Webhook:      f.ch,
		Path:         WebhookPath,
		Authenticate: func(r *http.Request, _ []byte) { r.Header.Set(SecretHeader, testSecret) },
		Handler:      f.h,
		Sent:         func() int { return len(f.api.Requests("sendMessage")) },
		Drain: func() {
			channeltest.Eventually(t, 5*time.Second, func() bool { return f.hub.Queued(bot.ChannelTelegram) == 0 }, "queue drained")
		},
		Logs:    f.logs,
		Private: []string{testToken, testSecret, testChat},
	}
}

func inbound(id string, mut func(*bot.Inbound)) *bot.Inbound {
	in := &bot.Inbound{Channel: bot.ChannelTelegram, Address: testChat, MessageID: id, LangHint: "es"}
	mut(in)
	if in.Payload == "" { // a message of hers, whose message_id the testdata numbers as update_id - 699990
		n, _ := strconv.Atoi(id)
		in.ChatMessageID = strconv.Itoa(n - 699990)
	}
	return in
}

func TestIncoming(t *testing.T) {
	text := "me robaron el celular, necesito ayuda"
	channeltest.RunIncoming(t, func(t *testing.T) *channeltest.Setup { return newFixture(t).setup(t) }, []channeltest.IncomingCase{
		{Label: "text", Payload: "text.json", WantStatus: 200, WantSent: 1, Private: []string{text},
			WantInbound: inbound("700001", func(in *bot.Inbound) { in.Text = text })},
		{Label: "missing secret", Payload: "text.json", Auth: channeltest.AuthMissing, WantStatus: 401, Private: []string{text}},
		{Label: "forged secret", Payload: "text.json", Auth: channeltest.AuthForged, ForgedHeader: SecretHeader, WantStatus: 401},
		{Label: "replayed update gets one reply", Payload: "text.json", Repeat: 3, WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700001", func(in *bot.Inbound) { in.Text = text })},
		{Label: "deep link", Payload: "start_code.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700002", func(in *bot.Inbound) { in.Start, in.StartCode = true, "ORG_lima-1" })},
		{Label: "deep link with a bad code", Payload: "start_bad_code.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700003", func(in *bot.Inbound) { in.Start = true })},
		{Label: "location", Payload: "location.json", WantStatus: 200, WantSent: 1, Private: []string{"-12.046374"},
			WantInbound: inbound("700004", func(in *bot.Inbound) { in.Location = &bot.Location{Lat: -12.046374, Lon: -77.042793} })},
		{Label: "voice", Payload: "voice.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700005", func(in *bot.Inbound) { in.Media = bot.MediaVoice })},
		{Label: "photo with caption", Payload: "photo.json", WantStatus: 200, WantSent: 1, Private: []string{"mira esto"},
			WantInbound: inbound("700006", func(in *bot.Inbound) { in.Media = bot.MediaPhoto })},
		{Label: "sticker", Payload: "sticker.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700007", func(in *bot.Inbound) { in.Media = bot.MediaSticker })},
		{Label: "document", Payload: "document.json", WantStatus: 200, WantSent: 1, Private: []string{"denuncia.pdf"},
			WantInbound: inbound("700008", func(in *bot.Inbound) { in.Media = bot.MediaDocument })},
		{Label: "shared contact is never read", Payload: "contact.json", WantStatus: 200, WantSent: 1, Private: []string{"+51987654321"},
			WantInbound: inbound("700009", func(in *bot.Inbound) { in.Media = bot.MediaOther })},
		{Label: "button press", Payload: "callback.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("700010", func(in *bot.Inbound) { in.Payload = "rights" })},
		{Label: "edited message ignored", Payload: "edited.json", WantStatus: 200},
		{Label: "group chat ignored", Payload: "group.json", WantStatus: 200, Private: []string{"hola grupo", "1001987654321"}},
		{Label: "bot blocked update ignored", Payload: "my_chat_member.json", WantStatus: 200},
		{Label: "unknown update kind ignored", Payload: "unknown_kind.json", WantStatus: 200},
		{Label: "service message ignored", Payload: "service_message.json", WantStatus: 200},
		{Label: "huge body rejected", Body: bytes.Repeat([]byte(`{"update_id":1,"message":{"text":"aaaaaaaa"}}`), 40000), WantStatus: 413},
		{Label: "not json", Body: []byte(`update_id=1`), WantStatus: 400},
	})
}

func TestForgedSecretVariants(t *testing.T) {
	f := newFixture(t)
	for _, s := range []string{"", testSecret[:len(testSecret)-1], testSecret + "x", strings.ToUpper(testSecret), " " + testSecret} {
		r, _ := http.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(`{"update_id":1}`))
		if s != "" {
			r.Header.Set(SecretHeader, s)
		}
		w := newRecorder()
		f.ch.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", s, w.Code)
		}
	}
	if n := len(f.h.Received()); n != 0 {
		t.Errorf("handler called %d times", n)
	}
}

func TestCallbackAnswered(t *testing.T) {
	f := newFixture(t)
	post(t, f, "callback.json", 200)
	channeltest.Eventually(t, 5*time.Second, func() bool { return len(f.api.Requests("answerCallbackQuery")) == 1 }, "callback answered")
	if got := f.api.Requests("answerCallbackQuery")[0].Form["callback_query_id"]; got != "4382bfdwdsb323b2d9" {
		t.Errorf("callback_query_id = %q", got)
	}
}

func TestGetMethodRefused(t *testing.T) {
	f := newFixture(t)
	r, _ := http.NewRequest(http.MethodGet, WebhookPath, nil)
	r.Header.Set(SecretHeader, testSecret)
	w := newRecorder()
	f.ch.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("status %d, want 405", w.Code)
	}
}

func TestHandlerFailureAsksForRedelivery(t *testing.T) {
	f := newFixture(t)
	f.h.Fail = context.DeadlineExceeded
	post(t, f, "text.json", http.StatusInternalServerError)
	// Redis down, but the handler had an emergency reply: it is sent and the update is
	// acknowledged, so Telegram does not deliver it (and the reply) again.
	f.h.FailReplies = []bot.Outbound{{Text: "Emergencia: llama al 105"}}
	post(t, f, "text.json", http.StatusOK)
	f.drain(t)
	reqs := f.api.Requests("sendMessage")
	if len(reqs) != 1 || reqs[0].Form["text"] != "Emergencia: llama al 105" {
		t.Fatalf("sent %+v, want the emergency reply once", reqs)
	}
	channeltest.AssertRedacted(t, f.logs, testToken, testSecret, testChat, "me robaron")
}
