package handoff

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store"
)

// Summary is a ticket as an operator console lists it: no address, no text.
type Summary struct {
	// User is the person's store key: an opaque id for a console's links and forms,
	// never to be displayed.
	User string
	// ID is the ticket id.
	ID string
	// Pseudonym is what a console shows of the person ("Persona 7K3QX").
	Pseudonym string
	Channel   string
	Lang      string
	// Topic is the handoff node's topic (general, emergency, violence, feelings).
	Topic string
	// Org is the organization code of the link that brought the person, if any.
	Org   string
	State string
	// Operator holds the ticket ("" while it waits).
	Operator string
	// Urgent says a call for help came while the ticket was open.
	Urgent  bool
	Opened  time.Time
	Claimed time.Time
	// Last is the person's last message; Nudged when she was last told she waits.
	Last    time.Time
	Nudged  time.Time
	Closed  time.Time
	Outcome string
}

// Open reports whether the ticket is waiting or active.
func (t Summary) Open() bool { return t.State == StateWaiting || t.State == StateActive }

// Pseudonym is the name a console shows for ticket id: a hash of the id, which is
// itself a hash, so it links to nothing outside the ticket.
func Pseudonym(id string) string {
	h := sha256.Sum256([]byte("pseudonym\x00" + id))
	return "Persona " + base32.StdEncoding.EncodeToString(h[:])[:5]
}

var summaryFields = []string{"id", "state", "topic", "lang", "org", "channel", "op", "urgent", "opened", "claimed", "last", "nudged", "closed", "outcome"}

func summaryOf(user string, v []any) Summary {
	str := func(i int) string { x, _ := v[i].(string); return x }
	at := func(i int) time.Time {
		n, err := strconv.ParseInt(str(i), 10, 64)
		if err != nil || n == 0 {
			return time.Time{}
		}
		return time.Unix(n, 0)
	}
	return Summary{
		User: user, ID: str(0), Pseudonym: Pseudonym(str(0)), State: str(1), Topic: str(2), Lang: str(3),
		Org: str(4), Channel: str(5), Operator: str(6), Urgent: str(7) == "1",
		Opened: at(8), Claimed: at(9), Last: at(10), Nudged: at(11), Closed: at(12), Outcome: str(13),
	}
}

// Queue lists the open tickets (waiting and active): urgent ones first, then the
// longest waiting. Index members whose ticket is gone or over are dropped.
func (s *Store) Queue(ctx context.Context) ([]Summary, error) {
	users, err := s.c.ZRange(ctx, s.indexKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("handoff: queue: %w", err)
	}
	if len(users) == 0 {
		return nil, nil
	}
	pipe := s.c.Pipeline()
	cmds := make([]*redis.SliceCmd, len(users))
	for i, u := range users {
		cmds[i] = pipe.HMGet(ctx, store.KeysOf(s.o.Prefix, u).Ticket(), summaryFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("handoff: queue: %w", err)
	}
	var out, gone []Summary
	for i, u := range users {
		t := summaryOf(u, cmds[i].Val())
		if !t.Open() {
			gone = append(gone, t)
			continue
		}
		out = append(out, t)
	}
	for _, t := range gone {
		_ = s.c.ZRem(ctx, s.indexKey(), t.User).Err()
	}
	return out, nil
}

// Get returns the person's ticket (open or over, while it is kept).
func (s *Store) Get(ctx context.Context, user string) (Summary, error) {
	v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, user).Ticket(), summaryFields...).Result()
	if err != nil {
		return Summary{}, fmt.Errorf("handoff: ticket: %w", err)
	}
	t := summaryOf(user, v)
	if t.ID == "" {
		return Summary{}, ErrNoTicket
	}
	return t, nil
}

// Transcript returns the messages and notes of the person's ticket, unsealed, in order.
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

// Claim gives ticket id to operator. Of many operators claiming at once exactly one
// wins; the others get ErrTaken. Claiming a ticket one holds already succeeds.
func (s *Store) Claim(ctx context.Context, user, id, operator string) error {
	return s.assign(ctx, user, id, "", operator, ChangeClaim)
}

// Release puts ticket id, held by operator, back in the queue.
func (s *Store) Release(ctx context.Context, user, id, operator string) error {
	return s.assign(ctx, user, id, operator, "", ChangeRelease)
}

// Transfer gives ticket id from operator from to operator to. An empty from is a
// coordinator's transfer: whoever holds it.
func (s *Store) Transfer(ctx context.Context, user, id, from, to string) error {
	if to == "" {
		return fmt.Errorf("handoff: transfer: %w", ErrNotYours)
	}
	if from == "" {
		from = "*"
	}
	return s.assign(ctx, user, id, from, to, ChangeTransfer)
}

// assign moves ticket id from holder from ("" = nobody: a claim; "*" = anyone) to
// operator to ("" = back to waiting), in one script.
func (s *Store) assign(ctx context.Context, user, id, from, to, kind string) error {
	k := store.KeysOf(s.o.Prefix, user)
	change := s.changeJSON(Change{User: user, ID: id, Kind: kind})
	now := s.o.Now()
	res, err := assignScript.Run(ctx, s.c, []string{k.Ticket()}, id, from, to, now.Unix(), s.changesKey(), change).Int64Slice()
	if err == nil && len(res) == 0 {
		err = errors.New("empty answer")
	}
	if err != nil {
		return fmt.Errorf("handoff: %s: %w", kind, err)
	}
	n := res[0]
	if n == 1 && len(res) == 2 && res[1] > 0 && s.o.Stats != nil {
		// The ticket's first answer: how long the person waited.
		s.o.Stats.HandoffAnswered(now, now.Sub(time.Unix(res[1], 0)))
	}
	switch n {
	case -1:
		return ErrNoTicket
	case -2:
		return ErrTicketClosed
	case -3:
		return ErrTaken
	case -4:
		return ErrNotYours
	}
	return nil
}

// assignScript: ARGV id, from ("" claim, "*" anyone, else the holder), to ("" waiting),
// now, changes channel, change. It returns {code}, or {1, opened} when an operator
// took the ticket for the first time ('answered' marks it, for the statistics).
var assignScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return {-1} end
local st = redis.call('HGET', KEYS[1], 'state')
if st ~= 'waiting' and st ~= 'active' then return {-2} end
local op = redis.call('HGET', KEYS[1], 'op') or ''
if st == 'waiting' then op = '' end
if ARGV[2] == '' then
  if op == ARGV[3] then return {1} end
  if op ~= '' then return {-3} end
elseif ARGV[2] ~= '*' and op ~= ARGV[2] then
  return {-4}
end
local first = {1}
if ARGV[3] == '' then
  redis.call('HSET', KEYS[1], 'state', 'waiting', 'op', '')
else
  redis.call('HSET', KEYS[1], 'state', 'active', 'op', ARGV[3], 'claimed', ARGV[4])
  if redis.call('HSETNX', KEYS[1], 'answered', ARGV[4]) == 1 then
    first = {1, tonumber(redis.call('HGET', KEYS[1], 'opened') or '0') or 0}
  end
end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return first
`)

// Outbound is where operator messages go: the bot.Hub.
type Outbound interface {
	Send(msgs ...bot.Outbound) error
	Window(channel string) (bot.ReplyWindow, bool)
}

// address unseals the address of ticket id, checking that it is open and, when
// operator is not empty, that operator holds it.
func (s *Store) address(ctx context.Context, user, id, operator string) (sealedAddress, error) {
	v, err := s.c.HMGet(ctx, store.KeysOf(s.o.Prefix, user).Ticket(), "id", "state", "addr", "op").Result()
	if err != nil {
		return sealedAddress{}, fmt.Errorf("handoff: address: %w", err)
	}
	gotID, _ := v[0].(string)
	state, _ := v[1].(string)
	sealed, _ := v[2].(string)
	op, _ := v[3].(string)
	switch {
	case gotID != id:
		return sealedAddress{}, ErrNoTicket
	case state != StateWaiting && state != StateActive, sealed == "":
		return sealedAddress{}, ErrTicketClosed
	case operator != "" && (state != StateActive || op != operator):
		return sealedAddress{}, ErrNotYours
	}
	return s.unseal(sealed)
}

func (s *Store) unseal(sealed string) (sealedAddress, error) {
	plain, err := s.seal.Open([]byte(sealed))
	if err != nil {
		return sealedAddress{}, fmt.Errorf("handoff: address: %w", err)
	}
	var a sealedAddress
	if err := json.Unmarshal(plain, &a); err != nil {
		return sealedAddress{}, fmt.Errorf("handoff: address: %w", err)
	}
	return a, nil
}

// windowOpen reports whether a free message may go to a now (always, on a channel
// without a reply window).
func windowOpen(ctx context.Context, out Outbound, a sealedAddress) bool {
	if w, ok := out.Window(a.Channel); ok {
		open, _ := w.WindowOpen(ctx, a.Address)
		return open
	}
	return true
}

// Reply sends an operator's words to the person of ticket id through out (the same
// hub that carries the bot's replies, so they keep their order and pacing) and keeps
// them in the transcript. Only the operator holding the ticket may reply; on a
// channel with a reply window (WhatsApp) the window must be open.
func (s *Store) Reply(ctx context.Context, out Outbound, user, id, operator, msgID, text string) error {
	return s.Send(ctx, out, user, id, operator, msgID, bot.Outbound{Text: text})
}

// Send is Reply for a message with buttons (a service card, say): m's Channel and
// Address are filled in from the ticket. Its text is kept in the transcript.
func (s *Store) Send(ctx context.Context, out Outbound, user, id, operator, msgID string, m bot.Outbound) error {
	a, err := s.address(ctx, user, id, operator)
	if err != nil {
		return err
	}
	if !windowOpen(ctx, out, a) {
		return ErrWindowClosed
	}
	if err := s.append(ctx, user, id, Entry{ID: msgID, From: FromOperator, Operator: operator, Text: m.Text, At: s.o.Now()}, false); err != nil {
		return err
	}
	m.Channel, m.Address, m.Operator = a.Channel, a.Address, true
	if err := out.Send(m); err != nil {
		return fmt.Errorf("handoff: send: %w", err)
	}
	return nil
}

// Note keeps an operator's internal note in the ticket's transcript, sealed; it is
// never sent to the person.
func (s *Store) Note(ctx context.Context, user, id, operator, text string) error {
	if err := s.append(ctx, user, id, Entry{ID: strconv.FormatInt(s.o.Now().UnixNano(), 36), From: FromNote, Operator: operator, Text: text, At: s.o.Now()}, false); err != nil {
		return err
	}
	return nil
}

// Close ends ticket id with outcome (one of Outcomes). An active ticket is closed only
// by the operator holding it; a waiting one by any operator. bye, if not nil, is sent
// to the person first (its Channel and Address filled in; skipped when her reply
// window is closed); then the sealed address is deleted.
func (s *Store) Close(ctx context.Context, out Outbound, user, id, operator, outcome string, bye *bot.Outbound) error {
	if !slices.Contains(Outcomes, outcome) {
		return ErrOutcome
	}
	sealed, err := s.end(ctx, user, id, operator, StateClosed, outcome, ChangeClose)
	if err != nil {
		return err
	}
	if bye == nil || sealed == "" || out == nil {
		return nil
	}
	a, err := s.unseal(sealed)
	if err != nil {
		return err
	}
	if !windowOpen(ctx, out, a) {
		return nil
	}
	m := *bye
	m.Channel, m.Address = a.Channel, a.Address
	if err := out.Send(m); err != nil {
		return fmt.Errorf("handoff: goodbye: %w", err)
	}
	return nil
}

// Block stops the person from opening tickets for Options.BlockTTL (an operator's
// answer to abuse) and closes her open ticket. The emergency and crisis answers are
// never blocked. Erasing her data erases the block too.
func (s *Store) Block(ctx context.Context, user, operator string) error {
	k := store.KeysOf(s.o.Prefix, user)
	if err := s.c.Set(ctx, k.Blocked(), "1", s.o.BlockTTL).Err(); err != nil {
		return fmt.Errorf("handoff: block: %w", err)
	}
	t, err := s.Get(ctx, user)
	if errors.Is(err, ErrNoTicket) || (err == nil && !t.Open()) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.end(ctx, user, t.ID, "", StateClosed, OutcomeBlocked, ChangeClose); err != nil && !errors.Is(err, ErrTicketClosed) {
		return err
	}
	return nil
}

// Unblock lifts a block.
func (s *Store) Unblock(ctx context.Context, user string) error {
	if err := s.c.Del(ctx, store.KeysOf(s.o.Prefix, user).Blocked()).Err(); err != nil {
		return fmt.Errorf("handoff: unblock: %w", err)
	}
	return nil
}

// Blocked reports whether the person is blocked from opening tickets.
func (s *Store) Blocked(ctx context.Context, user string) (bool, error) {
	n, err := s.c.Exists(ctx, store.KeysOf(s.o.Prefix, user).Blocked()).Result()
	if err != nil {
		return false, fmt.Errorf("handoff: blocked: %w", err)
	}
	return n > 0, nil
}

// Window tells whether the person's channel has a reply window (applies), and if so
// whether it is open and until when.
func (s *Store) Window(ctx context.Context, out Outbound, user string) (applies, open bool, until time.Time, err error) {
	t, err := s.Get(ctx, user)
	if err != nil {
		return false, false, time.Time{}, err
	}
	a, err := s.address(ctx, user, t.ID, "")
	if err != nil {
		return false, false, time.Time{}, err
	}
	w, ok := out.Window(a.Channel)
	if !ok {
		return false, true, time.Time{}, nil
	}
	open, until = w.WindowOpen(ctx, a.Address)
	return true, open, until, nil
}

// Overdue lists the waiting tickets whose person has been told nothing for after:
// neither since she opened it nor since she was last nudged.
func (s *Store) Overdue(ctx context.Context, after time.Duration) ([]Summary, error) {
	q, err := s.Queue(ctx)
	if err != nil {
		return nil, err
	}
	now := s.o.Now()
	var out []Summary
	for _, t := range q {
		since := t.Opened
		if t.Nudged.After(since) {
			since = t.Nudged
		}
		if t.State == StateWaiting && now.Sub(since) >= after {
			out = append(out, t)
		}
	}
	return out, nil
}

// Nudge sends m to the person of waiting ticket id (its Channel and Address filled
// in) and records when, so Overdue leaves her alone for a while. It does nothing when
// her reply window is closed.
func (s *Store) Nudge(ctx context.Context, out Outbound, user, id string, m bot.Outbound) error {
	a, err := s.address(ctx, user, id, "")
	if err != nil {
		return err
	}
	k := store.KeysOf(s.o.Prefix, user)
	if err := nudgeScript.Run(ctx, s.c, []string{k.Ticket()}, id, s.o.Now().Unix()).Err(); err != nil {
		return fmt.Errorf("handoff: nudge: %w", err)
	}
	if !windowOpen(ctx, out, a) {
		return nil
	}
	m.Channel, m.Address = a.Channel, a.Address
	if err := out.Send(m); err != nil {
		return fmt.Errorf("handoff: nudge: %w", err)
	}
	return nil
}

// nudgeScript records the nudge only on the ticket still there (never a key without TTL).
var nudgeScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'nudged', ARGV[2])
end
return 1
`)
