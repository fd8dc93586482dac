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
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
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
}

// New returns the outbox of owner (a stable name of the process, such as its host
// name: a restarted process resends what the one of the same name left). Items older
// than ttl (default 2 hours, longer than the sender retries) are not resent. b is the
// batched writer to share (nil: one of its own).
func New(c redis.UniversalClient, secret []byte, owner string, ttl time.Duration, b *store.Batcher) (*Store, error) {
	if owner == "" {
		return nil, errors.New("outbox: empty owner")
	}
	if ttl <= 0 {
		ttl = 2 * time.Hour
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
// items, and its place in the index of owners, so that another replica can claim it
// if this one dies before its first heartbeat (see Claim).
func (s *Store) keep(ctx context.Context, p redis.Pipeliner) {
	p.Expire(ctx, s.key, s.ttl)
	p.ZAddNX(ctx, ownersKey, redis.Z{Score: float64(time.Now().Unix()), Member: s.key})
	p.Expire(ctx, ownersKey, s.ttl+Grace)
}

// Put implements bot.Outbox: it stores the messages, sealed, and returns their ids in
// order once Redis has them.
func (s *Store) Put(ctx context.Context, msgs []bot.Outbound) ([]string, error) {
	if s.isClosed() {
		return nil, errors.New("outbox put: closed")
	}
	ids := make([]string, len(msgs))
	result := make(chan error, len(msgs))
	now := time.Now()
	for i, m := range msgs {
		sealed, err := s.sealMsg(m)
		if err != nil {
			return nil, err
		}
		id := newID(now, i)
		ids[i] = id
		s.b.Submit(store.Op{
			Add: func(ctx context.Context, p redis.Pipeliner) bool {
				p.HSet(ctx, s.key, id, sealed)
				return true
			},
			Once: s.key, OnceAdd: s.keep,
			Done: func(_ context.Context, err error) { result <- err },
		})
	}
	for range msgs {
		select {
		case err := <-result:
			if err != nil {
				s.forget(ids)
				return nil, fmt.Errorf("outbox put: %w", err)
			}
		case <-ctx.Done():
			s.forget(ids)
			return nil, fmt.Errorf("outbox put: %w", ctx.Err())
		}
	}
	return ids, nil
}

// forget deletes items that Put gave up waiting for. Their writes may still land when
// Redis answers late (a pause longer than the caller waits), and the caller keeps
// those messages in memory only, so nothing would ever forget them: a restart would
// send them again, and Redis would keep them, sealed, until the TTL, even after the
// person erased her data. The batched writer keeps the order of ops, so the deletions
// land after the writes.
func (s *Store) forget(ids []string) {
	for _, id := range ids {
		s.b.Submit(store.Op{Add: func(ctx context.Context, p redis.Pipeliner) bool {
			p.HDel(ctx, s.key, id)
			return true
		}})
	}
}

// Done implements bot.Outbox: the message met its fate (delivered or failed for good)
// and is forgotten. It does not wait for Redis.
func (s *Store) Done(ctx context.Context, id string) error {
	if s.isClosed() {
		return errors.New("outbox done: closed")
	}
	s.b.Submit(store.Op{Add: func(ctx context.Context, p redis.Pipeliner) bool {
		p.HDel(ctx, s.key, id)
		return true
	}})
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
		out = append(out, bot.Stored{ID: id, Msg: m})
	}
	if len(stale) > 0 {
		if err := s.c.HDel(ctx, s.key, stale...).Err(); err != nil {
			return out, fmt.Errorf("outbox pending: drop stale: %w", err)
		}
	}
	return out, nil
}

func (s *Store) sealMsg(m bot.Outbound) ([]byte, error) {
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("outbox: encode: %w", err)
	}
	sealed, err := s.seal.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return sealed, nil
}

func (s *Store) open(data []byte) (bot.Outbound, error) {
	var m bot.Outbound
	plain, err := s.seal.Open(data)
	if err != nil {
		return m, fmt.Errorf("outbox: %w", err)
	}
	if err := json.Unmarshal(plain, &m); err != nil {
		return m, fmt.Errorf("outbox: decode: %w", err)
	}
	return m, nil
}

// newID is a time-ordered unique id: nanoseconds, the part's index, and randomness.
func newID(t time.Time, i int) string {
	var r [4]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%016x%04x", t.UnixNano(), i) + hex.EncodeToString(r[:])
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
