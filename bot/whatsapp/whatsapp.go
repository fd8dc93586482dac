// Package whatsapp is Faro's WhatsApp channel through Twilio: a webhook that checks
// X-Twilio-Signature against the configured public URL, status callbacks, and delivery
// of replies as plain text with numbered options (they work on every phone and in every
// window), never outside the 24-hour customer-service window. Replies are posted as
// twilio-go would post them, without its per-call overhead (see Deliver); the erase's
// listing and deletion of Twilio's records go through github.com/twilio/twilio-go.
package whatsapp

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot"
)

// Paths of the webhooks, relative to the public base URL. Configure the same URLs in
// Twilio: PublicURL + WebhookPath for incoming messages, PublicURL + StatusPath for
// status callbacks.
const (
	WebhookPath = "/whatsapp/webhook"
	StatusPath  = "/whatsapp/status"
)

// addressPrefix is how Twilio writes a WhatsApp address: "whatsapp:+51987654321".
const addressPrefix = "whatsapp:"

// Config configures the WhatsApp channel.
type Config struct {
	// AccountSID and AuthToken are the Twilio credentials; the token also signs webhooks.
	AccountSID string
	AuthToken  string
	// From is the WhatsApp sender, "whatsapp:+14155238886" (or the bare number).
	From string
	// PublicURL is the base URL as Twilio calls it, e.g. "https://faro.example.org".
	// Signatures are checked against it, not against the request's own URL, which
	// differs behind a proxy.
	PublicURL string
	// APIURL replaces https://api.twilio.com (tests and the load generator).
	APIURL string
	// HTTPClient's transport sends API requests (default http.DefaultTransport).
	HTTPClient *http.Client
	// MaxBodyBytes caps a webhook body (default 64 KiB).
	MaxBodyBytes int64
	// Window keeps each user's last inbound time (default: in memory).
	Window WindowStore
	// KeepCopy, if set, is given the sid of every message delivered, so that an erase
	// can delete Twilio's record of it (session.Redis.KeepCopy); it must not block.
	KeepCopy func(address, sid string)
	// StatusCallbacks asks Twilio to report each message's fate to StatusPath.
	StatusCallbacks bool
	Pacing          bot.Pacing
	Retry           bot.RetryPolicy
	Observer        bot.Observer
	Logger          *slog.Logger
}

// Channel is the WhatsApp channel. It implements bot.Channel and bot.Deliverer.
type Channel struct {
	cfg Config
	// publicAlt is cfg.PublicURL with the default port added or removed (see
	// portVariant), or "" when it has none; signatures over it are accepted too.
	publicAlt string
	transport http.RoundTripper
	apiURL    *url.URL
	inbox     bot.Inbox
	obs       bot.Observer
	log       *slog.Logger
	now       func() time.Time

	// The hot path's request parts (see create), worked out once: the Messages
	// resource's URL, the Authorization header, and the form's fields that are the
	// same for every message.
	messagesURL string
	basicAuth   []string
	formFrom    string
}

// New returns a WhatsApp channel that hands inbound messages to inbox. Add it to the
// bot.Hub for its replies to be delivered.
func New(cfg Config, inbox bot.Inbox) (*Channel, error) {
	if cfg.AccountSID == "" || cfg.AuthToken == "" || cfg.From == "" {
		return nil, errors.New("whatsapp: account sid, auth token and sender number are required")
	}
	if cfg.PublicURL == "" {
		return nil, errors.New("whatsapp: public URL is required to check signatures")
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if !strings.HasPrefix(cfg.From, addressPrefix) {
		cfg.From = addressPrefix + cfg.From
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.Window == nil {
		cfg.Window = NewMemoryWindow()
	}
	if cfg.Observer == nil {
		cfg.Observer = bot.NopObserver{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Channel{cfg: cfg, inbox: inbox, publicAlt: portVariant(cfg.PublicURL), obs: cfg.Observer, log: cfg.Logger.With("channel", bot.ChannelWhatsApp), now: time.Now}
	c.transport = http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		c.transport = cfg.HTTPClient.Transport
	}
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("whatsapp: bad API URL")
		}
		c.apiURL = u
	}
	base := "https://api.twilio.com"
	if c.apiURL != nil {
		base = c.apiURL.Scheme + "://" + c.apiURL.Host
	}
	c.messagesURL = base + "/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID) + "/Messages.json"
	c.basicAuth = []string{"Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.AccountSID+":"+cfg.AuthToken))}
	c.formFrom = "&From=" + url.QueryEscape(cfg.From)
	if cfg.StatusCallbacks {
		c.formFrom += "&StatusCallback=" + url.QueryEscape(cfg.PublicURL+StatusPath)
	}
	return c, nil
}

// render writes the options as numbered lines: WhatsApp free-form messages have no
// buttons without approved templates, and a typed number always works.
func render(o bot.Outbound) bot.Outbound {
	o.Text = bot.NumberedText(o)
	o.Buttons = nil
	return o
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return bot.ChannelWhatsApp }

// Routes implements bot.Channel.
func (c *Channel) Routes() []bot.Route {
	return []bot.Route{
		{Method: http.MethodPost, Path: WebhookPath, Handler: http.HandlerFunc(c.ServeHTTP)},
		{Method: http.MethodPost, Path: StatusPath, Handler: http.HandlerFunc(c.ServeStatus)},
	}
}

// Outlet implements bot.Channel: WhatsApp's limit, options as numbered lines.
func (c *Channel) Outlet() bot.Outlet {
	return bot.Outlet{Deliverer: c, MaxLen: bot.WhatsAppMaxLen, Pacing: c.cfg.Pacing, Retry: c.cfg.Retry, Render: render}
}

// WindowOpen implements bot.ReplyWindow: a free-form message may be sent within Window
// of the person's last message. A window store that fails reports it closed.
func (c *Channel) WindowOpen(ctx context.Context, address string) (bool, time.Time) {
	last, ok, err := c.cfg.Window.Last(ctx, address)
	if err != nil || !ok {
		return false, time.Time{}
	}
	until := last.Add(Window)
	return c.now().Before(until), until
}

// Close implements bot.Channel; the WhatsApp channel has no background work of its
// own (the hub drains the replies).
func (c *Channel) Close(context.Context) error { return nil }
