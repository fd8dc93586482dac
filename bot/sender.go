package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Deliverer sends one message, already split to the channel's limit, to its platform.
// It returns nil, or an error classified with ErrRetryable / ErrPermanent / Throttled
// (see ClassifyHTTP). A channel adapter implements it.
type Deliverer interface {
	Deliver(ctx context.Context, m Outbound) error
}

// DelivererFunc adapts a function to Deliverer.
type DelivererFunc func(ctx context.Context, m Outbound) error

// Deliver calls f.
func (f DelivererFunc) Deliver(ctx context.Context, m Outbound) error { return f(ctx, m) }

// Pacing limits the messages sent to one chat: a token bucket of Burst messages that
// refills one message every Interval. Interval 0 means no pacing.
type Pacing struct {
	Interval time.Duration
	Burst    int
}

// TelegramPacing keeps to Telegram's "about one message per second per chat", with the
// short burst Telegram tolerates so that a two-part answer is not held back.
// see https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
var TelegramPacing = Pacing{Interval: time.Second, Burst: 3}

// RetryPolicy says how often and how long a message is retried. Backoff is exponential
// from BaseDelay, doubling to MaxDelay, with full jitter in its upper half; a Throttled
// error waits its RetryAfter instead. By default a message that meets retryable errors
// (5xx, 429, a timeout, a reset) is retried until MaxElapsed, however many attempts
// that takes: a platform outage of an hour delays the replies queued meanwhile, it
// does not lose them. Past MaxElapsed a reply would come too late to help; it is
// given up and counted (outcome "expired"), never dropped silently.
type RetryPolicy struct {
	MaxAttempts int           // attempts in total; 0 (the default): no limit but MaxElapsed
	BaseDelay   time.Duration // default 500ms
	MaxDelay    time.Duration // the backoff's cap, default 30s
	MaxElapsed  time.Duration // give up after this long since the reply was queued, default DefaultMaxElapsed
	Timeout     time.Duration // per attempt, default 15s
}

// DefaultMaxElapsed is how long a reply is retried by default: as long as the outbox
// keeps it (outbox.DefaultTTL), after which it would come too late to be of use.
const DefaultMaxElapsed = 2 * time.Hour

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = DefaultMaxElapsed
	}
	if p.Timeout <= 0 {
		p.Timeout = 15 * time.Second
	}
	return p
}

// backoff returns the wait before attempt n+1 (n >= 1 attempts made).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << min(n-1, 20)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1)
}

// SenderConfig configures a Sender.
type SenderConfig struct {
	Channel   string
	Deliverer Deliverer
	// MaxLen is the channel's message limit; longer texts are split (see Split).
	MaxLen int
	Pacing Pacing
	Retry  RetryPolicy
	// MaxInFlight bounds concurrent deliveries across all chats (default 256).
	MaxInFlight int
	// MaxQueued is the number of waiting messages beyond which Full reports true, so a
	// webhook answers 503 before handling and the platform redelivers later (default
	// 200000). Enqueue itself never refuses for size: once the Handler has run, its
	// replies must not be lost.
	MaxQueued int
	// Render, if set, rewrites each message before it is split (WhatsApp renders the
	// buttons as numbered text with NumberedText).
	Render func(Outbound) Outbound
	// Outbox, if set, keeps every queued message until it is delivered or fails for
	// good, so a crash does not lose it: see Resume.
	Outbox   Outbox
	Observer Observer
	// Logger receives the sender's warnings. It should already carry the channel
	// (the channels pass Logger.With("channel", name)): the sender adds no channel key
	// of its own, so that each key appears once in a JSON line.
	Logger *slog.Logger
}

// Sender delivers outbound messages: one ordered queue per chat, paced, retried with
// exponential backoff that honours the platform's retry-after, split at the channel's
// limit. Chats do not wait for each other; messages of one chat go out in order, each
// only after the one before it was delivered or given up.
//
// The queue lives in memory, and in the Outbox when one is configured: Close drains
// it, and what a crash leaves queued a new process resends with Resume.
type Sender struct {
	cfg   SenderConfig
	retry RetryPolicy
	obs   Observer
	log   *slog.Logger
	sem   chan struct{}

	ctx    context.Context // cancelled when a drain runs out of time
	cancel context.CancelFunc

	mu     sync.Mutex
	chats  map[string]*chatQueue
	queued int
	closed bool
	// parked are the chats waiting to retry their first message: no goroutine waits
	// for them, a timer wakes them (see park). A chat has one goroutine only while it
	// sends, so an outage with many chats waiting costs little memory.
	parked  map[*chatQueue]*time.Timer
	wg      sync.WaitGroup // one per chat that is running or parked
	stopJan chan struct{}

	// idle hands a chat to a worker waiting for one (see start); idleWorkers counts
	// them, at most maxIdleWorkers.
	idle        chan *chatQueue
	idleWorkers atomic.Int32

	retryLog, failLog, outboxLog logLimit
}

type item struct {
	msg      Outbound
	id       string    // in the outbox; "" when not kept there
	enqueued time.Time // when first queued (by an earlier process, for a resumed one)
	attempts int
}

type chatQueue struct {
	items   []item
	running bool // a goroutine sends its messages, or it is parked
	tokens  float64
	last    time.Time // token bucket clock
}

// logEvery is how often at most the sender logs a retry, and a failure: during an
// outage every queued reply fails again and again, and the log would say the same
// thing thousands of times a minute. Each line counts the ones not logged since.
const logEvery = 10 * time.Second

// logLimit lets one line through every logEvery and counts the others.
type logLimit struct {
	mu      sync.Mutex
	last    time.Time
	skipped int
}

// allow reports whether to log now, and how many lines were not logged since the last.
func (l *logLimit) allow(now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < logEvery {
		l.skipped++
		return false, 0
	}
	n := l.skipped
	l.last, l.skipped = now, 0
	return true, n
}

// ErrQueueFull says the sender is Full. It is retryable: the webhook answers 503 and
// the platform redelivers.
var ErrQueueFull = Retryable("queue_full", errors.New("outbound queue full"))

// NewSender returns a running Sender. Call Close to drain and stop it.
func NewSender(cfg SenderConfig) *Sender {
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 256
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = 200000
	}
	if cfg.Pacing.Burst <= 0 {
		cfg.Pacing.Burst = 1
	}
	s := &Sender{
		cfg:     cfg,
		retry:   cfg.Retry.withDefaults(),
		obs:     cfg.Observer,
		log:     cfg.Logger,
		sem:     make(chan struct{}, cfg.MaxInFlight),
		chats:   make(map[string]*chatQueue),
		parked:  make(map[*chatQueue]*time.Timer),
		stopJan: make(chan struct{}),
		idle:    make(chan *chatQueue),
	}
	if s.obs == nil {
		s.obs = NopObserver{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.janitor()
	return s
}

// Enqueue splits and queues messages for delivery, in order after anything already
// queued for the same chat. It does not wait for delivery. With an Outbox, the parts
// are stored there first (one round trip); if that fails they are still sent.
func (s *Sender) Enqueue(msgs ...Outbound) error {
	var parts []Outbound
	for _, m := range msgs {
		if s.cfg.Render != nil {
			m = s.cfg.Render(m)
		}
		parts = append(parts, Split(m, s.cfg.MaxLen)...)
	}
	items := make([]item, len(parts))
	for i, m := range parts {
		items[i].msg = m
	}
	if s.cfg.Outbox != nil && len(parts) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), outboxTimeout)
		ids, err := s.cfg.Outbox.Put(ctx, parts)
		cancel()
		if err != nil {
			if ok, skipped := s.outboxLog.allow(time.Now()); ok {
				s.log.Warn("outbox unavailable: replies kept in memory only", "error", err, "not_logged", skipped)
			}
		} else {
			for i := range items {
				items[i].id = ids[i]
			}
		}
	}
	return s.queue(items)
}

// Resume queues the messages an earlier process left in the outbox (see
// outbox.Store.Pending), oldest first, without storing them again.
func (s *Sender) Resume(stored []Stored) error {
	items := make([]item, 0, len(stored))
	for _, st := range stored {
		if st.Msg.Channel != "" && st.Msg.Channel != s.cfg.Channel {
			continue
		}
		items = append(items, item{msg: st.Msg, id: st.ID, enqueued: st.Queued})
	}
	return s.queue(items)
}

// outboxTimeout bounds each outbox round trip.
const outboxTimeout = 500 * time.Millisecond

func (s *Sender) queue(items []item) error {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for _, it := range items {
		m := it.msg
		k := m.Channel + "\x00" + m.Address
		q := s.chats[k]
		if q == nil {
			q = &chatQueue{}
			s.chats[k] = q
		}
		if it.enqueued.IsZero() || it.enqueued.After(now) {
			it.enqueued = now
		}
		q.items = append(q.items, it)
		s.queued++
		if !q.running {
			q.running = true
			s.wg.Add(1)
			s.start(q)
		}
	}
	s.obs.QueueDepth(s.cfg.Channel, s.queued)
	return nil
}

// Full reports whether MaxQueued messages are waiting; callers check it before they
// handle an inbound message.
func (s *Sender) Full() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued >= s.cfg.MaxQueued
}

// Queued returns the number of messages waiting or in flight.
func (s *Sender) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

// Close stops accepting messages and waits until every queued message was delivered or
// given up. If ctx ends first, deliveries in flight are cancelled, the rest is dropped
// (counted as "dropped"), and Close returns an error saying how many.
func (s *Sender) Close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.stopJan)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		n := s.Queued()
		s.cancel()
		s.unpark()
		<-done
		return fmt.Errorf("sender %s: %d messages not delivered before shutdown: %w", s.cfg.Channel, n, ctx.Err())
	}
}

// run delivers the messages of one chat in order until its queue is empty, or until
// its first message must wait to be retried: then the chat is parked and a timer runs
// it again. It holds the chat's count in wg, and hands it on when it parks.
func (s *Sender) run(q *chatQueue) {
	for {
		s.mu.Lock()
		if len(q.items) == 0 {
			q.running = false
			s.mu.Unlock()
			s.wg.Done()
			return
		}
		it := q.items[0] // only this goroutine changes the head
		wait := q.take(time.Now(), s.cfg.Pacing)
		s.mu.Unlock()

		outcome, retryIn := s.attempt(&it, wait)
		if outcome == "" { // retry later, keep it at the head
			s.mu.Lock()
			q.items[0].attempts = it.attempts
			if s.ctx.Err() == nil {
				s.park(q, retryIn)
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
			outcome = "dropped"
		}
		// Delivered or given up: forget it. Dropped at shutdown: keep it in the
		// outbox for the next process.
		if it.id != "" && s.cfg.Outbox != nil && outcome != "dropped" {
			ctx, cancel := context.WithTimeout(context.Background(), outboxTimeout)
			if err := s.cfg.Outbox.Done(ctx, it.id); err != nil {
				s.log.Warn("outbox: could not forget a sent message; a restart may resend it", "error", err)
			}
			cancel()
		}
		s.mu.Lock()
		q.items[0] = item{}
		q.items = q.items[1:]
		s.queued--
		n := s.queued
		s.mu.Unlock()
		s.obs.Delivered(s.cfg.Channel, outcome, time.Since(it.enqueued))
		s.obs.QueueDepth(s.cfg.Channel, n)
	}
}

// Workers: a chat's deliveries run on a goroutine that, once the chat's queue is
// empty, waits workerIdle for another chat before it ends, at most maxIdleWorkers of
// them at once. A delivery's stack grows deep in net/http; a new goroutine per
// delivery grew it every time.
const (
	workerIdle     = 2 * time.Second
	maxIdleWorkers = 64
)

// start runs q on a worker waiting for a chat, or on a new one. It never blocks.
func (s *Sender) start(q *chatQueue) {
	select {
	case s.idle <- q:
	default:
		go s.worker(q)
	}
}

// worker runs q, then the chats start hands it, until none came for workerIdle,
// enough workers wait already, or the sender is closed.
func (s *Sender) worker(q *chatQueue) {
	var t *time.Timer
	for {
		s.run(q)
		if s.idleWorkers.Add(1) > maxIdleWorkers {
			s.idleWorkers.Add(-1)
			return
		}
		if t == nil {
			t = time.NewTimer(workerIdle)
		} else {
			t.Reset(workerIdle)
		}
		select {
		case q = <-s.idle:
			s.idleWorkers.Add(-1)
		case <-t.C:
			s.idleWorkers.Add(-1)
			return
		case <-s.stopJan: // closed: no chat comes any more but a hard stop's parked ones
			s.idleWorkers.Add(-1)
			return
		}
	}
}

// park has a timer run q again after d. Called with s.mu held; q keeps its count in
// wg (running stays true), so Close waits for it.
func (s *Sender) park(q *chatQueue, d time.Duration) {
	s.parked[q] = time.AfterFunc(d, func() {
		s.mu.Lock()
		_, ok := s.parked[q]
		delete(s.parked, q)
		s.mu.Unlock()
		if ok { // else unpark took it
			s.start(q)
		}
	})
}

// unpark runs every parked chat at once (their retries are cancelled: a hard stop).
func (s *Sender) unpark() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for q, t := range s.parked {
		t.Stop()
		delete(s.parked, q)
		s.start(q)
	}
}

// attempt waits for pacing, delivers once, and returns the message's fate
// ("delivered", "failed", "dropped") or "" with the wait before the next attempt.
func (s *Sender) attempt(it *item, wait time.Duration) (string, time.Duration) {
	if !s.sleep(wait) {
		return "dropped", 0
	}
	select {
	case s.sem <- struct{}{}:
	case <-s.ctx.Done():
		return "dropped", 0
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.retry.Timeout)
	err := s.cfg.Deliverer.Deliver(ctx, it.msg)
	cancel()
	<-s.sem
	it.attempts++
	s.obs.Attempt(s.cfg.Channel, Reason(err))
	if err == nil {
		return "delivered", 0
	}
	if s.ctx.Err() != nil {
		return "dropped", 0
	}
	now := time.Now()
	elapsed := now.Sub(it.enqueued)
	retryable := IsRetryable(err)
	if retryable && (s.retry.MaxAttempts <= 0 || it.attempts < s.retry.MaxAttempts) {
		d, ok := RetryAfter(err)
		if !ok {
			d = s.retry.backoff(it.attempts)
		}
		if elapsed+d < s.retry.MaxElapsed {
			if ok, skipped := s.retryLog.allow(now); ok {
				s.log.Warn("send retry", "reason", Reason(err), "attempt", it.attempts, "wait", d,
					"queued", s.Queued(), "retries_not_logged", skipped)
			}
			return "", d
		}
	}
	outcome := "failed"
	if retryable {
		outcome = "expired" // it would come too late: counted, not dropped silently
	}
	if ok, skipped := s.failLog.allow(now); ok {
		s.log.Error("send failed", "reason", Reason(err), "attempts", it.attempts,
			"retryable", retryable, "outcome", outcome, "queued_for", elapsed.Round(time.Second),
			"failures_not_logged", skipped)
	}
	return outcome, 0
}

// sleep waits d, or returns false if the sender is being stopped hard.
func (s *Sender) sleep(d time.Duration) bool {
	if d <= 0 {
		return s.ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// take consumes one token of the chat's bucket and returns how long to wait for it.
func (q *chatQueue) take(now time.Time, p Pacing) time.Duration {
	if p.Interval <= 0 {
		return 0
	}
	burst := float64(p.Burst)
	if q.last.IsZero() {
		q.tokens = burst
	} else if now.After(q.last) {
		q.tokens = min(burst, q.tokens+float64(now.Sub(q.last))/float64(p.Interval))
	}
	if now.After(q.last) {
		q.last = now
	}
	if q.tokens >= 1 {
		q.tokens--
		return 0
	}
	wait := time.Duration((1 - q.tokens) * float64(p.Interval))
	q.tokens = 0
	q.last = q.last.Add(wait)
	return q.last.Sub(now)
}

// janitor forgets idle chats whose pacing bucket has refilled.
func (s *Sender) janitor() {
	every := max(s.cfg.Pacing.Interval*time.Duration(s.cfg.Pacing.Burst), time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stopJan:
			return
		case now := <-t.C:
			s.mu.Lock()
			for k, q := range s.chats {
				if !q.running && len(q.items) == 0 && now.Sub(q.last) >= every {
					delete(s.chats, k)
				}
			}
			s.mu.Unlock()
		}
	}
}
