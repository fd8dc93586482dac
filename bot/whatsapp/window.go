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
	// Touch records an inbound message from address at t; msgID is the platform's id
	// of the message ("" when unknown).
	Touch(ctx context.Context, address, msgID string, t time.Time) error
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
func (w *MemoryWindow) Touch(_ context.Context, address, _ string, t time.Time) error {
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
// copy, kept under the same name (so no number stays in memory, not after her erase
// either), answers most lookups and limits writes to one per user per WriteEvery, which
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
	// Erased, if set, names the tombstone an erase of address leaves and the member a
	// message of hers has there (session.Redis.Tombstone): a replay of a message from
	// before her erase does not write the window again.
	Erased func(address, msgID string) (key, member string)
	// Previous, if set during a rotation of the deployment's secret, maps an address
	// to its key under the previous secret: a person who has not written since the
	// switch still has her window there, and an operator may still answer her.
	Previous func(address string) string

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
func (w *RedisWindow) Touch(ctx context.Context, address, msgID string, t time.Time) error {
	key := w.key(address)
	_ = w.local.Touch(ctx, key, msgID, t)
	if prev, ok, _ := w.written.Last(ctx, key); ok && t.Sub(prev) < w.WriteEvery {
		return nil
	}
	_ = w.written.Touch(ctx, key, msgID, t)
	keys := []string{key}
	args := []any{t.Unix(), int64((Window + time.Hour) / time.Second), ""}
	if w.Erased != nil && msgID != "" {
		tomb, member := w.Erased(address, msgID)
		keys = append(keys, tomb)
		args[2] = member
	}
	var cmd *redis.Cmd
	w.b.Submit(store.Op{
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			cmd = p.EvalSha(ctx, touchScript.Hash(), keys, args...)
			return true
		},
		Done: func(ctx context.Context, err error) {
			if cmd != nil && redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
				err = touchScript.Run(ctx, w.rdb, keys, args...).Err()
			}
			if err != nil && w.OnError != nil {
				w.OnError(fmt.Errorf("whatsapp window: write: %w", err))
			}
		},
	})
	return nil
}

// touchScript writes the window unless the message is a replay of one from before her
// erase (found in the erase's tombstone). KEYS: window[, tombstone]. ARGV: time, TTL,
// the message's member there ("" none).
var touchScript = redis.NewScript(`
if ARGV[3] ~= '' and redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`)

// Flush waits until the background writes queued so far are done, or ctx ends.
func (w *RedisWindow) Flush(ctx context.Context) error { return w.b.Flush(ctx) }

// Last implements WindowStore.
func (w *RedisWindow) Last(ctx context.Context, address string) (time.Time, bool, error) {
	key := w.key(address)
	if t, ok, _ := w.local.Last(ctx, key); ok && time.Since(t) < Window {
		return t, true, nil
	}
	v, err := w.rdb.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) && w.Previous != nil {
		v, err = w.rdb.Get(ctx, w.Previous(address)).Result()
	}
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
