// Package outbox keeps the replies waiting to be sent in Redis until they are
// delivered, so that a crash or a restart of `faro serve` does not lose them: a new
// process of the same name resends what the old one had queued (Pending), and when a
// process dies for good (a pod replaced under another name) the other replicas claim
// its outbox once its heartbeat is gone (Run, Claim).
//
// Redis must never hold a phone number, a chat id or a message text in the clear, and a
// queued reply holds all three: every item is sealed with AES-256-GCM under a key
// derived from the deployment's HMAC secret. The items of one process live in one hash
// with a TTL, and writes from all chats are grouped into one pipeline per round trip
// (group commit), so the outbox costs little per message under load.
package outbox

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store"
	"github.com/redis/go-redis/v9"
)

// Store is the outbox of one process (its owner name) on Redis. It implements
// bot.Outbox and is safe for concurrent use. Its writes go through the batched writer
// (store.Batcher) with the process's other writes; Close waits for them.
type Store struct {
	c    redis.UniversalClient
	seal *store.Sealer
	key  string // the hash of the owner's items: id -> sealed message
	ttl  time.Duration
	b    *store.Batcher

	mu     sync.Mutex
	closed bool

	indexed atomic.Int64 // when keep last wrote the index of owners (unix ns)

	delMu     sync.Mutex
	dels      []string // ids to forget with the next pipeline
	delQueued bool     // an op that will take them is queued
}

// DefaultTTL is how long a queued reply is kept by default: as long as the sender
// retries it (bot.DefaultMaxElapsed).
const DefaultTTL = bot.DefaultMaxElapsed

// New returns the outbox of owner (a stable name of the process, such as its host
// name: a restarted process resends what the one of the same name left). Items older
// than ttl (default DefaultTTL, as long as the sender retries) are not resent. b is
// the batched writer to share (nil: one of its own).
func New(c redis.UniversalClient, secret []byte, owner string, ttl time.Duration, b *store.Batcher) (*Store, error) {
	if owner == "" {
		return nil, errors.New("outbox: empty owner")
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	seal, err := store.NewSealer(secret, "outbox")
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if b == nil {
		b = store.NewBatcher(c, 512, time.Second)
	}
	// the owner name goes into a key: keep it opaque
	o := sha256.Sum256([]byte(owner))
	return &Store{c: c, seal: seal, key: "faro:outbox:{" + hex.EncodeToString(o[:8]) + "}", ttl: ttl, b: b}, nil
}

// Close waits for the writes handed over so far (a second at most); later Puts fail.
func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.b.Flush(ctx)
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// keep adds, once a pipeline, what every write of this outbox needs: the TTL of its
// items, and (once a Beat) its place in the index of owners, so that another replica
// can claim it if this one dies before its first heartbeat (see Claim).
func (s *Store) keep(ctx context.Context, p redis.Pipeliner) {
	p.Expire(ctx, s.key, s.ttl)
	now := time.Now()
	if last := s.indexed.Load(); last != 0 && now.UnixNano()-last < int64(Beat) {
		return
	}
	s.indexed.Store(now.UnixNano())
	p.ZAddNX(ctx, ownersKey, redis.Z{Score: float64(now.Unix()), Member: s.key})
	p.Expire(ctx, ownersKey, s.ttl+Grace)
}

// put states, between Put and the writer (see Put).
const (
	putWaiting int32 = iota
	putAnswered
	putGivenUp
)

// Put implements bot.Outbox: it stores the messages, sealed, and returns their ids in
// order once Redis has them. All of them are one command (HSET of several fields) of
// the next pipeline of the batched writer, shared with the other writes of the moment.
func (s *Store) Put(ctx context.Context, msgs []bot.Outbound) ([]string, error) {
	if s.isClosed() {
		return nil, errors.New("outbox put: closed")
	}
	return s.put(ctx, msgs, nil)
}

// put is Put with the times the ids carry (that of the first queueing, for claimed
// items; nil: now).
func (s *Store) put(ctx context.Context, msgs []bot.Outbound, at []time.Time) ([]string, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(msgs))
	args := make([]any, 0, 2*len(msgs))
	var buf []byte
	now := time.Now()
	for i, m := range msgs {
		t := now
		if at != nil {
			t = at[i]
		}
		buf = encode(buf[:0], m)
		sealed, err := s.seal.Seal(buf)
		if err != nil {
			return nil, fmt.Errorf("outbox put: %w", err)
		}
		ids[i] = newID(t, i)
		args = append(args, ids[i], sealed)
	}
	var (
		state  atomic.Int32
		sent   bool
		cmd    *redis.IntCmd
		result = make(chan error, 1)
	)
	s.b.Submit(store.Op{
		Add: func(bctx context.Context, p redis.Pipeliner) bool {
			if ctx.Err() != nil {
				return false // the caller gave up before its write left: nothing to undo
			}
			sent = true
			cmd = p.HSet(bctx, s.key, args...)
			return true
		},
		Once: s.key, OnceAdd: s.keep,
		Done: func(_ context.Context, err error) {
			switch {
			case !sent:
				err = errors.New("not sent")
			case err == nil:
				err = cmd.Err()
			}
			if !state.CompareAndSwap(putWaiting, putAnswered) && sent {
				// The caller stopped waiting and keeps the messages in memory only,
				// so nothing would ever forget these items: a restart would send them
				// again, and Redis would keep them, sealed, until the TTL, even after
				// the person erased her data. The writer keeps the order of ops, so
				// the deletion lands after the write.
				s.forget(ids)
				return
			}
			result <- err
		},
	})
	select {
	case err := <-result:
		if err != nil {
			if sent {
				s.forget(ids) // a write that failed may still have landed
			}
			return nil, fmt.Errorf("outbox put: %w", err)
		}
		return ids, nil
	case <-ctx.Done():
		if !state.CompareAndSwap(putWaiting, putGivenUp) {
			if err := <-result; err == nil {
				return ids, nil // answered at the same moment
			}
			if sent {
				s.forget(ids)
			}
		}
		return nil, fmt.Errorf("outbox put: %w", ctx.Err())
	}
}

// forget deletes items, with the next deletions of Done.
func (s *Store) forget(ids []string) { s.forgetTry(ids, 0) }

// forgetTries bounds how many times the deletion of delivered items is asked of
// Redis; forgetRetry is the wait before the second ask, doubled after each.
const (
	forgetTries = 6
	forgetRetry = 100 * time.Millisecond
)

// forgetTry queues the deletion of ids, asked of Redis for the attempt-th time. A
// pipeline that fails (Redis frozen beyond the writer's timeout, no connection) asks
// again later, up to forgetTries times: an item left behind would be sent again after
// a restart, a duplicate. HDEL is idempotent, so a deletion that landed late and is
// asked again does no harm.
func (s *Store) forgetTry(ids []string, attempt int) {
	s.delMu.Lock()
	s.dels = append(s.dels, ids...)
	queued := s.delQueued
	s.delQueued = true
	s.delMu.Unlock()
	if queued {
		return // the op already queued takes these too (its attempt counts for them)
	}
	var taken []string
	s.b.Submit(store.Op{
		Add: func(ctx context.Context, p redis.Pipeliner) bool {
			taken = s.takeDels()
			if len(taken) == 0 {
				return false
			}
			p.HDel(ctx, s.key, taken...)
			return true
		},
		Done: func(_ context.Context, err error) {
			if err == nil || len(taken) == 0 || attempt+1 >= forgetTries {
				return
			}
			retry := taken
			time.AfterFunc(forgetRetry<<attempt, func() { s.forgetTry(retry, attempt+1) })
		},
	})
}

// takeDels returns every deletion asked for since the last pipeline, to go as one
// HDEL: under load, the replies delivered during a round trip are forgotten together.
func (s *Store) takeDels() []string {
	s.delMu.Lock()
	defer s.delMu.Unlock()
	ids := s.dels
	s.dels, s.delQueued = nil, false
	return ids
}

// Done implements bot.Outbox: the message met its fate (delivered or given up) and is
// forgotten. It does not wait for Redis; the deletions of many messages share one
// command.
func (s *Store) Done(ctx context.Context, id string) error {
	if s.isClosed() {
		return errors.New("outbox done: closed")
	}
	s.forget([]string{id})
	return nil
}

// Pending returns what this owner left queued, oldest first, for Sender.Resume. Items
// older than the TTL or that cannot be opened (sealed under another secret) are
// deleted instead.
func (s *Store) Pending(ctx context.Context) ([]bot.Stored, error) {
	all, err := s.c.HGetAll(ctx, s.key).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox pending: %w", err)
	}
	ids := make([]string, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	sort.Strings(ids) // ids are time-ordered
	var out []bot.Stored
	var stale []string
	for _, id := range ids {
		m, err := s.open([]byte(all[id]))
		if err != nil || time.Since(idTime(id)) > s.ttl {
			stale = append(stale, id)
			continue
		}
		out = append(out, bot.Stored{ID: id, Msg: m, Queued: idTime(id)})
	}
	if len(stale) > 0 {
		if err := s.c.HDel(ctx, s.key, stale...).Err(); err != nil {
			return out, fmt.Errorf("outbox pending: drop stale: %w", err)
		}
	}
	return out, nil
}

func (s *Store) open(data []byte) (bot.Outbound, error) {
	plain, err := s.seal.Open(data)
	if err != nil {
		return bot.Outbound{}, fmt.Errorf("outbox: %w", err)
	}
	m, err := decode(plain)
	if err != nil {
		return m, fmt.Errorf("outbox: decode: %w", err)
	}
	return m, nil
}

// newID is a time-ordered unique id: nanoseconds, the part's index, and randomness.
func newID(t time.Time, i int) string {
	var b [16 + 4 + 8]byte
	putHex(b[:16], uint64(t.UnixNano()))
	putHex(b[16:20], uint64(i))
	var r [4]byte
	_, _ = rand.Read(r[:])
	hex.Encode(b[20:], r[:])
	return string(b[:])
}

// putHex writes v in hex, zero-padded to fill dst (its low digits if dst is short).
func putHex(dst []byte, v uint64) {
	const digits = "0123456789abcdef"
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = digits[v&15]
		v >>= 4
	}
}

// idTime reads the time an id was made.
func idTime(id string) time.Time {
	if len(id) < 16 {
		return time.Time{}
	}
	ns, err := strconv.ParseInt(id[:16], 16, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
