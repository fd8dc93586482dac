// Package erasejob keeps the jobs of erases in Redis (bot.EraseJobs), so that the
// deletion of a person's messages at the platforms after she erased her data
// outlives the process that started it: a crash, an OOM kill or a deploy between the
// erase's commit and the platform's answers no longer loses her address and the
// platform ids with it.
//
// A job is written by the erase's commit itself (session.Change.Job), under the
// person's hash tag (store.Keys.Erasing), so that the erase and its job are one
// atomic script in one Cluster slot: a hash of the platform ids still to delete
// (sealed as the sessions sealed them), the destination ("to": channel, address,
// language, time of the erase; sealed under a purpose of its own) and the lease of
// the process that works on it ("own": "<expiry> <owner>"). The process renews its
// lease while it works (bot.Forgetter.Run); a job whose lease ran out, or that a
// previous run of the same instance held, is claimed by the next process that scans
// the index of jobs (store.ErasingIndex, a sorted set of user keys, written before
// the commit since it lives in another slot). Each claim is one script on the job's
// key, so of two replicas claiming at once one gets it.
package erasejob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
)

// Grace is the default lease of a job: a process that has not renewed it for that
// long (bot.Forgetter renews every 10 s) is taken to be gone.
const Grace = 30 * time.Second

// Options tune a Store.
type Options struct {
	// Prefix of the person's keys (default store.Prefix).
	Prefix string
	// Grace is the lease (default Grace).
	Grace time.Duration
	// TTL of a job (default and at most store.ErasingTTL).
	TTL time.Duration
}

// Store is the erase jobs on Redis, as seen by one process (its owner name). It
// implements bot.EraseJobs and is safe for concurrent use.
type Store struct {
	c     redis.UniversalClient
	opts  Options
	index string
	to    *store.Sealer // the destinations
	ids   *store.Sealer // the platform ids, as the sessions sealed them
	// me is this process's owner name: "<instance>.<run>", both opaque; instance
	// ends with the dot, so that a previous run of the same instance is told apart.
	me, instance string
}

// New returns the jobs of the process named instance (a stable name, such as its host
// name: as with the outbox, a restart of the same name takes over at once what the
// previous run left, without waiting for its lease to run out).
func New(c redis.UniversalClient, secret []byte, instance string, opts Options) (*Store, error) {
	if instance == "" {
		return nil, errors.New("erasejob: empty instance")
	}
	if opts.Prefix == "" {
		opts.Prefix = store.Prefix
	}
	if opts.Grace <= 0 {
		opts.Grace = Grace
	}
	if opts.TTL <= 0 || opts.TTL > store.ErasingTTL {
		opts.TTL = store.ErasingTTL
	}
	to, err := store.NewSealer(secret, "erase")
	if err != nil {
		return nil, fmt.Errorf("erasejob: %w", err)
	}
	ids, err := store.NewSealer(secret, "session")
	if err != nil {
		return nil, fmt.Errorf("erasejob: %w", err)
	}
	// the names go into Redis: keep them opaque
	h := sha256.Sum256([]byte(instance))
	var run [8]byte
	_, _ = rand.Read(run[:])
	s := &Store{c: c, opts: opts, index: store.ErasingIndex, to: to, ids: ids, instance: hex.EncodeToString(h[:8]) + "."}
	s.me = s.instance + hex.EncodeToString(run[:])
	if opts.Prefix != store.Prefix {
		s.index = opts.Prefix + "erasing"
	}
	return s, nil
}

// Previous lets s open jobs sealed under the deployment's previous secret
// (FARO_HMAC_SECRET_PREVIOUS) during a rotation. Call it before use.
func (s *Store) Previous(secret []byte) error {
	if err := s.to.Also(secret); err != nil {
		return fmt.Errorf("erasejob: previous secret: %w", err)
	}
	if err := s.ids.Also(secret); err != nil {
		return fmt.Errorf("erasejob: previous secret: %w", err)
	}
	return nil
}

func (s *Store) key(user string) string { return store.KeysOf(s.opts.Prefix, user).Erasing() }

// lease is the job's "own" field: this process holds it for a Grace from now.
func (s *Store) lease(now time.Time) string {
	return strconv.FormatInt(now.Add(s.opts.Grace).Unix(), 10) + " " + s.me
}

// Prepare implements bot.EraseJobs: user goes into the index of jobs (before the
// commit: the index is in another slot), and the destination is sealed.
func (s *Store) Prepare(ctx context.Context, user string, f bot.Forgotten) (*session.Job, error) {
	now := time.Now()
	sealed, err := s.to.Seal(encodeTo(f, now))
	if err != nil {
		return nil, fmt.Errorf("erasejob prepare: %w", err)
	}
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, s.index, redis.Z{Score: float64(now.Unix()), Member: user})
		p.Expire(ctx, s.index, s.opts.TTL)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("erasejob prepare: %w", err)
	}
	return &session.Job{To: sealed, Own: s.lease(now), TTL: s.opts.TTL}, nil
}

// Load implements bot.EraseJobs. Ids that cannot be opened (sealed under another
// secret) are struck off the job.
func (s *Store) Load(ctx context.Context, user string) (bot.StoredJob, bool, error) {
	all, err := s.c.HGetAll(ctx, s.key(user)).Result()
	if err != nil {
		return bot.StoredJob{}, false, fmt.Errorf("erasejob load: %w", err)
	}
	raw, ok := all["to"]
	if !ok {
		return bot.StoredJob{}, false, nil
	}
	plain, err := s.to.Open([]byte(raw))
	if err != nil {
		return bot.StoredJob{}, false, fmt.Errorf("erasejob load: %w", err)
	}
	job, at, err := decodeTo(plain)
	if err != nil {
		return bot.StoredJob{}, false, fmt.Errorf("erasejob load: %w", err)
	}
	job.User, job.Stored = user, true
	out := bot.StoredJob{Forgotten: job, At: at, Names: make(map[string][]string, len(all))}
	var bad []string
	for name := range all {
		if name == "to" || name == "own" {
			continue
		}
		id, err := s.ids.Open([]byte(name))
		if err != nil {
			bad = append(bad, name)
			continue
		}
		if _, ok := out.Names[string(id)]; !ok {
			out.IDs = append(out.IDs, string(id))
		}
		out.Names[string(id)] = append(out.Names[string(id)], name)
	}
	if len(bad) > 0 {
		_ = s.c.HDel(ctx, s.key(user), bad...).Err()
	}
	return out, true, nil
}

// Deleted implements bot.EraseJobs.
func (s *Store) Deleted(ctx context.Context, user string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if err := s.c.HDel(ctx, s.key(user), names...).Err(); err != nil {
		return fmt.Errorf("erasejob deleted: %w", err)
	}
	return nil
}

// ownerLua reads an "own" field: the owner and the lease's expiry (unix seconds).
const ownerLua = `
local function owner(o)
  if not o then return nil, 0 end
  local sp = string.find(o, ' ', 1, true)
  if not sp then return nil, 0 end
  return string.sub(o, sp + 1), tonumber(string.sub(o, 1, sp - 1)) or 0
end
`

// renewScript extends the lease (ARGV 2) of the job KEYS[1] if this process (ARGV 1)
// holds it: 1, else 0.
var renewScript = redis.NewScript(ownerLua + `
local who = owner(redis.call('HGET', KEYS[1], 'own'))
if who ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'own', ARGV[2])
return 1
`)

// Renew implements bot.EraseJobs.
func (s *Store) Renew(ctx context.Context, users []string) ([]string, error) {
	own := s.lease(time.Now())
	var lost []string
	var errs []error
	for _, u := range users {
		n, err := renewScript.Run(ctx, s.c, []string{s.key(u)}, s.me, own).Int()
		switch {
		case err != nil:
			errs = append(errs, err)
		case n == 0:
			lost = append(lost, u)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return lost, fmt.Errorf("erasejob renew: %w", err)
	}
	return lost, nil
}

// Release implements bot.EraseJobs: the lease, if this process holds it, ends now.
func (s *Store) Release(ctx context.Context, user string) error {
	if err := renewScript.Run(ctx, s.c, []string{s.key(user)}, s.me, "0 "+s.me).Err(); err != nil {
		return fmt.Errorf("erasejob release: %w", err)
	}
	return nil
}

// doneScript strikes ARGV 2.. off the job KEYS[1] if this process (ARGV 1) holds it,
// and deletes the job when no id is left in it (only "to" and "own"): 1 when deleted,
// -1 when there is no job (a previous run of this script, whose answer a slow Redis
// lost, deleted it; or another process finished it), else 0.
var doneScript = redis.NewScript(ownerLua + `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local who = owner(redis.call('HGET', KEYS[1], 'own'))
if who ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 500 do
  redis.call('HDEL', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
if redis.call('HLEN', KEYS[1]) <= 2 then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`)

// leaveScript removes ARGV[1] from the index KEYS[1] if it was entered at ARGV[2]
// (unix seconds) or before: an erase of hers that entered it since, whose commit may
// be under way, keeps her there.
var leaveScript = redis.NewScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`)

// Done implements bot.EraseJobs; the user leaves the index with her job. It can be
// called again after an error: a job it deleted already is taken as done.
func (s *Store) Done(ctx context.Context, user string, names []string, at time.Time) error {
	args := make([]any, 0, 1+len(names))
	args = append(args, s.me)
	for _, n := range names {
		args = append(args, n)
	}
	n, err := doneScript.Run(ctx, s.c, []string{s.key(user)}, args...).Int()
	if err != nil {
		return fmt.Errorf("erasejob done: %w", err)
	}
	if n != 0 {
		if err := leaveScript.Run(ctx, s.c, []string{s.index}, user, at.Unix()).Err(); err != nil {
			return fmt.Errorf("erasejob done: index: %w", err)
		}
	}
	return nil
}

// claimScript takes the job KEYS[1] for this process (ARGV 2, its new lease ARGV 4)
// when its lease ran out (before ARGV 1, now) or a previous run of this instance
// (ARGV 3) held it: 1. It answers 2 when this process holds it already, 0 when
// another live process does, -1 when there is no job.
var claimScript = redis.NewScript(ownerLua + `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local who, exp = owner(redis.call('HGET', KEYS[1], 'own'))
if who == ARGV[2] then return 2 end
if who and exp >= tonumber(ARGV[1]) and string.sub(who, 1, #ARGV[3]) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'own', ARGV[4])
return 1
`)

// dropScript removes ARGV[1] from the index KEYS[1] if its score is still ARGV[2]:
// an erase of hers that re-entered it since is not dropped.
var dropScript = redis.NewScript(`
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`)

// Claim implements bot.EraseJobs: it scans the index, claims the jobs it can, and
// drops the entries that have none and were entered a Grace ago or more (a younger
// one may be an erase whose commit is under way). A job this process holds already is
// returned too (the caller skips those it works on).
func (s *Store) Claim(ctx context.Context) ([]string, error) {
	now := time.Now()
	cutoff := now.Add(-s.opts.Grace).Unix()
	_ = s.c.ZRemRangeByScore(ctx, s.index, "-inf", strconv.FormatInt(now.Add(-s.opts.TTL).Unix(), 10)).Err()
	entries, err := s.c.ZRangeByScoreWithScores(ctx, s.index, &redis.ZRangeBy{Min: "-inf", Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("erasejob claim: %w", err)
	}
	own := s.lease(now)
	var out []string
	var errs []error
	for _, e := range entries {
		user, _ := e.Member.(string)
		if user == "" {
			continue
		}
		n, err := claimScript.Run(ctx, s.c, []string{s.key(user)}, now.Unix(), s.me, s.instance, own).Int()
		switch {
		case err != nil:
			errs = append(errs, err)
		case n == -1 && e.Score > float64(cutoff):
		case n == -1:
			if err := dropScript.Run(ctx, s.c, []string{s.index}, user, strconv.FormatFloat(e.Score, 'f', -1, 64)).Err(); err != nil {
				errs = append(errs, err)
			}
		case n >= 1:
			out = append(out, user)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("erasejob claim: %w", err)
	}
	return out, nil
}

// The destination is sealed in a compact form: a version byte, the time of the erase
// (unix ms, uvarint), then channel, address and language, each length-prefixed.
const toV1 = 1

func encodeTo(f bot.Forgotten, at time.Time) []byte {
	b := []byte{toV1}
	b = binary.AppendUvarint(b, uint64(at.UnixMilli()))
	for _, x := range [...]string{f.Channel, f.Address, f.Lang} {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	return b
}

var errCorrupt = errors.New("corrupt destination")

func decodeTo(b []byte) (bot.Forgotten, time.Time, error) {
	if len(b) < 1 || b[0] != toV1 {
		return bot.Forgotten{}, time.Time{}, errCorrupt
	}
	b = b[1:]
	ms, n := binary.Uvarint(b)
	if n <= 0 {
		return bot.Forgotten{}, time.Time{}, errCorrupt
	}
	b = b[n:]
	var f [3]string
	for i := range f {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return bot.Forgotten{}, time.Time{}, errCorrupt
		}
		f[i] = string(b[n : n+int(l)])
		b = b[n+int(l):]
	}
	if len(b) != 0 {
		return bot.Forgotten{}, time.Time{}, errCorrupt
	}
	return bot.Forgotten{Channel: f[0], Address: f[1], Lang: f[2]}, time.UnixMilli(int64(ms)), nil
}

var _ bot.EraseJobs = (*Store)(nil)
