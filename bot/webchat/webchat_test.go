package webchat

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/locales"
)

// echoBot answers every message with one reply naming what it got, with two buttons;
// "where" asks for a location. It records what it received.
type echoBot struct {
	mu  sync.Mutex
	got []bot.Inbound
}

func (e *echoBot) Handle(_ context.Context, in bot.Inbound) ([]bot.Outbound, error) {
	e.mu.Lock()
	e.got = append(e.got, in)
	e.mu.Unlock()
	out := bot.Outbound{Text: "got " + in.Text + in.Payload,
		Buttons: []bot.Button{{Label: "Uno", Payload: "m:0"}, {Label: "Dos", Payload: "m:1"}}}
	if in.Start {
		out.Text = "welcome"
	}
	if in.Text == "where" {
		out.AskLocation, out.LocationLabel = true, "pin"
	}
	return []bot.Outbound{out}, nil
}

func (e *echoBot) inbounds() []bot.Inbound {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Inbound(nil), e.got...)
}

type harness struct {
	t    *testing.T
	ch   *Channel
	hub  *bot.Hub
	bot  *echoBot
	srv  *httptest.Server
	logs *bytes.Buffer
}

func texts(t *testing.T) *locales.Catalog {
	t.Helper()
	c, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newHarness serves a web chat whose messages go through a real Dispatcher and Hub
// to echoBot.
func newHarness(t *testing.T, mod func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, bot: &echoBot{}, logs: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: h.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.hub = bot.NewHub(bot.HubConfig{Logger: log})
	inbox := bot.NewDispatcher(h.bot, h.hub, nil, log, 0)
	cfg := Config{Texts: texts(t), Logger: log, Heartbeat: 50 * time.Millisecond,
		Places: []Place{{Code: "150132", Name: "San Juan de Lurigancho", Region: "Lima, Lima", Text: "San Juan de Lurigancho"}}}
	if mod != nil {
		mod(&cfg)
	}
	ch, err := New(cfg, inbox)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	h.ch = ch
	h.srv = httptest.NewServer(ch.Handler())
	t.Cleanup(func() {
		h.srv.CloseClientConnections()
		_ = ch.Close(context.Background())
		h.srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.hub.Close(ctx)
	})
	return h
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// person is a browser: a cookie jar on the harness's server.
func (h *harness) person() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.Get(h.srv.URL + "/")
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c
}

func (h *harness) cookie(c *http.Client) string {
	u, _ := url.Parse(h.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == CookieName {
			return ck.Value
		}
	}
	h.t.Fatal("no cookie")
	return ""
}

// post sends body as JSON and returns the status and error code.
func (h *harness) post(c *http.Client, body string, mod ...func(*http.Request)) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+SendPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, m := range mod {
		m(req)
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Error string }
	_ = json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r.Error
}

type sse struct {
	ID    string
	Event string
	Data  string
}

// stream opens the event stream (after: Last-Event-ID) and returns its events as they
// come; the stream closes with the test.
func (h *harness) stream(c *http.Client, after string) <-chan sse {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+EventsPath, nil)
	if after != "" {
		req.Header.Set("Last-Event-ID", after)
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		h.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sse, 100)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var e sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.Data != "" {
					out <- e
				}
				e = sse{}
			case strings.HasPrefix(line, "id: "):
				e.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				e.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				e.Data = line[6:]
			}
		}
	}()
	return out
}

// next returns the next event that is not a "ready".
func next(t *testing.T, ch <-chan sse) (sse, event) {
	t.Helper()
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatal("stream ended")
			}
			if e.Event == "ready" {
				continue
			}
			var ev event
			if err := json.Unmarshal([]byte(e.Data), &ev); err != nil {
				t.Fatalf("event %q: %v", e.Data, err)
			}
			return e, ev
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5s")
		}
	}
}

func TestPageCookieCSP(t *testing.T) {
	h := newHarness(t, nil)
	resp, err := http.Get(h.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Security-Policy"); got != CSP || strings.Contains(got, "unsafe") {
		t.Errorf("CSP %q", got)
	}
	for _, hd := range []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if resp.Header.Get(hd) == "" {
			t.Errorf("no %s", hd)
		}
	}
	cks := resp.Cookies()
	if len(cks) != 1 || cks[0].Name != CookieName || !cks[0].HttpOnly || cks[0].SameSite != http.SameSiteStrictMode ||
		cks[0].Path != "/" || cks[0].Secure || !validAddress(cks[0].Value) {
		t.Fatalf("cookie %+v", cks)
	}
	page := string(body)
	if strings.Contains(page, "<script>") || strings.Contains(page, " on") && strings.Contains(page, "onclick") {
		t.Error("inline script in the page")
	}
	if !strings.Contains(page, `<html lang="es">`) || !strings.Contains(page, "Escribe un mensaje") {
		t.Error("page not in Spanish by default")
	}

	// English when the browser prefers it; a known browser keeps its cookie.
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9,es;q=0.5")
	req.AddCookie(cks[0])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `<html lang="en">`) || !strings.Contains(string(body), "Write a message") {
		t.Error("page not in English for an English browser")
	}
	if len(resp.Cookies()) != 0 {
		t.Error("a new cookie for a browser that has one")
	}

	// Secure when configured.
	hs := newHarness(t, func(c *Config) { c.Secure = true })
	resp, err = http.Get(hs.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cks := resp.Cookies(); len(cks) != 1 || !cks[0].Secure {
		t.Errorf("cookie not Secure: %+v", cks)
	}
}

func TestAssets(t *testing.T) {
	h := newHarness(t, nil)
	for _, name := range []string{"app.js", "app.css"} {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+AssetsPath+name, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") == "" ||
			resp.Header.Get("Content-Security-Policy") != CSP {
			t.Errorf("%s: %d %v", name, resp.StatusCode, resp.Header)
		}
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		resp, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", name, resp.StatusCode)
		}
	}
	resp, err := http.Get(h.srv.URL + AssetsPath + "nope.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
}

func TestSendAndEvents(t *testing.T) {
	h := newHarness(t, nil)
	p := h.person()
	addr := h.cookie(p)
	evs := h.stream(p, "")
	select {
	case e := <-evs:
		if e.Event != "ready" || e.Data != `{"fresh":true}` {
			t.Fatalf("first event %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no ready event")
	}
	if code, msg := h.post(p, `{"id":"start0001","start":true}`); code != 202 {
		t.Fatalf("start: %d %s", code, msg)
	}
	e, ev := next(t, evs)
	if ev.From != fromBot || ev.Text != "welcome" || len(ev.Buttons) != 2 || ev.Buttons[1].Payload != "m:1" {
		t.Fatalf("welcome %+v", ev)
	}
	if !strings.HasPrefix(e.ID, h.ch.epoch+"-") || strings.HasSuffix(e.ID, "-0") {
		t.Fatalf("event id %q", e.ID)
	}
	if code, _ := h.post(p, `{"id":"msg000001","text":"  hola\u0007 "}`); code != 202 {
		t.Fatalf("text: %d", code)
	}
	_, me := next(t, evs)
	if me.From != fromMe || me.Text != "hola" || me.Client != "msg000001" {
		t.Fatalf("echo %+v", me)
	}
	_, ev = next(t, evs)
	if ev.Text != "got hola" {
		t.Fatalf("reply %+v", ev)
	}
	if code, _ := h.post(p, `{"id":"msg000002","payload":"m:1","label":"Dos"}`); code != 202 {
		t.Fatalf("button: %d", code)
	}
	_, me = next(t, evs)
	_, ev = next(t, evs)
	if me.Text != "Dos" || ev.Text != "got m:1" {
		t.Fatalf("button: %+v %+v", me, ev)
	}
	if code, _ := h.post(p, `{"id":"msg000003","place":"150132"}`); code != 202 {
		t.Fatalf("place: %d", code)
	}
	_, me = next(t, evs)
	_, ev = next(t, evs)
	if me.Text != "San Juan de Lurigancho" || ev.Text != "got San Juan de Lurigancho" {
		t.Fatalf("place: %+v %+v", me, ev)
	}
	got := h.bot.inbounds()
	if len(got) != 4 || !got[0].Start || got[1].Text != "hola" || got[2].Payload != "m:1" || got[2].Text != "" {
		t.Fatalf("inbounds %+v", got)
	}
	for _, in := range got {
		if in.Channel != bot.ChannelWebchat || in.Address != addr || in.LangHint != "es" || in.MessageID == "" {
			t.Fatalf("inbound %+v", in)
		}
	}

	// An operator's words, through the hub, are marked as such.
	if err := h.hub.Send(bot.Outbound{Channel: bot.ChannelWebchat, Address: addr, Text: "soy Ana", Operator: true}); err != nil {
		t.Fatal(err)
	}
	_, ev = next(t, evs)
	if ev.From != fromOperator || ev.Text != "soy Ana" {
		t.Fatalf("operator %+v", ev)
	}

	// A retry of a message already taken is not shown twice.
	if code, _ := h.post(p, `{"id":"msg000001","text":"hola"}`); code != 202 {
		t.Fatalf("retry: %d", code)
	}
	_, ev = next(t, evs)
	if ev.From != fromBot {
		t.Fatalf("a retried message was echoed again: %+v", ev)
	}

	// Nothing personal in the logs.
	logs := h.logs.String()
	for _, s := range []string{addr, "hola", "Lurigancho", "soy Ana"} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q:\n%s", s, logs)
		}
	}
}

func TestCatchUp(t *testing.T) {
	h := newHarness(t, nil)
	p := h.person()
	for i := 1; i <= 3; i++ {
		if code, _ := h.post(p, fmt.Sprintf(`{"id":"catchup%03d","text":"m%d"}`, i, i)); code != 202 {
			t.Fatal(code)
		}
	}
	// Six events: three echoes, three replies; wait for the last reply to be delivered.
	all := h.stream(p, "")
	var ids []string
	for len(ids) < 6 {
		e, _ := next(t, all)
		ids = append(ids, e.ID)
	}
	// A reconnect with the id of the second event gets the four after it, in order.
	evs := h.stream(p, ids[1])
	for _, want := range ids[2:] {
		if e, _ := next(t, evs); e.ID != want {
			t.Fatalf("caught up %q, want %q", e.ID, want)
		}
	}
	// ?after= works the same (the page's own reconnect).
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+EventsPath+"?after="+url.QueryEscape(ids[4]), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	resp, err := p.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "id: "+ids[4]+"\n") || !strings.Contains(string(b), "id: "+ids[5]+"\n") {
		t.Fatalf("?after: %s", b)
	}
	// An id from an earlier run of the server: everything kept.
	evs = h.stream(p, "0000beef-99")
	if e, _ := next(t, evs); e.ID != ids[0] {
		t.Fatalf("old epoch: first %q, want %q", e.ID, ids[0])
	}
	for range ids[1:] {
		_, _ = next(t, evs)
	}
	// Live events still come after a catch-up.
	if code, _ := h.post(p, `{"id":"catchup004","text":"m4"}`); code != 202 {
		t.Fatal(code)
	}
	for _, want := range []string{"m4", "got m4"} {
		if _, ev := next(t, evs); ev.Text != want {
			t.Fatalf("live %q, want %q", ev.Text, want)
		}
	}
}

func TestBacklogBoundedAndExpires(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := newHarness(t, func(c *Config) { c.Backlog = 3; c.BacklogTTL = time.Minute; c.Now = clock })
	p := h.person()
	addr := h.cookie(p)
	for i := 0; i < 5; i++ {
		if err := h.ch.Deliver(context.Background(), bot.Outbound{Address: addr, Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	evs := h.stream(p, "")
	for _, want := range []string{"2", "3", "4"} {
		if _, ev := next(t, evs); ev.Text != want {
			t.Fatalf("kept %q, want %q", ev.Text, want)
		}
	}
	// Bounded in bytes too: a long reply pushes out older ones, but is itself kept.
	h.ch.boxes.mu.Lock()
	h.ch.boxes.maxBytes = 1000
	h.ch.boxes.mu.Unlock()
	long := strings.Repeat("x", 2000)
	if err := h.ch.Deliver(context.Background(), bot.Outbound{Address: addr, Text: long}); err != nil {
		t.Fatal(err)
	}
	h.ch.boxes.mu.Lock()
	mb := h.ch.boxes.m[addr]
	kept, size := len(mb.events), mb.bytes
	h.ch.boxes.mu.Unlock()
	if kept != 1 || size != len(long)+64 {
		t.Fatalf("after a long reply: %d events, %d bytes", kept, size)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+EventsPath, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	resp, err := p.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "id: ") {
		t.Fatalf("expired events sent: %s", b)
	}
	if !strings.Contains(string(b), ": ping") {
		t.Errorf("no heartbeat on an idle stream: %s", b)
	}
	// Bounded people: the one idle longest is forgotten.
	h.ch.boxes.mu.Lock()
	h.ch.boxes.max = 2
	h.ch.boxes.mu.Unlock()
	for i := 0; i < 3; i++ {
		a, _ := newAddress()
		if err := h.ch.Deliver(context.Background(), bot.Outbound{Address: a, Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	h.ch.boxes.mu.Lock()
	n := len(h.ch.boxes.m)
	h.ch.boxes.mu.Unlock()
	if n > 2 {
		t.Fatalf("%d people in memory, want at most 2", n)
	}
}

func TestBadInput(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxBodyBytes = 1024; c.MaxTextRunes = 50 })
	p := h.person()
	noCookie := &http.Client{}
	long := strings.Repeat("a", 51)
	huge := strings.Repeat("a", 2000)
	cases := []struct {
		name   string
		client *http.Client
		body   string
		mod    func(*http.Request)
		status int
		code   string
	}{
		{"no cookie", noCookie, `{"id":"abcdefgh","text":"hola"}`, nil, 401, errSession},
		{"form post", p, `id=abcdefgh&text=hola`, func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, 415, errInvalid},
		{"other site", p, `{"id":"abcdefgh","text":"hola"}`, func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }, 403, errInvalid},
		{"cross-site fetch", p, `{"id":"abcdefgh","text":"hola"}`, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, 403, errInvalid},
		{"not JSON", p, `hola`, nil, 400, errInvalid},
		{"two objects", p, `{"id":"abcdefgh","text":"a"}{}`, nil, 400, errInvalid},
		{"unknown field", p, `{"id":"abcdefgh","text":"hola","admin":true}`, nil, 400, errInvalid},
		{"no id", p, `{"text":"hola"}`, nil, 400, errInvalid},
		{"bad id", p, `{"id":"../../etc","text":"hola"}`, nil, 400, errInvalid},
		{"empty", p, `{"id":"abcdefgh","text":"   "}`, nil, 400, errEmpty},
		{"nothing", p, `{"id":"abcdefgh"}`, nil, 400, errEmpty},
		{"too long", p, `{"id":"abcdefgh","text":"` + long + `"}`, nil, 413, errTooLong},
		{"body too big", p, `{"id":"abcdefgh","text":"` + huge + `"}`, nil, 413, errTooLong},
		{"two kinds", p, `{"id":"abcdefgh","text":"a","payload":"m:1"}`, nil, 400, errInvalid},
		{"unknown place", p, `{"id":"abcdefgh","place":"999999"}`, nil, 400, errInvalid},
		{"bad payload", p, `{"id":"abcdefgh","payload":"m:\u00e9"}`, nil, 400, errInvalid},
		{"long payload", p, `{"id":"abcdefgh","payload":"` + strings.Repeat("x", 65) + `"}`, nil, 400, errInvalid},
		{"bad UTF-8", p, "{\"id\":\"abcdefgh\",\"text\":\"\xff\xfe\"}", nil, 400, errEmpty},
		{"code without start", p, `{"id":"abcdefgh","text":"hola","code":"sjm"}`, nil, 400, errInvalid},
		{"bad code", p, `{"id":"abcdefgh","start":true,"code":"sjm x"}`, nil, 400, errInvalid},
		{"long code", p, `{"id":"abcdefgh","start":true,"code":"` + strings.Repeat("x", 65) + `"}`, nil, 400, errInvalid},
	}
	for _, c := range cases {
		status, code := h.post(c.client, c.body, func(r *http.Request) {
			if c.mod != nil {
				c.mod(r)
			}
		})
		if status != c.status || code != c.code {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, code, c.status, c.code)
		}
	}
	if got := h.bot.inbounds(); len(got) != 0 {
		t.Fatalf("bad input reached the bot: %+v", got)
	}
	// The page's sentence for each code exists.
	for _, code := range []string{errEmpty, errTooLong, errInvalid, errSession, errBusy, errSlow} {
		if !texts(t).Has("es", "webchat.error."+code) {
			t.Errorf("no sentence for %s", code)
		}
	}
	// Events need the cookie too.
	resp, err := noCookie.Get(h.srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("events without cookie: %d", resp.StatusCode)
	}
	// A forged cookie is no address.
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+EventsPath, nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: "not-an-address"})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("events with a forged cookie: %d", resp.StatusCode)
	}
}

func TestRateLimitAndStreams(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Burst = 2; c.Per = time.Hour; c.MaxStreams = 1 })
	p := h.person()
	for i, want := range []int{202, 202, 429} {
		if code, _ := h.post(p, fmt.Sprintf(`{"id":"ratelimit%d","text":"x"}`, i)); code != want {
			t.Fatalf("message %d: %d, want %d", i, code, want)
		}
	}
	if code, _ := h.post(p, `{"id":"ratelimit0","text":"x"}`); code != 202 {
		t.Fatalf("a retry counted against the limit: %d", code)
	}
	_ = h.stream(p, "")
	resp, err := p.Get(h.srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second stream: %d", resp.StatusCode)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	h := newHarness(t, nil)
	p := h.person()
	evs := h.stream(p, "")
	<-evs // ready
	if err := h.ch.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-evs:
		if ok {
			t.Fatal("an event after close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stream outlived Close")
	}
}

func TestDeliverBadAddress(t *testing.T) {
	h := newHarness(t, nil)
	err := h.ch.Deliver(context.Background(), bot.Outbound{Address: "12345", Text: "x"})
	if err == nil || bot.IsRetryable(err) {
		t.Fatalf("Deliver to a bad address: %v", err)
	}
}

func TestPageKeysInEveryLanguage(t *testing.T) {
	c := texts(t)
	for _, l := range c.Langs() {
		for _, k := range PageKeys {
			if !c.Has(l, k) {
				t.Errorf("%s.toml has no %s", l, k)
			}
		}
	}
}

type fakeGaz struct{}

func (fakeGaz) Districts() []flows.Place {
	return []flows.Place{{Code: "1", Name: "Miraflores", Region: "Lima, Lima"}, {Code: "2", Name: "Miraflores", Region: "Arequipa, Arequipa"},
		{Code: "3", Name: "Breña", Region: "Lima, Lima"}, {Code: "4", Name: "Nowhere", Region: "X, Y"}}
}

func (fakeGaz) Locate(s string) []flows.Place {
	switch s {
	case "Miraflores":
		return []flows.Place{{Code: "1"}, {Code: "2"}}
	case "Miraflores, Arequipa":
		return []flows.Place{{Code: "2"}}
	case "Miraflores, Lima":
		return []flows.Place{{Code: "1"}}
	case "Breña":
		return []flows.Place{{Code: "3"}}
	}
	return nil
}

func TestPlaces(t *testing.T) {
	got := Places(fakeGaz{})
	want := []Place{{"1", "Miraflores", "Lima, Lima", "Miraflores, Lima"}, {"2", "Miraflores", "Arequipa, Arequipa", "Miraflores, Arequipa"},
		{"3", "Breña", "Lima, Lima", "Breña"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Places = %v, want %v", got, want)
	}
}

// TestRealConversation runs the page's messages through Faro's own conversation on
// the embedded Redis: the welcome has buttons, and a place question offers districts.
func TestRealConversation(t *testing.T) {
	ct, err := content.Load(content.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	rdb, closeRedis, err := store.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeRedis)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	conv, err := bot.NewConversation(bot.Config{Engine: ct.Engine, Texts: ct.Texts, Store: session.NewRedis(rdb, session.Options{}), Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	places := Places(ct.Directory)
	if len(places) < 500 {
		t.Fatalf("only %d districts offered", len(places))
	}
	hub := bot.NewHub(bot.HubConfig{})
	ch, err := New(Config{Texts: ct.Texts, Places: places}, bot.NewDispatcher(conv, hub, nil, nil, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ch.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		_ = hub.Close(context.Background())
	})
	h := &harness{t: t, ch: ch, srv: srv}
	p := h.person()
	evs := h.stream(p, "")
	if code, _ := h.post(p, `{"id":"realstart","start":true}`); code != 202 {
		t.Fatal(code)
	}
	_, ev := next(t, evs)
	if ev.From != fromBot || !strings.Contains(ev.Text, "Faro") || len(ev.Buttons) < 3 {
		t.Fatalf("welcome %+v", ev)
	}
	// As in the README: 2 (services), 1 (the first kind), then the place question,
	// answered from the district list.
	var r event
	for i, text := range []string{"2", "1"} {
		if code, _ := h.post(p, fmt.Sprintf(`{"id":"realtext%02d","text":%q}`, i, text)); code != 202 {
			t.Fatal(code)
		}
		_, _ = next(t, evs) // echo
		_, r = next(t, evs)
	}
	if !r.AskLocation || r.LocationLabel == "" {
		t.Fatalf("no place question: %+v", r)
	}
	if code, _ := h.post(p, `{"id":"realplace","place":"150132"}`); code != 202 {
		t.Fatal(code)
	}
	_, me := next(t, evs)
	_, r = next(t, evs)
	if me.Text != "San Juan de Lurigancho" || !strings.Contains(r.Text, "San Juan de Lurigancho") {
		t.Fatalf("district answer: %+v\n%+v", me, r)
	}
}

// TestStreamOutlivesWriteTimeout: a server's WriteTimeout does not cut the event
// stream, which moves its own write deadline before each write (as faro serve's
// serveTimeouts expect of a stream).
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Heartbeat = 100 * time.Millisecond; c.WriteTimeout = time.Second })
	srv := httptest.NewUnstartedServer(h.ch.Handler())
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	h.srv = srv
	p := h.person()
	addr := h.cookie(p)
	evs := h.stream(p, "")
	time.Sleep(1200 * time.Millisecond) // four times the server's WriteTimeout
	if err := h.ch.Deliver(context.Background(), bot.Outbound{Address: addr, Text: "still here"}); err != nil {
		t.Fatal(err)
	}
	if _, ev := next(t, evs); ev.Text != "still here" {
		t.Fatalf("event %+v", ev)
	}
}

// TestStartCode: the page opened with ?start=CODE sends the code with its start; the
// bot gets it as a Telegram deep link's (Inbound.StartCode).
func TestStartCode(t *testing.T) {
	h := newHarness(t, nil)
	p := h.person()
	if code, msg := h.post(p, `{"id":"startcode1","start":true,"code":"ORG_lima-1"}`); code != 202 {
		t.Fatalf("start with a code: %d %s", code, msg)
	}
	got := h.bot.inbounds()
	if len(got) != 1 || !got[0].Start || got[0].StartCode != "ORG_lima-1" || got[0].Channel != bot.ChannelWebchat {
		t.Fatalf("inbound %+v", got)
	}
}
