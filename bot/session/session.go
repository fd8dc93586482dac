// Package session keeps each user's conversation state in Redis: one key per user,
// named by an HMAC of the address, with a TTL. Each message is one atomic round trip
// that checks the message's dedupe mark, compares the stored session with the one the
// reply was computed from, and writes; a Cache of recent sessions supplies that one,
// so a message needs no read first. An in-process Redis (miniredis) stands in when no
// server is configured, so both run the same code.
package session

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/flows"
	"github.com/redis/go-redis/v9"
)

// Store keeps sessions. Implementations are safe for concurrent use.
type Store interface {
	// Commit applies one message's change in one round trip: if ch.MsgID was seen
	// before it writes nothing and reports Dup; if the stored session is not the one
	// the change was computed from (ch.Prev) it writes nothing and reports Conflict
	// with the stored one; otherwise it records ch.MsgID and saves ch.Next (or erases
	// the user).
	Commit(ctx context.Context, key string, ch Change) (Result, error)
}

// Snapshot is a session together with its stored encoding.
type Snapshot struct {
	Session flows.Session
	// Raw is the encoding as stored; nil when there is no stored session.
	Raw []byte
}

// Change is what one message does to a user's state.
type Change struct {
	// MsgID is recorded as seen; "" records nothing and detects no duplicate.
	MsgID string
	// Prev is the stored encoding Next was computed from; nil when there was none.
	Prev []byte
	// Next is the session to save.
	Next flows.Session
	// Erase deletes every key of the user (store.Keys.All: session, dedupe, reply
	// window, ticket, transcript) instead of saving Next.
	Erase bool
}

// Result is the outcome of a Commit.
type Result struct {
	// Dup: the message was handled before; nothing was written.
	Dup bool
	// Conflict: the stored session is not Prev (another process wrote it, or it
	// expired); nothing was written and Current holds what is stored.
	Conflict bool
	Current  Snapshot
	// Saved is the encoding now stored (nil after an erase).
	Saved []byte
}

// Decode reads a stored encoding. A session that cannot be read is a fresh start, not
// an outage: Decode then returns the zero Session (and keeps raw, so the next write
// replaces it).
func Decode(raw []byte) Snapshot {
	snap := Snapshot{Raw: raw}
	if raw != nil && json.Unmarshal(raw, &snap.Session) != nil {
		snap.Session = flows.Session{}
	}
	return snap
}

// Options tune the Redis store.
type Options struct {
	// Prefix of every key (default store.Prefix).
	Prefix string
	// TTL of a session after the last message (default 30 days).
	TTL time.Duration
	// DedupeTTL is how long a message id is remembered (default 48 h; platforms retry
	// for less than that).
	DedupeTTL time.Duration
	// DedupeKeep bounds the message ids remembered per person to the latest ones
	// (default 64): a platform delivers a message again within minutes, long before
	// she has written 64 more, and the record stays small (a compact sorted set of
	// about 2.5 KB at most, instead of growing with every message for 48 hours).
	DedupeKeep int
	// Secret (the deployment's FARO_HMAC_SECRET) seals each stored session (a social
	// name, a topic, a district) with AES-GCM and names message ids by an HMAC, so a
	// Redis dump holds neither in the clear. Without it (tests, benchmarks) sessions
	// are stored as plain JSON.
	Secret []byte
	// Batcher is the batched writer to share with the other writers of the process
	// (nil: one of its own).
	Batcher *store.Batcher
}

// Redis is the Store on a Redis server (single, Sentinel or Cluster). All keys of one
// user share a hash tag, so a pipeline goes to one node.
type Redis struct {
	c    redis.UniversalClient
	opts Options
	b    *store.Batcher
	seal *store.Sealer // nil: plain JSON
	ids  []byte        // HMAC key of message ids (nil: ids as given)
}

// NewRedis returns a Store on c.
func NewRedis(c redis.UniversalClient, opts Options) *Redis {
	if opts.Prefix == "" {
		opts.Prefix = store.Prefix
	}
	if opts.TTL <= 0 {
		opts.TTL = 30 * 24 * time.Hour
	}
	if opts.DedupeTTL <= 0 {
		opts.DedupeTTL = 48 * time.Hour
	}
	if opts.DedupeKeep <= 0 {
		opts.DedupeKeep = 64
	}
	r := &Redis{c: c, opts: opts, b: opts.Batcher}
	if r.b == nil {
		r.b = store.NewBatcher(c, 256, 500*time.Millisecond)
	}
	if len(opts.Secret) > 0 {
		// NewSealer fails only on a secret under 16 bytes, which config refuses
		if seal, err := store.NewSealer(opts.Secret, "session"); err == nil {
			r.seal = seal
			m := hmac.New(sha256.New, opts.Secret)
			m.Write([]byte("faro message ids v1"))
			r.ids = m.Sum(nil)
		}
	}
	return r
}

// encode is what is stored of s: sealed when the store has a secret.
func (r *Redis) encode(s flows.Session) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	if r.seal == nil {
		return b, nil
	}
	sealed, err := r.seal.Seal(b)
	if err != nil {
		return nil, fmt.Errorf("seal session: %w", err)
	}
	return sealed, nil
}

// Decode reads what Commit reported as stored (Result.Current is decoded already): a
// session that cannot be opened or read is a fresh start, as with the package Decode.
func (r *Redis) Decode(raw []byte) Snapshot {
	if r.seal == nil || raw == nil {
		return Decode(raw)
	}
	plain, err := r.seal.Open(raw)
	if err != nil {
		return Snapshot{Raw: raw} // sealed under another secret, or plain from before
	}
	snap := Decode(plain)
	snap.Raw = raw
	return snap
}

// msgID is the name a message id is remembered under: an HMAC when the store has a
// secret (a platform's ids are not kept in the clear).
func (r *Redis) msgID(id string) string {
	if r.ids == nil || id == "" {
		return id
	}
	m := hmac.New(sha256.New, r.ids)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// SessionKey names the Redis key of a user's session.
func (r *Redis) SessionKey(key string) string { return store.KeysOf(r.opts.Prefix, key).Session() }

// SeenKey names the sorted set of the user's recent message ids (dedupe).
func (r *Redis) SeenKey(key string) string { return store.KeysOf(r.opts.Prefix, key).Seen() }

// commitArgs returns the keys and arguments of commitScript for one change, and the
// session's new encoding.
func (r *Redis) commitArgs(key string, ch Change, now time.Time, token string) (keys []string, args []any, next []byte, err error) {
	if !ch.Erase {
		if next, err = r.encode(ch.Next); err != nil {
			return nil, nil, nil, err
		}
	}
	ch.MsgID = r.msgID(ch.MsgID)
	expect, op := "0", "save"
	if ch.Prev != nil {
		expect = "1"
	}
	if ch.Erase {
		op = "erase"
	}
	k := store.KeysOf(r.opts.Prefix, key)
	keys = []string{k.Seen(), k.Session(), k.Attempt()}
	if ch.Erase { // every other key of the person goes in the same script
		for _, o := range k.All() {
			if o != keys[0] && o != keys[1] && o != keys[2] {
				keys = append(keys, o)
			}
		}
	}
	// The score is the time in seconds to the microsecond: DedupeKeep keeps the latest
	// ids by it, so it must order messages sent within one second (ids recorded by an
	// earlier version, in whole seconds, compare with it as they should).
	seenAt := strconv.FormatFloat(float64(now.UnixMicro())/1e6, 'f', 6, 64)
	args = []any{ch.MsgID, seenAt, now.Add(-r.opts.DedupeTTL).Unix(), expect, ch.Prev, op, next,
		int64(r.opts.DedupeTTL / time.Second), int64(r.opts.TTL / time.Second), ch.MsgID + "\x00" + token,
		-int64(r.opts.DedupeKeep) - 1}
	return keys, args, next, nil
}

// CommitCommand returns the EVALSHA command that Commit sends for a change (after
// LoadScript), as text arguments: load generators replay it with redis-benchmark to
// measure what Redis alone can do with Faro's commands.
func (r *Redis) CommitCommand(key string, ch Change, now time.Time) ([]string, error) {
	keys, args, _, err := r.commitArgs(key, ch, now, newToken())
	if err != nil {
		return nil, err
	}
	cmd := []string{"EVALSHA", commitScript.Hash(), strconv.Itoa(len(keys))}
	cmd = append(cmd, keys...)
	for _, a := range args {
		if b, ok := a.([]byte); ok {
			a = string(b)
		}
		cmd = append(cmd, fmt.Sprint(a))
	}
	return cmd, nil
}

// LoadScript loads Commit's script into the server (all masters of a Cluster).
func (r *Redis) LoadScript(ctx context.Context) error {
	if err := commitScript.Load(ctx, r.c).Err(); err != nil {
		return fmt.Errorf("load commit script: %w", err)
	}
	return nil
}

// commitScript is Commit on the server, so that the dedupe check, the comparison with
// the session the change was computed from and the write are one atomic round trip.
// Every key it writes gets a TTL; all keys share a hash tag (one Cluster slot). An
// erase gets every key of the person (store.Keys.All) and deletes them all.
var commitScript = redis.NewScript(`
local seen, sess, attempt = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
if id ~= '' and redis.call('GET', attempt) == ARGV[10] then
  return {1} -- this very attempt, sent again by the client: it was carried out
end
if id ~= '' and redis.call('ZSCORE', seen, id) then
  return {0}
end
local cur = redis.call('GET', sess)
if ARGV[4] == '1' then
  if cur ~= ARGV[5] then return {2, cur} end
elseif cur then
  return {2, cur}
end
if ARGV[6] == 'erase' then
  redis.call('DEL', unpack(KEYS))
  return {1}
end
if id ~= '' then
  redis.call('ZADD', seen, ARGV[2], id)
  redis.call('ZREMRANGEBYSCORE', seen, '-inf', ARGV[3])
  redis.call('ZREMRANGEBYRANK', seen, 0, ARGV[11])
  redis.call('EXPIRE', seen, ARGV[8])
  redis.call('SET', attempt, ARGV[10], 'EX', 600)
end
redis.call('SET', sess, ARGV[7], 'EX', ARGV[9])
return {1}
`)

// tokens names commit attempts: a random prefix per process and a counter, so that
// two attempts never share a token, across replicas and restarts.
var tokens struct {
	prefix string
	n      atomic.Uint64
}

func init() {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	tokens.prefix = hex.EncodeToString(b[:])
}

// newToken returns a token no other commit attempt has.
func newToken() string {
	return tokens.prefix + strconv.FormatUint(tokens.n.Add(1), 36)
}

// Commit implements Store in one round trip (two the first time a server sees the
// script), shared with the commits of other users made at the same moment (see
// commit and store.Batcher).
func (r *Redis) Commit(ctx context.Context, key string, ch Change) (Result, error) {
	keys, args, next, err := r.commitArgs(key, ch, time.Now(), newToken())
	if err != nil {
		return Result{}, err
	}
	v, err := r.commit(ctx, keys, args)
	if err != nil {
		return Result{}, fmt.Errorf("commit session: %w", err)
	}
	if len(v) == 0 {
		return Result{}, errors.New("commit session: empty answer")
	}
	code, _ := v[0].(int64)
	switch code {
	case 0:
		return Result{Dup: true}, nil
	case 1:
		return Result{Saved: next}, nil
	case 2:
		var raw []byte
		if len(v) > 1 {
			if s, ok := v[1].(string); ok {
				raw = []byte(s)
			}
		}
		return Result{Conflict: true, Current: r.Decode(raw)}, nil
	}
	return Result{}, fmt.Errorf("commit session: unexpected answer %v", code)
}
