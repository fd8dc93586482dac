package session

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/store"
)

// commit sends one commit script through the store's batched writer (store.Batcher):
// the commits of all users waiting at the same moment share one pipeline, and each is
// still one atomic script; a user's next commit is sent only after her last one
// answered, so her order is kept. A caller that gave up before its pipeline left is
// not sent. A server that lost the script (restarted, or new) gets it once (EVAL).
func (r *Redis) commit(ctx context.Context, keys []string, args []any) ([]any, error) {
	done := make(chan struct{}, 1)
	var (
		cmd *redis.Cmd
		v   []any
		err error
	)
	r.b.Submit(store.Op{
		Add: func(bctx context.Context, p redis.Pipeliner) bool {
			if ctx.Err() != nil {
				return false
			}
			cmd = p.EvalSha(bctx, commitScript.Hash(), keys, args...)
			return true
		},
		Done: func(bctx context.Context, _ error) {
			if cmd == nil {
				err = ctx.Err()
			} else {
				v, err = cmd.Slice()
				if redis.HasErrorPrefix(err, "NOSCRIPT") {
					v, err = commitScript.Run(bctx, r.c, keys, args...).Slice()
				}
			}
			if err != nil {
				err = fmt.Errorf("commit: %w", err)
			}
			done <- struct{}{}
		},
	})
	select {
	case <-done:
		return v, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
