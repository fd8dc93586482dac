package outbox

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
)

// Liveness of owners: a process running Run says it is alive every Beat; an outbox
// whose owner has not said so for Grace is orphaned (its process crashed, or its pod
// was replaced under another name) and any other replica may claim it.
const (
	Beat  = 10 * time.Second
	Grace = 30 * time.Second
)

// ownersKey indexes every outbox by its owner's last heartbeat (a sorted set of the
// items' key -> unix time). It holds key names only.
const ownersKey = "faro:outbox:owners"

func (s *Store) aliveKey() string { return s.key + ":alive" }

// heartbeat says this owner is alive, in one round trip.
func (s *Store) heartbeat(ctx context.Context, grace time.Duration) error {
	now := time.Now()
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.aliveKey(), "1", grace)
		p.ZAdd(ctx, ownersKey, redis.Z{Score: float64(now.Unix()), Member: s.key})
		p.Expire(ctx, ownersKey, s.ttl+grace)
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox heartbeat: %w", err)
	}
	return nil
}

// claimScript moves an orphaned outbox (KEYS[1], its alive key KEYS[2]) aside under a
// name of the claimer's (KEYS[3], same slot): RENAME is atomic, so of two replicas
// claiming at once exactly one gets the items. It answers 0 when the owner is alive
// or the outbox is empty or already taken.
var claimScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[3])
return 1
`)

// Claim takes over the outboxes whose owners stopped beating for grace: their items
// move into this owner's outbox (sealed as before), and are returned with their new
// ids, oldest first, for the hub to resend (bot.Hub.Resume). Items past the TTL are
// dropped, as Pending does.
func (s *Store) Claim(ctx context.Context, grace time.Duration) ([]bot.Stored, error) {
	// alive first, so that no replica claims from this one the items it is taking
	if err := s.heartbeat(ctx, max(grace, Grace)); err != nil {
		return nil, fmt.Errorf("outbox claim: %w", err)
	}
	cutoff := time.Now().Add(-grace).Unix()
	owners, err := s.c.ZRangeByScore(ctx, ownersKey, &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(cutoff, 10)}).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox claim: %w", err)
	}
	var out []bot.Stored
	var errs []error
	for _, key := range owners {
		if key == s.key {
			continue
		}
		got, err := s.claimOne(ctx, key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, got...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, errors.Join(errs...)
}

func (s *Store) claimOne(ctx context.Context, key string) ([]bot.Stored, error) {
	aside := key + ":claimed:" + s.key[len("faro:outbox:"):]
	n, err := claimScript.Run(ctx, s.c, []string{key, key + ":alive", aside}).Int()
	if err != nil {
		return nil, fmt.Errorf("outbox claim: %w", err)
	}
	if n == 0 {
		// alive again, empty, or another replica took it: forget the owner only if
		// its outbox is gone
		if e, _ := s.c.Exists(ctx, key, key+":alive").Result(); e == 0 {
			_ = s.c.ZRem(ctx, ownersKey, key).Err()
		}
		return nil, nil
	}
	all, err := s.c.HGetAll(ctx, aside).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox claim: read: %w", err)
	}
	ids := make([]string, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var msgs []bot.Outbound
	var at []time.Time
	for _, id := range ids {
		m, err := s.open([]byte(all[id]))
		if err != nil || time.Since(idTime(id)) > s.ttl {
			continue
		}
		msgs = append(msgs, m)
		at = append(at, idTime(id))
	}
	var out []bot.Stored
	if len(msgs) > 0 {
		// new ids in this outbox, with the time each was first queued: the sender
		// retries until its MaxElapsed from then, and Pending drops it after the TTL
		newIDs, err := s.put(ctx, msgs, at)
		if err != nil {
			return nil, fmt.Errorf("outbox claim: keep: %w", err) // the items stay aside, with their TTL
		}
		for i, m := range msgs {
			out = append(out, bot.Stored{ID: newIDs[i], Msg: m, Queued: at[i]})
		}
	}
	if err := s.c.Del(ctx, aside).Err(); err != nil {
		return out, fmt.Errorf("outbox claim: %w", err)
	}
	_ = s.c.ZRem(ctx, ownersKey, key).Err()
	return out, nil
}

// Run keeps this owner alive (a heartbeat every Beat) and claims orphaned outboxes
// every Grace, handing their items to resume, until ctx ends. Redis errors are
// retried at the next tick.
func (s *Store) Run(ctx context.Context, resume func([]bot.Stored)) {
	s.run(ctx, Beat, Grace, resume)
}

func (s *Store) run(ctx context.Context, beat, grace time.Duration, resume func([]bot.Stored)) {
	tick := time.NewTicker(beat)
	defer tick.Stop()
	var lastClaim time.Time
	for {
		hctx, cancel := context.WithTimeout(ctx, beat)
		if time.Since(lastClaim) < grace {
			_ = s.heartbeat(hctx, grace)
		} else { // Claim beats first
			if got, _ := s.Claim(hctx, grace); len(got) > 0 {
				resume(got)
			}
			lastClaim = time.Now()
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
