package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/faro-chat/faro/bot"
)

// Reminder tells a person waiting long for an operator, kindly and in her language,
// that she is still in line: every waiting ticket told nothing for After gets the
// message once, then again After later while it still waits. Nobody is reminded out
// of office hours (she was told when someone is back) nor while no operator is online
// (she was told nobody is): the reminder is for a line that moves. Every replica may
// run one; a short lock in Redis lets one of them do each round.
type Reminder struct {
	Store *Store
	// Out sends the reminder (the bot.Hub).
	Out Outbound
	// After is how long a person waits before she is told again (default 10 minutes).
	After time.Duration
	// Every is how often waiting tickets are looked at (default After/5, at least a
	// second).
	Every time.Duration
	// Message is the reminder in lang (Channel and Address are filled by the store).
	Message func(lang string) bot.Outbound
	// Hours are the office hours (nil: always open).
	Hours *Hours
	// Logger gets counts and errors, never a person's key, address or words
	// (default slog.Default()).
	Logger *slog.Logger
}

func (r *Reminder) defaults() {
	if r.After <= 0 {
		r.After = 10 * time.Minute
	}
	if r.Every <= 0 {
		r.Every = max(r.After/5, time.Second)
	}
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
}

// Run reminds until ctx ends, one round every Every; it returns nil then. A failed
// round is logged and the next one tries again.
func (r *Reminder) Run(ctx context.Context) error {
	if r.Store == nil || r.Out == nil || r.Message == nil {
		return errors.New("handoff reminder: Store, Out and Message are required")
	}
	r.defaults()
	t := time.NewTicker(r.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := r.Round(ctx); err != nil && ctx.Err() == nil {
			r.Logger.Warn("handoff reminders not sent this round", "error", err.Error())
		}
	}
}

// Round sends the reminders due now, unless another replica holds this round, the
// office is closed or nobody is online, and returns how many were sent.
func (r *Reminder) Round(ctx context.Context) (int, error) {
	r.defaults()
	s := r.Store
	if !r.Hours.Open(s.o.Now()) || !s.Online(ctx) {
		return 0, nil
	}
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	won, err := s.c.SetNX(lctx, s.o.Prefix+"handoff:remind:lock", "1", max(r.Every-100*time.Millisecond, 500*time.Millisecond)).Result()
	cancel()
	if err != nil {
		return 0, fmt.Errorf("handoff reminder: lock: %w", err)
	}
	if !won {
		return 0, nil
	}
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	due, err := s.Overdue(qctx, r.After)
	cancel()
	if err != nil {
		return 0, fmt.Errorf("handoff reminder: %w", err)
	}
	sent := 0
	var errs []error
	for _, t := range due {
		nctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := s.Nudge(nctx, r.Out, t.User, t.ID, r.Message(t.Lang))
		cancel()
		if errors.Is(err, ErrNoTicket) || errors.Is(err, ErrTicketClosed) {
			continue // taken or closed meanwhile
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if sent > 0 {
		r.Logger.Info("handoff reminders sent", "count", sent)
	}
	return sent, errors.Join(errs...)
}
