package outbox_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/outbox"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/redis/go-redis/v9"
)

var secret = []byte("outbox-test-secret-0123456789")

const phone = "+51987654321"

func TestStoreKeepsNothingInTheClear(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	st, err := outbox.New(c, secret, "host-a", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	msgs := []bot.Outbound{
		{Channel: bot.ChannelWhatsApp, Address: phone, Text: "Línea 100, gratis"},
		{Channel: bot.ChannelWhatsApp, Address: phone, Text: "segunda parte", Buttons: []bot.Button{{Label: "Menú", Payload: "home#0"}}},
	}
	ids, err := st.Put(ctx, msgs)
	if err != nil || len(ids) != 2 {
		t.Fatalf("Put = %v, %v", ids, err)
	}
	keys, _ := c.Keys(ctx, "*").Result()
	if len(keys) != 2 || !slices.Contains(keys, "faro:outbox:owners") {
		t.Fatalf("want one hash of items and the index of owners, got keys %v", keys)
	}
	for _, k := range keys {
		if ttl, _ := c.TTL(ctx, k).Result(); ttl <= 0 {
			t.Errorf("key %s has no TTL", k)
		}
		if k == "faro:outbox:owners" {
			continue // key names only
		}
		if strings.Contains(k, "host-a") || strings.Contains(k, "987654321") {
			t.Errorf("key %s names the host or the number", k)
		}
		items, _ := c.HGetAll(ctx, k).Result()
		if len(items) != 2 {
			t.Errorf("want two items in %s, got %d", k, len(items))
		}
		for id, v := range items {
			for _, clear := range []string{"987654321", "Línea", "segunda", "whatsapp"} {
				if strings.Contains(v, clear) || strings.Contains(id, clear) {
					t.Errorf("item %s holds %q in the clear", id, clear)
				}
			}
		}
	}

	pending, err := st.Pending(ctx)
	if err != nil || len(pending) != 2 {
		t.Fatalf("Pending = %v, %v", pending, err)
	}
	if pending[0].Msg.Text != "Línea 100, gratis" || pending[1].Msg.Buttons[0].Payload != "home#0" || pending[0].Msg.Address != phone {
		t.Fatalf("Pending did not give the messages back in order: %+v", pending)
	}

	other, _ := outbox.New(c, secret, "host-b", time.Hour, nil)
	if p, _ := other.Pending(ctx); len(p) != 0 {
		t.Fatalf("another host's outbox must be empty, got %d", len(p))
	}
	wrong, _ := outbox.New(c, []byte("a different secret, other deploy"), "host-a", time.Hour, nil)
	if p, _ := wrong.Pending(ctx); len(p) != 0 {
		t.Fatalf("items sealed under another secret must not open, got %d", len(p))
	}

	if err := st.Done(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := st.Done(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	st.Close() // waits for the writes handed over
	if keys, _ := c.Keys(ctx, "faro:outbox:{*").Result(); len(keys) != 0 {
		t.Fatalf("after Done no item should remain, got %v", keys)
	}
}

// recorder is a deliverer that records what it sends, and can block to imitate a
// platform that does not answer before the process dies.
type recorder struct {
	mu    sync.Mutex
	sent  []string
	block chan struct{}
}

func (r *recorder) Deliver(ctx context.Context, m bot.Outbound) error {
	if r.block != nil {
		select {
		case <-r.block:
		case <-ctx.Done():
			return bot.Retryable("timeout", ctx.Err())
		}
	}
	r.mu.Lock()
	r.sent = append(r.sent, m.Text)
	r.mu.Unlock()
	return nil
}

func (r *recorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

// TestCrashThenResume: a process queues two replies and dies before sending them; the
// next process of the same name sends each exactly once, in order, and then the outbox
// is empty.
func TestCrashThenResume(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	st, _ := outbox.New(c, secret, "host-a", time.Hour, nil)

	stuck := &recorder{block: make(chan struct{})}
	first := bot.NewSender(bot.SenderConfig{Channel: "test", Deliverer: stuck, Outbox: st,
		Retry: bot.RetryPolicy{Timeout: time.Hour}})
	if err := first.Enqueue(bot.Outbound{Channel: "test", Address: phone, Text: "uno"},
		bot.Outbound{Channel: "test", Address: phone, Text: "dos"}); err != nil {
		t.Fatal(err)
	}
	// the process dies here: `first` is never closed and never sends

	pending, err := st.Pending(ctx)
	if err != nil || len(pending) != 2 {
		t.Fatalf("the outbox should hold both replies, got %d (%v)", len(pending), err)
	}
	sent := &recorder{}
	second := bot.NewSender(bot.SenderConfig{Channel: "test", Deliverer: sent, Outbox: st})
	if err := second.Resume(pending); err != nil {
		t.Fatal(err)
	}
	closeCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := second.Close(closeCtx); err != nil {
		t.Fatal(err)
	}
	st.Close() // the writes handed over (the Done of each sent reply) reach Redis
	defer close(stuck.block)
	if got := sent.texts(); strings.Join(got, ",") != "uno,dos" {
		t.Fatalf("resumed sends = %v, want uno,dos once each in order", got)
	}
	reader, _ := outbox.New(c, secret, "host-a", time.Hour, nil)
	defer reader.Close()
	if p, _ := reader.Pending(ctx); len(p) != 0 {
		t.Fatalf("delivered replies must leave the outbox, %d remain", len(p))
	}
}

// TestOutboxDownStillSends: with Redis gone the replies are still sent, from memory.
func TestOutboxDownStillSends(t *testing.T) {
	c := storetest.Start(t)
	st, _ := outbox.New(c, secret, "host-a", time.Hour, nil)
	_ = c.Close() // the outbox's Redis is gone
	sent := &recorder{}
	s := bot.NewSender(bot.SenderConfig{Channel: "test", Deliverer: sent, Outbox: st})
	if err := s.Enqueue(bot.Outbound{Channel: "test", Address: phone, Text: "auxilio: 105"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sent.texts(); len(got) != 1 {
		t.Fatalf("with the outbox down the reply must still be sent, got %v", got)
	}
}

// TestPutGivenUpLeavesNothing: when Redis answers a Put later than the caller waits
// (frozen for a moment), the caller keeps the reply in memory only and will never
// forget its id; the write that lands late must not stay behind. Before, it did: a
// restart resent it and Redis kept it after the person erased her data (the fault
// suite found one such item after a run with Redis paused).
func TestPutGivenUpLeavesNothing(t *testing.T) {
	p := storetest.Own(t)
	c := p.Client()
	st, err := outbox.New(c, secret, "host-late", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p.Pause()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	_, err = st.Put(ctx, []bot.Outbound{{Channel: bot.ChannelTelegram, Address: "42", Text: "Línea 100"}})
	cancel()
	time.Sleep(300 * time.Millisecond) // the writer waits on the frozen server meanwhile
	p.Resume()
	if err == nil {
		t.Fatal("Put succeeded with Redis frozen")
	}
	bg := context.Background()
	// the late write has landed once the index of owners (same pipeline) exists
	eventually(t, 3*time.Second, func() bool { return c.Exists(bg, "faro:outbox:owners").Val() == 1 })
	var left int64
	eventually(t, time.Second, func() bool { left = outboxItems(bg, c); return left == 0 })
	if left != 0 {
		t.Fatalf("%d items left in the outbox after a Put given up", left)
	}
}

// eventually polls cond every 10 ms for up to d.
func eventually(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

// failHDel makes the first n pipelines that delete outbox items fail before they reach
// Redis, as a pipeline does when Redis is frozen beyond the writer's timeout or no
// connection can be had.
// TestDeliveredLeavesTheOutboxThoughRedisFailed: the deletion of a delivered reply
// whose pipeline fails is asked again; before, it was dropped, and the reply stayed in
// the outbox to be sent again after a restart (the fault suite found one such item
// left after a drain with Redis paused).
func TestDeliveredLeavesTheOutboxThoughRedisFailed(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	st, err := outbox.New(c, secret, "host-hdel", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids, err := st.Put(ctx, []bot.Outbound{{Channel: bot.ChannelTelegram, Address: "42", Text: "Línea 100"},
		{Channel: bot.ChannelTelegram, Address: "43", Text: "Línea 113"}})
	if err != nil || len(ids) != 2 {
		t.Fatalf("put: %v, %v", ids, err)
	}
	hook := storetest.FailPipelines("hdel", 3) // three failures in a row, then Redis answers
	c.AddHook(hook)
	for _, id := range ids {
		if err := st.Done(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	var left int64
	eventually(t, 5*time.Second, func() bool { left = outboxItems(ctx, c); return left == 0 })
	if left != 0 {
		t.Fatalf("%d delivered replies left in the outbox after their deletion failed", left)
	}
	if !hook.Injected() {
		t.Fatalf("the failures were not injected (%d left)", hook.N.Load())
	}
}

// outboxItems counts the items of every owner's outbox.
func outboxItems(ctx context.Context, c redis.Cmdable) int64 {
	var n int64
	for _, k := range c.Keys(ctx, "faro:outbox:{*").Val() {
		n += c.HLen(ctx, k).Val()
	}
	return n
}
