// Package telegram is Faro's Telegram channel, built on github.com/go-telegram/bot:
// a webhook ingress of its own (secret checked in constant time, body capped, the
// Handler run before the 200), long polling for a laptop, and delivery of replies with
// inline keyboards through the shared bot.Sender.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/faro-chat/faro/bot"
)

// WebhookPath is where the webhook is served. It carries no token: Telegram proves
// itself with the secret header instead.
const WebhookPath = "/telegram/webhook"

// DefaultLocationLabel is the "share my location" button when a reply carries no
// label of its own (the conversation always gives one, from the locales): a pin, no
// words, so no sentence lives in Go code.
const DefaultLocationLabel = "📍"

// AllowedUpdates are the kinds of update Faro asks Telegram for, in setWebhook and in
// long polling: everything else is never sent to it.
// see https://core.telegram.org/bots/api#update
var AllowedUpdates = []string{"message", "callback_query"}

// Config configures the Telegram channel.
type Config struct {
	// Token is the bot token from @BotFather. It is only ever sent to the API.
	Token string
	// WebhookSecret is the secret_token given to setWebhook; required for webhooks.
	// see https://core.telegram.org/bots/api#setwebhook
	WebhookSecret string
	// APIURL replaces https://api.telegram.org (tests and the load generator).
	APIURL string
	// HTTPClient sends API requests (default: a client with a 70s timeout).
	HTTPClient *http.Client
	// MaxBodyBytes caps a webhook body (default 1 MiB).
	MaxBodyBytes int64
	// LocationLabel is the text of the "share my location" button.
	LocationLabel string
	// KeepCopy, if set, is given the message_id of every message delivered, so that
	// an erase can delete it (session.Redis.KeepCopy); it must not block.
	KeepCopy func(address, id string)
	Pacing   bot.Pacing
	Retry    bot.RetryPolicy
	Observer bot.Observer
	Logger   *slog.Logger
}

// Channel is the Telegram channel. It implements bot.Channel and bot.Deliverer.
type Channel struct {
	cfg     Config
	api     *tgbot.Bot
	hc      *http.Client
	apiBase string
	inbox   bot.Inbox
	obs     bot.Observer
	log     *slog.Logger
	secret  [32]byte // sha256 of the webhook secret

	bg sync.WaitGroup // callback answers in flight
}

// New returns a Telegram channel that hands inbound messages to inbox. Add it to the
// bot.Hub for its replies to be delivered. It makes no API call (no getMe), so it
// starts even while Telegram is unreachable.
func New(cfg Config, inbox bot.Inbox) (*Channel, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: empty token")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.LocationLabel == "" {
		cfg.LocationLabel = DefaultLocationLabel
	}
	if cfg.Pacing == (bot.Pacing{}) {
		cfg.Pacing = bot.TelegramPacing
	}
	if cfg.Observer == nil {
		cfg.Observer = bot.NopObserver{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: pollTimeout + 10*time.Second}
	}
	c := &Channel{cfg: cfg, inbox: inbox, obs: cfg.Observer, log: cfg.Logger.With("channel", bot.ChannelTelegram),
		hc: hc, apiBase: "https://api.telegram.org"}
	if cfg.APIURL != "" {
		c.apiBase = strings.TrimRight(cfg.APIURL, "/")
	}
	if cfg.WebhookSecret != "" {
		c.secret = hashSecret(cfg.WebhookSecret)
	}
	opts := []tgbot.Option{
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(pollTimeout, statusDoer{hc}),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithWorkers(1),
		tgbot.WithUpdatesChannelCap(1),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates(AllowedUpdates)),
		tgbot.WithDefaultHandler(c.pollHandler),
		// The library's own error texts can hold response bodies (message text).
		tgbot.WithErrorsHandler(func(error) { c.log.Warn("telegram library error") }),
		tgbot.WithDebugHandler(func(string, ...any) {}),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tgbot.WithServerURL(cfg.APIURL))
	}
	api, err := tgbot.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: new client: %w", err)
	}
	c.api = api
	return c, nil
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return bot.ChannelTelegram }

// Routes implements bot.Channel: the webhook, when a secret is configured.
func (c *Channel) Routes() []bot.Route {
	if c.cfg.WebhookSecret == "" {
		return nil
	}
	return []bot.Route{{Method: http.MethodPost, Path: WebhookPath, Handler: http.HandlerFunc(c.ServeHTTP)}}
}

// Outlet implements bot.Channel: Telegram's limit and pacing, buttons as inline
// keyboards (rendered in Deliver).
func (c *Channel) Outlet() bot.Outlet {
	return bot.Outlet{Deliverer: c, MaxLen: bot.TelegramMaxLen, Pacing: c.cfg.Pacing, Retry: c.cfg.Retry}
}

// Close waits for the callback answers in flight (the hub drains the replies).
func (c *Channel) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { c.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("telegram: callback answers in flight: %w", ctx.Err())
	}
}

// SetWebhook registers publicURL + WebhookPath with Telegram, with the secret.
// see https://core.telegram.org/bots/api#setwebhook
func (c *Channel) SetWebhook(ctx context.Context, publicURL string) error {
	if c.cfg.WebhookSecret == "" {
		return errors.New("telegram: set webhook: no secret configured")
	}
	_, err := c.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            publicURL + WebhookPath,
		SecretToken:    c.cfg.WebhookSecret,
		AllowedUpdates: AllowedUpdates,
		MaxConnections: 40,
	})
	if err != nil {
		return fmt.Errorf("telegram: set webhook: %s", bot.Reason(classify(err, 0)))
	}
	return nil
}
