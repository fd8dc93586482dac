// Package session keeps each user's conversation state in Redis: one key per user,
// named by an HMAC of the address, with a TTL, read with the message's dedupe mark in
// one round trip and written in one more. An in-process Redis (miniredis) stands in
// when no server is configured, so both run the same code.
package session

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/redis/go-redis/v9"
)

// Store loads, saves and erases sessions. Implementations are safe for concurrent use.
type Store interface {
	// Load reads the session under key. When msgID is not empty it also records the
	// message as seen, in the same round trip, and reports dup if it was seen before.
	Load(ctx context.Context, key, msgID string) (s flows.Session, found, dup bool, err error)
	// Save writes the session under key and renews its TTL.
	Save(ctx context.Context, key string, s flows.Session) error
	// Erase deletes every key of the user.
	Erase(ctx context.Context, key string) error
}

// Key is the name a user is stored under: an HMAC-SHA256 of channel and address with
// the deployment's secret, so Redis never holds a phone number or a chat id, and the
// same person on another deployment gets another key. 128 bits, hex.
func Key(secret []byte, channel, address string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(channel))
	m.Write([]byte{0})
	m.Write([]byte(address))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Options tune the Redis store.
type Options struct {
	// Prefix of every key (default "faro:").
	Prefix string
	// TTL of a session after the last message (default 30 days).
	TTL time.Duration
	// DedupeTTL is how long a message id is remembered (default 48 h; platforms retry
	// for less than that).
	DedupeTTL time.Duration
}

// Redis is the Store on a Redis server (single, Sentinel or Cluster). All keys of one
// user share a hash tag, so a pipeline goes to one node.
type Redis struct {
	c    redis.UniversalClient
	opts Options
}

// NewRedis returns a Store on c.
func NewRedis(c redis.UniversalClient, opts Options) *Redis {
	if opts.Prefix == "" {
		opts.Prefix = "faro:"
	}
	if opts.TTL <= 0 {
		opts.TTL = 30 * 24 * time.Hour
	}
	if opts.DedupeTTL <= 0 {
		opts.DedupeTTL = 48 * time.Hour
	}
	return &Redis{c: c, opts: opts}
}

// SessionKey and SeenKey name the Redis keys of a user.
func (r *Redis) SessionKey(key string) string { return r.opts.Prefix + "{" + key + "}:s" }

// SeenKey names the sorted set of the user's recent message ids (dedupe).
func (r *Redis) SeenKey(key string) string { return r.opts.Prefix + "{" + key + "}:m" }

// Load implements Store in one round trip.
func (r *Redis) Load(ctx context.Context, key, msgID string) (flows.Session, bool, bool, error) {
	var s flows.Session
	sk, mk := r.SessionKey(key), r.SeenKey(key)
	var added *redis.IntCmd
	var get *redis.StringCmd
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		if msgID != "" {
			now := time.Now()
			added = p.ZAddNX(ctx, mk, redis.Z{Score: float64(now.Unix()), Member: msgID})
			p.ZRemRangeByScore(ctx, mk, "-inf", strconv.FormatInt(now.Add(-r.opts.DedupeTTL).Unix(), 10))
			p.Expire(ctx, mk, r.opts.DedupeTTL)
		}
		get = p.Get(ctx, sk)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return s, false, false, fmt.Errorf("load session: %w", err)
	}
	dup := added != nil && added.Val() == 0
	data, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return s, false, dup, nil
	}
	if err != nil {
		return s, false, dup, fmt.Errorf("load session: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		// A session we cannot read is a fresh start, not an outage.
		return flows.Session{}, false, dup, nil
	}
	return s, true, dup, nil
}

// Save implements Store in one round trip.
func (r *Redis) Save(ctx context.Context, key string, s flows.Session) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	if err := r.c.Set(ctx, r.SessionKey(key), data, r.opts.TTL).Err(); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// Erase implements Store: it deletes the session and the dedupe marks.
func (r *Redis) Erase(ctx context.Context, key string) error {
	// Separate DELs in one pipeline: in a cluster a multi-key DEL must not cross slots,
	// and these share a hash tag anyway.
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, r.SessionKey(key))
		p.Del(ctx, r.SeenKey(key))
		return nil
	})
	if err != nil {
		return fmt.Errorf("erase session: %w", err)
	}
	return nil
}
