package telegram

import (
	"context"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// pollTimeout is the long-poll wait of getUpdates.
const pollTimeout = 50 * time.Second

// Poll receives updates with getUpdates until ctx ends (long polling, for a laptop
// without a public URL). It removes any webhook first, since Telegram refuses
// getUpdates while one is set. Updates are handled one at a time, in order; one whose
// handling failed is retried a few times. go-telegram/bot confirms updates to Telegram
// when it fetches the next batch, which may be before the last one was handled, so a
// crash while polling can lose the last update or two: production uses the webhook,
// which answers only after handling.
// see https://core.telegram.org/bots/api#getupdates
func (c *Channel) Poll(ctx context.Context) error {
	box := &statusBox{}
	if _, err := c.api.DeleteWebhook(withStatusBox(ctx, box), &tgbot.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("telegram: delete webhook before polling: %w", classify(err, box.status))
	}
	c.api.Start(ctx)
	return nil
}

// pollHandler is go-telegram/bot's default handler in polling mode. The library hands it
// a context that ends at shutdown; the update is finished regardless.
func (c *Channel) pollHandler(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	ctx = context.WithoutCancel(ctx)
	for attempt := 1; ; attempt++ {
		status := c.handle(ctx, u)
		if status < 500 || attempt == 3 {
			if status >= 500 {
				c.log.Error("update dropped after retries", "attempts", attempt)
			}
			return
		}
		time.Sleep(time.Duration(attempt) * time.Second)
	}
}
