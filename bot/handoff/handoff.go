// Package handoff keeps the tickets of people who asked to talk to a human operator,
// on Redis: the ticket (state, topic, language, holder, and the address an operator's
// reply goes to, sealed) and its sealed transcript live among the person's own keys
// (store.Keys), so erasing her erases them in the same script; an index of open
// tickets, ordered urgent first then by waiting time, holds only their keys.
//
// It implements bot.Tickets for the conversation (handoff.go), the operator side
// (desk.go: queue, atomic claim, release, transfer, reply, notes, close with an
// outcome, block) and the live side (live.go: changes and operators' presence over
// Redis pub/sub, so consoles on every replica update and Online costs no round trip).
package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store"
)

// Ticket states.
const (
	StateWaiting = "waiting" // opened; no operator has it
	StateActive  = "active"  // an operator claimed it
	StateClosed  = "closed"  // by an operator, with an outcome
	StateLeft    = "left"    // by the person
)

// Outcomes an operator closes a ticket with.
var Outcomes = []string{"informed", "referred", "emergency", "no_answer", "other"}

// OutcomeBlocked is the outcome of a ticket closed because its person was blocked.
const OutcomeBlocked = "blocked"

// Errors of the operator side.
var (
	ErrNoTicket     = errors.New("no such ticket")
	ErrTicketClosed = errors.New("ticket is closed")
	ErrWindowClosed = errors.New("the person's reply window is closed")
	ErrTaken        = errors.New("another operator has this ticket")
	ErrNotYours     = errors.New("this ticket is not yours")
	ErrOutcome      = errors.New("unknown outcome")
)

// Options tune the Store.
type Options struct {
	// Prefix of every key (default store.Prefix).
	Prefix string
	// TTL of a ticket and its transcript after its last message: the retention
	// (default 7 days).
	TTL time.Duration
	// BlockTTL is how long a block lasts (default 30 days).
	BlockTTL time.Duration
	// Presence is how long an operator counts as online after her last heartbeat
	// (default 60 s). Without Run, Online asks Redis at most every PresenceCache
	// (default 2 s); with Run, it answers from memory.
	Presence      time.Duration
	PresenceCache time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Stats counts tickets opened, first answered (with the waiting time) and ended,
	// on the replica that did it (nil: not counted).
	Stats Stats
}

// Stats counts what happens to tickets: nothing about the person (bot/stats
// implements it, in memory: no round trip).
type Stats interface {
	HandoffOpened(at time.Time, topic string)
	HandoffAnswered(at time.Time, wait time.Duration)
	HandoffEnded(at time.Time, state, outcome string)
}

// Store is the Redis ticket store. It is safe for concurrent use.
type Store struct {
	c    redis.UniversalClient
	seal *store.Sealer
	o    Options

	mu         sync.Mutex
	online     bool
	onlineSeen time.Time
	live       bool                 // Run keeps operators from pub/sub
	operators  map[string]time.Time // operator -> end of presence, while live
}

// New returns the store on c; secret (the deployment's HMAC secret) keys the sealing.
func New(c redis.UniversalClient, secret []byte, o Options) (*Store, error) {
	seal, err := store.NewSealer(secret, "ticket")
	if err != nil {
		return nil, fmt.Errorf("handoff: %w", err)
	}
	if o.Prefix == "" {
		o.Prefix = store.Prefix
	}
	if o.TTL <= 0 {
		o.TTL = 7 * 24 * time.Hour
	}
	if o.BlockTTL <= 0 {
		o.BlockTTL = 30 * 24 * time.Hour
	}
	if o.Presence <= 0 {
		o.Presence = time.Minute
	}
	if o.PresenceCache <= 0 {
		o.PresenceCache = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{c: c, seal: seal, o: o, operators: map[string]time.Time{}}, nil
}

func (s *Store) indexKey() string    { return s.o.Prefix + "tickets:open" }
func (s *Store) presenceKey() string { return s.o.Prefix + "operators:online" }
func (s *Store) changesKey() string  { return s.o.Prefix + "handoff:changes" }
func (s *Store) ttl() int64          { return int64(s.o.TTL / time.Second) }

// sealedAddress is what a ticket keeps about where to answer.
type sealedAddress struct {
	Channel string `json:"c"`
	Address string `json:"a"`
}

// queueScore orders the index: urgent tickets first, then the longest waiting.
func queueScore(opened time.Time, urgent bool) float64 {
	if urgent {
		return float64(opened.Unix()) - 1e10
	}
	return float64(opened.Unix())
}

// Open implements bot.Tickets: the ticket hash (address sealed) among the person's
// keys, and its user key in the index of open tickets. An open ticket of the same id
// is left as it is.
func (s *Store) Open(ctx context.Context, t bot.Ticket) error {
	plain, err := json.Marshal(sealedAddress{Channel: t.Channel, Address: t.Address})
	if err != nil {
		return fmt.Errorf("handoff: open: %w", err)
	}
	addr, err := s.seal.Seal(plain)
	if err != nil {
		return fmt.Errorf("handoff: open: %w", err)
	}
	k := store.KeysOf(s.o.Prefix, t.User)
	ttl := int64(s.o.TTL / time.Second)
	n, err := openScript.Run(ctx, s.c, []string{k.Ticket()}, t.ID, t.Topic, t.Lang, t.Org, t.At.Unix(), addr, ttl, t.Channel).Int()
	if err != nil {
		return fmt.Errorf("handoff: open: %w", err)
	}
	if n == 0 {
		return nil
	}
	if s.o.Stats != nil {
		s.o.Stats.HandoffOpened(t.At, t.Topic)
	}
	// The index is outside the person's slot: it holds her key only, and a member
	// whose ticket is gone (erased, expired) is dropped when read.
	pipe := s.c.Pipeline()
	pipe.ZAdd(ctx, s.indexKey(), redis.Z{Score: queueScore(t.At, false), Member: t.User})
	pipe.Expire(ctx, s.indexKey(), s.o.TTL)
	s.publish(ctx, pipe, Change{User: t.User, ID: t.ID, Kind: ChangeOpen})
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: index: %w", err)
	}
	return nil
}

var openScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'waiting', 'topic', ARGV[2], 'lang', ARGV[3], 'org', ARGV[4], 'opened', ARGV[5], 'last', ARGV[5], 'addr', ARGV[6], 'channel', ARGV[8])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return 1
`)

// Entry is one message of a transcript.
type Entry struct {
	ID   string `json:"id"`
	From string `json:"from"` // FromPerson, FromOperator, FromNote
	// Operator is the operator id of a reply or a note.
	Operator string    `json:"op,omitempty"`
	Text     string    `json:"text,omitempty"`
	Media    string    `json:"media,omitempty"`
	At       time.Time `json:"at"`
}

// Who wrote an Entry.
const (
	FromPerson   = "person"
	FromOperator = "operator"
	FromNote     = "note" // an operator's internal note: never sent
)

// Relay implements bot.Tickets: the message, sealed, at the end of the transcript of
// the person's open ticket; nothing when the ticket is not open.
// A message that was a call for help marks the ticket urgent and moves it to the head
// of the queue.
func (s *Store) Relay(ctx context.Context, t bot.Ticket, m bot.Relayed) error {
	if err := s.append(ctx, t.User, t.ID, Entry{ID: m.ID, From: FromPerson, Text: m.Text, Media: m.Media, At: m.At}, m.Urgent); err != nil {
		return err
	}
	if !m.Urgent {
		return nil
	}
	opened, err := s.c.HGet(ctx, store.KeysOf(s.o.Prefix, t.User).Ticket(), "opened").Int64()
	if err != nil {
		return fmt.Errorf("handoff: urgent: %w", err)
	}
	pipe := s.c.Pipeline()
	pipe.ZAddXX(ctx, s.indexKey(), redis.Z{Score: queueScore(time.Unix(opened, 0), true), Member: t.User})
	s.publish(ctx, pipe, Change{User: t.User, ID: t.ID, Kind: ChangeUrgent})
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: urgent: %w", err)
	}
	return nil
}

// append adds e, sealed, to the transcript of the open ticket id; from the person it
// also moves the ticket's last-message time (and marks it urgent when asked).
func (s *Store) append(ctx context.Context, user, id string, e Entry, urgent bool) error {
	plain, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	sealed, err := s.seal.Seal(plain)
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	k := store.KeysOf(s.o.Prefix, user)
	last, urg := "", ""
	if e.From == FromPerson {
		last = strconv.FormatInt(e.At.Unix(), 10)
	}
	if urgent {
		urg = "1"
	}
	change := s.changeJSON(Change{User: user, ID: id, Kind: ChangeMessage})
	n, err := appendScript.Run(ctx, s.c, []string{k.Ticket(), k.Transcript()}, id, sealed, s.ttl(), last, urg, s.changesKey(), change).Int()
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	if n == 0 {
		return ErrTicketClosed
	}
	return nil
}

var appendScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'state')
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or (st ~= 'waiting' and st ~= 'active') then
  return 0
end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], -500, -1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'last', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'urgent', '1') end
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 1
`)

// Leave implements bot.Tickets: the person left; the ticket stays readable, marked,
// and the address an operator could write to is deleted.
func (s *Store) Leave(ctx context.Context, t bot.Ticket) error {
	_, err := s.end(ctx, t.User, t.ID, "", StateLeft, "", ChangeLeave)
	return err
}

// end ends ticket id, held by operator ("" = whoever holds it), with state and outcome:
// the sealed address is deleted and the index forgets it. It returns the sealed
// address it deleted, so a caller can still say goodbye.
func (s *Store) end(ctx context.Context, user, id, operator, state, outcome, kind string) (string, error) {
	k := store.KeysOf(s.o.Prefix, user)
	res, err := endScript.Run(ctx, s.c, []string{k.Ticket()}, id, state, operator, outcome, s.o.Now().Unix()).Slice()
	if err != nil {
		return "", fmt.Errorf("handoff: end ticket: %w", err)
	}
	code, _ := res[0].(int64)
	addr, _ := res[1].(string)
	switch code {
	case -1:
		return "", ErrNoTicket
	case -2:
		return "", ErrTicketClosed
	case -3:
		return "", ErrNotYours
	}
	if s.o.Stats != nil {
		s.o.Stats.HandoffEnded(s.o.Now(), state, outcome)
	}
	pipe := s.c.Pipeline()
	pipe.ZRem(ctx, s.indexKey(), user)
	s.publish(ctx, pipe, Change{User: user, ID: id, Kind: kind})
	if _, err := pipe.Exec(ctx); err != nil {
		return addr, fmt.Errorf("handoff: index: %w", err)
	}
	return addr, nil
}

var endScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then
  return {-1, ''}
end
local st = redis.call('HGET', KEYS[1], 'state')
if st ~= 'waiting' and st ~= 'active' then
  return {-2, ''}
end
if ARGV[3] ~= '' and st == 'active' and redis.call('HGET', KEYS[1], 'op') ~= ARGV[3] then
  return {-3, ''}
end
local addr = redis.call('HGET', KEYS[1], 'addr') or ''
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'outcome', ARGV[4], 'closed', ARGV[5])
redis.call('HDEL', KEYS[1], 'addr')
return {1, addr}
`)

// Closed implements bot.Tickets: the ticket is over (closed, left, erased, expired).
func (s *Store) Closed(ctx context.Context, t bot.Ticket) (bool, error) {
	v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, t.User).Ticket(), "id", "state").Result()
	if err != nil {
		return false, fmt.Errorf("handoff: ticket status: %w", err)
	}
	id, _ := v[0].(string)
	state, _ := v[1].(string)
	return id != t.ID || (state != StateWaiting && state != StateActive), nil
}
