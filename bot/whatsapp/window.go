package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/faro-chat/faro/bot/store"
	"github.com/redis/go-redis/v9"
)

// Window is WhatsApp's customer-service window: free-form messages may be sent only
// within 24 hours of the user's last message.
// see https://www.twilio.com/docs/whatsapp/key-concepts#the-customer-service-window
const Window = 24 * time.Hour

// WindowStore keeps the time of each user's last inbound message.
type WindowStore interface {
	// Touch records an inbound message from address at t.
	Touch(ctx context.Context, address string, t time.Time) error
	// Last returns the time of the last inbound message from address, if known.
	Last(ctx context.Context, address string) (time.Time, bool, error)
}

// MemoryWindow is a WindowStore for one process.
type MemoryWindow struct {
	mu    sync.Mutex
	last  map[string]time.Time
	sweep time.Time
}

// NewMemoryWindow returns an empty MemoryWindow.
func NewMemoryWindow() *MemoryWindow { return &MemoryWindow{last: make(map[string]time.Time)} }

// Touch implements WindowStore.
func (w *MemoryWindow) Touch(_ context.Context, address string, t time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t.After(w.last[address]) {
		w.last[address] = t
	}
	if t.Sub(w.sweep) > time.Hour { // forget users whose window closed
		w.sweep = t
		for k, v := range w.last {
			if t.Sub(v) > Window {
				delete(w.last, k)
			}
		}
	}
	return nil
}

// Last implements WindowStore.
func (w *MemoryWindow) Last(_ context.Context, address string) (time.Time, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.last[address]
	return t, ok, nil
}

// RedisWindow is a WindowStore shared by replicas: one key per user, named by a keyed
// hash of the address (never the number itself), expiring with the window. A local
// copy answers most lookups and limits writes to one per user per WriteEvery, which
// can only make the shared time older than the truth: the window is then judged
// closed a little early, never late.
//
// The shared copy is written in the background through the batched writer
// (store.Batcher), with the other writes waiting at that moment in one pipeline, so a
// webhook never waits for it. A write that fails is not retried before WriteEvery:
// again, the shared time can only lag.
type RedisWindow struct {
	rdb        redis.UniversalClient
	key        func(address string) string
	local      *MemoryWindow
	written    *MemoryWindow
	WriteEvery time.Duration
	// OnError, if set, is told of each failed background write (never the address).
	OnError func(error)

	b *store.Batcher
}

// NewRedisWindow returns a RedisWindow; key maps an address to its Redis key (for
// example "faro:wa:last:" + HMAC(address)). b is the batched writer to share (nil:
// one of its own).
func NewRedisWindow(rdb redis.UniversalClient, key func(address string) string, b *store.Batcher) *RedisWindow {
	if b == nil {
		b = store.NewBatcher(rdb, 0, 2*time.Second)
	}
	return &RedisWindow{rdb: rdb, key: key, local: NewMemoryWindow(), written: NewMemoryWindow(),
		WriteEvery: time.Minute, b: b}
}

// Touch implements WindowStore. It does not wait for Redis.
func (w *RedisWindow) Touch(ctx context.Context, address string, t time.Time) error {
	_ = w.local.Touch(ctx, address, t)
	if prev, ok, _ := w.written.Last(ctx, address); ok && t.Sub(prev) < w.WriteEvery {
		return nil
	}
	_ = w.written.Touch(ctx, address, t)
	key := w.key(address)
	w.b.Submit(store.Op{
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			p.Set(ctx, key, t.Unix(), Window+time.Hour)
			return true
		},
		Done: func(_ context.Context, err error) {
			if err != nil && w.OnError != nil {
				w.OnError(fmt.Errorf("whatsapp window: write: %w", err))
			}
		},
	})
	return nil
}

// Flush waits until the background writes queued so far are done, or ctx ends.
func (w *RedisWindow) Flush(ctx context.Context) error { return w.b.Flush(ctx) }

// Last implements WindowStore.
func (w *RedisWindow) Last(ctx context.Context, address string) (time.Time, bool, error) {
	if t, ok, _ := w.local.Last(ctx, address); ok && time.Since(t) < Window {
		return t, true, nil
	}
	v, err := w.rdb.Get(ctx, w.key(address)).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("whatsapp window: last: %w", err)
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("whatsapp window: bad value: %w", err)
	}
	return time.Unix(sec, 0), true, nil
}
