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
// under user stays: the old one expires) and the sealed fields stay as they are (they
// open with the previous secret until the window ends, which a ticket outlives only
// when kept open longer than the window). Consoles are told (ChangeMoved), so that a
// chat open under the old name follows it. The keys are copied field by field, not
// with DUMP and RESTORE, which some Redis-compatible servers refuse. Three round
// trips, once per person and rotation.
func (s *Store) Carry(ctx context.Context, old, user string) error {
	ok, nk := store.KeysOf(s.o.Prefix, old), store.KeysOf(s.o.Prefix, user)
	read := s.c.Pipeline()
	ticket, ticketTTL := read.HGetAll(ctx, ok.Ticket()), read.PTTL(ctx, ok.Ticket())
	lines, linesTTL := read.LRange(ctx, ok.Transcript(), 0, -1), read.PTTL(ctx, ok.Transcript())
	rank := read.ZScore(ctx, s.indexKey(), old)
	if _, err := read.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("handoff: carry: %w", err)
	}
	t := ticket.Val()
	if t["id"] == "" {
		return nil // no ticket
	}
	// the id first, only where there is none: a ticket under her new name stays
	if fresh, err := s.c.HSetNX(ctx, nk.Ticket(), "id", t["id"]).Result(); err != nil {
		return fmt.Errorf("handoff: carry: %w", err)
	} else if !fresh {
		return nil
	}
	write := s.c.Pipeline()
	fields := make([]any, 0, 2*len(t))
	for f, v := range t {
		fields = append(fields, f, v)
	}
	write.HSet(ctx, nk.Ticket(), fields...)
	write.PExpire(ctx, nk.Ticket(), ttlOr(ticketTTL.Val(), s.o.TTL))
	if l := lines.Val(); len(l) > 0 {
		entries := make([]any, len(l))
		for i, e := range l {
			entries[i] = e
		}
		write.Del(ctx, nk.Transcript())
		write.RPush(ctx, nk.Transcript(), entries...)
		write.PExpire(ctx, nk.Transcript(), ttlOr(linesTTL.Val(), s.o.TTL))
	}
	if score, err := rank.Result(); err == nil {
		write.ZAdd(ctx, s.indexKey(), redis.Z{Score: score, Member: user})
		write.Expire(ctx, s.indexKey(), s.o.TTL)
	}
	write.ZRem(ctx, s.indexKey(), old)
	write.Del(ctx, ok.Ticket(), ok.Transcript())
	s.publish(ctx, write, Change{User: old, ID: t["id"], Kind: ChangeMoved, To: user})
	if _, err := write.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: carry: %w", err)
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
