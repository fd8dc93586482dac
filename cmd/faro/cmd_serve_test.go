package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

const (
	srvTGToken  = "424242:SERVEtestTOKEN"
	srvTGSecret = "serve-test-secret-Xq7Lm2Pz9Vb4"
	srvTWToken  = "servetesttwiliotoken"
	srvPublic   = "https://faro.example.org"
	srvChat     = "55501234"
	srvPhone    = "+51911222333"
)

type served struct {
	base string
	// metrics is the base URL of the /metrics server (FARO_METRICS_ADDR).
	metrics string
	tg, tw  *channeltest.FakeAPI
	logs    *channeltest.Logs
	cancel  context.CancelFunc
	done    chan error
}

// freshSecret returns an HMAC secret no other test or run has used. Every Redis key
// the server writes (sessions, seen message ids, the WhatsApp window, the outbox) is
// named by an HMAC under this secret, so a fresh one gives a test keys of its own on a
// shared Redis: a second run (go test -count=2) sees no replays of the first.
func freshSecret(t *testing.T) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "serve-test-hmac-" + hex.EncodeToString(b[:])
}

// startServe runs the real server (real conversation, real Redis at redisURL) against
// fake platform APIs on loopback. Unless overridden, FARO_HMAC_SECRET is fresh for each
// server (see freshSecret); servers that must share state pass the same one.
func startServe(t *testing.T, redisURL string, override ...string) *served {
	t.Helper()
	return startServeWith(t, redisURL, nil, override...)
}

// startServeWith is startServe with newServer's options (a short retry policy).
func startServeWith(t *testing.T, redisURL string, opts []serveOption, override ...string) *served {
	t.Helper()
	hc := channeltest.NoNetwork(t)
	tg := channeltest.NewFakeAPI(t, channeltest.TelegramOK)
	tw := channeltest.NewFakeAPI(t, channeltest.TwilioOK)
	env := map[string]string{
		"FARO_LISTEN": "127.0.0.1:0", "FARO_PUBLIC_URL": srvPublic, "FARO_REDIS_URL": redisURL,
		"FARO_HMAC_SECRET": freshSecret(t), "FARO_SHUTDOWN_TIMEOUT": "10s", "FARO_METRICS_ADDR": "127.0.0.1:0",
		"FARO_TELEGRAM_TOKEN": srvTGToken, "FARO_TELEGRAM_WEBHOOK_SECRET": srvTGSecret, "FARO_TELEGRAM_API_URL": tg.URL,
		"FARO_TWILIO_ACCOUNT_SID": "ACserve", "FARO_TWILIO_AUTH_TOKEN": srvTWToken,
		"FARO_TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886", "FARO_TWILIO_API_URL": tw.URL,
		// the outbox is on by default: a name of its own, so that no other test's
		// server resends what this one leaves
		"FARO_INSTANCE": "test-" + canaryName(t),
	}
	for i := 0; i+1 < len(override); i += 2 {
		env[override[i]] = override[i+1]
	}
	cfg, err := config.Parse(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	log, logs := channeltest.NewLogger()
	s, err := newServer(cfg, log, hc, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sv := &served{base: "http://" + ln.Addr().String(), tg: tg, tw: tw, logs: logs, cancel: cancel, done: make(chan error, 1)}
	if err := s.listenMetrics(); err != nil {
		t.Fatal(err)
	}
	if s.metricsLn != nil {
		sv.metrics = "http://" + s.metricsLn.Addr().String()
	}
	go func() { sv.done <- s.run(ctx, ln) }()
	t.Cleanup(func() { sv.stop(t) })
	return sv
}

func (s *served) stop(t *testing.T) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop")
	}
}

func (s *served) telegram(t *testing.T, updateID int, text string) int {
	t.Helper()
	body := `{"update_id":` + itoa(updateID) + `,"message":{"message_id":1,"date":1767225600,"from":{"id":` + srvChat +
		`,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":` + srvChat + `,"type":"private"},"text":"` + text + `"}}`
	req, _ := http.NewRequest(http.MethodPost, s.base+telegram.WebhookPath, strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, srvTGSecret)
	return do(t, req)
}

func (s *served) whatsapp(t *testing.T, sid, text string) int {
	t.Helper()
	f := url.Values{"MessageSid": {sid}, "From": {"whatsapp:" + srvPhone}, "To": {"whatsapp:+14155238886"}, "Body": {text}, "NumMedia": {"0"}}
	req, _ := http.NewRequest(http.MethodPost, s.base+whatsapp.WebhookPath, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(srvTWToken, srvPublic+whatsapp.WebhookPath, f))
	return do(t, req)
}

func do(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestServeEndToEnd(t *testing.T) {
	s := startServe(t, storetest.URL(t))
	if code, _ := get(t, s.base+"/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	if code, _ := get(t, s.base+"/readyz"); code != 200 {
		t.Errorf("readyz %d", code)
	}
	for range 2 { // the second is a replay
		if code := s.telegram(t, 9001, "hola"); code != 200 {
			t.Fatalf("telegram webhook %d", code)
		}
		if code := s.whatsapp(t, "SMserve00000000000000000000000001", "hola"); code != 200 {
			t.Fatalf("whatsapp webhook %d", code)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.base+telegram.WebhookPath, strings.NewReader(`{"update_id":1}`))
	if code := do(t, req); code != 401 {
		t.Errorf("unsigned telegram %d", code)
	}
	req, _ = http.NewRequest(http.MethodPost, s.base+whatsapp.WebhookPath, strings.NewReader("Body=hola"))
	if code := do(t, req); code != 403 {
		t.Errorf("unsigned whatsapp %d", code)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		return len(s.tg.Requests("sendMessage")) >= 1 && len(s.tw.Requests("Messages.json")) >= 1
	}, "replies on both channels")
	time.Sleep(200 * time.Millisecond)
	if n, m := len(s.tg.Requests("sendMessage")), len(s.tw.Requests("Messages.json")); n != 1 || m != 1 {
		t.Errorf("replies: telegram %d, whatsapp %d; want one each (a replay gets none)", n, m)
	}
	if to := s.tw.Requests("Messages.json")[0].Form["To"]; to != "whatsapp:"+srvPhone {
		t.Errorf("reply to %q", to)
	}
	if code, _ := get(t, s.base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the webhook port: %d, want 404 (it has its own address)", code)
	}
	_, metrics := get(t, s.metrics+"/metrics")
	for _, want := range []string{`faro_inbound_total{channel="telegram",outcome="accepted"} 2`,
		`faro_outbound_total{channel="whatsapp",outcome="delivered"} 1`,
		`faro_http_request_seconds_count{code="401",route="telegram_webhook"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, srvChat) || strings.Contains(metrics, srvPhone) {
		t.Error("metrics name a user")
	}
	s.stop(t)
	channeltest.AssertRedacted(t, s.logs, srvTGToken, srvTGSecret, srvTWToken, srvChat, srvPhone, "51911222333", `"hola"`)
}

func TestServeRedisDown(t *testing.T) {
	// A port nobody listens on: Redis is down from the start.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close()
	s := startServe(t, "redis://"+addr+"/0")
	if code, _ := get(t, s.base+"/readyz"); code != 503 {
		t.Errorf("readyz with Redis down: %d", code)
	}
	if code := s.telegram(t, 9100, "auxilio"); code != 200 {
		t.Fatalf("emergency webhook: %d, want 200 (the reply goes out, no redelivery)", code)
	}
	if code := s.whatsapp(t, "SMserve00000000000000000000000100", "auxilio"); code != 200 {
		t.Fatalf("emergency webhook: %d", code)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		return len(s.tg.Requests("sendMessage")) == 1 && len(s.tw.Requests("Messages.json")) == 1
	}, "emergency replies sent with Redis down")
	if txt := s.tg.Requests("sendMessage")[0].Form["text"]; !strings.ContainsAny(txt, "0123456789") {
		t.Errorf("emergency reply without a number: %q", txt)
	}
	s.stop(t)
	channeltest.AssertRedacted(t, s.logs, srvTGToken, srvChat, srvPhone, "auxilio")
}

func TestServeGracefulShutdownDrains(t *testing.T) {
	s := startServe(t, storetest.URL(t))
	slow := channeltest.Response{Status: 200, Delay: 300 * time.Millisecond,
		Body: `{"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"}}}`}
	s.tg.Enqueue("sendMessage", slow, slow, slow)
	s.tg.Enqueue("sendMessage", channeltest.TelegramError(500, 0)) // and one retry
	for i := range 4 {
		if code := s.telegram(t, 9200+i, "hola"); code != 200 {
			t.Fatalf("webhook %d", code)
		}
	}
	s.stop(t) // returns only once the queue is drained
	if n := len(s.tg.Requests("sendMessage")); n < 5 {
		t.Errorf("%d sendMessage calls before shutdown finished, want 4 replies + 1 retry", n)
	}
}

// TestServeOutboxSurvivesARestart: with FARO_OUTBOX on, a reply still queued when the
// server stops (the platform kept failing past the shutdown timeout) is sent by the
// next server of the same instance name, exactly once.
func TestServeOutboxSurvivesARestart(t *testing.T) {
	redisURL := storetest.URL(t)
	run := int(time.Now().UnixNano() % 1e9) // a fresh update id and instance for every run
	// Both servers share one secret (the next server must find the first one's outbox),
	// fresh for this run.
	opts := []string{"FARO_OUTBOX", "true", "FARO_INSTANCE", "outbox-test-" + itoa(run), "FARO_SHUTDOWN_TIMEOUT", "300ms",
		"FARO_HMAC_SECRET", freshSecret(t)}
	first := startServe(t, redisURL, opts...)
	for range 20 {
		first.tg.Enqueue("sendMessage", channeltest.TelegramError(500, 0))
	}
	if code := first.telegram(t, run, "auxilio"); code != 200 {
		t.Fatalf("webhook %d", code)
	}
	// stop without waiting for delivery: the reply is dropped from memory at the
	// deadline and stays in the outbox
	first.cancel()
	first.cancel = nil
	select {
	case <-first.done: // an error saying a message was not delivered is expected
	case <-time.After(15 * time.Second):
		t.Fatal("first server did not stop")
	}
	if n := len(first.tg.Requests("sendMessage")); n == 0 {
		t.Fatal("the first server should have tried to send")
	}

	second := startServe(t, redisURL, opts...)
	deadline := time.Now().Add(5 * time.Second)
	for len(second.tg.Requests("sendMessage")) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	second.stop(t)
	reqs := second.tg.Requests("sendMessage")
	if len(reqs) != 1 {
		t.Fatalf("the next server sent the left reply %d times, want once", len(reqs))
	}
	if !strings.Contains(reqs[0].Form["text"], "105") {
		t.Fatalf("the resent reply is not the emergency reply: %v", reqs[0].Form["text"])
	}
	channeltest.AssertRedacted(t, first.logs, srvTGToken, srvChat, "auxilio")
	channeltest.AssertRedacted(t, second.logs, srvTGToken, srvChat, "auxilio")
}

// TestServeRefusesBrokenContent: content from a folder that `faro check` rejects (here
// a sentence far too hard to read) stops `faro serve` at start, with the cause.
func TestServeRefusesBrokenContent(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../locales")); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadFile(filepath.Join(dir, "es.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(es), "\n") {
		if strings.HasPrefix(line, `"webchat.error.busy" = `) { // one sentence nobody reads at once
			line = `"webchat.error.busy" = "Actualmente experimentamos inconvenientes extraordinariamente significativos relacionados con la disponibilidad momentánea de nuestros servicios automatizados de comunicación interinstitucional, consecuentemente recomendamos intentarlo nuevamente posteriormente cuando las circunstancias operativas lo permitan adecuadamente sin inconvenientes adicionales para usted y su familia."`
		}
		lines = append(lines, line)
	}
	if err := os.WriteFile(filepath.Join(dir, "es.toml"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"FARO_HMAC_SECRET": freshSecret(t), "FARO_TELEGRAM_TOKEN": srvTGToken,
		"FARO_TELEGRAM_WEBHOOK_SECRET": srvTGSecret, "FARO_LOCALES_DIR": dir, "FARO_REDIS_URL": "redis://127.0.0.1:1/0"}
	cfg, err := config.Parse(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	log, _ := channeltest.NewLogger()
	if _, err := newServer(cfg, log, nil); err == nil || !strings.Contains(err.Error(), "faro check") {
		t.Fatalf("newServer with broken locales: %v, want a refusal naming faro check", err)
	}
	env["FARO_LOCALES_DIR"] = "../../locales"
	cfg, _ = config.Parse(func(k string) string { return env[k] }, nil)
	if _, err := newServer(cfg, log, nil); err != nil {
		t.Fatalf("newServer with the shipped locales from a folder: %v", err)
	}
}
