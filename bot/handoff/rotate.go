package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/faro-chat/faro/bot/store"
	"github.com/redis/go-redis/v9"
)

// Previous lets s open what was sealed under the deployment's previous secret
// (FARO_HMAC_SECRET_PREVIOUS) during a rotation: the address and transcript of a
// ticket opened before the switch stay readable in the console, and an operator's
// reply reaches the person. Call it before s is used.
func (s *Store) Previous(secret []byte) error {
	if err := s.seal.Also(secret); err != nil {
		return fmt.Errorf("handoff: previous secret: %w", err)
	}
	return nil
}

// Carry moves the ticket and transcript of a person from old, her name under the
// previous secret, to user, her name under the current one, with her place in the
// queue, when her session was carried (session.Redis.Carry) during a rotation: her
// next messages reach the same ticket. Nothing is overwritten (a ticket already
// under user stays) and the sealed fields stay as they are (they open with the
// previous secret until the window ends, which a ticket outlives only when kept
// open longer than the window). Two round trips, once per person and rotation.
func (s *Store) Carry(ctx context.Context, old, user string) error {
	ok, nk := store.KeysOf(s.o.Prefix, old), store.KeysOf(s.o.Prefix, user)
	read := s.c.Pipeline()
	ticket, ticketTTL := read.Dump(ctx, ok.Ticket()), read.PTTL(ctx, ok.Ticket())
	lines, linesTTL := read.Dump(ctx, ok.Transcript()), read.PTTL(ctx, ok.Transcript())
	rank := read.ZScore(ctx, s.indexKey(), old)
	if _, err := read.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("handoff: carry: %w", err)
	}
	t, err := ticket.Result()
	if errors.Is(err, redis.Nil) {
		return nil // no ticket
	}
	write := s.c.Pipeline()
	restore := write.Restore(ctx, nk.Ticket(), ttlOr(ticketTTL.Val(), s.o.TTL), t)
	if l, err := lines.Result(); err == nil {
		write.Restore(ctx, nk.Transcript(), ttlOr(linesTTL.Val(), s.o.TTL), l)
	}
	if _, err := write.Exec(ctx); err != nil && restore.Err() != nil {
		if redis.HasErrorPrefix(restore.Err(), "BUSYKEY") {
			return nil // she has a ticket under her new name: the old one expires
		}
		return fmt.Errorf("handoff: carry: %w", restore.Err())
	}
	index := s.c.Pipeline()
	if score, err := rank.Result(); err == nil {
		index.ZAdd(ctx, s.indexKey(), redis.Z{Score: score, Member: user})
		index.Expire(ctx, s.indexKey(), s.o.TTL)
	}
	index.ZRem(ctx, s.indexKey(), old)
	index.Del(ctx, ok.Ticket(), ok.Transcript())
	if _, err := index.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: carry: index: %w", err)
	}
	return nil
}

// ttlOr is ttl when it is one (PTTL answers -1 for a key without one, -2 for none),
// else def: every key Faro writes has a TTL.
func ttlOr(ttl, def time.Duration) time.Duration {
	if ttl > 0 {
		return ttl
	}
	return def
}
