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

// TestBatcherRetriesUnansweredWrites: an op that allows retries is sent again when its
// pipeline got no answer, until it lands, and its Done is told once, at the end; an op
// without retries is told the failure at once and is not sent again; a command Redis
// refused is not retried.
func TestBatcherRetriesUnansweredWrites(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	// the first op's pipeline and two of the second's get no answer, then Redis answers
	hook := storetest.FailPipelines("sadd", 3)
	c.AddHook(hook)
	b := store.NewBatcher(c, 0, 0)

	type outcome struct {
		calls int
		err   error
	}
	var mu sync.Mutex
	outcomes := map[string]*outcome{}
	submit := func(name string, retries int, add func(ctx context.Context, p redis.Pipeliner)) {
		o := &outcome{}
		outcomes[name] = o
		b.Submit(store.Op{Retries: retries,
			Add: func(ctx context.Context, p redis.Pipeliner) bool { add(ctx, p); return true },
			Done: func(_ context.Context, err error) {
				mu.Lock()
				o.calls++
				o.err = err
				mu.Unlock()
			}})
	}
	submit("once", 0, func(ctx context.Context, p redis.Pipeliner) { p.SAdd(ctx, "t:once", "a") })
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	submit("retried", 3, func(ctx context.Context, p redis.Pipeliner) { p.SAdd(ctx, "t:retried", "a") })
	c.Set(ctx, "t:string", "x", time.Minute)
	submit("refused", 3, func(ctx context.Context, p redis.Pipeliner) { p.HSet(ctx, "t:string", "f", "v") })

	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := outcomes["retried"].calls
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(3 * store.RetryDelay) // a Done called twice would show now
	mu.Lock()
	defer mu.Unlock()
	if o := outcomes["once"]; o.calls != 1 || o.err == nil {
		t.Errorf("op without retries: Done called %d times, error %v; want once, with the failure", o.calls, o.err)
	}
	if n := c.SCard(ctx, "t:once").Val(); n != 0 {
		t.Errorf("op without retries was sent again (%d members)", n)
	}
	if o := outcomes["retried"]; o.calls != 1 || o.err != nil {
		t.Errorf("op with retries: Done called %d times, error %v; want once, landed", o.calls, o.err)
	}
	if n := c.SCard(ctx, "t:retried").Val(); n != 1 {
		t.Errorf("op with retries did not land after two unanswered pipelines (%d members)", n)
	}
	if o := outcomes["refused"]; o.calls != 1 || o.err == nil {
		t.Errorf("refused command: Done called %d times, error %v; want once, with Redis's refusal", o.calls, o.err)
	}
	if !hook.Injected() {
		t.Errorf("the failures were not all injected (%d left)", hook.N.Load())
	}
}
