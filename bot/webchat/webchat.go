// Package webchat is Faro's browser channel: a phone-sized chat page that looks and
// behaves like a messaging app (bubbles, the bot's options as quick replies, a typing
// indicator, an operator's words shown as from a person, a list of districts in place
// of a map pin). The person's messages are POSTed and go through the bot.Inbox like
// any channel's; replies, from the bot and from operators through the bot.Hub, reach
// the page by Server-Sent Events with ids, so a page that reconnects catches up from a
// short in-memory backlog. The person's address is a random id in an HttpOnly,
// SameSite=Strict cookie; neither it nor any message text is ever logged.
//
// `faro demo` runs it; nothing here needs a token or a platform.
package webchat

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/faro-chat/faro/bot"
)

// Paths the channel serves.
const (
	PagePath   = "/"
	SendPath   = "/webchat/send"
	EventsPath = "/webchat/events"
	PlacesPath = "/webchat/places"
	AssetsPath = "/webchat/" // app.js, app.css
)

// CookieName is the cookie that holds the person's address.
const CookieName = "faro_webchat"

// CSP is the Content-Security-Policy of every response: scripts and styles only from
// this origin, no inline script, nothing framed, nothing fetched elsewhere.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Localizer renders the page's sentences (a *locales.Catalog).
type Localizer interface {
	Text(lang, key string, data any) string
}

// Place is a district the page offers in place of a map pin: what it shows (Name,
// Region) and the words sent to the bot when it is picked (Text).
type Place struct {
	Code   string
	Name   string
	Region string
	Text   string
}

// Config configures the channel.
type Config struct {
	// Texts renders the page's sentences (keys webchat.*, see PageKeys). Required.
	Texts Localizer
	// Langs are the page languages, the default first (default es, en); the browser's
	// Accept-Language picks one, and it is the language hint given to the bot.
	Langs []string
	// Places are the districts offered when the bot asks where the person is.
	Places []Place
	// Secure sets the cookie's Secure flag; leave it off only on plain-HTTP localhost.
	Secure bool
	// Backlog is how many events are kept per person for a page that reconnects
	// (default 100), and BacklogBytes how much text (default 64 KiB; the last event is
	// always kept), for at most BacklogTTL (default 1 hour).
	Backlog      int
	BacklogBytes int
	BacklogTTL   time.Duration
	// MaxPeople bounds the people kept in memory (default 5,000): when full, the one
	// idle longest is forgotten. With the backlog's bounds, the memory of the web chat
	// stays under MaxPeople × BacklogBytes (about 320 MiB by default).
	MaxPeople int
	// MaxBodyBytes caps a POSTed message (default 8 KiB); MaxTextRunes the text in it
	// (default 2,000 characters).
	MaxBodyBytes int64
	MaxTextRunes int
	// Burst and Per limit the messages of one person: Burst at once, then one every Per
	// (default 10 and 1 s).
	Burst int
	Per   time.Duration
	// MaxStreams bounds the open event streams of one person (tabs; default 4).
	MaxStreams int
	// Heartbeat is how often an idle stream sends a comment so proxies and phones keep
	// it open (default 20 s); WriteTimeout is the write deadline set before each write
	// of a stream (default 30 s), which lifts the server's WriteTimeout for it.
	Heartbeat    time.Duration
	WriteTimeout time.Duration
	// Logger receives counts and outcomes only, never an address or a text.
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Channel is the web chat. It implements bot.Channel and bot.Deliverer.
type Channel struct {
	cfg    Config
	inbox  bot.Inbox
	log    *slog.Logger
	epoch  string // tells this process's event ids from an earlier one's
	boxes  *mailboxes
	page   *pageRenderer
	assets map[string]*asset
	places *asset
	codes  map[string]Place

	done      chan struct{}
	closeOnce sync.Once
	janitor   sync.WaitGroup
}

// New returns the web chat, handing the person's messages to inbox. Add it to the
// bot.Hub for replies to reach the page, and mount its Routes.
func New(cfg Config, inbox bot.Inbox) (*Channel, error) {
	if cfg.Texts == nil {
		return nil, errors.New("webchat: no texts")
	}
	if inbox == nil {
		return nil, errors.New("webchat: no inbox")
	}
	if len(cfg.Langs) == 0 {
		cfg.Langs = []string{"es", "en"}
	}
	if cfg.Backlog <= 0 {
		cfg.Backlog = 100
	}
	if cfg.BacklogBytes <= 0 {
		cfg.BacklogBytes = 64 << 10
	}
	if cfg.BacklogTTL <= 0 {
		cfg.BacklogTTL = time.Hour
	}
	if cfg.MaxPeople <= 0 {
		cfg.MaxPeople = 5000
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 8 << 10
	}
	if cfg.MaxTextRunes <= 0 {
		cfg.MaxTextRunes = 2000
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 10
	}
	if cfg.Per <= 0 {
		cfg.Per = time.Second
	}
	if cfg.MaxStreams <= 0 {
		cfg.MaxStreams = 4
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 20 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var e [4]byte
	if _, err := rand.Read(e[:]); err != nil {
		return nil, fmt.Errorf("webchat: epoch: %w", err)
	}
	c := &Channel{
		cfg: cfg, inbox: inbox, log: cfg.Logger.With("channel", bot.ChannelWebchat),
		epoch: hex.EncodeToString(e[:]),
		boxes: newMailboxes(cfg.MaxPeople, cfg.Backlog, cfg.BacklogBytes, cfg.BacklogTTL),
		codes: map[string]Place{},
		done:  make(chan struct{}),
	}
	var err error
	if c.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if c.page, err = newPageRenderer(cfg.Texts, cfg.Langs, c.assets); err != nil {
		return nil, err
	}
	if c.places, err = placesAsset(cfg.Places); err != nil {
		return nil, err
	}
	for _, p := range cfg.Places {
		c.codes[p.Code] = p
	}
	c.janitor.Add(1)
	go c.sweep()
	return c, nil
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return bot.ChannelWebchat }

// Routes implements bot.Channel: the page, its script and style, the district list,
// the message endpoint and the event stream.
func (c *Channel) Routes() []bot.Route {
	return []bot.Route{
		{Method: http.MethodGet, Path: "/{$}", Handler: c.secured(c.servePage)},
		{Method: http.MethodGet, Path: AssetsPath + "{name}", Handler: c.secured(c.serveAsset)},
		{Method: http.MethodGet, Path: PlacesPath, Handler: c.secured(c.servePlaces)},
		{Method: http.MethodGet, Path: EventsPath, Handler: c.secured(c.serveEvents)},
		{Method: http.MethodPost, Path: SendPath, Handler: c.secured(c.serveSend)},
	}
}

// Handler returns the routes on one mux, for a server (or a test) that serves only
// the web chat.
func (c *Channel) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range c.Routes() {
		mux.Handle(r.Method+" "+r.Path, r.Handler)
	}
	return mux
}

// Outlet implements bot.Channel: no length limit (the page scrolls), no pacing (the
// page is in this process), buttons kept as quick replies.
func (c *Channel) Outlet() bot.Outlet {
	return bot.Outlet{Deliverer: c}
}

// Close ends the event streams and the background sweep. It is safe to call twice
// (a server calls it on shutdown so the streams let the server stop, then the hub).
func (c *Channel) Close(ctx context.Context) error {
	c.closeOnce.Do(func() { close(c.done) })
	done := make(chan struct{})
	go func() { c.janitor.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("webchat: close: %w", ctx.Err())
	}
}

// Deliver implements bot.Deliverer: the message joins the person's backlog and every
// open page of hers receives it.
func (c *Channel) Deliver(_ context.Context, m bot.Outbound) error {
	if !validAddress(m.Address) {
		return bot.Permanent("bad_address", errors.New("webchat: bad address"))
	}
	if strings.TrimSpace(m.Text) == "" && len(m.Buttons) == 0 && !m.AskLocation {
		return nil // nothing to show
	}
	e := event{From: fromBot, Text: m.Text, AskLocation: m.AskLocation, LocationLabel: m.LocationLabel}
	if m.Operator {
		e.From = fromOperator
	}
	for _, b := range m.Buttons {
		e.Buttons = append(e.Buttons, button{Label: b.Label, Payload: b.Payload})
	}
	now := c.cfg.Now()
	c.boxes.mu.Lock()
	defer c.boxes.mu.Unlock()
	mb := c.boxes.get(m.Address, now, true)
	if mb == nil {
		return bot.Retryable("full", errors.New("webchat: too many people in memory"))
	}
	c.boxes.add(mb, e, now)
	return nil
}

// sweep forgets, every minute, the people idle for longer than the backlog lasts.
func (c *Channel) sweep() {
	defer c.janitor.Done()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.boxes.mu.Lock()
			n := c.boxes.sweep(c.cfg.Now())
			c.boxes.mu.Unlock()
			if n > 0 {
				c.log.Debug("webchat backlogs expired", "count", n)
			}
		}
	}
}

// newAddress returns a fresh random address: 128 bits, base64url.
func newAddress() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("webchat: address: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// validAddress reports whether s looks like an address newAddress made.
func validAddress(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// address returns the person's address from the cookie.
func (c *Channel) address(r *http.Request) (string, bool) {
	ck, err := r.Cookie(CookieName)
	if err != nil || !validAddress(ck.Value) {
		return "", false
	}
	return ck.Value, true
}

// setAddress gives the browser a fresh address cookie.
func (c *Channel) setAddress(w http.ResponseWriter) error {
	addr, err := newAddress()
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: addr, Path: "/", HttpOnly: true, Secure: c.cfg.Secure,
		SameSite: http.SameSiteStrictMode,
	})
	return nil
}

// secured adds the security headers every response carries.
func (c *Channel) secured(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		h(w, r)
	})
}
