package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/faro-chat/faro/bot/session"
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
	OperatorsOnline func(ctx context.Context) bool
}

// Conversation is the conversation loop: the flow engine on the user's session, then
// one round trip that checks the dedupe mark and saves, then the replies rendered. It
// implements Handler and is safe for concurrent use; messages of one user are handled
// one at a time, in the order Handle is called.
type Conversation struct {
	cfg   Config
	cache *session.Cache
	locks [256]sync.Mutex
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
// it, or the cache was cold), the engine steps again from the stored one.
func (c *Conversation) Handle(ctx context.Context, in Inbound) ([]Outbound, error) {
	key := session.Key(c.cfg.Secret, in.Channel, in.Address)
	mu := &c.locks[stripe(key)]
	mu.Lock()
	defer mu.Unlock()

	e := c.cfg.Engine
	input := c.input(ctx, in)
	snap, _ := c.cache.Get(key, input.Now)
	for attempt := 1; ; attempt++ {
		s := snap.Session
		if snap.Raw == nil || s.Lang == "" { // no session, or one that could not be read
			s = flows.Session{Lang: e.Lang(in.LangHint)}
		}
		if in.StartCode != "" {
			s.Org = in.StartCode
		}
		next, replies, effects := e.Step(s, input)
		erase := slices.ContainsFunc(effects, func(ef flows.Effect) bool { return ef.Kind == flows.EffectErase })

		sctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
		res, err := c.cfg.Store.Commit(sctx, key, session.Change{MsgID: in.MessageID, Prev: snap.Raw, Next: next, Erase: erase})
		cancel()
		switch {
		case err != nil:
			c.cache.Drop(key)
			if erase { // never say "erased" when it was not
				return c.render(in, next.Lang, e.StoreErrorReply(next.Lang)), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
			}
			return c.degraded(in), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
		case res.Dup:
			c.cfg.Logger.Debug("duplicate message dropped", "channel", in.Channel)
			return nil, nil
		case res.Conflict && attempt < maxCommitAttempts:
			snap = res.Current
			continue
		case res.Conflict:
			// The session keeps changing under us: answer, and let the next message
			// start from what is stored.
			c.cache.Drop(key)
			c.cfg.Logger.Warn("session not saved: concurrent writes", "channel", in.Channel)
		case erase:
			c.cache.Drop(key)
		default:
			c.cache.Put(key, session.Snapshot{Session: next, Raw: res.Saved}, input.Now)
		}
		return c.render(in, next.Lang, replies), nil
	}
}

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
	return fi
}

func (c *Conversation) render(in Inbound, lang string, replies []flows.Reply) []Outbound {
	if len(replies) == 0 {
		return nil
	}
	m := flows.Render(c.cfg.Texts, lang, replies)
	out := Outbound{Channel: in.Channel, Address: in.Address, Text: m.Text, AskLocation: m.AskLocation, LocationLabel: m.LocationLabel}
	for _, o := range m.Options {
		out.Buttons = append(out.Buttons, Button{Label: o.Label, Payload: o.Payload})
	}
	return []Outbound{out}
}

// stripe picks one of 256 locks from the first two hex digits of a user key.
func stripe(key string) int {
	if len(key) < 2 {
		return 0
	}
	return int(unhex(key[0]))<<4 | int(unhex(key[1]))
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return 0
}
