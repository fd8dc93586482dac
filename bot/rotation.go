package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
)

// Carrier is a session store that can find a person under the name a previous secret
// gave her, during a rotation of the secret (session.Redis implements it).
type Carrier interface {
	// Carry returns the session of key, or carries it over from old; carried tells
	// that it came from old.
	Carry(ctx context.Context, key, old string) (snap session.Snapshot, carried bool, err error)
	// Forget deletes every key of old (after an erase).
	Forget(ctx context.Context, old string) error
}

// TicketCarrier is a ticket store that can move a person's open ticket from her
// previous name to her current one (handoff.Store implements it).
type TicketCarrier interface {
	Carry(ctx context.Context, old, user string) error
}

// Previous starts a rotation of the secret: previous is the deployment's secret
// before it (FARO_HMAC_SECRET_PREVIOUS). A person who is not in the cache is then
// looked up under both names in one round trip; when she is found only under the
// previous one, her session (and open ticket, when Config.Tickets is a
// TicketCarrier) is carried over to the current name once, and the commit goes on as
// usual. An erase deletes her keys under both names. Without Previous (or after the
// rotation window, once it is removed) nothing changes: one round trip a message.
// Call it before Handle; the Store must be a Carrier.
func (c *Conversation) Previous(previous []byte) error {
	if len(previous) < 16 {
		return errors.New("conversation: the previous secret must be at least 16 bytes")
	}
	if _, ok := c.cfg.Store.(Carrier); !ok {
		return errors.New("conversation: the session store cannot carry sessions over")
	}
	c.previous = previous
	return nil
}

// carry finds the session of a person not in the cache during a rotation; see Previous.
func (c *Conversation) carry(ctx context.Context, key string, in Inbound) (session.Snapshot, error) {
	old := store.UserKey(c.previous, in.Channel, in.Address)
	sctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
	defer cancel()
	snap, carried, err := c.cfg.Store.(Carrier).Carry(sctx, key, old)
	if err != nil {
		return session.Snapshot{}, err
	}
	if carried && snap.Session.Ticket != "" {
		if tc, ok := c.cfg.Tickets.(TicketCarrier); ok {
			if err := tc.Carry(sctx, old, key); err != nil {
				c.cfg.Events.EffectFailed("carry_ticket")
				c.cfg.Logger.Warn("open ticket not carried over to the new secret", "channel", in.Channel, "error", err.Error())
			}
		}
	}
	return snap, nil
}

// forgetPrevious deletes, after an erase during a rotation, what is left of the
// person under her previous name.
func (c *Conversation) forgetPrevious(ctx context.Context, in Inbound) {
	if c.previous == nil {
		return
	}
	fctx, cancel := context.WithTimeout(ctx, c.cfg.StoreTimeout)
	defer cancel()
	if err := c.cfg.Store.(Carrier).Forget(fctx, store.UserKey(c.previous, in.Channel, in.Address)); err != nil {
		c.cfg.Events.EffectFailed("erase_previous")
		c.cfg.Logger.Warn("erase: keys under the previous secret not deleted", "channel", in.Channel, "error", fmt.Sprint(err))
	}
}
