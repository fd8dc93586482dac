package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Ticket is a person's request to talk to a human operator. Address is personal data:
// an implementation keeps it sealed and never logs it.
type Ticket struct {
	// ID is derived from the person and the message that opened it, so a replay of
	// that message names the same ticket.
	ID string
	// User is the person's store key (an HMAC of channel and address).
	User    string
	Channel string
	Address string
	// Topic is the handoff node's topic (general, emergency, violence, feelings).
	Topic string
	Lang  string
	// Org is the organization code of the link that brought the person, if any.
	Org string
	At  time.Time
}

// Relayed is one message of the person for the operator of her ticket.
type Relayed struct {
	// ID is derived from the platform's message id: a replay carries the same one.
	ID    string
	Text  string // personal data, never logged
	Media string // the kind of a message that is not text
	At    time.Time
	// Urgent says the message was a call for help: the ticket goes to the head of the
	// queue and is marked for the operators.
	Urgent bool
}

// Tickets keeps the handoff tickets operators answer (bot/handoff implements it on
// Redis). The conversation calls it only after the commit said the message was new.
type Tickets interface {
	// Open opens ticket t; opening an id that is open already changes nothing.
	Open(ctx context.Context, t Ticket) error
	// Relay adds the person's message to the transcript of her open ticket.
	Relay(ctx context.Context, t Ticket, m Relayed) error
	// Leave ends the ticket because the person left it (the menu, /start, erase).
	Leave(ctx context.Context, t Ticket) error
	// Closed reports whether the ticket is over (the operator closed it, or it is gone):
	// the person's session then leaves handoff mode.
	Closed(ctx context.Context, t Ticket) (bool, error)
}

// Events counts what happens in conversations: event names and failed effects, never
// anything about a person. bot/metrics implements it.
type Events interface {
	Event(name string)
	EffectFailed(effect string)
}

// Stats keeps the statistics organizations may read (bot/stats implements it): counts
// by day, never anything that names a person. Its methods only add up in memory: they
// cost no round trip.
type Stats interface {
	// Day names the statistics day of t (YYYYMMDD in the deployment's time zone).
	Day(t time.Time) string
	// Conversation counts a new conversation: a person's first message of the day.
	Conversation(t time.Time, org, channel, lang string)
	// Event counts an event of the flow (flows.EffectEvent's Topic).
	Event(t time.Time, name string)
}

// derivedID names what a message causes (a ticket, a relayed message) so that the
// same message always gives the same name: the person's key, the platform's message
// id and a purpose, hashed. Without a message id (a terminal chat), now is used.
func derivedID(purpose, user, msgID string, now time.Time) string {
	if msgID == "" {
		msgID = now.Format(time.RFC3339Nano)
	}
	h := sha256.Sum256([]byte(purpose + "\x00" + user + "\x00" + msgID))
	return hex.EncodeToString(h[:10])
}

// FeedbackReport is a report of the community (flows.EffectFeedback): nothing about the
// person who sent it, not even her key.
type FeedbackReport struct {
	// Kind is the flow's report kind (wrong_number, closed, other, suggest).
	Kind string
	// Entry is the directory id of the service it is about ("" for none).
	Entry string
	// Lang is the language of the conversation.
	Lang string
	// Text is the person's words, at most flows.MaxFeedbackRunes: personal data, never
	// logged.
	Text string
	At   time.Time
}

// Feedback keeps the community's reports (bot/feedback implements it on Redis, sealed,
// outside the person's keys). The conversation calls it only after the commit said the
// message was new.
type Feedback interface {
	Report(ctx context.Context, r FeedbackReport) error
}
