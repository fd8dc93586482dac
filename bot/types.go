// Package bot is Faro's channel-agnostic runtime: the Inbound and Outbound message types
// every channel adapter speaks, and the conversation loop that turns one into the other
// (dedupe -> session -> engine or handoff -> replies).
package bot

import (
	"context"

	"strconv"
	"time"

	"github.com/faro-chat/faro/flows"
)

// Channel names.
const (
	ChannelTelegram = "telegram"
	ChannelWhatsApp = "whatsapp"
	ChannelWebchat  = "webchat"
	ChannelCLI      = "cli"
)

// Location is a pin a user shared. It is used for one reply and never stored.
type Location struct {
	Lat, Lon float64
}

// Media kinds the bot cannot read but answers kindly.
const (
	MediaVoice    = "voice"
	MediaPhoto    = "photo"
	MediaSticker  = "sticker"
	MediaDocument = "document"
	MediaVideo    = "video"
	MediaOther    = "other"
)

// Inbound is one message from a user, as a channel adapter parsed it.
// Address and Text are personal data: never log them.
type Inbound struct {
	Channel string
	// Address is the chat id (Telegram) or the phone number (WhatsApp).
	Address string
	// MessageID is the platform's id for this message (update_id, MessageSid): the
	// dedupe key. Empty means "do not dedupe".
	MessageID string
	Text      string
	// Payload is the data of a pressed button (callback data, ButtonPayload).
	Payload  string
	Location *Location
	// Media is one of the Media* kinds when the user sent something that is not text.
	Media string
	// Start is true for /start (with or without a deep-link code).
	Start bool
	// StartCode is the organization code of a link: a Telegram deep link (/start
	// <code>), or the greeting a WhatsApp click-to-chat link prefills (ParseReferral).
	StartCode string
	// ChatMessageID is the platform's id of this message in the chat (Telegram's
	// message_id, Twilio's MessageSid), kept sealed while a platform lets a bot delete
	// it, so that an erase deletes the platform's copy; "" when there is none (a button
	// press is not a message of hers).
	ChatMessageID string
	// LangHint is the language the platform reports for the user ("es", "en-US"), if any.
	LangHint   string
	ReceivedAt time.Time
}

// Button is one choice offered with a message: the engine's rendered option itself, so
// that options keep one shape from flows.Render until a channel renders them (inline
// keyboard, numbered lines).
type Button = flows.MessageOption

// Outbound is one message to a user.
type Outbound struct {
	Channel string
	Address string
	Text    string
	// Buttons are the options; channels without buttons render them as numbered text.
	Buttons []Button
	// AskLocation asks the channel to offer a "share my location" button if it has one.
	AskLocation bool
	// LocationLabel is that button's label, in the user's language.
	LocationLabel string
	// Operator marks an operator's words (sent from a ticket), not the bot's: a channel
	// that can show who speaks (the web chat) shows them as from a person.
	Operator bool
}

// Handler handles one inbound message and returns the replies to send, in order.
// Implementations must be safe for concurrent use across users; a channel must not call
// it concurrently for the same user (messages of one user are handled in order).
type Handler interface {
	Handle(ctx context.Context, in Inbound) ([]Outbound, error)
}

// NumberedText is the message as channels without buttons show it: the text, then one
// line per button, "1. Label". Typing the number picks the option on every channel.
func NumberedText(o Outbound) string {
	if len(o.Buttons) == 0 {
		return o.Text
	}
	b := make([]byte, 0, len(o.Text)+32*len(o.Buttons))
	b = append(b, o.Text...)
	b = append(b, '\n')
	for i, btn := range o.Buttons {
		b = append(b, '\n')
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ". "...)
		b = append(b, btn.Label...)
	}
	return string(b)
}
