package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// pipelines counts the pipelines a client sends, and those with more than one EXPIRE.
type pipelines struct{ n, cmds, twice atomic.Int64 }

func (h *pipelines) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *pipelines) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *pipelines) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		h.cmds.Add(int64(len(cmds)))
		expires := 0
		for _, c := range cmds {
			if c.Name() == "expire" {
				expires++
			}
		}
		if expires > 1 {
			h.twice.Add(1)
		}
		return next(ctx, cmds)
	}
}

// TestBatcherSharesRoundTrips: the writes of many callers at once go out in far fewer
// pipelines than writes, each caller is told its own result, a command asked Once per
// batch is sent once per pipeline, an op that declines is not sent, and Flush waits
// for everything submitted.
func TestBatcherSharesRoundTrips(t *testing.T) {
	c := storetest.Start(t)
	h := &pipelines{}
	c.AddHook(h)
	b := store.NewBatcher(c, 0, 0)
	ctx := context.Background()
	const n = 400
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := make(chan error, 1)
			var cmd *redis.IntCmd
			b.Submit(store.Op{
				Add: func(ctx context.Context, p redis.Pipeliner) bool {
					cmd = p.HSet(ctx, "faro:test:batch", fmt.Sprint(i), i)
					return true
				},
				Once: "ttl", OnceAdd: func(ctx context.Context, p redis.Pipeliner) { p.Expire(ctx, "faro:test:batch", time.Minute) },
				Done: func(_ context.Context, err error) {
					if err == nil {
						err = cmd.Err()
					}
					done <- err
				},
			})
			if err := <-done; err != nil {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	b.Submit(store.Op{Add: func(context.Context, redis.Pipeliner) bool { return false }}) // declines
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if failed.Load() != 0 {
		t.Fatalf("%d writes failed", failed.Load())
	}
	if got := c.HLen(ctx, "faro:test:batch").Val(); got != n {
		t.Fatalf("%d fields written, want %d", got, n)
	}
	pipes, cmds := h.n.Load(), h.cmds.Load()
	if pipes >= n/2 {
		t.Errorf("%d writes took %d pipelines: they should share round trips", n, pipes)
	}
	if h.twice.Load() != 0 || cmds <= n {
		t.Errorf("%d commands in %d pipelines for %d writes, %d pipelines refreshing the TTL twice: want once a pipeline", cmds, pipes, n, h.twice.Load())
	}
	if ttl := c.TTL(ctx, "faro:test:batch").Val(); ttl <= 0 {
		t.Errorf("TTL %v", ttl)
	}
}
