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
	"slices"
	"strconv"
	"strings"
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
	// window, ticket, transcript, platform copies) instead of saving Next, and leaves
	// only a tombstone (store.Keys.Tombstone) of HMAC-named message ids, so that no
	// replay of a message up to the erase counts as new.
	Erase bool
	// Copy is the platform's id of this message in the chat (Telegram's message_id,
	// Twilio's MessageSid), kept sealed with the session so that an erase can delete
	// the platform's copy; "" keeps nothing. An erase returns it with the others.
	Copy string
	// CopyKeep is how long Copy is worth keeping (what the platform lets a bot
	// delete: see bot.CopyKeep); 0 is the session's TTL. An erase hands on only the
	// ids kept within it.
	CopyKeep time.Duration
	// Owe keeps, with the dedupe mark, a record that this message's replies are not
	// yet safe (store.Keys.Owed): the time it was read at and Prev. Clear it with
	// Settle once they are in the outbox. A redelivery finding it is answered with it
	// (Result.Owed) rather than dropped as a duplicate.
	Owe bool
	// At is the time the message was read at (with Owe: kept so that its replies can
	// be computed again the same way).
	At time.Time
	// Job, with Erase, writes the erase's job (store.Keys.Erasing) in the same script:
	// the platform ids the erase removes, Copy included, move there (sealed as they
	// were), so that a process that dies before the platform deleted them leaves
	// them to another (bot.Forgetter). nil: no job; the ids are only returned.
	Job *Job
}

// Job is what an erase's commit writes of its job besides the platform ids.
type Job struct {
	// To is the sealed destination (channel, address, language): the job's "to".
	To []byte
	// Own is the lease of the process that works on it: the job's "own".
	Own string
	// TTL is the job's (store.ErasingTTL at most).
	TTL time.Duration
}

// Owed is what a message committed by a process that died before its replies were
// safe left: its replies are computed again from Prev, at At.
type Owed struct {
	At   time.Time
	Prev Snapshot
	// Mine: this very process committed it, so its replies are in its queue (or on
	// their way there): nothing is owed to a redelivery.
	Mine bool
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
	// Copies are the platform's ids of the chat's recent messages that an erase
	// removed from the store (Change.Copy included), oldest first: the platform's
	// copies to delete now.
	Copies []string
	// CopiesLost: the erase had been carried out already by an earlier run of this
	// very attempt (the client sent it again after a slow answer), which took the
	// platform's ids with it; they are not known any more.
	CopiesLost bool
	// Owed (with Dup): the message was committed but its replies never reached
	// safety (see Change.Owe); answer it from this.
	Owed *Owed
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
	// Process names this process in owed records (Change.Owe), so that a redelivery
	// to the process that committed a message is told apart from one to another
	// (default: a random name per process).
	Process string
	// Secret (the deployment's FARO_HMAC_SECRET) seals each stored session (a social
	// name, a topic, a district) with AES-GCM and names message ids by an HMAC, so a
	// Redis dump holds neither in the clear. Without it (tests, benchmarks) sessions
	// are stored as plain JSON.
	Secret []byte
	// Batcher is the batched writer to share with the other writers of the process
	// (nil: one of its own).
	Batcher *store.Batcher
	// MaxCopies bounds the platform message ids kept per person for erase (default
	// 200; the oldest go first).
	MaxCopies int
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
	if opts.MaxCopies <= 0 {
		opts.MaxCopies = 200
	}
	if opts.DedupeKeep <= 0 {
		opts.DedupeKeep = 64
	}
	if opts.Process == "" {
		opts.Process = tokens.prefix
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
	m := store.Keyed(r.ids)
	defer m.Done()
	m.Write([]byte(id))
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0])[:12])
}

// sealCopy is what is stored of a platform's message id: sealed when the store has a
// secret.
func (r *Redis) sealCopy(id string) ([]byte, error) {
	if r.seal == nil {
		return []byte(id), nil
	}
	b, err := r.seal.Seal([]byte(id))
	if err != nil {
		return nil, fmt.Errorf("seal message id: %w", err)
	}
	return b, nil
}

// openCopies opens the platform ids an erase returned; one that cannot be opened
// (sealed under another secret) is left out.
func (r *Redis) openCopies(kept []any) []string {
	out := make([]string, 0, len(kept))
	for _, x := range kept {
		s, _ := x.(string)
		if r.seal == nil {
			out = append(out, s)
			continue
		}
		if b, err := r.seal.Open([]byte(s)); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// KeepCopy keeps the platform's id of a message the bot sent to user (a UserKey), for
// keep (0: the session's TTL), so that an erase can delete the platform's copy. It is
// written in the background through the batched writer, as three plain commands, and
// does not wait. A reply delivered after her erase is not kept: an erase leaves a
// string in place of the set (see commitScript), on which ZADD fails, and EXPIRE NX
// leaves that string's TTL as it was (Redis 7.0 or later).
func (r *Redis) KeepCopy(user, id string, keep time.Duration, now time.Time) {
	if id == "" {
		return
	}
	if keep <= 0 {
		keep = r.opts.TTL
	}
	sealed, err := r.sealCopy(id)
	if err != nil {
		return
	}
	copies := store.KeysOf(r.opts.Prefix, user).Copies()
	max := int64(r.opts.MaxCopies)
	r.b.Submit(store.Op{
		// Asked again when Redis did not answer: an id lost is a message an erase
		// cannot delete. After an erase the key holds "erased", which a late ZADD
		// cannot change (Redis refuses it, and a refusal is not retried).
		Retries: settleRetries,
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			p.ZAdd(ctx, copies, redis.Z{Score: float64(now.Unix()), Member: sealed})
			p.ZRemRangeByRank(ctx, copies, 0, -max-1)
			p.ExpireNX(ctx, copies, keep)
			return true
		},
	})
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
	var copied []byte
	if ch.Copy != "" && (!ch.Erase || ch.Job != nil) { // an erase returns it (and moves it to its job)
		if copied, err = r.sealCopy(ch.Copy); err != nil {
			return nil, nil, nil, err
		}
	}
	keep := ch.CopyKeep
	if keep <= 0 {
		keep = r.opts.TTL
	}
	k := store.KeysOf(r.opts.Prefix, key)
	keys = []string{k.Seen(), k.Session(), k.Attempt(), k.Tombstone(), k.Copies(), k.Owed()}
	if ch.Erase { // every other key of the person goes in the same script
		for _, o := range k.All() {
			if !slices.Contains(keys, o) {
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
		copied, int64(keep / time.Second), r.opts.MaxCopies, -int64(r.opts.DedupeKeep) - 1, owed(ch, r.opts.Process), int64(OwedKeep / time.Second),
		int64(OwedKeep / time.Second)}
	// the erase's job (ARGV 18-20), in the last key
	if ch.Erase && ch.Job != nil {
		keys = append(keys, k.Erasing())
		args = append(args, ch.Job.To, ch.Job.Own, int64(min(ch.Job.TTL, store.ErasingTTL)/time.Second))
	} else {
		args = append(args, "", "", 0)
	}
	return keys, args, next, nil
}

// OwedKeep bounds how long an owed record waits for a redelivery: longer than Telegram
// keeps redelivering an update, no longer than the outbox keeps a reply. A record
// older than that (left in a hash a later record kept alive) is not to be answered.
const OwedKeep = 2 * time.Hour

// owed encodes Change.Owe's record: "<unix ms>\x00<process>\x00<prev>" ("" when not
// owed), kept in the person's owed hash under the message's HMAC-named id, so that a
// redelivery of this very message, and no other, finds it. The process (its random
// token prefix) tells a redelivery to the process that committed it; Prev is stored
// as the session is (sealed).
func owed(ch Change, process string) string {
	if !ch.Owe || ch.MsgID == "" || ch.Erase {
		return ""
	}
	return strconv.FormatInt(ch.At.UnixMilli(), 10) + "\x00" + process + "\x00" + string(ch.Prev)
}

// parseOwed reads an owed record, and the stored encoding of the session it was
// stepped from (nil: none).
func parseOwed(v, process string) (*Owed, []byte) {
	at, rest, ok := strings.Cut(v, "\x00")
	owner, prev, ok2 := strings.Cut(rest, "\x00")
	ms, err := strconv.ParseInt(at, 10, 64)
	if !ok || !ok2 || err != nil {
		return nil, nil
	}
	o := &Owed{At: time.UnixMilli(ms), Mine: owner == process}
	if prev == "" {
		return o, nil
	}
	return o, []byte(prev)
}

// Tombstone names the tombstone an erase of user leaves and the member msgID (the
// platform's id of one of her messages) has there: what another writer checks so that
// a replay of a message from before her erase brings nothing back.
func (r *Redis) Tombstone(user, msgID string) (key, member string) {
	return store.KeysOf(r.opts.Prefix, user).Tombstone(), r.msgID(msgID)
}

// settleRetries is how many times more Settle's deletion is sent when Redis did not
// answer (from store.RetryDelay doubling: within about 3 s).
const settleRetries = 5

// Settle clears the owed record of user's message (Change.Owe) once its replies are
// safe, through the batched writer: no round trip of its own. Only the record of this
// message is cleared (a field of the person's owed hash), not a later one's.
func (r *Redis) Settle(user, msgID string) {
	id := r.msgID(msgID)
	if id == "" {
		return
	}
	key := store.KeysOf(r.opts.Prefix, user).Owed()
	r.b.Submit(store.Op{
		// HDEL is idempotent: asked again when Redis did not answer, since a record
		// left behind would have a redelivery answered twice.
		Retries: settleRetries,
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			p.HDel(ctx, key, id)
			return true
		},
	})
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
		// a command line cannot carry NUL (the attempt's separator): the benchmark's
		// script runs the same with another byte there
		cmd = append(cmd, strings.ReplaceAll(fmt.Sprint(a), "\x00", "|"))
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
// Every key it writes gets a TTL; all keys share a hash tag (one Cluster slot).
//
// KEYS: seen, session, attempt, tombstone, copies, owed, then (erase) every other key
// of the person. ARGV: 1 message id (HMAC), 2 now, 3 dedupe cutoff, 4 '1' when a session
// is expected, 5 that session, 6 op, 7 new session, 8 dedupe TTL, 9 session TTL,
// 10 attempt (id and token), 11 sealed platform id (empty: none), 12 its keep, 13 max ids,
// 14 minus the message ids kept, minus one (ZREMRANGEBYRANK's end: only the latest stay),
// 15 the owed record (” none: see Change.Owe), 16 its TTL, 17 the TTL of the string an
// erase leaves in place of the platform ids, 18 the erase's sealed destination (empty: no
// job), 19 its lease, 20 its TTL.
//
// An erase deletes every key of the person and returns the sealed platform ids it
// held that are still within their keep (ARGV 12); it leaves the tombstone: the message
// ids seen so far, this one, and this attempt, expiring with the dedupe window; and,
// under the name of the platform ids, the string "erased" for as long as a reply may
// still be delivered (ARGV 17), so that KeepCopy's ZADD of a reply delivered after the
// erase fails instead of keeping its id. The person's next message removes it. A message id found there is a duplicate
// (code 0), the erase's own attempt sent again is done (code 3: the platform ids went
// to the first run's answer). With a job (ARGV 18; its key is the last one) the platform
// ids and this message's (ARGV 11) move into it, with its destination and lease; the
// ids of an earlier job of hers not yet done stay.
var commitScript = redis.NewScript(`
local seen, sess, attempt, tomb, copies = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id = ARGV[1]
if id ~= '' then
  if redis.call('GET', attempt) == ARGV[10] then
    return {1} -- this very attempt, sent again by the client: it was carried out
  end
  if redis.call('SISMEMBER', tomb, ARGV[10]) == 1 then
    return {3} -- this very erase, sent again by the client
  end
  if redis.call('SISMEMBER', tomb, id) == 1 then
    return {0}
  end
  if redis.call('ZSCORE', seen, id) then
    local o = redis.call('HGET', KEYS[6], id)
    if o then
      return {4, o} -- committed, but its replies were never made safe
    end
    return {0}
  end
end
local cur = redis.call('GET', sess)
if ARGV[4] == '1' then
  if cur ~= ARGV[5] then return {2, cur} end
elseif cur then
  return {2, cur}
end
if ARGV[6] == 'erase' then
  local ids = redis.call('ZRANGE', seen, 0, -1)
  local kept = {}
  if redis.call('TYPE', copies).ok == 'zset' then
    kept = redis.call('ZRANGEBYSCORE', copies, tonumber(ARGV[2]) - tonumber(ARGV[12]), '+inf')
  end
  local job = ARGV[18] ~= '' and KEYS[#KEYS]
  for i, k in ipairs(KEYS) do
    if i ~= 4 and k ~= job then redis.call('DEL', k) end
  end
  if job then
    local f = {'to', ARGV[18], 'own', ARGV[19]}
    for _, c in ipairs(kept) do f[#f + 1] = c; f[#f + 1] = '' end
    if ARGV[11] ~= '' then f[#f + 1] = ARGV[11]; f[#f + 1] = '' end
    redis.call('HSET', job, unpack(f))
    redis.call('EXPIRE', job, ARGV[20])
  end
  if id ~= '' then
    ids[#ids + 1] = id
    ids[#ids + 1] = ARGV[10]
  end
  for i = 1, #ids, 500 do
    redis.call('SADD', tomb, unpack(ids, i, math.min(i + 499, #ids)))
  end
  if #ids > 0 then redis.call('EXPIRE', tomb, ARGV[8]) end
  redis.call('SET', copies, 'erased', 'EX', ARGV[17])
  return {1, kept}
end
if id ~= '' then
  redis.call('ZADD', seen, ARGV[2], id)
  redis.call('ZREMRANGEBYSCORE', seen, '-inf', ARGV[3])
  redis.call('ZREMRANGEBYRANK', seen, 0, ARGV[14])
  redis.call('EXPIRE', seen, ARGV[8])
  redis.call('SET', attempt, ARGV[10], 'EX', 600)
  if ARGV[15] ~= '' then
    if redis.call('HLEN', KEYS[6]) >= 16 then redis.call('DEL', KEYS[6]) end
    redis.call('HSET', KEYS[6], id, ARGV[15])
    redis.call('EXPIRE', KEYS[6], ARGV[16])
  end
end
if redis.call('TYPE', copies).ok == 'string' then redis.call('DEL', copies) end
if ARGV[11] ~= '' then
  redis.call('ZADD', copies, ARGV[2], ARGV[11])
  redis.call('ZREMRANGEBYSCORE', copies, '-inf', tonumber(ARGV[2]) - tonumber(ARGV[12]))
  redis.call('ZREMRANGEBYRANK', copies, 0, -tonumber(ARGV[13]) - 1)
  redis.call('EXPIRE', copies, ARGV[12])
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
		res := Result{Saved: next}
		if ch.Erase {
			res.Saved = nil
			if len(v) > 1 {
				kept, _ := v[1].([]any)
				res.Copies = r.openCopies(kept)
			}
			if ch.Copy != "" {
				res.Copies = append(res.Copies, ch.Copy)
			}
		}
		return res, nil
	case 3:
		return Result{CopiesLost: true}, nil
	case 4:
		res := Result{Dup: true}
		if len(v) > 1 {
			if s, ok := v[1].(string); ok {
				if o, prev := parseOwed(s, r.opts.Process); o != nil {
					o.Prev = r.Decode(prev)
					res.Owed = o
				}
			}
		}
		return res, nil
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
