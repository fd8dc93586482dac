package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/flows"
)

// ErrStoreUnavailable wraps the error Handle returns when the session store failed.
// Handle still returns replies with it (the emergency numbers and an apology): send them.
var ErrStoreUnavailable = errors.New("session store unavailable")

// Config wires a Conversation.
type Config struct {
	Engine *flows.Engine
	Texts  flows.Localizer
	Store  session.Store
	// Secret keys the HMAC that names users in the store. Required, 16 bytes or more.
	Secret []byte
	// Logger gets no message text, address or chat id, ever. Default: slog.Default().
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
	// StoreTimeout bounds each store round trip (default 500 ms), so a dead Redis
	// costs a message half a second, not a hang.
	StoreTimeout time.Duration
	// CacheSize and CacheIdle bound the sessions kept in memory to save a read per
	// message (defaults: 100,000 users, 15 minutes; see session.Cache).
	CacheSize int
	CacheIdle time.Duration
	// OperatorsOnline tells whether a person can take a chat now (nil: nobody can).
	// It is asked on every message: keep it cheap (bot/handoff caches it).
	OperatorsOnline func(ctx context.Context) bool
	// Tickets receives the handoff effects (nil: no ticket is ever opened, and
	// OperatorsOnline is taken to be false).
	Tickets Tickets
	// Feedback keeps the community's reports (nil: they are dropped, and counted
	// only).
	Feedback Feedback
	// Events counts events and failed effects (nil: not counted).
	Events Events
	// Stats keeps the statistics by day (nil: none). A new conversation is counted
	// once per person and day: the day it was counted is kept in her own session
	// (flows.Session.Day), never beside a count.
	Stats Stats
	// OfficeHours tells whether the operators' office is open at t and, when it is
	// not, when it opens next (nil: always open). It is asked on every message: keep
	// it cheap (handoff.Hours keeps its answer for the minute).
	OfficeHours func(t time.Time) (open bool, next time.Time)
	// Blocked tells whether an operator blocked the person (her store key) from
	// opening tickets (nil: nobody is). It is asked only when a message asks for a
	// person, once; when it cannot tell, she is taken not to be blocked.
	Blocked func(ctx context.Context, user string) (bool, error)
	// TicketOpened is called after this replica opened a ticket (the operators'
	// notification); it gets nothing about the person (nil: nothing is done).
	TicketOpened func(ctx context.Context)
	// OrgCode tells whether the code of a link (Inbound.StartCode) is a community
	// organization's, and returns it as the data writes it (directory.OrgCode). A code
	// it does not know is not kept, so a typed or made-up one counts as none (nil:
	// every code is kept as it came).
	OrgCode func(code string) (string, bool)
	// Settle clears the record that a committed message's replies are not yet safe
	// (session.Redis.Settle), called once they are in the outbox (Conversation.Settled).
	// With it every commit keeps that record, so that a process killed between the
	// commit and the outbox leaves its replies owed: the platform's redelivery of the
	// message is then answered again instead of dropped as a duplicate. nil: no record
	// (without an outbox a crash loses queued replies anyway).
	Settle func(user, msgID string)
	// Forget deletes the platform's copies of the conversation of a person who erased
	// her data (a Forgetter's Forget), after the erase was committed; it must not block.
	// nil: nothing is deleted at the platforms, and nothing is said about it.
	Forget func(f Forgotten)
	// EraseJob is called, with Forget, before an erase is committed on a channel whose
	// platform copies are deleted (a Forgetter's Prepare): it returns the job the
	// commit writes with the erase (session.Change.Job), so that the deletions outlive
	// a crash of this process. An error stops the erase (she gets the apology: nothing
	// done). nil: no job; the ids live in memory only while they are deleted.
	EraseJob func(ctx context.Context, user string, f Forgotten) (*session.Job, error)
}

// Conversation is the conversation loop: the flow engine on the user's session, then
// one round trip that checks the dedupe mark and saves, then the replies rendered. It
// implements Handler and is safe for concurrent use. It takes no lock of its own: the
// Dispatcher holds the one per-user lock, and two messages of one user handled at once
// anyway (another replica) are settled by the commit, which steps again on a conflict.
type Conversation struct {
	cfg   Config
	cache *session.Cache
	// previous is the secret before a rotation (nil: none under way); see Previous.
	previous []byte
}

// NewConversation checks cfg and returns the loop.
func NewConversation(cfg Config) (*Conversation, error) {
	switch {
	case cfg.Engine == nil:
		return nil, errors.New("conversation: no engine")
	case cfg.Texts == nil:
		return nil, errors.New("conversation: no texts")
	case cfg.Store == nil:
		return nil, errors.New("conversation: no session store")
	case len(cfg.Secret) < 16:
		return nil, errors.New("conversation: the HMAC secret must be at least 16 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = 500 * time.Millisecond
	}
	if cfg.Tickets == nil {
		cfg.OperatorsOnline = nil
	}
	if cfg.Events == nil {
		cfg.Events = nopEvents{}
	}
	return &Conversation{cfg: cfg, cache: session.NewCache(cfg.CacheSize, cfg.CacheIdle)}, nil
}

// Handle implements Handler. A message seen before (same MessageID) returns no reply.
// When the store fails, Handle returns the replies that need no store (the emergency
// numbers, or an apology with them) together with an error wrapping
// ErrStoreUnavailable: send the replies anyway.
//
// The session comes from the cache when the user wrote recently (else it is taken to
// be new); the engine steps; one Commit checks the dedupe mark and that the stored
// session is the one stepped from, and writes. When it is not (another replica wrote
// it, or the cache was cold), the engine steps again from the stored one. Only then,
// and only for a message that was not a duplicate, are the effects carried out (a
// ticket opened, a message relayed, an event counted): a failed effect is logged and
// counted, and the replies still go out.
func (c *Conversation) Handle(ctx context.Context, in Inbound) ([]Outbound, error) {
	key := store.UserKey(c.cfg.Secret, in.Channel, in.Address)

	e := c.cfg.Engine
	input := c.input(ctx, in)
	snap, cached := c.cache.Get(key, input.Now)
	if !cached && c.previous != nil { // during a rotation: see Previous
		var err error
		if snap, err = c.carry(ctx, key, in); err != nil {
			return c.degraded(in), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
		}
	}
	blockedAsked := false
	for attempt := 1; ; attempt++ {
		s := snap.Session
		if snap.Raw == nil || s.Lang == "" { // no session, or one that could not be read
			s = flows.Session{Lang: e.Lang(in.LangHint)}
		}
		if code, ok := c.orgCode(in.StartCode); ok {
			s.Org = code // kept in the session only: see flows.Session.Org
		}
		input.TicketClosed = s.Ticket != "" && c.ticketClosed(ctx, c.ticket(key, in, s, s.Ticket))
		next, replies, effects := e.Step(s, input)
		if !blockedAsked && c.cfg.Blocked != nil && asksForPerson(effects) {
			// Only a message that asks for a person pays this round trip.
			blockedAsked = true
			if c.blocked(ctx, key, in.Channel) {
				input.Blocked = true
				next, replies, effects = e.Step(s, input)
			}
		}
		erase := slices.ContainsFunc(effects, func(ef flows.Effect) bool { return ef.Kind == flows.EffectErase })
		if next.Ticket == "" && slices.ContainsFunc(effects, func(ef flows.Effect) bool { return ef.Kind == flows.EffectHandoff }) {
			next.Ticket = derivedID("ticket", key, in.MessageID, input.Now)
		}
		newDay := false
		if c.cfg.Stats != nil {
			day := c.cfg.Stats.Day(input.Now)
			newDay = s.Day != day
			if !erase {
				next.Day = day
			}
		}

		sctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
		var job *session.Job
		if erase && c.cfg.EraseJob != nil && c.cfg.Forget != nil && slices.Contains(flows.EraseChannels, in.Channel) {
			var err error
			if job, err = c.cfg.EraseJob(sctx, key, Forgotten{Channel: in.Channel, Address: in.Address, Lang: next.Lang}); err != nil {
				cancel()
				c.cache.Drop(key)
				return c.render(in, next.Lang, e.StoreErrorReply(next.Lang)), fmt.Errorf("%w: erase job: %w", ErrStoreUnavailable, err)
			}
		}
		res, err := c.cfg.Store.Commit(sctx, key, session.Change{MsgID: in.MessageID, Prev: snap.Raw, Next: next, Erase: erase,
			Copy: in.ChatMessageID, CopyKeep: CopyKeep(in.Channel), Owe: c.cfg.Settle != nil, At: input.Now, Job: job})
		cancel()
		switch {
		case err != nil:
			c.cache.Drop(key)
			if erase { // never say "erased" when it was not
				return c.render(in, next.Lang, e.StoreErrorReply(next.Lang)), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
			}
			return c.degraded(in), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
		case res.Dup && res.Owed != nil && !res.Owed.Mine && c.cfg.Now().Sub(res.Owed.At) < owedGrace:
			// The process that committed it may still be queueing its replies (the same
			// update delivered to two replicas at once): ask for it again later, when
			// they are either settled or surely lost.
			return nil, ErrOwedPending
		case res.Dup && res.Owed != nil && !res.Owed.Mine && c.cfg.Now().Sub(res.Owed.At) <= session.OwedKeep:
			// committed by a process that died before the replies were safe
			return c.answerOwed(ctx, key, in, *res.Owed), nil
		case res.Dup:
			// A platform's redelivery of a message already answered. (A commit the
			// Redis client retried after a slow answer is recognised by its attempt
			// token and is not a duplicate: see session.Commit.)
			c.cfg.Events.Event(EventDuplicate)
			c.cfg.Logger.Info("duplicate message dropped", "channel", in.Channel)
			return nil, nil
		case res.Conflict && attempt < maxCommitAttempts:
			snap = res.Current
			continue
		case res.Conflict:
			// The session keeps changing under us: answer, and let the next message
			// start from what is stored.
			c.cache.Drop(key)
			if erase { // never say "erased" when it was not
				return c.render(in, next.Lang, e.StoreErrorReply(next.Lang)), nil
			}
			c.cfg.Logger.Warn("session not saved: concurrent writes", "channel", in.Channel)
		case erase:
			c.cache.Drop(key)
			c.forgetPrevious(ctx, in)
			replies = c.forget(in, key, next.Lang, res, job != nil, replies)
		default:
			c.cache.Put(key, session.Snapshot{Session: next, Raw: res.Saved}, input.Now)
		}
		if newDay {
			c.cfg.Stats.Conversation(input.Now, next.Org, in.Channel, next.Lang)
		}
		c.apply(ctx, key, in, input.Now, s, next, effects)
		return c.render(in, next.Lang, replies), nil
	}
}

// owedGrace is how long after a message was read its replies may still be on their
// way to the outbox from a live process (a commit and a write, seconds at worst
// under load). A redelivery within it is asked for again later; after it, one still
// owed is answered again: a duplicate, if that process was only slow, rather than a
// loss.
const owedGrace = 10 * time.Second

// ErrOwedPending is returned for a redelivered message whose replies another process
// may still be queueing: the platform should deliver it again later (a Telegram
// webhook answers 5xx; nothing is sent).
var ErrOwedPending = errors.New("conversation: message committed, its replies not yet safe: deliver it again later")

// EventOwedAnswered counts redelivered messages answered again because the process
// that committed them died before their replies were safe (Config.Settle).
const EventOwedAnswered = "owed_answered"

// answerOwed answers a redelivered message whose first handling was committed but
// never made its replies safe: the engine steps again from the session it was stepped
// from, at the time it was read, so the replies are the ones that were lost (the
// session saved then is left as it is). Its effects are carried out again except the
// counts: a ticket opens once (it is named by the message), a relayed message may
// reach the operator twice (a duplicate rather than a loss).
func (c *Conversation) answerOwed(ctx context.Context, key string, in Inbound, o session.Owed) []Outbound {
	e := c.cfg.Engine
	in.ReceivedAt = o.At
	input := c.input(ctx, in)
	s := o.Prev.Session
	if o.Prev.Raw == nil || s.Lang == "" {
		s = flows.Session{Lang: e.Lang(in.LangHint)}
	}
	if code, ok := c.orgCode(in.StartCode); ok {
		s.Org = code
	}
	input.TicketClosed = s.Ticket != "" && c.ticketClosed(ctx, c.ticket(key, in, s, s.Ticket))
	next, replies, effects := e.Step(s, input)
	if next.Ticket == "" && slices.ContainsFunc(effects, func(ef flows.Effect) bool { return ef.Kind == flows.EffectHandoff }) {
		next.Ticket = derivedID("ticket", key, in.MessageID, input.Now)
	}
	effects = slices.DeleteFunc(effects, func(ef flows.Effect) bool {
		return ef.Kind == flows.EffectEvent || ef.Kind == flows.EffectErase
	})
	c.cfg.Events.Event(EventOwedAnswered)
	c.cfg.Logger.Info("redelivered message answered again: its replies were lost with the process that committed it", "channel", in.Channel)
	c.apply(ctx, key, in, input.Now, s, next, effects)
	return c.render(in, next.Lang, replies)
}

// Settled tells the store that the replies of in are safe (in the outbox): see
// Config.Settle. The Dispatcher calls it after queueing them.
func (c *Conversation) Settled(in Inbound) {
	if c.cfg.Settle == nil || in.MessageID == "" {
		return
	}
	c.cfg.Settle(store.UserKey(c.cfg.Secret, in.Channel, in.Address), in.MessageID)
}

// forget hands the platform's copies of an erased conversation to Config.Forget and
// adds to the erase's reply what will be deleted at the platform and how to delete
// the chat on the phone (or, when the ids were lost, that some copies remain). With a
// job (stored: Config.EraseJob) the ids are never lost: an erase whose first run's
// answer went missing left them in its job.
func (c *Conversation) forget(in Inbound, user, lang string, res session.Result, job bool, replies []flows.Reply) []flows.Reply {
	if c.cfg.Forget == nil || !slices.Contains(flows.EraseChannels, in.Channel) || len(replies) == 0 {
		return replies
	}
	said := flows.KeyEraseChat + in.Channel
	if res.CopiesLost && !job {
		said = flows.KeyEraseFailed + in.Channel
	} else {
		c.cfg.Forget(Forgotten{Channel: in.Channel, Address: in.Address, Lang: lang, IDs: res.Copies, User: user, Stored: job})
	}
	out := slices.Clone(replies)
	last := &out[len(out)-1]
	last.Keys = append(slices.Clone(last.Keys), said, flows.KeyEraseSteps+in.Channel)
	return out
}

// CopyKeep is how long the platform's id of a message of the chat is kept so that an
// erase can delete the platform's copy: on Telegram 47 hours, an hour short of the 48
// after which a bot cannot delete a message, so that no id an erase hands on is
// refused for its age; elsewhere 0, the session's time (Twilio keeps its records
// until they are deleted; other channels have no such ids).
// see https://core.telegram.org/bots/api#deletemessages
func CopyKeep(channel string) time.Duration {
	if channel == ChannelTelegram {
		return 47 * time.Hour
	}
	return 0
}

// orgCode returns the organization code a link brought, if any and known.
func (c *Conversation) orgCode(code string) (string, bool) {
	switch {
	case code == "":
		return "", false
	case c.cfg.OrgCode == nil:
		return code, true
	}
	return c.cfg.OrgCode(code)
}

// asksForPerson tells whether a step reached a handoff node: a ticket to open, or
// nobody to take the chat.
func asksForPerson(effects []flows.Effect) bool {
	for _, ef := range effects {
		if ef.Kind == flows.EffectHandoff || (ef.Kind == flows.EffectEvent && ef.Topic == flows.EventHandoffOffline) {
			return true
		}
	}
	return false
}

// blocked asks whether the person was blocked; when the store cannot tell, she is not.
func (c *Conversation) blocked(ctx context.Context, key, channel string) bool {
	bctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
	defer cancel()
	b, err := c.cfg.Blocked(bctx, key)
	if err != nil {
		c.cfg.Events.EffectFailed("blocked")
		c.cfg.Logger.Warn("blocked status unknown: taken as not blocked", "channel", channel)
		return false
	}
	return b
}

// ticket describes the ticket id of the person writing in.
func (c *Conversation) ticket(key string, in Inbound, s flows.Session, id string) Ticket {
	return Ticket{ID: id, User: key, Channel: in.Channel, Address: in.Address, Lang: s.Lang, Org: s.Org}
}

// ticketClosed asks whether the open ticket ended; when the store cannot tell, the
// session stays in handoff mode.
func (c *Conversation) ticketClosed(ctx context.Context, t Ticket) bool {
	if c.cfg.Tickets == nil {
		return true
	}
	tctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
	defer cancel()
	closed, err := c.cfg.Tickets.Closed(tctx, t)
	if err != nil {
		c.cfg.Events.EffectFailed("ticket_status")
		c.cfg.Logger.Warn("ticket status unknown", "channel", t.Channel)
		return false
	}
	return closed
}

// apply carries out the effects of a committed message. prev is the session stepped
// from, next the one saved.
func (c *Conversation) apply(ctx context.Context, key string, in Inbound, now time.Time, prev, next flows.Session, effects []flows.Effect) {
	for _, ef := range effects {
		var err error
		name := ""
		tctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
		switch ef.Kind {
		case flows.EffectEvent:
			if !strings.Contains(ef.Topic, ":") { // topics, searches and misses are for the statistics only
				c.cfg.Events.Event(ef.Topic)
			}
			if c.cfg.Stats != nil {
				c.cfg.Stats.Event(now, ef.Topic)
			}
		case flows.EffectHandoff:
			if c.cfg.Tickets != nil && next.Ticket != "" && next.Ticket != prev.Ticket {
				t := c.ticket(key, in, next, next.Ticket)
				t.Topic, t.At = ef.Topic, now
				name, err = "open", c.cfg.Tickets.Open(tctx, t)
				if err == nil && c.cfg.TicketOpened != nil {
					c.cfg.TicketOpened(ctx)
				}
			}
		case flows.EffectRelay:
			if c.cfg.Tickets != nil && prev.Ticket != "" {
				m := Relayed{ID: derivedID("relay", key, in.MessageID, now), Text: ef.Text, Media: ef.Media, At: now, Urgent: ef.Urgent}
				name, err = "relay", c.cfg.Tickets.Relay(tctx, c.ticket(key, in, prev, prev.Ticket), m)
			}
		case flows.EffectClose:
			if c.cfg.Tickets != nil && prev.Ticket != "" {
				name, err = "leave", c.cfg.Tickets.Leave(tctx, c.ticket(key, in, prev, prev.Ticket))
			}
		case flows.EffectFeedback:
			if c.cfg.Feedback != nil {
				// nothing about the person: not her key, channel or address
				r := FeedbackReport{Kind: ef.Topic, Entry: ef.Entry, Lang: next.Lang, Text: ef.Text, At: now}
				name, err = "feedback", c.cfg.Feedback.Report(tctx, r)
			}
		}
		cancel()
		if err != nil {
			c.cfg.Events.EffectFailed(name)
			c.cfg.Logger.Warn("effect failed after commit", "channel", in.Channel, "effect", name)
		}
	}
}

// EventDuplicate counts messages dropped because they were handled before.
const EventDuplicate = "duplicate"

type nopEvents struct{}

func (nopEvents) Event(string)        {}
func (nopEvents) EffectFailed(string) {}

// maxCommitAttempts bounds how often one message steps again after a conflict.
const maxCommitAttempts = 3

// degraded is the answer without a store: the emergency (or crisis) reply for a call
// for help, otherwise an apology with the emergency numbers.
func (c *Conversation) degraded(in Inbound) []Outbound {
	e := c.cfg.Engine
	lang := e.Lang(in.LangHint)
	if l, replies, ok := e.Interrupt(in.Text, lang); ok {
		return c.render(in, l, replies)
	}
	return c.render(in, lang, e.StoreErrorReply(lang))
}

func (c *Conversation) input(ctx context.Context, in Inbound) flows.Input {
	now := in.ReceivedAt
	if now.IsZero() {
		now = c.cfg.Now()
	}
	fi := flows.Input{Kind: flows.InputText, Text: in.Text, Payload: in.Payload, Now: now}
	// without a ticket store nobody would read a message left for the team: never offer it
	fi.Blocked = c.cfg.Tickets == nil
	switch {
	case in.Start:
		fi.Kind = flows.InputStart
	case in.Location != nil:
		fi.Kind, fi.Lat, fi.Lon = flows.InputLocation, in.Location.Lat, in.Location.Lon
	case in.Media != "" && in.Text == "" && in.Payload == "":
		fi.Kind = flows.InputMedia
	}
	if c.cfg.OperatorsOnline != nil {
		fi.OperatorsOnline = c.cfg.OperatorsOnline(ctx)
	}
	if c.cfg.OfficeHours != nil {
		open, next := c.cfg.OfficeHours(now)
		fi.OutOfHours, fi.Back = !open, next
	}
	return fi
}

func (c *Conversation) render(in Inbound, lang string, replies []flows.Reply) []Outbound {
	if len(replies) == 0 {
		return nil
	}
	m := flows.Render(c.cfg.Texts, lang, replies)
	return []Outbound{{Channel: in.Channel, Address: in.Address, Text: m.Text, Buttons: m.Options,
		AskLocation: m.AskLocation, LocationLabel: m.LocationLabel}}
}
