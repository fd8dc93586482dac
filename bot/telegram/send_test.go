package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
)

func out(text string) bot.Outbound {
	return bot.Outbound{Channel: bot.ChannelTelegram, Address: testChat, Text: text}
}

func TestInlineKeyboard(t *testing.T) {
	f := newFixture(t)
	m := out("¿Qué necesitas?")
	m.Buttons = []bot.Button{{Label: "Mis derechos", Payload: "rights"}, {Label: "Otro", Payload: strings.Repeat("x", 65)}}
	if err := f.hub.Send(m); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	reqs := f.api.Requests("sendMessage")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Form["chat_id"] != testChat || r.Form["text"] != "¿Qué necesitas?" {
		t.Errorf("form %+v", r.Form)
	}
	kb := channeltest.DecodeJSON(t, r.Form["reply_markup"])["inline_keyboard"].([]any)
	want := [][2]string{{"1. Mis derechos", "rights"}, {"2. Otro", "2"}}
	if len(kb) != 2 {
		t.Fatalf("keyboard %v", kb)
	}
	for i, row := range kb {
		b := row.([]any)[0].(map[string]any)
		if b["text"] != want[i][0] || b["callback_data"] != want[i][1] {
			t.Errorf("button %d = %v, want %v", i, b, want[i])
		}
	}
	if !strings.Contains(r.Form["link_preview_options"], `"is_disabled":true`) {
		t.Errorf("link previews not disabled: %q", r.Form["link_preview_options"])
	}
}

func TestAskLocation(t *testing.T) {
	f := newFixture(t)
	m := out("Comparte tu ubicación o escribe tu distrito.")
	m.AskLocation = true
	m.Buttons = []bot.Button{{Label: "Volver", Payload: "back"}}
	_ = f.hub.Send(m)
	f.drain(t)
	r := f.api.Requests("sendMessage")[0]
	kb := channeltest.DecodeJSON(t, r.Form["reply_markup"])
	btn := kb["keyboard"].([]any)[0].([]any)[0].(map[string]any)
	if btn["request_location"] != true || btn["text"] != DefaultLocationLabel || kb["one_time_keyboard"] != true {
		t.Errorf("reply markup %v", kb)
	}
	if r.Form["text"] != "Comparte tu ubicación o escribe tu distrito.\n\n1. Volver" {
		t.Errorf("text %q: the options must be written out when the keyboard asks for a place", r.Form["text"])
	}
}

func TestLongMessageSplit(t *testing.T) {
	f := newFixture(t)
	line := strings.Repeat("á", 99) + "\n"
	m := out(strings.Repeat(line, 60)) // 6000 characters
	m.Buttons = []bot.Button{{Label: "Menú", Payload: "menu"}}
	_ = f.hub.Send(m)
	f.drain(t)
	reqs := f.api.Requests("sendMessage")
	if len(reqs) != 2 {
		t.Fatalf("%d parts, want 2", len(reqs))
	}
	total := 0
	for i, r := range reqs {
		n := len([]rune(r.Form["text"]))
		total += n
		if n > bot.TelegramMaxLen {
			t.Errorf("part %d has %d characters", i, n)
		}
		if strings.HasSuffix(r.Form["text"], "\n") || !strings.HasSuffix(r.Form["text"], "á") {
			t.Errorf("part %d not cut at a line boundary", i)
		}
		if has := r.Form["reply_markup"] != ""; has != (i == 1) {
			t.Errorf("part %d has keyboard %v", i, has)
		}
	}
	if total != 5940+58 { // 60 lines of 99, joined by 58 newlines (one is the cut, one trailing)
		t.Errorf("total %d characters", total)
	}
}

func TestThrottledHonoursRetryAfter(t *testing.T) {
	f := newFixture(t)
	f.api.Enqueue("sendMessage", channeltest.TelegramError(429, 1))
	_ = f.hub.Send(out("uno"), out("dos"))
	f.drain(t)
	reqs := f.api.Requests("sendMessage")
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (429, then uno, dos)", len(reqs))
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < time.Second {
		t.Errorf("retried after %s, want >= retry_after 1s", gap)
	}
	if reqs[1].Form["text"] != "uno" || reqs[2].Form["text"] != "dos" {
		t.Errorf("order %q, %q", reqs[1].Form["text"], reqs[2].Form["text"])
	}
}

// TestHangIsRetried: a Telegram that takes the request and never answers is given up
// after the attempt's time and tried again, like a refused connection. Before, the
// attempt's deadline was taken for a cancellation and the reply was dropped for good
// (the fault suite saw 26 of 460 replies lost that way).
func TestHangIsRetried(t *testing.T) {
	hc := channeltest.NoNetwork(t)
	api := channeltest.NewFakeAPI(t, channeltest.TelegramOK)
	api.Enqueue("sendMessage", channeltest.Response{Hang: true})
	log, logs := channeltest.NewLogger()
	_, hub := channeltest.Wire(t, &channeltest.FakeHandler{}, nil, log, func(in bot.Inbox) (*Channel, error) {
		return New(Config{Token: testToken, APIURL: api.URL, HTTPClient: hc, Logger: log,
			Retry:  bot.RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 100 * time.Millisecond},
			Pacing: bot.Pacing{Interval: time.Millisecond, Burst: 1}}, in)
	})
	if err := hub.Send(out("uno")); err != nil {
		t.Fatal(err)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool { return len(api.Delivered("sendMessage")) == 1 }, "the reply delivered after a hang")
	if n := len(api.Requests("sendMessage")); n != 2 {
		t.Errorf("%d requests, want 2 (the hang, then the delivery)", n)
	}
	channeltest.AssertRedacted(t, logs, testToken, testChat, "uno")
}

func TestServerErrorStormDeliversOnceInOrder(t *testing.T) {
	f := newFixture(t)
	storm := make([]channeltest.Response, 6)
	for i := range storm {
		storm[i] = channeltest.TelegramError(500, 0)
	}
	storm[2] = channeltest.Response{Status: 502, Body: "<html>bad gateway</html>"}
	f.api.Enqueue("sendMessage", storm...)
	_ = f.hub.Send(out("uno"), out("dos"))
	f.drain(t)
	reqs := f.api.Requests("sendMessage")
	if len(reqs) != 8 {
		t.Fatalf("%d requests, want 6 failures + 2 deliveries", len(reqs))
	}
	if reqs[6].Form["text"] != "uno" || reqs[7].Form["text"] != "dos" {
		t.Errorf("after the storm: %q, %q", reqs[6].Form["text"], reqs[7].Form["text"])
	}
	channeltest.AssertRedacted(t, f.logs, testToken, testChat, "uno", "dos", "bad gateway")
}

func TestBlockedIsNotRetried(t *testing.T) {
	f := newFixture(t)
	f.api.Enqueue("sendMessage", channeltest.TelegramError(403, 0))
	_ = f.hub.Send(out("hola"))
	f.drain(t)
	if n := len(f.api.Requests("sendMessage")); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if !strings.Contains(f.logs.String(), `"reason":"blocked"`) {
		t.Errorf("logs do not say blocked: %s", f.logs.String())
	}
}

func TestClassify(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		resp      channeltest.Response
		retryable bool
		reason    string
	}{
		{channeltest.TelegramError(429, 7), true, "throttled"},
		{channeltest.TelegramError(500, 0), true, "server"},
		{channeltest.Response{Status: 503, Body: "down"}, true, "server"},
		{channeltest.TelegramError(400, 0), false, "rejected"},
		{channeltest.TelegramError(403, 0), false, "blocked"},
		{channeltest.Response{Status: 200, Body: "{not json"}, false, "unparseable"},
	} {
		f.api.Enqueue("sendMessage", tc.resp)
		err := f.ch.Deliver(context.Background(), out("x"))
		if bot.IsRetryable(err) != tc.retryable || bot.Reason(err) != tc.reason {
			t.Errorf("%d %q: err %v, retryable %v reason %q", tc.resp.Status, tc.resp.Body, err, bot.IsRetryable(err), bot.Reason(err))
		}
		if strings.Contains(err.Error(), testToken) {
			t.Errorf("error text holds the token: %v", err)
		}
	}
	if d, ok := bot.RetryAfter(func() error {
		f.api.Enqueue("sendMessage", channeltest.TelegramError(429, 7))
		return f.ch.Deliver(context.Background(), out("x"))
	}()); !ok || d != 7*time.Second {
		t.Errorf("retry after %v %v, want 7s", d, ok)
	}
	// A connection that fails is retryable, and the token is not in the error.
	f.api.Close()
	err := f.ch.Deliver(context.Background(), out("x"))
	if !bot.IsRetryable(err) || bot.Reason(err) != "connection" || strings.Contains(err.Error(), testToken) {
		t.Errorf("closed server: %v", err)
	}
}

func TestPacingPerChat(t *testing.T) {
	hc := channeltest.NoNetwork(t)
	api := channeltest.NewFakeAPI(t, channeltest.TelegramOK)
	_, hub := channeltest.Wire(t, &channeltest.FakeHandler{}, nil, nil, func(in bot.Inbox) (*Channel, error) {
		return New(Config{Token: testToken, APIURL: api.URL, HTTPClient: hc,
			Pacing: bot.Pacing{Interval: 100 * time.Millisecond, Burst: 2}}, in)
	})
	other := out("otro chat")
	other.Address = "555"
	start := time.Now()
	_ = hub.Send(out("1"), out("2"), out("3"), out("4"), other)
	if err := hub.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var mine []channeltest.Request
	var otherAt time.Time
	for _, r := range api.Requests("sendMessage") {
		if r.Form["chat_id"] == testChat {
			mine = append(mine, r)
		} else {
			otherAt = r.At
		}
	}
	if len(mine) != 4 {
		t.Fatalf("%d messages", len(mine))
	}
	// burst of 2, then one per 100ms: the fourth goes out 200ms after the first at the
	// earliest. Counted from the send, not from the first's arrival, which a slow first
	// connection delays more than the fourth's (CI saw 175ms between arrivals).
	if d := mine[3].At.Sub(start); d < 200*time.Millisecond {
		t.Errorf("4 messages in %s, want >= 200ms with burst 2", d)
	}
	// Held behind this chat's pacing it would go out 200ms after the first at the
	// earliest; 150ms leaves room for a machine under load (a CI run).
	if otherAt.Sub(mine[0].At) > 150*time.Millisecond {
		t.Errorf("another chat waited %s for this one's pacing", otherAt.Sub(mine[0].At))
	}
}

func TestPolling(t *testing.T) {
	f := newFixture(t)
	upd, _ := readTestdata("location.json")
	f.api.Enqueue("getUpdates", channeltest.Response{Status: 200, Body: `{"ok":true,"result":[` + string(upd) + `]}`})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.ch.Poll(ctx) }()
	channeltest.Eventually(t, 5*time.Second, func() bool { return len(f.api.Requests("sendMessage")) == 1 }, "reply to a polled update")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(f.api.Requests("deleteWebhook")) != 1 {
		t.Error("webhook not removed before polling")
	}
	got := f.h.Received()
	if len(got) != 1 || got[0].Location == nil || got[0].MessageID != "700004" {
		t.Errorf("received %+v", got)
	}
	channeltest.AssertRedacted(t, f.logs, testToken, testChat)
}
