package session

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// groupCommit sends the commits of all users that are waiting as one pipeline: while
// one pipeline is on its way, the commits that arrive queue, and the next pipeline
// takes them all. Nothing waits for a batch to fill: a lone message goes at once. Under
// load the batches grow by themselves, which is when the round trips saved matter:
// each costs Faro and Redis a write, a read and a wake-up, whatever it carries.
// Measured with faro load on two cores: at 7,000 msg/s, Redis's CPU per message fell
// from 35-39 to 28-29 µs and the webhook p99 from 0.8-2 s (saturated) to 0.05-0.2 s;
// at 5,000 msg/s the batches are small and the difference is within the noise.
//
// Each commit is still one atomic script and the order of one user's commits is kept:
// the conversation sends a user's next commit only after the last one answered.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*commitCall
	spare   []*commitCall
	running bool
}

type commitCall struct {
	ctx  context.Context
	keys []string
	args []any
	done chan struct{}
	v    []any
	err  error
}

// maxBatch bounds the commits in one pipeline.
const maxBatch = 256

// batchTimeout bounds one pipeline's round trip; each caller also stops waiting at its
// own context's end.
const batchTimeout = 500 * time.Millisecond

// do queues c, makes sure a sender runs, and waits for c's answer or ctx's end.
func (g *groupCommit) do(ctx context.Context, r *Redis, c *commitCall) ([]any, error) {
	c.done = make(chan struct{}, 1)
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if !g.running {
		g.running = true
		go g.run(r)
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.v, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run sends batches until the queue is empty.
func (g *groupCommit) run(r *Redis) {
	for {
		g.mu.Lock()
		batch := g.queue
		if len(batch) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		if len(batch) > maxBatch {
			batch = batch[:maxBatch]
			g.queue = append(g.spare[:0], g.queue[maxBatch:]...)
		} else {
			g.queue = g.spare[:0]
		}
		g.mu.Unlock()

		r.send(batch)

		clear(batch) // keep no caller's data
		g.mu.Lock()
		g.spare = batch[:0]
		g.mu.Unlock()
	}
}

// send runs one batch as a pipeline of EVALSHA and hands each caller its answer.
func (r *Redis) send(batch []*commitCall) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	cmds := make([]*redis.Cmd, len(batch))
	_, _ = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, c := range batch {
			if c.ctx.Err() == nil { // a caller that gave up is not sent
				cmds[i] = p.EvalSha(ctx, commitScript.Hash(), c.keys, c.args...)
			}
		}
		return nil
	})
	for i, c := range batch {
		switch {
		case cmds[i] == nil:
			c.err = c.ctx.Err()
		default:
			c.v, c.err = cmds[i].Slice()
			if redis.HasErrorPrefix(c.err, "NOSCRIPT") {
				// a restarted or new server: Run loads the script (EVAL) once
				c.v, c.err = commitScript.Run(ctx, r.c, c.keys, c.args...).Slice()
			}
		}
		if c.err != nil {
			c.err = fmt.Errorf("commit: %w", c.err)
		}
		c.done <- struct{}{}
	}
}
