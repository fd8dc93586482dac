// Package handoff keeps the tickets of people who asked to talk to a human operator,
// on Redis: the ticket (topic, language, and the address an operator's reply goes to,
// sealed) and its transcript live among the person's own keys (store.Keys), so erasing
// her erases them in the same script; an index of open tickets holds only their keys.
// It implements bot.Tickets for the conversation, and the operator side: who is
// online, the open tickets, a reply sent through the bot.Hub, closing a ticket.
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
	StateOpen   = "open"
	StateClosed = "closed" // by the operator
	StateLeft   = "left"   // by the person
)

// Errors of the operator side.
var (
	ErrNoTicket     = errors.New("no such ticket")
	ErrTicketClosed = errors.New("ticket is closed")
	ErrWindowClosed = errors.New("the person's reply window is closed")
)

// Options tune the Store.
type Options struct {
	// Prefix of every key (default store.Prefix).
	Prefix string
	// TTL of a ticket and its transcript after its last message (default 7 days).
	TTL time.Duration
	// Presence is how long an operator counts as online after her last heartbeat
	// (default 60 s); Online caches its answer for PresenceCache (default 2 s).
	Presence      time.Duration
	PresenceCache time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Store is the Redis ticket store. It is safe for concurrent use.
type Store struct {
	c    redis.UniversalClient
	seal *store.Sealer
	o    Options

	mu         sync.Mutex
	online     bool
	onlineSeen time.Time
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
	if o.Presence <= 0 {
		o.Presence = time.Minute
	}
	if o.PresenceCache <= 0 {
		o.PresenceCache = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{c: c, seal: seal, o: o}, nil
}

func (s *Store) indexKey() string    { return s.o.Prefix + "tickets:open" }
func (s *Store) presenceKey() string { return s.o.Prefix + "operators:online" }

// sealedAddress is what a ticket keeps about where to answer.
type sealedAddress struct {
	Channel string `json:"c"`
	Address string `json:"a"`
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
	err = openScript.Run(ctx, s.c, []string{k.Ticket()}, t.ID, t.Topic, t.Lang, t.Org, t.At.Unix(), addr, ttl).Err()
	if err != nil {
		return fmt.Errorf("handoff: open: %w", err)
	}
	// The index is outside the person's slot: it holds her key only, and a member
	// whose ticket is gone (erased, expired) is dropped when read.
	pipe := s.c.Pipeline()
	pipe.ZAdd(ctx, s.indexKey(), redis.Z{Score: float64(t.At.Unix()), Member: t.User})
	pipe.Expire(ctx, s.indexKey(), s.o.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: index: %w", err)
	}
	return nil
}

var openScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') == ARGV[1] and redis.call('HGET', KEYS[1], 'state') == 'open' then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'open', 'topic', ARGV[2], 'lang', ARGV[3], 'org', ARGV[4], 'opened', ARGV[5], 'addr', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return 1
`)

// Entry is one message of a transcript.
type Entry struct {
	ID    string    `json:"id"`
	From  string    `json:"from"` // "person" or "operator"
	Text  string    `json:"text,omitempty"`
	Media string    `json:"media,omitempty"`
	At    time.Time `json:"at"`
}

// Relay implements bot.Tickets: the message, sealed, at the end of the transcript of
// the person's open ticket; nothing when the ticket is not open.
func (s *Store) Relay(ctx context.Context, t bot.Ticket, m bot.Relayed) error {
	return s.append(ctx, t.User, t.ID, Entry{ID: m.ID, From: "person", Text: m.Text, Media: m.Media, At: m.At})
}

func (s *Store) append(ctx context.Context, user, id string, e Entry) error {
	plain, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	sealed, err := s.seal.Seal(plain)
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	k := store.KeysOf(s.o.Prefix, user)
	n, err := appendScript.Run(ctx, s.c, []string{k.Ticket(), k.Transcript()}, id, sealed, int64(s.o.TTL/time.Second)).Int()
	if err != nil {
		return fmt.Errorf("handoff: transcript: %w", err)
	}
	if n == 0 {
		return ErrTicketClosed
	}
	return nil
}

var appendScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'open' then
  return 0
end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], -500, -1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`)

// Leave implements bot.Tickets: the person left; the ticket stays readable, marked.
func (s *Store) Leave(ctx context.Context, t bot.Ticket) error {
	return s.end(ctx, t.User, t.ID, StateLeft)
}

// Close ends a ticket from the operator's side; the person's next message is answered
// by the flow again.
func (s *Store) Close(ctx context.Context, user, id string) error {
	return s.end(ctx, user, id, StateClosed)
}

func (s *Store) end(ctx context.Context, user, id, state string) error {
	k := store.KeysOf(s.o.Prefix, user)
	if err := endScript.Run(ctx, s.c, []string{k.Ticket()}, id, state).Err(); err != nil {
		return fmt.Errorf("handoff: end ticket: %w", err)
	}
	if err := s.c.ZRem(ctx, s.indexKey(), user).Err(); err != nil {
		return fmt.Errorf("handoff: index: %w", err)
	}
	return nil
}

var endScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'state', ARGV[2])
end
return 1
`)

// Closed implements bot.Tickets: the ticket is not open (closed, left, erased, expired).
func (s *Store) Closed(ctx context.Context, t bot.Ticket) (bool, error) {
	v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, t.User).Ticket(), "id", "state").Result()
	if err != nil {
		return false, fmt.Errorf("handoff: ticket status: %w", err)
	}
	id, _ := v[0].(string)
	state, _ := v[1].(string)
	return id != t.ID || state != StateOpen, nil
}

// Heartbeat marks operator (an opaque id, never a name) online for Options.Presence.
func (s *Store) Heartbeat(ctx context.Context, operator string) error {
	now := s.o.Now()
	pipe := s.c.Pipeline()
	pipe.ZAdd(ctx, s.presenceKey(), redis.Z{Score: float64(now.Add(s.o.Presence).Unix()), Member: operator})
	pipe.ZRemRangeByScore(ctx, s.presenceKey(), "-inf", strconv.FormatInt(now.Unix(), 10))
	pipe.Expire(ctx, s.presenceKey(), s.o.Presence)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: heartbeat: %w", err)
	}
	return nil
}

// Offline removes operator from the online set at once (she ended her shift).
func (s *Store) Offline(ctx context.Context, operator string) error {
	if err := s.c.ZRem(ctx, s.presenceKey(), operator).Err(); err != nil {
		return fmt.Errorf("handoff: offline: %w", err)
	}
	return nil
}

// Online reports whether any operator's heartbeat is recent. The answer is cached for
// PresenceCache, so the conversation can ask on every message without a round trip;
// when Redis fails, nobody is online (the person gets the numbers, not a wait).
func (s *Store) Online(ctx context.Context) bool {
	now := s.o.Now()
	s.mu.Lock()
	if !s.onlineSeen.IsZero() && now.Sub(s.onlineSeen) < s.o.PresenceCache {
		on := s.online
		s.mu.Unlock()
		return on
	}
	s.mu.Unlock()
	n, err := s.c.ZCount(ctx, s.presenceKey(), "("+strconv.FormatInt(now.Unix(), 10), "+inf").Result()
	on := err == nil && n > 0
	s.mu.Lock()
	s.online, s.onlineSeen = on, now
	s.mu.Unlock()
	return on
}

// Open tickets, oldest first, as an operator console lists them: no address, no text.
type Summary struct {
	User   string
	ID     string
	Topic  string
	Lang   string
	Org    string
	Opened time.Time
}

// OpenTickets lists the open tickets, oldest first; index members whose ticket is
// gone or no longer open are dropped.
func (s *Store) OpenTickets(ctx context.Context) ([]Summary, error) {
	users, err := s.c.ZRange(ctx, s.indexKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("handoff: list: %w", err)
	}
	var out []Summary
	for _, u := range users {
		v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, u).Ticket(), "id", "state", "topic", "lang", "org", "opened").Result()
		if err != nil {
			return nil, fmt.Errorf("handoff: list: %w", err)
		}
		str := func(i int) string { x, _ := v[i].(string); return x }
		if str(1) != StateOpen {
			_ = s.c.ZRem(ctx, s.indexKey(), u).Err()
			continue
		}
		opened, _ := strconv.ParseInt(str(5), 10, 64)
		out = append(out, Summary{User: u, ID: str(0), Topic: str(2), Lang: str(3), Org: str(4), Opened: time.Unix(opened, 0)})
	}
	return out, nil
}

// Transcript returns the messages of the person's ticket, unsealed, in order.
func (s *Store) Transcript(ctx context.Context, user string) ([]Entry, error) {
	raw, err := s.c.LRange(ctx, store.KeysOf(s.o.Prefix, user).Transcript(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("handoff: transcript: %w", err)
	}
	out := make([]Entry, 0, len(raw))
	for _, r := range raw {
		plain, err := s.seal.Open([]byte(r))
		if err != nil {
			return nil, fmt.Errorf("handoff: transcript: %w", err)
		}
		var e Entry
		if err := json.Unmarshal(plain, &e); err != nil {
			return nil, fmt.Errorf("handoff: transcript: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Outbound is where operator replies go: the bot.Hub.
type Outbound interface {
	Send(msgs ...bot.Outbound) error
	Window(channel string) (bot.ReplyWindow, bool)
}

// Reply sends an operator's words to the person of ticket id through out (the same
// hub that carries the bot's replies, so they keep their order and pacing) and keeps
// them in the transcript. It refuses when the ticket is not open, and on a channel
// with a reply window (WhatsApp) when that window is closed.
func (s *Store) Reply(ctx context.Context, out Outbound, user, id, msgID, text string) error {
	v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, user).Ticket(), "id", "state", "addr").Result()
	if err != nil {
		return fmt.Errorf("handoff: reply: %w", err)
	}
	gotID, _ := v[0].(string)
	state, _ := v[1].(string)
	sealed, _ := v[2].(string)
	switch {
	case gotID != id || sealed == "":
		return ErrNoTicket
	case state != StateOpen:
		return ErrTicketClosed
	}
	plain, err := s.seal.Open([]byte(sealed))
	if err != nil {
		return fmt.Errorf("handoff: reply: %w", err)
	}
	var a sealedAddress
	if err := json.Unmarshal(plain, &a); err != nil {
		return fmt.Errorf("handoff: reply: %w", err)
	}
	if w, ok := out.Window(a.Channel); ok {
		if open, _ := w.WindowOpen(ctx, a.Address); !open {
			return ErrWindowClosed
		}
	}
	if err := s.append(ctx, user, id, Entry{ID: msgID, From: "operator", Text: text, At: s.o.Now()}); err != nil {
		return err
	}
	if err := out.Send(bot.Outbound{Channel: a.Channel, Address: a.Address, Text: text}); err != nil {
		return fmt.Errorf("handoff: reply: %w", err)
	}
	return nil
}
