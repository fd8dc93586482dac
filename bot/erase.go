package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/faro-chat/faro/flows"
)

// Forgotten is the conversation of a person who erased her data, as the platform still
// keeps it: what a Forgetter deletes there. Address is personal data: never logged.
type Forgotten struct {
	Channel string
	Address string
	// Lang is the language of the conversation, for what is said afterwards.
	Lang string
	// IDs are the platform's ids of the chat's recent messages (hers and the bot's),
	// oldest first, as the store kept them (session.Result.Copies).
	IDs []string
}

// CopyDeleter is the capability of a channel whose platform lets a bot delete the
// messages of a chat (Telegram's deleteMessages, Twilio's Message resource).
type CopyDeleter interface {
	// DeleteCopies makes one attempt at deleting the messages ids of the chat at
	// address. It returns the ids still there, with the error that kept them,
	// classified like a send error (ErrRetryable, Throttled, ErrPermanent); an id the
	// platform no longer has counts as deleted.
	DeleteCopies(ctx context.Context, address string, ids []string) (left []string, err error)
}

// EraseRetry is the default retry policy of deletions at the platforms: Twilio refuses
// to delete a message it has not finished processing (error 20009: "wait at least 1
// minute"), so the retries reach past a few minutes.
// see https://www.twilio.com/docs/api/errors/20009
var EraseRetry = RetryPolicy{MaxAttempts: 10, BaseDelay: 5 * time.Second, MaxDelay: 2 * time.Minute,
	MaxElapsed: 15 * time.Minute, Timeout: 15 * time.Second}

// ForgetterConfig configures a Forgetter.
type ForgetterConfig struct {
	// Hub gives the channels (their CopyDeleter) and sends what is said afterwards.
	Hub *Hub
	// Texts renders flows.KeyEraseFailed.
	Texts flows.Localizer
	// Retry paces the attempts (default EraseRetry).
	Retry RetryPolicy
	// Events counts the copies deleted ("copy_deleted") and those that could not be
	// ("erase_copies", as a failed effect): numbers only.
	Events Events
	Logger *slog.Logger
}

// Forgetter deletes the platform's copies of erased conversations, in the background
// after the erase was committed: one goroutine per erase, retrying 429 and 5xx (and
// Twilio's "not finished yet") with backoff. When some copies could not be deleted it
// tells the person so, in her language (flows.KeyEraseFailed), and counts them. The
// ids and the address live in its memory only while it works; nothing is stored.
type Forgetter struct {
	cfg    ForgetterConfig
	retry  RetryPolicy
	ctx    context.Context // cancelled when a Close runs out of time
	cancel context.CancelFunc
	stop   chan struct{} // closed by Close: no more waiting for a retry

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// NewForgetter returns a running Forgetter; Close stops it.
func NewForgetter(cfg ForgetterConfig) *Forgetter {
	if cfg.Retry == (RetryPolicy{}) {
		cfg.Retry = EraseRetry
	}
	if cfg.Events == nil {
		cfg.Events = nopEvents{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Forgetter{cfg: cfg, retry: cfg.Retry.withDefaults(), stop: make(chan struct{})}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

// Forget implements Config.Forget: it starts deleting job's copies and returns.
func (f *Forgetter) Forget(job Forgotten) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		f.failed(job.Channel, len(job.IDs), "closed")
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.run(job)
	}()
}

// Close stops the retries at once (a retry may be minutes away): what was not deleted
// is counted, and the person told, as when the retries run out. It waits for the
// calls in flight until ctx ends, then cancels them. Close it before the Hub, so that
// what it says still goes out.
func (f *Forgetter) Close(ctx context.Context) error {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.stop)
	}
	f.mu.Unlock()
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		f.cancel()
		<-done
		return fmt.Errorf("forgetter: deletions at the platforms cut short: %w", ctx.Err())
	}
}

// run deletes one job's copies, retrying, and tells the person what could not be.
func (f *Forgetter) run(job Forgotten) {
	if len(job.IDs) == 0 {
		return
	}
	d, ok := f.cfg.Hub.Copies(job.Channel)
	if !ok {
		f.failed(job.Channel, len(job.IDs), "no_deleter")
		return
	}
	left, start := job.IDs, time.Now()
	var err error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(f.ctx, f.retry.Timeout)
		var rest []string
		rest, err = d.DeleteCopies(actx, job.Address, left)
		cancel()
		for range len(left) - len(rest) {
			f.cfg.Events.Event(EventCopyDeleted)
		}
		left = rest
		if len(left) == 0 {
			return
		}
		if err == nil {
			err = Permanent("not_deleted", errors.New("platform kept some messages"))
		}
		if f.ctx.Err() != nil || !IsRetryable(err) || (f.retry.MaxAttempts > 0 && attempt >= f.retry.MaxAttempts) {
			break
		}
		wait, ok := RetryAfter(err)
		if !ok {
			wait = f.retry.backoff(attempt)
		}
		if time.Since(start)+wait > f.retry.MaxElapsed || !f.sleep(wait) {
			break
		}
	}
	f.failed(job.Channel, len(left), Reason(err))
	if f.ctx.Err() != nil || f.cfg.Texts == nil {
		return
	}
	text := f.cfg.Texts.Text(job.Lang, flows.KeyEraseFailed+job.Channel, nil)
	if text == "" {
		return
	}
	if serr := f.cfg.Hub.Send(Outbound{Channel: job.Channel, Address: job.Address, Text: text}); serr != nil {
		f.cfg.Logger.Warn("erase: could not say which copies remain", "channel", job.Channel)
	}
}

// failed counts n copies that could not be deleted, and logs it without content.
func (f *Forgetter) failed(channel string, n int, reason string) {
	for range n {
		f.cfg.Events.EffectFailed(EffectEraseCopies)
	}
	f.cfg.Logger.Warn("erase: platform copies not deleted", "channel", channel, "count", n, "reason", reason)
}

// sleep waits d, or returns false when the Forgetter is stopped.
func (f *Forgetter) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-f.stop:
		return false
	case <-f.ctx.Done():
		return false
	}
}

// EventCopyDeleted counts a platform's copy of a message deleted after an erase.
const EventCopyDeleted = "copy_deleted"

// EffectEraseCopies names, among the failed effects, a platform's copy of a message
// that could not be deleted after an erase.
const EffectEraseCopies = "erase_copies"
