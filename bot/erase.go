package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/faro-chat/faro/bot/session"
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
	// User is the person's name in the store (store.UserKey): her erase's job's.
	User string
	// Stored: the erase's commit wrote its job (ForgetterConfig.Jobs, Config.EraseJob):
	// the Forgetter works from it, and leaves it to another process if it stops.
	Stored bool
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

// CopyLister is the capability of a channel whose platform lists the messages of a
// chat (Twilio's Message resource): after an erase the Forgetter deletes every
// message listed, beyond the ids the store kept (the last 200).
type CopyLister interface {
	// ListCopies makes one attempt at listing the ids of the messages of the chat at
	// address, both ways. complete is false when there were more than it lists (a
	// bound on the work); err is classified like a send error.
	ListCopies(ctx context.Context, address string) (ids []string, complete bool, err error)
}

// EraseJobs keeps erase jobs where every replica finds them (bot/erasejob, on Redis),
// so that the deletions at the platforms outlive the process that started them: a
// job is written by the erase's commit (Prepare gives what it writes), held by one
// process at a time under a lease that it renews, and claimed by another process
// when the lease runs out.
type EraseJobs interface {
	// Prepare is called before user's erase is committed: it makes sure that the
	// replicas will find her job, and returns what the commit writes of it (the
	// destination f, sealed, and this process's lease).
	Prepare(ctx context.Context, user string, f Forgotten) (*session.Job, error)
	// Load reads user's job; ok is false when there is none.
	Load(ctx context.Context, user string) (job StoredJob, ok bool, err error)
	// Deleted removes from user's job the ids the platform deleted (their Names).
	Deleted(ctx context.Context, user string, names []string) error
	// Renew extends this process's lease on the jobs of users and returns those it
	// does not hold any more (taken by another process, or gone).
	Renew(ctx context.Context, users []string) (lost []string, err error)
	// Release ends this process's lease on user's job at once (it is stopping): the
	// next Claim, of any process, takes it over.
	Release(ctx context.Context, user string) error
	// Done removes names from user's job, and the job with them when no id is left in
	// it, if this process holds it (a later erase of hers may have added some); then,
	// if the job is gone, user from the index unless an erase of hers after at (the
	// job's) entered it again. Called again after an error, it finishes what the
	// first call began.
	Done(ctx context.Context, user string, names []string, at time.Time) error
	// Claim takes over the jobs whose lease ran out (their process died or stopped),
	// and those a previous run of this process left, and returns their users.
	Claim(ctx context.Context) ([]string, error)
}

// StoredJob is an erase's job as EraseJobs keeps it.
type StoredJob struct {
	Forgotten
	// Names are the names the ids of Forgotten.IDs are stored under, by id (an id kept
	// twice is stored under two names: each is sealed with a nonce of its own).
	Names map[string][]string
	// At is when the erase was committed: the retries count from then.
	At time.Time
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
	// Retry paces the attempts (default EraseRetry). With Jobs, MaxElapsed counts from
	// the erase, across the processes that work on it.
	Retry RetryPolicy
	// Events counts the copies deleted ("copy_deleted") and those that could not be
	// ("erase_copies", as a failed effect; "erase_list" for a list of a chat's
	// messages that could not be had whole): numbers only.
	Events Events
	Logger *slog.Logger
	// Jobs keeps the jobs where other processes find them (nil: in memory only, lost
	// with the process). Run renews this process's leases and claims orphaned jobs.
	Jobs EraseJobs
	// Beat is how often Run renews the leases (default 10 s; it must be well within
	// the jobs' lease) and Claim how often it claims orphaned jobs (default 30 s).
	Beat, Claim time.Duration
}

// Forgetter deletes the platform's copies of erased conversations, in the background
// after the erase was committed: one goroutine per erase, retrying 429 and 5xx (and
// Twilio's "not finished yet") with backoff. When some copies could not be deleted it
// tells the person so, in her language (flows.KeyEraseFailed), and counts them.
//
// Without Jobs the ids and the address live in its memory only while it works. With
// Jobs they are in the erase's job, written by the commit: each id is removed from it
// as the platform confirms its deletion, the job when all are done (or given up, after
// telling her); a process that stops (Close) or dies leaves its jobs to the next
// Claim (Run), of another replica or of its own next run.
type Forgetter struct {
	cfg    ForgetterConfig
	retry  RetryPolicy
	ctx    context.Context // cancelled when a Close runs out of time
	cancel context.CancelFunc
	stop   chan struct{} // closed by Close: no more waiting for a retry

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	// active are the users whose jobs this process works on, each with what stops it
	// (its lease lost) and whether a later erase of hers added to it (again).
	active map[string]*activeJob
}

type activeJob struct {
	cancel context.CancelFunc
	again  bool
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
	if cfg.Beat <= 0 {
		cfg.Beat = 10 * time.Second
	}
	if cfg.Claim <= 0 {
		cfg.Claim = 30 * time.Second
	}
	f := &Forgetter{cfg: cfg, retry: cfg.Retry.withDefaults(), stop: make(chan struct{}), active: map[string]*activeJob{}}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

// Prepare implements Config.EraseJob with the Forgetter's Jobs (nil: no job).
func (f *Forgetter) Prepare(ctx context.Context, user string, job Forgotten) (*session.Job, error) {
	if f.cfg.Jobs == nil {
		return nil, nil
	}
	j, err := f.cfg.Jobs.Prepare(ctx, user, job)
	if err != nil {
		return nil, fmt.Errorf("forgetter: %w", err)
	}
	return j, nil
}

// Forget implements Config.Forget: it starts deleting job's copies and returns.
func (f *Forgetter) Forget(job Forgotten) {
	if job.Stored && f.cfg.Jobs != nil && job.User != "" {
		f.start(job.User, &job)
		return
	}
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

// start works on user's stored job in a goroutine, unless it is at work already (then
// it reads the job again when done: a later erase added to it). first is what the
// erase's commit answered, for when the job cannot be read (nil: claimed).
func (f *Forgetter) start(user string, first *Forgotten) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false // the job stays stored: the next Claim takes it
	}
	if a, ok := f.active[user]; ok {
		a.again = true
		return false
	}
	ctx, cancel := context.WithCancel(f.ctx)
	f.active[user] = &activeJob{cancel: cancel}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		defer cancel()
		for {
			f.runStored(ctx, user, first)
			first = nil
			f.mu.Lock()
			a := f.active[user]
			if a.again && ctx.Err() == nil && !f.closed {
				a.again = false
				f.mu.Unlock()
				continue
			}
			delete(f.active, user)
			f.mu.Unlock()
			return
		}
	}()
	return true
}

// Run renews the leases of the jobs this process works on every Beat, and every Claim
// (and at once) takes over the jobs of processes that died, until ctx ends. Without
// Jobs it returns at once. Redis errors are retried at the next tick.
func (f *Forgetter) Run(ctx context.Context) {
	if f.cfg.Jobs == nil {
		return
	}
	tick := time.NewTicker(f.cfg.Beat)
	defer tick.Stop()
	var lastClaim time.Time
	for {
		rctx, cancel := context.WithTimeout(ctx, f.cfg.Beat)
		f.renew(rctx)
		if time.Since(lastClaim) >= f.cfg.Claim {
			lastClaim = time.Now()
			users, err := f.cfg.Jobs.Claim(rctx)
			if err != nil {
				f.cfg.Logger.Warn("erase: orphaned jobs not all claimed", "error", err.Error())
			}
			n := 0
			for _, u := range users {
				if f.start(u, nil) {
					n++
				}
			}
			if n > 0 {
				f.cfg.Logger.Info("erase: resumed deletions a stopped process left", "count", n)
			}
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// renew extends the leases of the active jobs, and stops those this process lost.
func (f *Forgetter) renew(ctx context.Context) {
	f.mu.Lock()
	users := make([]string, 0, len(f.active))
	for u := range f.active {
		users = append(users, u)
	}
	f.mu.Unlock()
	if len(users) == 0 {
		return
	}
	lost, err := f.cfg.Jobs.Renew(ctx, users)
	if err != nil {
		f.cfg.Logger.Warn("erase: leases not renewed", "error", err.Error())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range lost {
		if a, ok := f.active[u]; ok {
			a.cancel() // another process has it (or it is done): it tells her, not this one
		}
	}
}

// Close stops the retries at once (a retry may be minutes away). Without Jobs what was
// not deleted is counted, and the person told, as when the retries run out; with
// Jobs the jobs are left, their leases ended, to the next Claim (another replica, or
// this process's next run). It waits for the calls in flight until ctx ends, then
// cancels them. Close it before the Hub, so that what it says still goes out.
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
	left, listFailed, reason := f.attempts(f.ctx, job, time.Now(), nil)
	if len(left) > 0 {
		f.failed(job.Channel, len(left), reason)
	}
	f.giveUp(job, left, listFailed, nil)
}

// runStored works on user's stored job (first: what the commit answered, for when the
// job cannot be read), until it is done or given up, or this process stops holding it.
func (f *Forgetter) runStored(ctx context.Context, user string, first *Forgotten) {
	jobs := f.cfg.Jobs
	fromMemory := false
	lctx, cancel := context.WithTimeout(ctx, f.retry.Timeout)
	sj, ok, err := jobs.Load(lctx, user)
	cancel()
	switch {
	case err != nil && first == nil:
		f.cfg.Logger.Warn("erase: job not read; left to the next claim", "error", err.Error())
		return
	case err != nil: // work from the commit's answer; the job is read again at the end
		f.cfg.Logger.Warn("erase: job not read; working from memory", "error", err.Error())
		sj = StoredJob{Forgotten: *first, At: time.Now()}
		sj.IDs = merge(nil, first.IDs) // an id kept twice (a reply resent) is deleted once
		fromMemory = true
	case !ok:
		return // done already (by another process)
	}
	sj.User = user
	left, listFailed, reason := f.attempts(ctx, sj.Forgotten, sj.At, func(deleted []string) {
		names := make([]string, 0, len(deleted))
		for _, id := range deleted {
			names = append(names, sj.Names[id]...)
		}
		if len(names) == 0 {
			return
		}
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.retry.Timeout)
		defer cancel()
		if err := jobs.Deleted(dctx, user, names); err != nil {
			f.cfg.Logger.Warn("erase: deleted copies not struck off the job", "error", err.Error())
		}
	})
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.retry.Timeout)
	defer cancel()
	if f.stopped() && (len(left) > 0 || listFailed) {
		// stopping (a deploy): not given up, only left to the next claim (the lease
		// ends only if this process still holds it)
		if err := jobs.Release(bg, user); err != nil {
			f.cfg.Logger.Warn("erase: job not released; claimed when its lease runs out", "error", err.Error())
		}
		return
	}
	if ctx.Err() != nil {
		return // the lease is lost: whoever has the job now finishes it
	}
	if len(left) > 0 {
		f.failed(sj.Channel, len(left), reason)
	}
	f.giveUp(sj.Forgotten, left, listFailed, func() {
		err := f.persist(bg, func(ctx context.Context) error {
			if fromMemory {
				// the names the ids worked on are stored under, to strike them off: a
				// later erase's ids, if any, stay
				stored, ok, err := jobs.Load(ctx, user)
				if err != nil {
					return err
				}
				sj.Names, fromMemory = map[string][]string{}, false
				if ok { // else it is gone: only her entry in the index may be left
					sj.At = stored.At
					for _, id := range first.IDs {
						sj.Names[id] = stored.Names[id]
					}
				}
			}
			names := make([]string, 0, len(sj.Names))
			for _, n := range sj.Names {
				names = append(names, n...)
			}
			return jobs.Done(ctx, user, names, sj.At)
		})
		if err != nil {
			f.cfg.Logger.Warn("erase: finished job not removed; claimed again when its lease runs out", "error", err.Error())
		}
	})
}

// persist runs op, a step of a job's bookkeeping in Redis, again after each error
// (100 ms, then twice as long each time, at most a second apart) until it succeeds,
// ctx ends or the Forgetter is cut short: a Redis that pauses for a moment must not
// leave a finished job to be claimed, and its deletions redone, half a minute later.
// It returns the last error.
func (f *Forgetter) persist(ctx context.Context, op func(context.Context) error) error {
	wait := 100 * time.Millisecond
	for {
		err := op(ctx)
		if err == nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		case <-f.ctx.Done():
			t.Stop()
			return err
		}
		wait = min(2*wait, time.Second)
	}
}

// attempts deletes job's copies (and, where the platform lists a chat's messages,
// every message listed), retrying until all are deleted or the retries run out (the
// time counted from start); each attempt's deletions are passed to deleted (nil:
// none). It returns the ids not deleted, whether the list could not be had whole (it
// is counted), and the reason of the last failure.
func (f *Forgetter) attempts(ctx context.Context, job Forgotten, start time.Time, deleted func([]string)) (left []string, listFailed bool, reason string) {
	d, ok := f.cfg.Hub.Copies(job.Channel)
	if !ok {
		return job.IDs, false, "no_deleter"
	}
	lister, _ := d.(CopyLister)
	listed := lister == nil
	left = slices.Clone(job.IDs)
	var err error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, f.retry.Timeout)
		err = nil
		progressed := false
		if !listed {
			ids, complete, lerr := lister.ListCopies(actx, job.Address)
			switch {
			case lerr == nil:
				listed, listFailed = true, !complete
				left = merge(left, ids)
				if !complete {
					f.cfg.Events.EffectFailed(EffectEraseList)
					f.cfg.Logger.Warn("erase: the chat has more messages at the platform than are listed", "channel", job.Channel)
				}
			case IsRetryable(lerr):
				err = lerr // listed again at the next attempt
			default:
				listed, listFailed = true, true
				f.listFailed(job.Channel, lerr)
			}
		}
		if len(left) > 0 { // what is known is deleted whether the list came or not
			rest, derr := d.DeleteCopies(actx, job.Address, left)
			f.note(left, rest, deleted)
			progressed = len(rest) < len(left)
			left = rest
			if len(left) > 0 {
				if derr == nil {
					derr = Permanent("not_deleted", errors.New("platform kept some messages"))
				}
				if err == nil || !IsRetryable(derr) {
					err = derr
				}
			}
		}
		cancel()
		if listed && len(left) == 0 {
			return nil, listFailed, ""
		}
		if ctx.Err() != nil || f.stopped() || !IsRetryable(err) {
			break
		}
		if progressed && time.Since(start) < f.retry.MaxElapsed {
			// a long chat cut by the attempt's timeout (or a platform that took part of
			// it): no attempt counted, and no wait unless the platform asked for one
			attempt--
			if _, throttled := RetryAfter(err); !throttled {
				continue
			}
		}
		if f.retry.MaxAttempts > 0 && attempt >= f.retry.MaxAttempts {
			break
		}
		wait, ok := RetryAfter(err)
		if !ok {
			wait = f.retry.backoff(attempt)
		}
		if time.Since(start)+wait > f.retry.MaxElapsed || !f.sleep(ctx, wait) {
			break
		}
	}
	if !listed {
		listFailed = true
		if ctx.Err() == nil && !f.stopped() {
			f.listFailed(job.Channel, err)
		}
	}
	return left, listFailed, Reason(err)
}

// listFailed counts a chat whose messages could not be listed, and logs it.
func (f *Forgetter) listFailed(channel string, err error) {
	f.cfg.Events.EffectFailed(EffectEraseList)
	f.cfg.Logger.Warn("erase: the chat's messages could not be listed at the platform", "channel", channel, "reason", Reason(err))
}

// note counts the copies one attempt deleted (those of tried not in rest) and hands
// them to deleted.
func (f *Forgetter) note(tried, rest []string, deleted func([]string)) {
	if len(tried) == len(rest) {
		return
	}
	var gone []string
	for _, id := range tried {
		if !slices.Contains(rest, id) {
			gone = append(gone, id)
			f.cfg.Events.Event(EventCopyDeleted)
		}
	}
	if deleted != nil {
		deleted(gone)
	}
}

// merge appends to ids those of more it does not hold.
func merge(ids, more []string) []string {
	seen := make(map[string]bool, len(ids)+len(more))
	for _, id := range ids {
		seen[id] = true
	}
	for _, id := range more {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// giveUp ends a job: when some copies remain (or the chat's messages could not all be
// listed) the person is told, in her language; then done runs (nil: nothing).
func (f *Forgetter) giveUp(job Forgotten, left []string, listFailed bool, done func()) {
	if (len(left) > 0 || listFailed) && f.ctx.Err() == nil && f.cfg.Texts != nil {
		if text := f.cfg.Texts.Text(job.Lang, flows.KeyEraseFailed+job.Channel, nil); text != "" {
			if err := f.cfg.Hub.Send(Outbound{Channel: job.Channel, Address: job.Address, Text: text}); err != nil {
				f.cfg.Logger.Warn("erase: could not say which copies remain", "channel", job.Channel)
			}
		}
	}
	if done != nil {
		done()
	}
}

// failed counts n copies that could not be deleted, and logs it without content.
func (f *Forgetter) failed(channel string, n int, reason string) {
	for range n {
		f.cfg.Events.EffectFailed(EffectEraseCopies)
	}
	f.cfg.Logger.Warn("erase: platform copies not deleted", "channel", channel, "count", n, "reason", reason)
}

// stopped tells whether Close was called.
func (f *Forgetter) stopped() bool {
	select {
	case <-f.stop:
		return true
	default:
		return false
	}
}

// sleep waits d, or returns false when the Forgetter is stopped or ctx ends.
func (f *Forgetter) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-f.stop:
		return false
	case <-ctx.Done():
		return false
	}
}

// EventCopyDeleted counts a platform's copy of a message deleted after an erase.
const EventCopyDeleted = "copy_deleted"

// EffectEraseCopies names, among the failed effects, a platform's copy of a message
// that could not be deleted after an erase.
const EffectEraseCopies = "erase_copies"

// EffectEraseList names, among the failed effects, a chat whose messages could not all
// be listed at the platform after an erase (its list failed, or was longer than the
// bound): some of them may remain.
const EffectEraseList = "erase_list"
