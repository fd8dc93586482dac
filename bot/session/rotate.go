package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/faro-chat/faro/bot/store"
	"github.com/redis/go-redis/v9"
)

// Previous lets r read what was sealed under the deployment's previous secret
// (FARO_HMAC_SECRET_PREVIOUS) during a rotation: sessions and platform message ids
// sealed under it open, and Carry moves a person's session from the name the previous
// secret gave her to her current one. r seals under its own secret only. Call it
// before r is used; it fails on a store without a secret.
func (r *Redis) Previous(secret []byte) error {
	if r.seal == nil {
		return errors.New("session: a previous secret needs a current one")
	}
	if err := r.seal.Also(secret); err != nil {
		return fmt.Errorf("session: previous secret: %w", err)
	}
	return nil
}

// Carry finds the session of a person who is not in the cache, during a rotation
// of the secret: key is her name under the current secret, old her name under the
// previous one. Both sessions are read in one round trip, shared with the other
// writes of the moment (store.Batcher). When she has one under key, that one is
// returned (so the commit that follows needs no second try), and what is left under
// old (but a block, a ticket and its transcript) is deleted. When she has one only
// under old, it is carried over once: sealed anew under key, with her platform
// message ids (resealed) and an operator's block, and her keys under old are
// deleted — except an open ticket and its transcript, which the handoff store
// carries (see handoff.Store.Carry). The dedupe marks (message ids named by an HMAC
// of the previous secret) and the last attempt are not carried. No session under
// either name (or one that opens under neither secret) is the zero Snapshot. carried
// tells that the session came from old.
func (r *Redis) Carry(ctx context.Context, key, old string) (snap Snapshot, carried bool, err error) {
	nk, ok := store.KeysOf(r.opts.Prefix, key), store.KeysOf(r.opts.Prefix, old)
	var cur, prev *redis.StringCmd
	done := make(chan error, 1)
	r.b.Submit(store.Op{
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			cur, prev = p.Get(ctx, nk.Session()), p.Get(ctx, ok.Session())
			return true
		},
		Done: func(_ context.Context, err error) { done <- err },
	})
	select {
	case <-done:
	case <-ctx.Done():
		return Snapshot{}, false, fmt.Errorf("carry session: %w", ctx.Err())
	}
	if b, err := cur.Bytes(); err == nil {
		if prev.Err() == nil { // a leftover (a replica not yet restarted wrote it): it goes
			r.b.Submit(store.Op{Retries: settleRetries, Add: func(ctx context.Context, p redis.Pipeliner) bool {
				p.Del(ctx, ok.Session(), ok.Seen(), ok.Attempt(), ok.Window(), ok.Copies())
				return true
			}})
		}
		return r.Decode(b), false, nil
	} else if !errors.Is(err, redis.Nil) {
		return Snapshot{}, false, fmt.Errorf("carry session: %w", err)
	}
	raw, perr := prev.Bytes()
	if errors.Is(perr, redis.Nil) {
		return Snapshot{}, false, nil
	} else if perr != nil {
		return Snapshot{}, false, fmt.Errorf("carry session: %w", perr)
	}
	if snap = r.Decode(raw); snap.Session.Lang == "" { // opens under neither secret: nothing to carry
		return Snapshot{}, false, nil
	}
	snap, err = r.carry(ctx, nk, ok, snap)
	return snap, err == nil, err
}

// carry moves the session snap, found under the old keys ok, to nk; see Carry. It
// happens once per person and rotation, so it takes two round trips of its own.
func (r *Redis) carry(ctx context.Context, nk, ok store.Keys, snap Snapshot) (Snapshot, error) {
	next, err := r.encode(snap.Session)
	if err != nil {
		return Snapshot{}, err
	}
	read := r.c.Pipeline()
	copies := read.ZRangeWithScores(ctx, ok.Copies(), 0, -1)
	copiesTTL := read.PTTL(ctx, ok.Copies())
	blocked := read.Dump(ctx, ok.Blocked())
	blockedTTL := read.PTTL(ctx, ok.Blocked())
	if _, err := read.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return Snapshot{}, fmt.Errorf("carry session: read: %w", err)
	}
	write := r.c.Pipeline()
	set := write.SetNX(ctx, nk.Session(), next, r.opts.TTL)
	if zs := r.reseal(copies.Val()); len(zs) > 0 {
		write.ZAdd(ctx, nk.Copies(), zs...)
		write.PExpire(ctx, nk.Copies(), ttlOr(copiesTTL.Val(), r.opts.TTL))
	}
	if d, err := blocked.Result(); err == nil {
		write.Restore(ctx, nk.Blocked(), ttlOr(blockedTTL.Val(), r.opts.TTL), d) // BUSYKEY: a newer one is there
	}
	write.Del(ctx, ok.Session(), ok.Seen(), ok.Attempt(), ok.Window(), ok.Blocked(), ok.Copies())
	if _, err := write.Exec(ctx); err != nil && set.Err() != nil {
		return Snapshot{}, fmt.Errorf("carry session: write: %w", err)
	}
	// When SETNX found a session (another replica carried it, or she wrote meanwhile),
	// the commit that follows reports a conflict with it and steps from it.
	return Snapshot{Session: snap.Session, Raw: next}, nil
}

// reseal opens the platform ids kept under the previous secret and seals them under
// the current one; one that opens under neither is left behind.
func (r *Redis) reseal(zs []redis.Z) []redis.Z {
	out := make([]redis.Z, 0, len(zs))
	for _, z := range zs {
		s, _ := z.Member.(string)
		plain, err := r.seal.Open([]byte(s))
		if err != nil {
			continue
		}
		b, err := r.seal.Seal(plain)
		if err != nil {
			continue
		}
		out = append(out, redis.Z{Score: z.Score, Member: b})
	}
	return out
}

// ttlOr is ttl when it is one (PTTL answers -1 for a key without one, -2 for none),
// else def: every key Faro writes has a TTL.
func ttlOr(ttl, def time.Duration) time.Duration {
	if ttl > 0 {
		return ttl
	}
	return def
}

// Forget deletes every key of a person under her name old (a previous secret's)
// after she erased her data during a rotation: what a replica not yet restarted
// wrote there, or an open ticket and transcript not carried. The tombstone under old
// goes too (its message ids are named under the previous secret).
func (r *Redis) Forget(ctx context.Context, old string) error {
	k := store.KeysOf(r.opts.Prefix, old)
	if err := r.c.Del(ctx, append(k.All(), k.Tombstone())...).Err(); err != nil {
		return fmt.Errorf("forget previous name: %w", err)
	}
	return nil
}
