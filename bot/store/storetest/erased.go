package storetest

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Left returns the keys among keys that still hold something after an erase: every
// key but an erase's tombstone (store.Keys.Tombstone: a set, with a TTL within the
// dedupe window) and the string "erased" an erase leaves under the name of the
// platform ids (store.Keys.Copies, with a TTL of at most the 2 h a reply may still be
// delivered in). Neither holds anything about the person; a key that has the name of
// one but not its shape is left in the answer.
func Left(ctx context.Context, c redis.Cmdable, keys []string) []string {
	var left []string
	for _, k := range keys {
		switch {
		case strings.HasSuffix(k, ":e") && c.Type(ctx, k).Val() == "set" && within(ctx, c, k, 48*time.Hour):
		case strings.HasSuffix(k, ":p") && c.Get(ctx, k).Val() == "erased" && within(ctx, c, k, 2*time.Hour):
		default:
			left = append(left, k)
		}
	}
	return left
}

// within tells whether key k expires, within d.
func within(ctx context.Context, c redis.Cmdable, k string, d time.Duration) bool {
	ttl := c.TTL(ctx, k).Val()
	return ttl > 0 && ttl <= d
}
