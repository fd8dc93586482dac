package telegram

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/faro-chat/faro/bot"
)

// startCodeRE is what an organization code in a deep link may look like. Telegram
// itself allows up to 64 characters of [A-Za-z0-9_-] in a start parameter.
// see https://core.telegram.org/bots/features#deep-linking
var startCodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Parsed is what the ingress makes of one update.
type Parsed struct {
	// In is the message for the Handler; valid only when OK.
	In bot.Inbound
	// OK is false for updates the bot ignores: edited messages, group and channel
	// chats, service messages, and every update kind it does not handle.
	OK bool
	// CallbackID is the id of a callback query to answer (even when ignored).
	CallbackID string
}

// ParseUpdate turns an update into an Inbound. Only private chats are handled; text,
// /start deep links, location pins and button presses become input, and any other
// content (voice, photo, sticker, document, video, contact) becomes Inbound.Media so
// the bot can answer kindly that it reads text.
// see https://core.telegram.org/bots/api#update
func ParseUpdate(u *models.Update, now time.Time) Parsed {
	id := strconv.FormatInt(u.ID, 10)
	switch {
	case u.Message != nil:
		return Parsed{In: parseMessage(u.Message, id, now), OK: u.Message.Chat.Type == models.ChatTypePrivate && hasContent(u.Message)}
	case u.CallbackQuery != nil:
		return parseCallback(u.CallbackQuery, id, now)
	default:
		// edited_message (also live location updates), channel posts, inline queries,
		// my_chat_member, polls, reactions...: nothing to answer.
		return Parsed{}
	}
}

func parseMessage(m *models.Message, id string, now time.Time) bot.Inbound {
	in := bot.Inbound{
		Channel:    bot.ChannelTelegram,
		Address:    strconv.FormatInt(m.Chat.ID, 10),
		MessageID:  id,
		ReceivedAt: now,
	}
	if m.ID != 0 {
		in.ChatMessageID = strconv.Itoa(m.ID)
	}
	if m.From != nil {
		in.LangHint = m.From.LanguageCode
	}
	switch {
	case m.Location != nil:
		in.Location = &bot.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
	case m.Venue != nil:
		in.Location = &bot.Location{Lat: m.Venue.Location.Latitude, Lon: m.Venue.Location.Longitude}
	case m.Voice != nil, m.Audio != nil:
		in.Media = bot.MediaVoice
	case len(m.Photo) > 0:
		in.Media = bot.MediaPhoto
	case m.Sticker != nil:
		in.Media = bot.MediaSticker
	case m.Document != nil:
		in.Media = bot.MediaDocument
	case m.Video != nil, m.VideoNote != nil, m.Animation != nil:
		in.Media = bot.MediaVideo
	case m.Contact != nil, m.Poll != nil, m.Dice != nil, m.Game != nil:
		// A shared contact is somebody's phone number: never read it.
		in.Media = bot.MediaOther
	case isStart(m.Text):
		in.Start = true
		if f := strings.Fields(m.Text); len(f) > 1 && startCodeRE.MatchString(f[1]) {
			in.StartCode = f[1]
		}
	default:
		in.Text = m.Text
	}
	return in
}

// isStart reports whether text is the /start command, possibly /start@BotName, with or
// without a parameter.
func isStart(text string) bool {
	cmd, _, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return cmd == "/start"
}

// hasContent reports whether a message is something a person sent: service messages
// (members joining, pinned messages, ...) have none of these.
func hasContent(m *models.Message) bool {
	return m.Text != "" || m.Location != nil || m.Venue != nil || m.Voice != nil || m.Audio != nil ||
		len(m.Photo) > 0 || m.Sticker != nil || m.Document != nil || m.Video != nil ||
		m.VideoNote != nil || m.Animation != nil || m.Contact != nil || m.Poll != nil ||
		m.Dice != nil || m.Game != nil
}

// parseCallback turns a button press into an Inbound with Payload.
// see https://core.telegram.org/bots/api#callbackquery
func parseCallback(q *models.CallbackQuery, id string, now time.Time) Parsed {
	p := Parsed{CallbackID: q.ID}
	var chat *models.Chat
	switch {
	case q.Message.Message != nil:
		chat = &q.Message.Message.Chat
	case q.Message.InaccessibleMessage != nil:
		chat = &q.Message.InaccessibleMessage.Chat
	}
	if chat == nil || chat.Type != models.ChatTypePrivate || q.Data == "" {
		return p
	}
	p.OK = true
	p.In = bot.Inbound{
		Channel:    bot.ChannelTelegram,
		Address:    strconv.FormatInt(chat.ID, 10),
		MessageID:  id,
		Payload:    q.Data,
		LangHint:   q.From.LanguageCode,
		ReceivedAt: now,
	}
	return p
}
