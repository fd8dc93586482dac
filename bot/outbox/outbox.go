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
	"strconv"
	"sync"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/redis/go-redis/v9"
)

// maxBatch bounds how many writes one round trip carries.
const maxBatch = 512

// Store is the outbox of one process (its owner name) on Redis. It implements
// bot.Outbox and is safe for concurrent use. Close stops its writer.
type Store struct {
	c    redis.UniversalClient
	aead cipher.AEAD
	key  string // the hash of the owner's items: id -> sealed message
	ttl  time.Duration

	ops       chan op
	stop      chan struct{}
	closeOnce sync.Once
	done      sync.WaitGroup
}

// op is one write for the group-commit loop.
type op struct {
	id     string
	sealed []byte // nil: delete
	result chan error
}

// New returns the outbox of owner (a stable name of the process, such as its host
// name: a restarted process resends what the one of the same name left). Items older
// than ttl (default 2 hours, longer than the sender retries) are not resent.
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
	// the owner name goes into a key: keep it opaque
	o := sha256.Sum256([]byte(owner))
	s := &Store{c: c, aead: aead, key: "faro:outbox:{" + hex.EncodeToString(o[:8]) + "}", ttl: ttl,
		ops: make(chan op, 4096), stop: make(chan struct{})}
	s.done.Add(1)
	go s.loop()
	return s, nil
}

// Close stops the writer after the writes already handed to it.
func (s *Store) Close() {
	s.closeOnce.Do(func() { close(s.stop) })
	s.done.Wait()
}

// Put implements bot.Outbox: it stores the messages, sealed, and returns their ids in
// order once Redis has them.
func (s *Store) Put(ctx context.Context, msgs []bot.Outbound) ([]string, error) {
	ids := make([]string, len(msgs))
	result := make(chan error, len(msgs))
	now := time.Now()
	for i, m := range msgs {
		sealed, err := s.seal(m)
		if err != nil {
			return nil, err
		}
		ids[i] = newID(now, i)
		select {
		case s.ops <- op{id: ids[i], sealed: sealed, result: result}:
		case <-ctx.Done():
			return nil, fmt.Errorf("outbox put: %w", ctx.Err())
		case <-s.stop:
			return nil, errors.New("outbox put: closed")
		}
	}
	for range msgs {
		select {
		case err := <-result:
			if err != nil {
				return nil, fmt.Errorf("outbox put: %w", err)
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("outbox put: %w", ctx.Err())
		}
	}
	return ids, nil
}

// Done implements bot.Outbox: the message met its fate (delivered or failed for good)
// and is forgotten. It does not wait for Redis.
func (s *Store) Done(ctx context.Context, id string) error {
	select {
	case s.ops <- op{id: id}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("outbox done: %w", ctx.Err())
	case <-s.stop:
		return errors.New("outbox done: closed")
	}
}

// loop writes the operations handed to it, as many as are waiting in one pipeline.
func (s *Store) loop() {
	defer s.done.Done()
	batch := make([]op, 0, maxBatch)
	for {
		select {
		case o := <-s.ops:
			batch = append(batch[:0], o)
		case <-s.stop:
			// write what was handed over before Close
			for {
				select {
				case o := <-s.ops:
					s.write([]op{o})
				default:
					return
				}
			}
		}
	more:
		for len(batch) < maxBatch {
			select {
			case o := <-s.ops:
				batch = append(batch, o)
			default:
				break more
			}
		}
		s.write(batch)
	}
}

func (s *Store) write(batch []op) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, o := range batch {
			if o.sealed != nil {
				p.HSet(ctx, s.key, o.id, o.sealed)
			} else {
				p.HDel(ctx, s.key, o.id)
			}
		}
		p.Expire(ctx, s.key, s.ttl)
		// indexed once, so that another replica can claim it if this one dies
		// before its first heartbeat (see Claim)
		p.ZAddNX(ctx, ownersKey, redis.Z{Score: float64(time.Now().Unix()), Member: s.key})
		p.Expire(ctx, ownersKey, s.ttl+Grace)
		return nil
	})
	cancel()
	for _, o := range batch {
		if o.result != nil {
			o.result <- err
		}
	}
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
