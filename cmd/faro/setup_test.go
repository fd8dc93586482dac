package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/locales"
)

// setupEnv is a complete serve configuration on the fake platform APIs, with
// secrets that must never be printed.
type setupEnv struct {
	vars     map[string]string
	tg, tw   *channeltest.FakeAPI
	secrets  []string
	redisURL string
}

const (
	testToken = "123456:SETUPtokenABCdefGHIjkl"
	testSID   = "AC0123456789abcdef0123456789abcdef"
)

func newSetupEnv(t *testing.T, publicURL string) *setupEnv {
	t.Helper()
	e := &setupEnv{tg: channeltest.NewFakeAPI(t, channeltest.TelegramOK), tw: channeltest.NewFakeAPI(t, channeltest.TwilioOK)}
	hmac, hook, twilio := config.NewSecret(), config.NewSecret(), "twilioAuthTokenSETUP0123456789ab"
	e.secrets = []string{testToken, hmac, hook, twilio}
	e.vars = map[string]string{
		"FARO_HMAC_SECRET":             hmac,
		"FARO_PUBLIC_URL":              publicURL,
		"FARO_TELEGRAM_TOKEN":          testToken,
		"FARO_TELEGRAM_WEBHOOK_SECRET": hook,
		"FARO_TELEGRAM_API_URL":        e.tg.URL,
		"FARO_TWILIO_ACCOUNT_SID":      testSID,
		"FARO_TWILIO_AUTH_TOKEN":       twilio,
		"FARO_TWILIO_WHATSAPP_FROM":    "whatsapp:+14155238886",
		"FARO_TWILIO_API_URL":          e.tw.URL,
	}
	return e
}

func (e *setupEnv) getenv(name string) string { return e.vars[name] }

// run runs a faro command against the environment and checks that no secret is in
// what it printed.
func (e *setupEnv) run(t *testing.T, cmd string, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	var code int
	switch cmd {
	case "setup":
		code = runSetupEnv(context.Background(), args, &out, &errOut, e.getenv)
	case "doctor":
		code = runDoctorEnv(context.Background(), args, &out, &errOut, e.getenv)
	}
	all := out.String() + errOut.String()
	for _, s := range e.secrets {
		if strings.Contains(all, s) {
			t.Errorf("faro %s printed a secret:\n%s", cmd, all)
		}
	}
	for _, s := range []string{"SETUPtoken", "twilioAuthToken"} {
		if strings.Contains(all, s) {
			t.Errorf("faro %s printed part of a secret (%s):\n%s", cmd, s, all)
		}
	}
	t.Logf("faro %s %s: exit %d\n%s", cmd, strings.Join(args, " "), code, all)
	return all, code
}

func webhookInfo(url, lastError string) channeltest.Response {
	last := ""
	if lastError != "" {
		last = fmt.Sprintf(`,"last_error_date":%d,"last_error_message":%q`, time.Now().Unix(), lastError)
	}
	return channeltest.Response{Status: 200, Body: fmt.Sprintf(`{"ok":true,"result":{"url":%q,"pending_update_count":3%s}}`, url, last)}
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// closedURL is an http URL on a loopback port nobody listens on.
func closedURL(t *testing.T, scheme string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return scheme + "://" + addr
}

// TestSetupTelegram: faro setup telegram registers the webhook with its secret and the
// updates Faro reads, verifies it, then sets the menu and descriptions of each enabled
// language from the locales: Spanish as the default, the others by language_code.
func TestSetupTelegram(t *testing.T) {
	e := newSetupEnv(t, "https://faro.example.org")
	e.tg.Enqueue("getWebhookInfo", webhookInfo("https://faro.example.org/telegram/webhook", ""))
	out, code := e.run(t, "setup", "telegram")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "ok    setWebhook: https://faro.example.org/telegram/webhook", "ok    getWebhookInfo:",
		"ok    setMyCommands (es, the default): /menu /ayuda /persona /idioma /borrar",
		"ok    setMyCommands (en): /menu /help /person /language /erase",
		"ok    setMyCommands (pt): /menu /ajuda /pessoa /idioma /apagar",
		"ok    setMyDescription (pt)", "ok    setMyShortDescription (en)")
	if strings.Contains(out, "FAIL") || strings.Contains(out, "setMyCommands (qu)") {
		t.Errorf("a failure, or the draft qu set up without FARO_LOCALES_ENABLED:\n%s", out)
	}
	// the draft's menu of an earlier run is removed, so its users get Spanish
	mustContain(t, out, "ok    deleteMyCommands (qu, not enabled)", "ok    setMyDescription (qu, not enabled)")
	if del := e.tg.Requests("deleteMyCommands"); len(del) != 1 || del[0].Form["language_code"] != "qu" {
		t.Errorf("deleteMyCommands %v", del)
	}
	hooks := e.tg.Requests("setWebhook")
	if len(hooks) != 1 {
		t.Fatalf("%d setWebhook calls", len(hooks))
	}
	h := hooks[0]
	if h.Form["url"] != "https://faro.example.org/telegram/webhook" || h.Form["secret_token"] != e.vars["FARO_TELEGRAM_WEBHOOK_SECRET"] ||
		h.Form["allowed_updates"] != `["message","callback_query"]` || h.Form["drop_pending_updates"] != "false" {
		t.Errorf("setWebhook with %v", h.Form)
	}
	if !strings.Contains(h.Path, "/bot"+testToken+"/") {
		t.Errorf("setWebhook at %s, not with the token", h.Path)
	}
	cmds := e.tg.Requests("setMyCommands")
	if len(cmds) != 3 {
		t.Fatalf("%d setMyCommands calls, want es, en, pt", len(cmds))
	}
	if _, ok := cmds[0].Form["language_code"]; ok || cmds[1].Form["language_code"] != "en" || cmds[2].Form["language_code"] != "pt" {
		t.Errorf("language codes %q %q %q: want the default (none) for Spanish, then en, pt", cmds[0].Form["language_code"], cmds[1].Form["language_code"], cmds[2].Form["language_code"])
	}
	if !strings.Contains(cmds[0].Form["commands"], `{"command":"persona","description":"Hablar con una persona"}`) {
		t.Errorf("Spanish commands %s", cmds[0].Form["commands"])
	}
	desc := e.tg.Requests("setMyDescription")[1:] // after the draft's, emptied
	if len(desc) != 3 || !strings.HasPrefix(desc[0].Form["description"], "Faro es un chat gratuito y confidencial.") ||
		!strings.HasPrefix(desc[1].Form["description"], "Faro is a free") {
		t.Errorf("descriptions %v", desc)
	}
	if short := e.tg.Requests("setMyShortDescription"); len(short) != 4 || short[0].Form["short_description"] != "" || short[1].Form["short_description"] == "" {
		t.Errorf("short descriptions %v", short)
	}

	// a draft enabled by FARO_LOCALES_ENABLED gets its menu too
	e.vars["FARO_LOCALES_ENABLED"] = "qu"
	e.tg.Enqueue("getWebhookInfo", webhookInfo("https://faro.example.org/telegram/webhook", ""))
	out, code = e.run(t, "setup", "telegram")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "ok    setMyCommands (qu): /menu /yanapay /runa /simi /pichay")
}

// TestSetupTelegramFailures: each failure is one FAIL line saying what to fix, the exit
// status is 1, and no secret is printed.
func TestSetupTelegramFailures(t *testing.T) {
	t.Run("wrong token", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.tg.Enqueue("setWebhook", channeltest.Response{Status: 401, Body: `{"ok":false,"error_code":401,"description":"Unauthorized"}`})
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  setWebhook: Telegram refused the token (401 Unauthorized)", "@BotFather")
		if n := len(e.tg.Requests("")); n != 1 {
			t.Errorf("%d calls after a refused token, want it to stop", n)
		}
	})
	t.Run("webhook at another URL", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.tg.Enqueue("getWebhookInfo", webhookInfo("https://old.example.org/telegram/webhook", ""))
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  getWebhookInfo: the webhook is https://old.example.org/telegram/webhook, not https://faro.example.org/telegram/webhook")
	})
	t.Run("last delivery failed", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.tg.Enqueue("getWebhookInfo", webhookInfo("https://faro.example.org/telegram/webhook", "Wrong response from the webhook: 401 Unauthorized"))
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  getWebhookInfo: the last delivery", `"Wrong response from the webhook: 401 Unauthorized"`, "FARO_TELEGRAM_WEBHOOK_SECRET")
	})
	t.Run("a delivery failed before this setup", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.tg.Enqueue("getWebhookInfo", channeltest.Response{Status: 200, Body: `{"ok":true,"result":{"url":"https://faro.example.org/telegram/webhook","last_error_date":1700000000,"last_error_message":"Connection timed out"}}`})
		out, code := e.run(t, "setup", "telegram")
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "ok    getWebhookInfo: Telegram delivers to https://faro.example.org/telegram/webhook (its last error, \"Connection timed out\" at 2023-11-14T22:13:20Z, is older than this check)")
	})
	t.Run("Bot API unreachable", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.vars["FARO_TELEGRAM_API_URL"] = closedURL(t, "http")
		out, code := e.run(t, "setup", "telegram", "-timeout", "2s")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  setWebhook: cannot reach the Bot API at "+e.vars["FARO_TELEGRAM_API_URL"])
	})
	t.Run("public URL without HTTPS", func(t *testing.T) {
		e := newSetupEnv(t, "http://faro.example.org")
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  setWebhook: FARO_PUBLIC_URL is http://faro.example.org: Telegram delivers webhooks only over HTTPS")
		if n := len(e.tg.Requests("")); n != 0 {
			t.Errorf("%d calls", n)
		}
	})
	t.Run("polling with a webhook registered", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.vars["FARO_TELEGRAM_MODE"] = "polling"
		e.tg.Enqueue("getWebhookInfo", webhookInfo("https://faro.example.org/telegram/webhook", ""))
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "skip  setWebhook: FARO_TELEGRAM_MODE is polling", "FAIL  getWebhookInfo: a webhook is registered at https://faro.example.org/telegram/webhook, so polling receives nothing")
		if n := len(e.tg.Requests("deleteWebhook")) + len(e.tg.Requests("setWebhook")); n != 0 {
			t.Errorf("setup changed another deployment's webhook")
		}
	})
	t.Run("weak secret", func(t *testing.T) {
		e := newSetupEnv(t, "https://faro.example.org")
		e.vars["FARO_TELEGRAM_WEBHOOK_SECRET"] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		e.secrets = append(e.secrets, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
		out, code := e.run(t, "setup", "telegram")
		if code != 1 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		mustContain(t, out, "FAIL  config: FARO_TELEGRAM_WEBHOOK_SECRET: too weak", "nothing was sent")
		if n := len(e.tg.Requests("")); n != 0 {
			t.Errorf("%d calls with an invalid configuration", n)
		}
	})
}

// TestSetupWhatsApp: faro setup whatsapp prints the two URLs to paste into Twilio and
// checks the credentials with one authenticated GET of the account.
func TestSetupWhatsApp(t *testing.T) {
	e := newSetupEnv(t, "https://faro.example.org")
	e.tw.Enqueue(testSID+".json", channeltest.Response{Status: 200, Body: `{"sid":"` + testSID + `","status":"active"}`})
	out, code := e.run(t, "setup", "whatsapp")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, `"A message comes in"`, "https://faro.example.org/whatsapp/webhook   method: HTTP POST",
		"https://faro.example.org/whatsapp/status   method: HTTP POST", "ok    twilio credentials: account AC…cdef accepted them (status active)")
	reqs := e.tw.Requests("")
	if len(reqs) != 1 || reqs[0].Path != "/2010-04-01/Accounts/"+testSID+".json" || reqs[0].User != testSID {
		t.Fatalf("Twilio requests %+v, want one GET of the account with its SID", reqs)
	}
	if strings.Contains(out, testSID) {
		t.Errorf("the whole account SID printed:\n%s", out)
	}

	e.vars["FARO_PUBLIC_URL"] = "http://faro.example.org"
	out, code = e.run(t, "setup", "whatsapp")
	if code != 1 {
		t.Fatalf("public URL without TLS: exit %d:\n%s", code, out)
	}
	mustContain(t, out, "FAIL  FARO_PUBLIC_URL: FARO_PUBLIC_URL is http://faro.example.org, without TLS")

	e.vars["FARO_PUBLIC_URL"] = "https://faro.example.org"
	e.tw.Enqueue(testSID+".json", channeltest.TwilioError(401, 20003))
	out, code = e.run(t, "setup", "whatsapp")
	if code != 1 {
		t.Fatalf("wrong credentials: exit %d:\n%s", code, out)
	}
	mustContain(t, out, "FAIL  twilio credentials: credentials refused by Twilio (401)")
}

func redisClient(t *testing.T, u string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// doctorEnv is setupEnv with a real Redis and a public URL served by an httptest
// server with faro serve's /healthz and the real webhook handlers of both channels,
// built with the environment's credentials; the fakes say the webhook is registered
// there.
func doctorEnv(t *testing.T) *setupEnv {
	t.Helper()
	c := storetest.Start(t)
	opt := c.Options()
	var handler atomic.Pointer[http.ServeMux]
	health := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.Load().ServeHTTP(w, r) }))
	t.Cleanup(health.Close)
	e := newSetupEnv(t, health.URL)
	e.redisURL = fmt.Sprintf("redis://%s/%d", opt.Addr, opt.DB)
	e.vars["FARO_REDIS_URL"] = e.redisURL
	e.tg.OK = func(r channeltest.Request) channeltest.Response {
		switch r.Method {
		case "getMe":
			return channeltest.Response{Status: 200, Body: `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Faro","username":"FaroTestBot"}}`}
		case "getWebhookInfo":
			return webhookInfo(e.vars["FARO_PUBLIC_URL"]+"/telegram/webhook", "")
		}
		return channeltest.TelegramOK(r)
	}
	tg, err := telegram.New(telegram.Config{Token: testToken, WebhookSecret: e.vars["FARO_TELEGRAM_WEBHOOK_SECRET"], APIURL: e.tg.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wa, err := whatsapp.New(whatsapp.Config{AccountSID: testSID, AuthToken: e.vars["FARO_TWILIO_AUTH_TOKEN"], From: e.vars["FARO_TWILIO_WHATSAPP_FROM"],
		PublicURL: health.URL, APIURL: e.tw.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	for _, ch := range []interface{ Routes() []bot.Route }{tg, wa} {
		for _, r := range ch.Routes() {
			mux.Handle(r.Method+" "+r.Path, r.Handler)
		}
	}
	handler.Store(mux)
	return e
}

// TestDoctor: faro doctor checks the configuration end to end, one line a check, exit 0
// when all is well; its Redis key is gone after.
func TestDoctor(t *testing.T) {
	e := doctorEnv(t)
	out, code := e.run(t, "doctor", "-timeout", "3s")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "ok    config:", "ok    redis:", "ok    public URL:", "ok    telegram token: accepted: the bot is @FaroTestBot",
		"ok    telegram webhook:", "ok    twilio credentials:", "ok    telegram secret:", "ok    twilio signature:", "faro doctor: all good")
	rdb := redisClient(t, e.redisURL)
	if keys, err := rdb.Keys(context.Background(), "faro:doctor:*").Result(); err != nil || len(keys) != 0 {
		t.Errorf("doctor left keys %v (%v)", keys, err)
	}
	for _, m := range []string{"getMe", "getWebhookInfo"} {
		if len(e.tg.Requests(m)) != 1 {
			t.Errorf("%d %s calls", len(e.tg.Requests(m)), m)
		}
	}
	for _, m := range []string{"setWebhook", "deleteWebhook", "setMyCommands"} {
		if len(e.tg.Requests(m)) != 0 {
			t.Errorf("doctor changed something: %s", m)
		}
	}
}

// TestDoctorFailures: each problem is one FAIL line naming what is wrong and how to fix
// it, exit 1, and no secret printed.
func TestDoctorFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, e *setupEnv)
		want  []string
	}{
		{"redis down", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_REDIS_URL"] = "redis://:hunter2password@" + strings.TrimPrefix(closedURL(t, "x"), "x://") + "/0"
			e.secrets = append(e.secrets, "hunter2password")
		}, []string{"FAIL  redis: no answer from redis://:xxxxx@127.0.0.1:", "start Redis", "ok    public URL:"}},
		{"public URL unreachable", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_PUBLIC_URL"] = closedURL(t, "http")
		}, []string{"FAIL  public URL: cannot reach http://127.0.0.1:", "/healthz", "reverse proxy", "ok    redis:"}},
		{"public URL not faro", func(t *testing.T, e *setupEnv) {
			bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
			t.Cleanup(bad.Close)
			e.vars["FARO_PUBLIC_URL"] = bad.URL
		}, []string{"FAIL  public URL:", "answered HTTP 502"}},
		{"wrong telegram token", func(t *testing.T, e *setupEnv) {
			e.tg.Enqueue("getMe", channeltest.Response{Status: 401, Body: `{"ok":false,"error_code":401,"description":"Unauthorized"}`})
		}, []string{"FAIL  telegram token: Telegram refused the token (401 Unauthorized)"}},
		{"token of another bot", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_TELEGRAM_BOT_USERNAME"] = "OtherFaroBot"
		}, []string{"FAIL  telegram token: the token is @FaroTestBot's, but FARO_TELEGRAM_BOT_USERNAME is OtherFaroBot"}},
		{"webhook elsewhere", func(t *testing.T, e *setupEnv) {
			e.tg.Enqueue("getWebhookInfo", webhookInfo("https://old.example.org/telegram/webhook", ""))
		}, []string{"FAIL  telegram webhook: the webhook is https://old.example.org/telegram/webhook"}},
		{"webhook failing", func(t *testing.T, e *setupEnv) {
			e.tg.Enqueue("getWebhookInfo", webhookInfo(e.vars["FARO_PUBLIC_URL"]+"/telegram/webhook", "Connection refused"))
		}, []string{"FAIL  telegram webhook: the last delivery", `"Connection refused"`}},
		{"old delivery error", func(t *testing.T, e *setupEnv) {
			e.tg.Enqueue("getWebhookInfo", channeltest.Response{Status: 200, Body: `{"ok":true,"result":{"url":"` + e.vars["FARO_PUBLIC_URL"] + `/telegram/webhook","last_error_date":1700000000,"last_error_message":"Connection timed out"}}`})
			e.vars["FARO_TWILIO_AUTH_TOKEN"] = "anotherTwilioToken0123456789abcd" // to fail on something else
			e.secrets = append(e.secrets, e.vars["FARO_TWILIO_AUTH_TOKEN"])
		}, []string{"ok    telegram webhook: Telegram delivers to http://127.0.0.1:", "is older than this check", "FAIL  twilio signature:"}},
		{"no webhook", func(t *testing.T, e *setupEnv) {
			e.tg.Enqueue("getWebhookInfo", webhookInfo("", ""))
		}, []string{"FAIL  telegram webhook: no webhook is registered", "faro setup telegram"}},
		{"wrong twilio token", func(t *testing.T, e *setupEnv) {
			e.tw.Enqueue(testSID+".json", channeltest.TwilioError(401, 20003))
		}, []string{"FAIL  twilio credentials: credentials refused by Twilio (401)"}},
		{"twilio suspended", func(t *testing.T, e *setupEnv) {
			e.tw.Enqueue(testSID+".json", channeltest.Response{Status: 200, Body: `{"status":"suspended"}`})
		}, []string{"FAIL  twilio credentials: the Twilio account is suspended"}},
		{"serve has another webhook secret", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_TELEGRAM_WEBHOOK_SECRET"] = config.NewSecret()
			e.secrets = append(e.secrets, e.vars["FARO_TELEGRAM_WEBHOOK_SECRET"])
		}, []string{"FAIL  telegram secret: faro serve at http://127.0.0.1:", "refuses FARO_TELEGRAM_WEBHOOK_SECRET", "ok    twilio signature:"}},
		{"serve has another twilio token", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_TWILIO_AUTH_TOKEN"] = "anotherTwilioToken0123456789abcd"
			e.secrets = append(e.secrets, e.vars["FARO_TWILIO_AUTH_TOKEN"])
		}, []string{"FAIL  twilio signature: faro serve at http://127.0.0.1:", "refuses a request signed with FARO_TWILIO_AUTH_TOKEN", "ok    telegram secret:"}},
		{"weak HMAC secret", func(t *testing.T, e *setupEnv) {
			e.vars["FARO_HMAC_SECRET"] = "faro-secret-faro-secret-faro-secret"
			e.secrets = append(e.secrets, "faro-secret-faro-secret-faro-secret")
		}, []string{"FAIL  config: FARO_HMAC_SECRET: too weak", "the other checks did not run"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := doctorEnv(t)
			tc.setup(t, e)
			out, code := e.run(t, "doctor", "-timeout", "2s")
			if code != 1 {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			mustContain(t, out, tc.want...)
			if strings.Contains(out, "all good") {
				t.Errorf("all good with a failure:\n%s", out)
			}
		})
	}
}

// TestTelegramProfiles: every locale, drafts included, has a profile within Telegram's
// limits whose command names the conversation understands.
func TestTelegramProfiles(t *testing.T) {
	c, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.All() {
		p, err := telegramProfile(c, lang)
		if err != nil {
			t.Errorf("%s: %v", lang, err)
			continue
		}
		if len(p.commands) != len(tgMenu) {
			t.Errorf("%s: %d commands", lang, len(p.commands))
		}
	}
}

// TestDoctorAgainstServe: faro doctor passes against a real faro serve reached at its
// public URL, with the same configuration, and its probes of the webhooks are not
// taken for messages: nobody is answered.
func TestDoctorAgainstServe(t *testing.T) {
	public := closedURL(t, "http") // a free port for serve: its public URL is itself
	redisURL := storetest.URL(t)
	s := startServe(t, redisURL, "FARO_LISTEN", strings.TrimPrefix(public, "http://"), "FARO_PUBLIC_URL", public)
	s.tg.Enqueue("getMe", channeltest.Response{Status: 200, Body: `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Faro","username":"FaroServeBot"}}`})
	s.tg.Enqueue("getWebhookInfo", webhookInfo(public+"/telegram/webhook", ""))
	s.tw.Enqueue("ACserve.json", channeltest.Response{Status: 200, Body: `{"status":"active"}`})
	e := &setupEnv{secrets: []string{srvTGToken, srvTGSecret, srvTWToken}, vars: map[string]string{
		"FARO_PUBLIC_URL": public, "FARO_REDIS_URL": redisURL, "FARO_HMAC_SECRET": config.NewSecret(),
		"FARO_TELEGRAM_TOKEN": srvTGToken, "FARO_TELEGRAM_WEBHOOK_SECRET": srvTGSecret, "FARO_TELEGRAM_API_URL": s.tg.URL,
		"FARO_TWILIO_ACCOUNT_SID": "ACserve", "FARO_TWILIO_AUTH_TOKEN": srvTWToken,
		"FARO_TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886", "FARO_TWILIO_API_URL": s.tw.URL,
	}}
	out, code := e.run(t, "doctor", "-timeout", "3s")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "ok    public URL:", "ok    telegram secret:", "ok    twilio signature:", "faro doctor: all good")
	time.Sleep(200 * time.Millisecond)
	if n, m := len(s.tg.Requests("sendMessage")), len(s.tw.Requests("Messages.json")); n != 0 || m != 0 {
		t.Errorf("doctor's probes were answered: %d Telegram, %d WhatsApp messages", n, m)
	}
}
