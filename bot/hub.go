package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Outlet is how a channel delivers: what the Hub needs to build the channel's sender.
// A channel describes itself with one; it builds no queue of its own.
type Outlet struct {
	// Deliverer sends one message, already rendered and split, to the platform.
	Deliverer Deliverer
	// MaxLen is the platform's message limit; longer texts are split (see Split).
	MaxLen int
	// Pacing limits the messages sent to one chat.
	Pacing Pacing
	// Retry says how often and how long a message is retried.
	Retry RetryPolicy
	// Render, if set, turns a message into what the platform shows (WhatsApp writes the
	// options as numbered lines); the options keep their one shape until here.
	Render func(Outbound) Outbound
}

// Channel is a channel adapter as the server and the hub see it: its name, the HTTP
// routes it serves, how it delivers, and how it stops.
type Channel interface {
	// Name is the channel name (ChannelTelegram, ChannelWhatsApp, ChannelWebchat).
	Name() string
	// Routes returns the webhook endpoints to mount; none in polling mode.
	Routes() []Route
	// Outlet describes delivery to the Hub.
	Outlet() Outlet
	// Close stops the channel's own background work (callback answers, polling);
	// the Hub drains the outbound queue.
	Close(ctx context.Context) error
}

// ReplyWindow is the capability of a channel that may write to a person only for a
// while after her last message (WhatsApp's 24-hour customer-service window). An
// operator console asks it before offering to write.
type ReplyWindow interface {
	// WindowOpen reports whether a free-form message may be sent to address now, and
	// until when (zero when the person never wrote or it is unknown).
	WindowOpen(ctx context.Context, address string) (open bool, until time.Time)
}

// Inbox takes the messages channels receive. The Dispatcher implements it; channels
// hand every parsed inbound message to it.
type Inbox interface {
	// Dispatch handles in and queues its replies; an error means the platform should
	// deliver the message again.
	Dispatch(ctx context.Context, in Inbound) error
	// Busy reports whether the channel's outbound queue is full, so a webhook can
	// answer 503 before handling anything.
	Busy(channel string) bool
}

// HubConfig configures the Hub.
type HubConfig struct {
	// Outbox, if set, keeps every queued message until it is delivered or fails for
	// good, so a crash does not lose it (see Resume).
	Outbox Outbox
	// MaxInFlight and MaxQueued bound each channel's sender (see SenderConfig).
	MaxInFlight int
	MaxQueued   int
	Observer    Observer
	// Logger receives the senders' warnings; each channel's sender adds the channel key.
	Logger *slog.Logger
}

// Hub is the one owner of outbound messages: channel name -> sender. It is built once
// (in cmd/faro), and the conversation, an operator console and a web chat all send
// through it; channels only describe how they deliver.
type Hub struct {
	cfg HubConfig

	mu       sync.RWMutex
	channels map[string]*hubChannel
}

type hubChannel struct {
	ch     Channel
	sender *Sender
}

// ErrNoChannel says a message names a channel the Hub does not have.
var ErrNoChannel = errors.New("no such channel")

// NewHub returns an empty Hub; Add the channels.
func NewHub(cfg HubConfig) *Hub {
	if cfg.Observer == nil {
		cfg.Observer = NopObserver{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{cfg: cfg, channels: make(map[string]*hubChannel)}
}

// Add registers a channel and starts its sender. A name can be added once.
func (h *Hub) Add(ch Channel) error {
	name := ch.Name()
	o := ch.Outlet()
	if o.Deliverer == nil {
		return fmt.Errorf("hub: channel %s has no deliverer", name)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.channels[name]; ok {
		return fmt.Errorf("hub: channel %s added twice", name)
	}
	h.channels[name] = &hubChannel{ch: ch, sender: NewSender(SenderConfig{
		Channel: name, Deliverer: o.Deliverer, MaxLen: o.MaxLen, Pacing: o.Pacing, Retry: o.Retry,
		Render: o.Render, Outbox: h.cfg.Outbox, MaxInFlight: h.cfg.MaxInFlight, MaxQueued: h.cfg.MaxQueued,
		Observer: h.cfg.Observer, Logger: h.cfg.Logger.With("channel", name),
	})}
	return nil
}

func (h *Hub) get(name string) (*hubChannel, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	c := h.channels[name]
	if c == nil {
		return nil, fmt.Errorf("hub: %w: %q", ErrNoChannel, name)
	}
	return c, nil
}

// Send queues messages for delivery, each on the channel it names, in order after
// anything already queued for the same chat. It does not wait for delivery.
func (h *Hub) Send(msgs ...Outbound) error {
	// Group consecutive messages by channel, keeping their order within a chat.
	for i := 0; i < len(msgs); {
		j := i + 1
		for j < len(msgs) && msgs[j].Channel == msgs[i].Channel {
			j++
		}
		c, err := h.get(msgs[i].Channel)
		if err != nil {
			return err
		}
		if err := c.sender.Enqueue(msgs[i:j]...); err != nil {
			return fmt.Errorf("hub: send on %s: %w", msgs[i].Channel, err)
		}
		i = j
	}
	return nil
}

// Busy reports whether the channel's queue is full (or the channel unknown).
func (h *Hub) Busy(channel string) bool {
	c, err := h.get(channel)
	return err != nil || c.sender.Full()
}

// Queued returns the number of messages of a channel waiting or in flight.
func (h *Hub) Queued(channel string) int {
	c, err := h.get(channel)
	if err != nil {
		return 0
	}
	return c.sender.Queued()
}

// Window returns the channel's reply window when it has one (WhatsApp).
func (h *Hub) Window(channel string) (ReplyWindow, bool) {
	c, err := h.get(channel)
	if err != nil {
		return nil, false
	}
	w, ok := c.ch.(ReplyWindow)
	return w, ok
}

// Copies returns the channel's CopyDeleter when its platform lets a bot delete the
// messages of a chat (Telegram, WhatsApp through Twilio).
func (h *Hub) Copies(channel string) (CopyDeleter, bool) {
	c, err := h.get(channel)
	if err != nil {
		return nil, false
	}
	d, ok := c.ch.(CopyDeleter)
	return d, ok
}

// Channels returns the channels in name order.
func (h *Hub) Channels() []Channel {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]Channel, 0, len(h.channels))
	for _, c := range h.channels {
		out = append(out, c.ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Resume queues the messages an earlier process left in the outbox on their channels,
// without storing them again. Messages of a channel this process does not run stay
// where they are counted as not resumed.
func (h *Hub) Resume(stored []Stored) (resumed int, err error) {
	by := map[string][]Stored{}
	for _, st := range stored {
		by[st.Msg.Channel] = append(by[st.Msg.Channel], st)
	}
	var errs []error
	for name, list := range by {
		c, gerr := h.get(name)
		if gerr != nil {
			errs = append(errs, gerr)
			continue
		}
		if rerr := c.sender.Resume(list); rerr != nil {
			errs = append(errs, rerr)
			continue
		}
		resumed += len(list)
	}
	return resumed, errors.Join(errs...)
}

// Close stops every channel's background work, then drains every sender within ctx.
// Stop the HTTP server (and polling) first, so that nothing new arrives meanwhile.
func (h *Hub) Close(ctx context.Context) error {
	var errs []error
	for _, ch := range h.Channels() {
		if err := ch.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch.Name(), err))
		}
	}
	h.mu.RLock()
	cs := make([]*hubChannel, 0, len(h.channels))
	for _, c := range h.channels {
		cs = append(cs, c)
	}
	h.mu.RUnlock()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.sender.Close(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
