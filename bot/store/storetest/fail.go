package storetest

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// ErrNoAnswer is the error FailPipelines gives the commands of a pipeline it fails.
var ErrNoAnswer = errors.New("injected: redis did not answer")

// Unanswered is a go-redis hook (add it with AddHook) that fails pipelines as a Redis
// that never answered would: each of the next N pipelines carrying a command named
// Name gets ErrNoAnswer on every command, and nothing reaches Redis.
type Unanswered struct {
	Name string
	N    atomic.Int32 // pipelines still to fail; below 0 once they all were
}

// FailPipelines returns a hook failing the next n pipelines that carry the command
// name (lower case, as go-redis names it: "hdel", "zadd").
func FailPipelines(name string, n int) *Unanswered {
	u := &Unanswered{Name: name}
	u.N.Store(int32(n))
	return u
}

// Injected tells whether every failure asked for was injected.
func (u *Unanswered) Injected() bool { return u.N.Load() < 0 }

// DialHook implements redis.Hook.
func (u *Unanswered) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook.
func (u *Unanswered) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

// ProcessPipelineHook implements redis.Hook.
func (u *Unanswered) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if c.Name() == u.Name && u.N.Add(-1) >= 0 {
				for _, c := range cmds {
					c.SetErr(ErrNoAnswer)
				}
				return ErrNoAnswer
			}
		}
		return next(ctx, cmds)
	}
}
