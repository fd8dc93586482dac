package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	// OperatorsOnline tells whether a person can take a chat now (nil: nobody can).
	OperatorsOnline func(ctx context.Context) bool
}

// Conversation is the conversation loop: dedupe and session load in one round trip,
// the flow engine, the session save in a second, the replies rendered. It implements
// Handler and is safe for concurrent use; messages of one user are handled one at a
// time, in the order Handle is called.
type Conversation struct {
	cfg   Config
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
	return &Conversation{cfg: cfg}, nil
}

// Handle implements Handler. A message seen before (same MessageID) returns no reply.
// When the store fails, Handle returns the replies that need no store (the emergency
// numbers, or an apology with them) together with an error wrapping
// ErrStoreUnavailable: send the replies anyway.
func (c *Conversation) Handle(ctx context.Context, in Inbound) ([]Outbound, error) {
	key := session.Key(c.cfg.Secret, in.Channel, in.Address)
	mu := &c.locks[stripe(key)]
	mu.Lock()
	defer mu.Unlock()

	e := c.cfg.Engine
	input := c.input(ctx, in)
	lctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
	s, found, dup, err := c.cfg.Store.Load(lctx, key, in.MessageID)
	cancel()
	if err != nil {
		return c.degraded(in), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
	}
	if dup {
		c.cfg.Logger.Debug("duplicate message dropped", "channel", in.Channel)
		return nil, nil
	}
	if !found {
		s = flows.Session{Lang: e.Lang(in.LangHint)}
	}
	if in.StartCode != "" {
		s.Org = in.StartCode
	}
	next, replies, effects := e.Step(s, input)

	erased := false
	for _, ef := range effects {
		if ef.Kind != flows.EffectErase {
			continue
		}
		ectx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
		err := c.cfg.Store.Erase(ectx, key)
		cancel()
		if err != nil {
			// Never say "erased" when it was not.
			return c.render(in, next.Lang, e.StoreErrorReply(next.Lang)), fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
		}
		erased = true
	}
	if !erased {
		sctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
		err := c.cfg.Store.Save(sctx, key, next)
		cancel()
		if err != nil {
			// The reply is right for this message; only the next one may start over.
			c.cfg.Logger.Warn("session not saved", "channel", in.Channel, "error", err)
		}
	}
	return c.render(in, next.Lang, replies), nil
}

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
