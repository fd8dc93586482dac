package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/redis/go-redis/v9"
)

// TestServeOnSentinelAndCluster runs the real server on a live Redis Sentinel and a
// live three-node Redis Cluster, with the crash-safe outbox on: both channels answer,
// a replay gets no second reply, the conversation goes on, and the keys land on the
// master (Sentinel) or across the nodes (Cluster) with a TTL.
func TestServeOnSentinelAndCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five redis-server processes")
	}
	t.Run("sentinel", func(t *testing.T) {
		sentinel, master := storetest.Sentinel(t, "faro")
		s := startServe(t, "redis://"+sentinel+"/0?master_name=faro", "FARO_REDIS_MODE", "sentinel", "FARO_OUTBOX", "true")
		conversation(t, s)
		keys := faroKeys(t, redis.NewClient(&redis.Options{Addr: master}))
		if len(keys) == 0 {
			t.Fatal("no keys on the master the Sentinel names")
		}
	})
	t.Run("cluster", func(t *testing.T) {
		nodes := storetest.Cluster(t, 3)
		s := startServe(t, "redis://"+nodes[0]+"?addr="+nodes[1]+"&addr="+nodes[2], "FARO_REDIS_MODE", "cluster", "FARO_OUTBOX", "true")
		conversation(t, s)
		// more users, so that their keys fall in the slots of several nodes
		for i := range 20 {
			chat := strconv.Itoa(70000 + i)
			body := `{"update_id":` + strconv.Itoa(9500+i) + `,"message":{"message_id":1,"date":1767225600,"from":{"id":` + chat +
				`,"is_bot":false,"first_name":"A"},"chat":{"id":` + chat + `,"type":"private"},"text":"hola"}}`
			req, _ := http.NewRequest(http.MethodPost, s.base+telegram.WebhookPath, strings.NewReader(body))
			req.Header.Set(telegram.SecretHeader, srvTGSecret)
			if code := do(t, req); code != 200 {
				t.Fatalf("telegram webhook %d", code)
			}
		}
		channeltest.Eventually(t, 5*time.Second, func() bool { return len(s.tg.Requests("sendMessage")) == 22 },
			"a reply to each new user")
		holding := 0
		for _, n := range nodes {
			if len(faroKeys(t, redis.NewClient(&redis.Options{Addr: n}))) > 0 {
				holding++
			}
		}
		if holding < 2 {
			t.Errorf("keys on %d of 3 nodes: the users should spread over the cluster", holding)
		}
	})
}

// conversation: hola on both channels, replayed, then a menu choice; one reply each.
func conversation(t *testing.T, s *served) {
	t.Helper()
	if code, body := get(t, s.base+"/readyz"); code != 200 {
		t.Fatalf("readyz %d: %s", code, body)
	}
	for range 2 { // the second is a replay
		if code := s.telegram(t, 9001, "hola"); code != 200 {
			t.Fatalf("telegram webhook %d", code)
		}
		if code := s.whatsapp(t, "SMtopo000000000000000000000000001", "hola"); code != 200 {
			t.Fatalf("whatsapp webhook %d", code)
		}
	}
	if code := s.telegram(t, 9002, "4"); code != 200 {
		t.Fatalf("telegram webhook %d", code)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		return len(s.tg.Requests("sendMessage")) >= 2 && len(s.tw.Requests("Messages.json")) >= 1
	}, "replies on both channels")
	time.Sleep(200 * time.Millisecond)
	tg := s.tg.Requests("sendMessage")
	if n, m := len(tg), len(s.tw.Requests("Messages.json")); n != 2 || m != 1 {
		t.Fatalf("replies: telegram %d, whatsapp %d; want 2 and 1 (a replay gets none)", n, m)
	}
	if !strings.Contains(tg[1].Form["text"], "105") {
		t.Errorf("option 4 after the welcome should be about violence (the 105), got %q", tg[1].Form["text"])
	}
}

// faroKeys returns Faro's keys on one node and checks that each expires.
func faroKeys(t *testing.T, c *redis.Client) []string {
	t.Helper()
	defer c.Close()
	ctx := context.Background()
	keys, err := c.Keys(ctx, "faro:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl, err := c.TTL(ctx, k).Result(); err != nil || ttl <= 0 {
			t.Errorf("key %s: ttl %v (%v); every key must expire", k, ttl, err)
		}
	}
	return keys
}
