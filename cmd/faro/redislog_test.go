package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/redis/go-redis/v9"
)

// syncBuffer is a bytes.Buffer safe for the pool's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRedisClientMessagesGoToTheJSONLog: what go-redis itself prints (a failed dial
// here) reaches the JSON log as a warning, not a plain line on stderr.
func TestRedisClientMessagesGoToTheJSONLog(t *testing.T) {
	buf := &syncBuffer{}
	redis.SetLogger(redisLog{slog.New(slog.NewJSONHandler(buf, nil))})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close() // nobody listens there now
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err == nil {
		t.Fatal("ping to a closed port succeeded")
	}
	out := strings.TrimSpace(buf.String())
	if out == "" {
		t.Fatal("go-redis logged nothing through the JSON log")
	}
	for _, line := range strings.Split(out, "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if rec["level"] != "WARN" || rec["msg"] != "redis client" || !strings.Contains(rec["detail"].(string), "dial") {
			t.Errorf("unexpected record %v", rec)
		}
	}
}

// TestServeLogsWhyRedisRefuses: a wrong Redis password is in the log at start, once,
// with Redis's own answer and what to check, and neither password appears; when the
// password is fixed on the server's side, the next readiness check says Redis is back.
func TestServeLogsWhyRedisRefuses(t *testing.T) {
	r := storetest.Own(t)
	const right, wrong = "right-horse-battery-staple-41", "wrong-horse-battery-staple-17"
	admin := r.Client()
	if err := admin.ConfigSet(context.Background(), "requirepass", right).Err(); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "redis://:"+wrong+"@"+r.Addr()+"/0")
	redisEventually(t, 5*time.Second, func() bool { return strings.Contains(s.logs.String(), `"msg":"redis unreachable"`) })
	out := s.logs.String()
	if !strings.Contains(out, "WRONGPASS") || !strings.Contains(out, "check the user and password of FARO_REDIS_URL") {
		t.Fatalf("the log does not say why Redis refused:\n%s", out)
	}
	channeltest.AssertRedacted(t, s.logs, right, wrong)
	res, err := http.Get(s.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz %d with a wrong password", res.StatusCode)
	}
	if n := strings.Count(s.logs.String(), `"msg":"redis unreachable"`); n != 1 {
		t.Errorf("the cause is logged %d times, want once per change", n)
	}
	// the operator fixes the server's password to the one Faro has
	authed := redis.NewClient(&redis.Options{Addr: r.Addr(), Password: right})
	defer authed.Close()
	if err := authed.ConfigSet(context.Background(), "requirepass", wrong).Err(); err != nil {
		t.Fatal(err)
	}
	redisEventually(t, 5*time.Second, func() bool {
		res, err := http.Get(s.base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	if !strings.Contains(s.logs.String(), `"msg":"redis reachable"`) {
		t.Errorf("Redis back is not logged:\n%s", s.logs.String())
	}
}

// redisEventually polls cond every 20 ms until it holds or d has passed.
func redisEventually(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("not true after %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
