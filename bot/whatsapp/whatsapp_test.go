package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
)

const (
	testSID    = "ACtest"
	testToken  = "authtoken0123456789abcdef"
	testPublic = "https://faro.example.org/base"
	testPhone  = "+51987654321"
	testFrom   = "whatsapp:+14155238886"
)

type fixture struct {
	ch   *Channel
	hub  *bot.Hub
	api  *channeltest.FakeAPI
	h    *channeltest.FakeHandler
	logs *channeltest.Logs
	win  *MemoryWindow
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureAt(t, testPublic+"/")
}

// newFixtureAt is newFixture with another configured public URL.
func newFixtureAt(t *testing.T, publicURL string) *fixture {
	t.Helper()
	hc := channeltest.NoNetwork(t)
	api := channeltest.NewFakeAPI(t, channeltest.TwilioOK)
	log, logs := channeltest.NewLogger()
	h := &channeltest.FakeHandler{}
	win := NewMemoryWindow()
	ch, hub := channeltest.Wire(t, h, nil, log, func(in bot.Inbox) (*Channel, error) {
		return New(Config{
			AccountSID: testSID, AuthToken: testToken, From: testFrom, PublicURL: publicURL,
			APIURL: api.URL, HTTPClient: hc, Window: win, StatusCallbacks: true,
			Retry:  bot.RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
			Logger: log,
		}, in)
	})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hub.Close(ctx)
		// Whatever the test did, no secret, number or name reached the logs.
		channeltest.AssertRedacted(t, logs, testToken, testPhone, "51987654321", "Ana Maria", "me pegaron")
	})
	return &fixture{ch: ch, hub: hub, api: api, h: h, logs: logs, win: win}
}

// encodeForm turns a testdata JSON object into the form Twilio posts.
func encodeForm(t testing.TB, payload []byte) ([]byte, string) {
	var m map[string]string
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatalf("payload: %v", err)
	}
	f := url.Values{}
	for k, v := range m {
		f.Set(k, v)
	}
	return []byte(f.Encode()), "application/x-www-form-urlencoded"
}

// sign signs as Twilio does, over the public URL (not the request's own).
func sign(path string) func(r *http.Request, body []byte) {
	return func(r *http.Request, body []byte) {
		f, _ := url.ParseQuery(string(body))
		r.Header.Set(SignatureHeader, Sign(testToken, testPublic+path, f))
	}
}

func (f *fixture) setup(t *testing.T) *channeltest.Setup {
	return &channeltest.Setup{
		Webhook: f.ch, Path: WebhookPath, Encode: encodeForm, Authenticate: sign(WebhookPath), Handler: f.h,
		Sent: func() int { return len(f.api.Requests("Messages.json")) },
		Drain: func() {
			channeltest.Eventually(t, 5*time.Second, func() bool { return f.hub.Queued(bot.ChannelWhatsApp) == 0 }, "queue drained")
		},
		Logs:    f.logs,
		Private: []string{testToken, testPhone, "51987654321", "Ana Maria"},
	}
}

func inbound(sid string, mut func(*bot.Inbound)) *bot.Inbound {
	in := &bot.Inbound{Channel: bot.ChannelWhatsApp, Address: testPhone, MessageID: sid, ChatMessageID: sid}
	mut(in)
	return in
}

func TestIncoming(t *testing.T) {
	channeltest.RunIncoming(t, func(t *testing.T) *channeltest.Setup { return newFixture(t).setup(t) }, []channeltest.IncomingCase{
		{Label: "text", Payload: "text.json", WantStatus: 200, WantSent: 1, Private: []string{"me pegaron"},
			WantInbound: inbound("SM11111111111111111111111111111111", func(in *bot.Inbound) { in.Text = "me pegaron en la calle" })},
		{Label: "missing signature", Payload: "text.json", Auth: channeltest.AuthMissing, WantStatus: 403},
		{Label: "forged signature", Payload: "text.json", Auth: channeltest.AuthForged, ForgedHeader: SignatureHeader, WantStatus: 403},
		{Label: "replayed MessageSid gets one reply", Payload: "text.json", Repeat: 3, WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM11111111111111111111111111111111", func(in *bot.Inbound) { in.Text = "me pegaron en la calle" })},
		{Label: "location pin", Payload: "location.json", WantStatus: 200, WantSent: 1, Private: []string{"Jr. de la Union", "-12.046374"},
			WantInbound: inbound("SM22222222222222222222222222222222", func(in *bot.Inbound) { in.Location = &bot.Location{Lat: -12.046374, Lon: -77.042793} })},
		{Label: "voice note", Payload: "voice.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM33333333333333333333333333333333", func(in *bot.Inbound) { in.Media = bot.MediaVoice })},
		{Label: "photo", Payload: "photo.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM44444444444444444444444444444444", func(in *bot.Inbound) { in.Media = bot.MediaPhoto })},
		{Label: "sticker", Payload: "sticker.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM55555555555555555555555555555555", func(in *bot.Inbound) { in.Media = bot.MediaSticker })},
		{Label: "document", Payload: "document.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM66666666666666666666666666666666", func(in *bot.Inbound) { in.Media = bot.MediaDocument })},
		{Label: "quick reply button", Payload: "button.json", WantStatus: 200, WantSent: 1,
			WantInbound: inbound("SM77777777777777777777777777777777", func(in *bot.Inbound) { in.Payload = "rights" })},
		{Label: "sms ignored", Payload: "sms.json", WantStatus: 200, Private: []string{"hola por sms"}},
		{Label: "no MessageSid", Payload: "no_sid.json", WantStatus: 400},
		{Label: "huge body rejected", Body: []byte("Body=" + strings.Repeat("a", 100<<10)), WantStatus: 413},
	})
}

// TestSignatureMatchesTwilioGo checks our signer against twilio-go's validator, and
// that the request's own URL (behind a proxy) is not what is checked.
func TestSignatureMatchesTwilioGo(t *testing.T) {
	body, _ := os.ReadFile(filepath.Join("testdata", "text.json"))
	form, _ := encodeForm(t, body)
	f, _ := url.ParseQuery(string(form))
	sig := Sign(testToken, testPublic+WebhookPath, f)
	rv := client.NewRequestValidator(testToken)
	if !rv.ValidateBody(testPublic+WebhookPath, form, sig) {
		t.Fatal("twilio-go rejects our signature")
	}
	fx := newFixture(t)
	// Signed for the internal URL the request really hit: must be refused.
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:8080"+WebhookPath, strings.NewReader(string(form)))
	r.Header.Set(SignatureHeader, Sign(testToken, "http://10.0.0.5:8080"+WebhookPath, f))
	w := httptest.NewRecorder()
	fx.ch.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("internal-URL signature: %d, want 403", w.Code)
	}
	// A parameter added after signing: refused.
	f.Set("Body", "otro texto")
	r = httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(f.Encode()))
	r.Header.Set(SignatureHeader, sig)
	w = httptest.NewRecorder()
	fx.ch.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("tampered body: %d, want 403", w.Code)
	}
	// The query string Twilio called is part of what is signed.
	r = httptest.NewRequest(http.MethodPost, WebhookPath+"?x=1", strings.NewReader(string(form)))
	r.Header.Set(SignatureHeader, Sign(testToken, testPublic+WebhookPath+"?x=1", mustParse(string(form))))
	w = httptest.NewRecorder()
	fx.ch.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("signed with query: %d, want 200", w.Code)
	}
}

func mustParse(s string) url.Values { v, _ := url.ParseQuery(s); return v }

func TestReplyIsNumberedTextAndSplit(t *testing.T) {
	f := newFixture(t)
	f.h.Reply = func(in bot.Inbound) []bot.Outbound {
		return []bot.Outbound{{Text: strings.TrimSpace(strings.Repeat("Servicio gratuito, sin documentos.\n", 60)), Buttons: []bot.Button{{Label: "Menú", Payload: "menu"}}}}
	}
	body, _ := os.ReadFile(filepath.Join("testdata", "text.json"))
	form, ctype := encodeForm(t, body)
	r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(string(form)))
	r.Header.Set("Content-Type", ctype)
	sign(WebhookPath)(r, form)
	w := httptest.NewRecorder()
	f.ch.ServeHTTP(w, r)
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/xml" || !strings.Contains(w.Body.String(), "<Response/>") {
		t.Fatalf("answer %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	channeltest.Eventually(t, 5*time.Second, func() bool { return f.hub.Queued(bot.ChannelWhatsApp) == 0 }, "drained")
	reqs := f.api.Requests("Messages.json")
	if len(reqs) != 2 {
		t.Fatalf("%d messages, want 2 parts", len(reqs))
	}
	for i, r := range reqs {
		if r.Form["To"] != "whatsapp:"+testPhone || r.Form["From"] != testFrom || r.User != testSID {
			t.Errorf("part %d: %+v", i, r.Form)
		}
		if len([]rune(r.Form["Body"])) > bot.WhatsAppMaxLen {
			t.Errorf("part %d too long", i)
		}
		if r.Form["StatusCallback"] != testPublic+StatusPath {
			t.Errorf("status callback %q", r.Form["StatusCallback"])
		}
	}
	if !strings.HasSuffix(reqs[1].Form["Body"], "sin documentos.\n\n1. Menú") {
		t.Errorf("last part %q", reqs[1].Form["Body"][len(reqs[1].Form["Body"])-40:])
	}
	if reqs[0].Path != "/2010-04-01/Accounts/ACtest/Messages.json" {
		t.Errorf("path %q", reqs[0].Path)
	}
	channeltest.AssertRedacted(t, f.logs, testToken, testPhone, "Servicio gratuito")
}

func out(text string) bot.Outbound {
	return bot.Outbound{Channel: bot.ChannelWhatsApp, Address: testPhone, Text: text}
}

func TestOutsideWindowNotSent(t *testing.T) {
	f := newFixture(t)
	_ = f.hub.Send(out("nunca escribió"))
	_ = f.win.Touch(context.Background(), "+51111", "", time.Now().Add(-25*time.Hour))
	m := out("hace mucho")
	m.Address = "+51111"
	_ = f.hub.Send(m)
	channeltest.Eventually(t, 5*time.Second, func() bool { return f.hub.Queued(bot.ChannelWhatsApp) == 0 }, "drained")
	if n := len(f.api.Requests("")); n != 0 {
		t.Errorf("%d requests sent outside the window", n)
	}
	_ = f.win.Touch(context.Background(), testPhone, "", time.Now().Add(-23*time.Hour))
	if err := f.ch.Deliver(context.Background(), out("aún dentro")); err != nil {
		t.Errorf("inside the window: %v", err)
	}
}

func TestThrottledAndStorm(t *testing.T) {
	f := newFixture(t)
	_ = f.win.Touch(context.Background(), testPhone, "", time.Now())
	f.api.Enqueue("Messages.json",
		channeltest.Response{Status: 429, Body: `{"code":20429,"message":"Too Many Requests","status":429}`, Header: map[string]string{"Retry-After": "1"}},
		channeltest.TwilioError(500, 20500), channeltest.TwilioError(503, 0), channeltest.Response{Status: 502, Body: "<html>"})
	_ = f.hub.Send(out("uno"), out("dos"))
	channeltest.Eventually(t, 10*time.Second, func() bool { return f.hub.Queued(bot.ChannelWhatsApp) == 0 }, "drained")
	reqs := f.api.Requests("Messages.json")
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 4 failures + 2", len(reqs))
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < time.Second {
		t.Errorf("429 retried after %s, want >= Retry-After 1s", gap)
	}
	if reqs[4].Form["Body"] != "uno" || reqs[5].Form["Body"] != "dos" {
		t.Errorf("order %q %q", reqs[4].Form["Body"], reqs[5].Form["Body"])
	}
	channeltest.AssertRedacted(t, f.logs, testToken, testPhone, "uno", "dos")
}

func TestClassify(t *testing.T) {
	f := newFixture(t)
	_ = f.win.Touch(context.Background(), testPhone, "", time.Now())
	for _, tc := range []struct {
		resp      channeltest.Response
		retryable bool
		reason    string
	}{
		{channeltest.TwilioError(429, 20429), true, "throttled"},
		{channeltest.TwilioError(500, 20500), true, "server"},
		{channeltest.TwilioError(400, 21610), false, "blocked"},
		{channeltest.TwilioError(400, 63016), false, "outside_window"},
		{channeltest.Response{Status: 400, Body: `{"code":21211,"message":"Invalid 'To' Phone Number: whatsapp:+51987654321","status":400}`}, false, "rejected"},
		{channeltest.Response{Status: 503, Body: "not json"}, true, "server"},
	} {
		f.api.Enqueue("Messages.json", tc.resp)
		err := f.ch.Deliver(context.Background(), out("x"))
		if bot.IsRetryable(err) != tc.retryable || bot.Reason(err) != tc.reason {
			t.Errorf("%d %q: %v retryable=%v reason=%q", tc.resp.Status, tc.resp.Body, err, bot.IsRetryable(err), bot.Reason(err))
		}
		if err != nil && strings.Contains(err.Error(), testPhone) {
			t.Errorf("error text holds the phone number: %v", err)
		}
	}
	f.api.Close()
	if err := f.ch.Deliver(context.Background(), out("x")); !bot.IsRetryable(err) || bot.Reason(err) != "connection" {
		t.Errorf("closed server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.ch.Deliver(ctx, out("x")); bot.IsRetryable(err) {
		t.Errorf("cancelled context: %v is retryable", err)
	}
}

func TestStatusCallback(t *testing.T) {
	f := newFixture(t)
	body, _ := os.ReadFile(filepath.Join("testdata", "status_failed.json"))
	form, ctype := encodeForm(t, body)
	for _, signed := range []bool{false, true} {
		r := httptest.NewRequest(http.MethodPost, StatusPath, strings.NewReader(string(form)))
		r.Header.Set("Content-Type", ctype)
		if signed {
			sign(StatusPath)(r, form)
		}
		w := httptest.NewRecorder()
		f.ch.ServeStatus(w, r)
		if want := map[bool]int{false: 403, true: 204}[signed]; w.Code != want {
			t.Errorf("signed=%v: %d, want %d", signed, w.Code, want)
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"error_code":63016`) || !strings.Contains(logs, `"status":"undelivered"`) {
		t.Errorf("failure not logged by code: %s", logs)
	}
	channeltest.AssertRedacted(t, f.logs, testPhone, "SM99999999999999999999999999999999", testToken)
}

func TestWindowTouchedOnInbound(t *testing.T) {
	f := newFixture(t)
	body, _ := os.ReadFile(filepath.Join("testdata", "text.json"))
	form, ctype := encodeForm(t, body)
	r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(string(form)))
	r.Header.Set("Content-Type", ctype)
	sign(WebhookPath)(r, form)
	f.ch.ServeHTTP(httptest.NewRecorder(), r)
	last, ok, _ := f.win.Last(context.Background(), testPhone)
	if !ok || time.Since(last) > time.Minute {
		t.Errorf("window not touched: %v %v", last, ok)
	}
}

// stubInbox is an Inbox that is busy, fails, or takes the message, as told.
type stubInbox struct {
	busy bool
	err  error
	got  int
}

func (s *stubInbox) Dispatch(context.Context, bot.Inbound) error { s.got++; return s.err }
func (s *stubInbox) Busy(string) bool                            { return s.busy }

// TestSignedNeverAnswered5xx: Twilio does not deliver a message again after a 5xx, so
// once the signature is valid the webhook answers 200 even when the outbound queue is
// full (the message is handled all the same) or the message could not be handled.
func TestSignedNeverAnswered5xx(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   stubInbox
	}{
		{"queue full", stubInbox{busy: true}},
		{"not handled", stubInbox{err: bot.ErrClosed}},
		{"full and not handled", stubInbox{busy: true, err: errors.New("handler: no engine")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, logs := channeltest.NewLogger()
			in := tc.in
			ch, err := New(Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, PublicURL: testPublic + "/",
				APIURL: "http://127.0.0.1:1", HTTPClient: channeltest.NoNetwork(t), Window: NewMemoryWindow(), Logger: log}, &in)
			if err != nil {
				t.Fatal(err)
			}
			f := url.Values{"MessageSid": {"SM99999999999999999999999999999999"}, "From": {"whatsapp:" + testPhone},
				"To": {testFrom}, "Body": {"auxilio"}, "NumMedia": {"0"}}
			req := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(SignatureHeader, Sign(testToken, testPublic+WebhookPath, f))
			rec := httptest.NewRecorder()
			ch.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || in.got != 1 {
				t.Errorf("answered %d, handled %d times; want 200 and handled once", rec.Code, in.got)
			}
			if in.err != nil && !strings.Contains(logs.String(), "not handled") {
				t.Errorf("a message not handled must be logged: %s", logs.String())
			}
			channeltest.AssertRedacted(t, logs, testPhone, "51987654321", "auxilio")
		})
	}
}
