package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Route is one HTTP endpoint a channel serves. Channels declare their routes; the
// server (cmd/faro serve) mounts them.
type Route struct {
	Method  string
	Path    string
	Handler http.Handler
}

// Dispatcher runs one inbound message through the Handler and queues the replies on
// the Hub. It holds the one per-user lock: the messages of one user are handled one at
// a time and their replies queued in the same order. Every channel shares it; it
// implements Inbox.
type Dispatcher struct {
	handler Handler
	hub     *Hub
	obs     Observer
	log     *slog.Logger
	timeout time.Duration
	locks   keyedMutex
}

// NewDispatcher returns a Dispatcher that hands replies to hub. timeout bounds one
// Handler call (default 10s). Its log lines carry the channel key once.
func NewDispatcher(h Handler, hub *Hub, obs Observer, log *slog.Logger, timeout time.Duration) *Dispatcher {
	if obs == nil {
		obs = NopObserver{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Dispatcher{handler: h, hub: hub, obs: obs, log: log, timeout: timeout,
		locks: keyedMutex{m: make(map[string]*keyedLock)}}
}

// Busy implements Inbox: the channel's outbound queue is full, so a webhook answers 503
// before handling anything, the platform redelivers later and nothing is lost.
func (d *Dispatcher) Busy(channel string) bool { return d.hub.Busy(channel) }

// Dispatch implements Inbox: it handles in and queues its replies. It returns nil when the message was
// handled (including a duplicate, which yields no replies), and an error when the
// platform should deliver it again: the Handler failed without any reply.
//
// ctx may be a request context: the Handler runs on a context that is not cancelled
// when the caller goes away, so a half-handled message cannot happen through a client
// disconnect.
func (d *Dispatcher) Dispatch(ctx context.Context, in Inbound) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.timeout)
	defer cancel()
	unlock := d.locks.lock(in.Channel + "\x00" + in.Address)
	defer unlock()

	start := time.Now()
	outs, err := d.handler.Handle(ctx, in)
	outcome := "ok"
	switch {
	case err != nil && len(outs) == 0:
		outcome = "error"
	case err != nil:
		outcome = "partial"
	}
	d.obs.Handled(in.Channel, outcome, time.Since(start))
	if err != nil {
		// The error may come from anywhere below; log only its class.
		d.log.Warn("handler failed", "channel", in.Channel, "outcome", outcome, "replies", len(outs))
		if len(outs) == 0 {
			return fmt.Errorf("dispatch %s: handler: %w", in.Channel, err)
		}
	}
	for i := range outs {
		if outs[i].Channel == "" {
			outs[i].Channel = in.Channel
		}
		if outs[i].Address == "" {
			outs[i].Address = in.Address
		}
	}
	// Queued under the user's lock, so replies keep the order of the messages.
	if len(outs) > 0 {
		if err := d.hub.Send(outs...); err != nil {
			return fmt.Errorf("dispatch %s: enqueue: %w", in.Channel, err)
		}
	}
	if s, ok := d.handler.(Settler); ok && err == nil {
		s.Settled(in)
	}
	return nil
}

// Settler is a Handler told when the replies of a message are queued (stored in the
// outbox, when there is one): Conversation clears its record that they were owed.
type Settler interface {
	Settled(in Inbound)
}

// keyedMutex is a set of mutexes by key, created on demand and dropped when unused.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	l := k.m[key]
	if l == nil {
		l = &keyedLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
