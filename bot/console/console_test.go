package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/content"
)

var secret = []byte("console-test-secret-0123456789")

var (
	contentOnce sync.Once
	shipped     *content.Content
	contentErr  error
)

// loadContent loads the shipped flow, locales and directory once per test binary.
func loadContent(t *testing.T) *content.Content {
	t.Helper()
	contentOnce.Do(func() { shipped, contentErr = content.Load(content.Sources{}) })
	if contentErr != nil {
		t.Fatal(contentErr)
	}
	return shipped
}

// testRedis is a client on FARO_TEST_REDIS_URL's own database (or the private server
// storetest starts), shared by the tests; each test writes under its own key prefix
// and deletes it after.
// With FARO_CONSOLE_TEST_EMBEDDED=1 it is the embedded Redis of `faro demo` instead.
// The client has production's fail-fast timeouts (store.FailFast).
func testRedis(t *testing.T, prefix string) redis.UniversalClient {
	t.Helper()
	if os.Getenv("FARO_CONSOLE_TEST_EMBEDDED") == "1" {
		c, stop, err := store.Embedded()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		return c
	}
	opt, err := redis.ParseURL(storetest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	store.FailFast(opt)
	c := redis.NewClient(opt)
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			_ = c.Del(ctx, keys...).Err()
		}
		_ = c.Close()
	})
	return c
}

// fakeChannel records deliveries; with window set it has a reply window (WhatsApp),
// open unless closed.
type fakeChannel struct {
	name   string
	window bool
	mu     sync.Mutex
	got    []bot.Outbound
	closed bool
}

func (c *fakeChannel) Name() string                { return c.name }
func (c *fakeChannel) Routes() []bot.Route         { return nil }
func (c *fakeChannel) Close(context.Context) error { return nil }
func (c *fakeChannel) Outlet() bot.Outlet {
	return bot.Outlet{MaxLen: 4096, Deliverer: bot.DelivererFunc(func(_ context.Context, m bot.Outbound) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.got = append(c.got, m)
		return nil
	})}
}

func (c *fakeChannel) delivered() []bot.Outbound {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bot.Outbound(nil), c.got...)
}

// windowChannel is a fakeChannel with WhatsApp's reply window.
type windowChannel struct{ *fakeChannel }

func (c windowChannel) WindowOpen(context.Context, string) (bool, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false, time.Time{}
	}
	return true, time.Now().Add(3 * time.Hour)
}

type fixture struct {
	t       *testing.T
	rdb     redis.UniversalClient
	prefix  string
	tickets *handoff.Store
	hub     *bot.Hub
	tg      *fakeChannel
	wa      *fakeChannel
	console *Console
	srv     *httptest.Server
	logs    *bytes.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "ctest:" + hex.EncodeToString(b) + ":"
	rdb := testRedis(t, prefix)
	tickets, err := handoff.New(rdb, secret, handoff.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(bot.HubConfig{})
	tg := &fakeChannel{name: bot.ChannelTelegram}
	wa := &fakeChannel{name: bot.ChannelWhatsApp, window: true}
	if err := hub.Add(tg); err != nil {
		t.Fatal(err)
	}
	if err := hub.Add(windowChannel{wa}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hub.Close(context.Background()) })
	ct := loadContent(t)
	logs := &bytes.Buffer{}
	c, err := New(Config{
		Tickets: tickets, Hub: hub, Redis: rdb, Prefix: prefix,
		Texts: ct.Texts, Directory: ct.Directory, Engine: ct.Engine,
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil)), Heartbeat: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.accounts.cost = bcrypt.MinCost
	mux := http.NewServeMux()
	mux.Handle("/operator", c.Handler())
	mux.Handle("/operator/", c.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, rdb: rdb, prefix: prefix, tickets: tickets, hub: hub, tg: tg, wa: wa, console: c, srv: srv, logs: logs}
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

// account creates an account and returns its password.
func (f *fixture) account(id, role string) string {
	f.t.Helper()
	pw, err := f.console.Accounts().Add(context.Background(), id, role, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return pw
}

// open opens a ticket for a person on channel and returns her key and the ticket id.
func (f *fixture) open(channel, address, lang, topic string) (user, id string) {
	f.t.Helper()
	user = store.UserKey(secret, channel, address)
	id = "tk-" + user[:10]
	err := f.tickets.Open(context.Background(), bot.Ticket{ID: id, User: user, Channel: channel, Address: address,
		Topic: topic, Lang: lang, At: time.Now().Add(-3 * time.Minute)})
	if err != nil {
		f.t.Fatal(err)
	}
	return user, id
}

// browser is one operator's browser: its cookies, no redirects followed.
type browser struct {
	f       *fixture
	cookies map[string]string
	csrf    string
}

func (f *fixture) browser() *browser {
	return &browser{f: f, cookies: map[string]string{}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values) response {
	b.f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.f.srv.URL+path, body)
	if err != nil {
		b.f.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck.Value
		}
	}
	out := response{status: res.StatusCode, header: res.Header, body: string(raw)}
	if m := csrfField.FindStringSubmatch(out.body); m != nil {
		b.csrf = m[1]
	}
	return out
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// post sends a form with the page's CSRF token.
func (b *browser) post(path string, kv ...string) response {
	b.f.t.Helper()
	form := url.Values{"csrf": {b.csrf}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return b.do(http.MethodPost, path, form)
}

// login logs in through the form and returns the response to the POST.
func (b *browser) login(id, password string) response {
	b.f.t.Helper()
	if r := b.do(http.MethodGet, "/operator/login", nil); r.status != http.StatusOK {
		b.f.t.Fatalf("login page: %d", r.status)
	}
	return b.post("/operator/login", "account", id, "password", password)
}

// mustLogin logs in and loads the queue (for its CSRF token).
func (b *browser) mustLogin(id, password string) {
	b.f.t.Helper()
	r := b.login(id, password)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/operator/" {
		b.f.t.Fatalf("login %s: %d %s", id, r.status, r.header.Get("Location"))
	}
	if r := b.do(http.MethodGet, "/operator/", nil); r.status != http.StatusOK {
		b.f.t.Fatalf("queue after login: %d", r.status)
	}
}

func location(r response) string { return r.header.Get("Location") }

func text(body string) string { return html.UnescapeString(body) }

func (f *fixture) waitDelivered(ch *fakeChannel, n int) []bot.Outbound {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(ch.delivered()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return ch.delivered()
}

// regexpTags strips tags (and so attributes: URLs, form values) from a page.
var regexpTags = regexp.MustCompile(`<[^>]*>`)

// cardField finds a service card's send form.
var cardField = regexp.MustCompile(`name="card" value="([^"]+)"`)
