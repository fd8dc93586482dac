// Package channeltest is the shared test harness of Faro's channel adapters: table
// cases of raw inbound payloads (testdata/*.json) run against a channel's webhook, fake
// platform APIs on httptest servers, a fake Handler that dedupes like the real one, a
// loopback-only HTTP transport so that no test reaches the internet, and log capture
// with a check that no secret or personal data reaches the logs.
package channeltest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
)

// ErrNotLoopback is returned by the loopback-only transport for any other host.
var ErrNotLoopback = errors.New("channeltest: request to a non-loopback host refused")

// LoopbackTransport is an http.RoundTripper that only talks to loopback addresses.
type LoopbackTransport struct{ Base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t LoopbackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("%w: %s", ErrNotLoopback, host)
	}
	base := t.Base
	if base == nil {
		base = loopbackBase
	}
	return base.RoundTrip(req)
}

var loopbackBase = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}

// NoNetwork makes http.DefaultTransport loopback-only for the test, so that a client
// that forgot its injected transport fails instead of reaching the internet, and
// returns a loopback-only client for the code under test.
func NoNetwork(t testing.TB) *http.Client {
	t.Helper()
	prev := http.DefaultTransport
	http.DefaultTransport = LoopbackTransport{}
	t.Cleanup(func() { http.DefaultTransport = prev })
	return &http.Client{Transport: LoopbackTransport{}, Timeout: 10 * time.Second}
}

// Logs captures JSON logs for assertions.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// NewLogger returns a debug-level JSON logger writing to a new Logs.
func NewLogger() (*slog.Logger, *Logs) {
	l := &Logs{}
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug})), l
}

// AssertRedacted fails the test if any of the private values (tokens, phone numbers,
// chat ids, message text) appears in the logs. Empty values are skipped.
func AssertRedacted(t testing.TB, logs *Logs, private ...string) {
	t.Helper()
	out := logs.String()
	for _, p := range private {
		if p != "" && strings.Contains(out, p) {
			t.Errorf("logs contain private value %q:\n%s", p, out)
		}
	}
}

// FakeHandler is a bot.Handler for channel tests. Like the real conversation it
// dedupes on Inbound.MessageID (a replay yields no reply), and by default answers each
// message with Reply; Fail makes it fail, returning FailReplies (an emergency reply
// while Redis is down, say).
type FakeHandler struct {
	Reply       func(in bot.Inbound) []bot.Outbound
	Fail        error
	FailReplies []bot.Outbound

	mu   sync.Mutex
	seen map[string]bool
	got  []bot.Inbound
}

// DefaultReply is the FakeHandler's answer: one message with two options.
func DefaultReply(in bot.Inbound) []bot.Outbound {
	return []bot.Outbound{{Text: "Hola, soy Faro.", Buttons: []bot.Button{
		{Label: "Mis derechos", Payload: "rights"}, {Label: "Emergencia", Payload: "emergency"}}}}
}

// Handle implements bot.Handler.
func (h *FakeHandler) Handle(_ context.Context, in bot.Inbound) ([]bot.Outbound, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, in)
	if h.Fail != nil {
		return h.FailReplies, h.Fail
	}
	if h.seen == nil {
		h.seen = make(map[string]bool)
	}
	if in.MessageID != "" {
		k := in.Channel + ":" + in.MessageID
		if h.seen[k] {
			return nil, nil
		}
		h.seen[k] = true
	}
	if h.Reply != nil {
		return h.Reply(in), nil
	}
	return DefaultReply(in), nil
}

// Received returns every Inbound the handler was given, duplicates included.
func (h *FakeHandler) Received() []bot.Inbound {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Inbound(nil), h.got...)
}

// Eventually polls cond every 5ms until it is true or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", timeout, msg)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Wire builds the runtime around a channel under test as faro serve does: a Hub, a
// Dispatcher on h (with obs, which may be nil), and the channel newCh makes with that
// dispatcher as its inbox, added to the hub. The hub is closed (its queues drained)
// when the test ends.
func Wire[C bot.Channel](t testing.TB, h bot.Handler, obs bot.Observer, log *slog.Logger, newCh func(bot.Inbox) (C, error)) (C, *bot.Hub) {
	t.Helper()
	hub := bot.NewHub(bot.HubConfig{Observer: obs, Logger: log})
	ch, err := newCh(bot.NewDispatcher(h, hub, obs, log, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hub.Close(ctx)
	})
	return ch, hub
}
