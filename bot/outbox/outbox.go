// Package outbox keeps the replies waiting to be sent in Redis until they are
// delivered, so that a crash or a restart of `faro serve` does not lose them: a new
// process resends what the old one had queued.
//
// Redis must never hold a phone number, a chat id or a message text in the clear, and a
// queued reply holds all three: every item is sealed with AES-256-GCM under a key
// derived from the deployment's HMAC secret. Every key has a TTL.
package outbox

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/redis/go-redis/v9"
)

// Store is the outbox of one process (its owner name) on Redis. It implements
// bot.Outbox and is safe for concurrent use.
type Store struct {
	c     redis.UniversalClient
	aead  cipher.AEAD
	index string // sorted set of the owner's item ids, by enqueue time
	item  string // prefix of the item keys; all share the index's hash tag
	ttl   time.Duration
}

// New returns the outbox of owner (a stable name of the process, such as its host
// name: a restarted process resends what the one of the same name left). Items expire
// after ttl (default 2 hours, longer than the sender retries).
func New(c redis.UniversalClient, secret []byte, owner string, ttl time.Duration) (*Store, error) {
	if len(secret) < 16 {
		return nil, errors.New("outbox: the secret must be at least 16 bytes")
	}
	if owner == "" {
		return nil, errors.New("outbox: empty owner")
	}
	if ttl <= 0 {
		ttl = 2 * time.Hour
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("faro outbox v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("outbox: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("outbox: gcm: %w", err)
	}
	// the owner name goes into a key: keep it opaque and short
	o := sha256.Sum256([]byte(owner))
	tag := "{" + hex.EncodeToString(o[:8]) + "}"
	return &Store{c: c, aead: aead, index: "faro:outbox:" + tag, item: "faro:outbox:" + tag + ":", ttl: ttl}, nil
}

// Put implements bot.Outbox: it stores the messages, sealed, in one round trip and
// returns their ids in order.
func (s *Store) Put(ctx context.Context, msgs []bot.Outbound) ([]string, error) {
	ids := make([]string, len(msgs))
	now := time.Now()
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, m := range msgs {
			sealed, err := s.seal(m)
			if err != nil {
				return err
			}
			ids[i] = newID(now, i)
			p.Set(ctx, s.item+ids[i], sealed, s.ttl)
			p.ZAdd(ctx, s.index, redis.Z{Score: float64(now.UnixMilli()), Member: ids[i]})
		}
		p.Expire(ctx, s.index, s.ttl)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox put: %w", err)
	}
	return ids, nil
}

// Done implements bot.Outbox: the message has met its fate (delivered or failed for
// good) and is forgotten.
func (s *Store) Done(ctx context.Context, id string) error {
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.item+id)
		p.ZRem(ctx, s.index, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox done: %w", err)
	}
	return nil
}

// Pending returns what this owner left queued, oldest first, for Sender.Resume. Items
// that expired or cannot be opened (another secret) are dropped from the index.
func (s *Store) Pending(ctx context.Context) ([]bot.Stored, error) {
	ids, err := s.c.ZRange(ctx, s.index, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox pending: %w", err)
	}
	sort.Strings(ids) // ids are time-ordered
	cmds := make([]*redis.StringCmd, len(ids))
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.Get(ctx, s.item+id)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("outbox pending: %w", err)
	}
	var out []bot.Stored
	var stale []any
	for i, id := range ids {
		data, err := cmds[i].Bytes()
		if err != nil {
			stale = append(stale, id)
			continue
		}
		m, err := s.open(data)
		if err != nil {
			stale = append(stale, id)
			continue
		}
		out = append(out, bot.Stored{ID: id, Msg: m})
	}
	if len(stale) > 0 {
		if err := s.c.ZRem(ctx, s.index, stale...).Err(); err != nil {
			return out, fmt.Errorf("outbox pending: drop stale: %w", err)
		}
	}
	return out, nil
}

func (s *Store) seal(m bot.Outbound) ([]byte, error) {
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("outbox: encode: %w", err)
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("outbox: nonce: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plain, nil), nil
}

func (s *Store) open(data []byte) (bot.Outbound, error) {
	var m bot.Outbound
	n := s.aead.NonceSize()
	if len(data) < n {
		return m, errors.New("outbox: short item")
	}
	plain, err := s.aead.Open(nil, data[:n], data[n:], nil)
	if err != nil {
		return m, fmt.Errorf("outbox: open: %w", err)
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
