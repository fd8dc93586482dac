package handoff

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/faro-chat/faro/bot"
)

// Notifier tells a Telegram group of operators that a chat is waiting, so that those
// on their phones open the console. The message says nothing else: no words of the
// person, no pseudonym, no language, no topic. The replica that opened the ticket
// sends it (bot.Config.TicketOpened), through the hub.
type Notifier struct {
	out    Outbound
	chat   string
	text   string
	logger *slog.Logger
}

// NewNotifier returns a notifier to the Telegram group chatID with text (the
// deployment's language); logger gets failures, never the chat id (nil: slog.Default()).
func NewNotifier(out Outbound, chatID int64, text string, logger *slog.Logger) *Notifier {
	if logger == nil {
		logger = slog.Default()
	}
	return &Notifier{out: out, chat: strconv.FormatInt(chatID, 10), text: text, logger: logger}
}

// TicketOpened queues the message to the group; a failure is logged, never returned:
// the person's chat goes on whatever happens to the notice.
func (n *Notifier) TicketOpened(ctx context.Context) {
	if err := n.out.Send(bot.Outbound{Channel: bot.ChannelTelegram, Address: n.chat, Text: n.text}); err != nil {
		n.logger.WarnContext(ctx, "operators' group not notified", "error", err.Error())
	}
}
