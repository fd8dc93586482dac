// Package stats keeps the statistics organizations may read: per day, how many new
// conversations (by organization code, channel and language), which topics were
// opened, emergency and self-harm interrupts, handoffs (requested, answered, waiting
// times, outcomes), service searches by category and whether something was found, and
// what was not understood, by node and intent. Counts only: no person's key, address,
// chat id or words is ever beside a count, and a "new conversation" is decided from a
// field of the person's own session (flows.Session.Day), which is erased with her.
//
// Counting costs no Redis round trip per message: a Recorder adds up in memory and
// Flush sends everything in one pipeline of HINCRBY and EXPIRE, the batched writer's
// (store.Batcher) when it has one (Run flushes every Interval and once more when it
// stops). A crash loses the counts of the last
// seconds, never a message. Counts live in one hash per day, faro:stats:YYYYMMDD,
// kept for TTL (400 days by default).
//
// Every count leaves the server suppressed (Build): under 5 it is "<5", and a count
// that would let one be worked out from a total is hidden too ("*"); an audit plays
// the reader on each month (audit.go). Only closed, non-overlapping periods are
// published: ISO weeks inside reporting months of whole weeks (MonthOf), each month
// built on its own and shown once it has ended (Closed).
package stats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/store"
)

// Field names of the daily hash. Each part after the kind is flow data or a fixed
// word: an organization code, a channel, a language, a node, a category, an intent.
const (
	KindConversation = "conv"     // conv:<org|->:<channel>:<lang>
	KindEvent        = "ev"       // ev:<event> (emergency, crisis, safety_asked, handoff_offline, rating_good, ...)
	KindTopic        = "topic"    // topic:<node>
	KindSearch       = "search"   // search:<category>:found|none
	KindMiss         = "miss"     // miss:<node>:<intent|none>
	KindHandoff      = "handoff"  // handoff:requested, handoff:answered, handoff:wait:<bucket>, handoff:outcome:<outcome>
	KindFeedback     = "feedback" // feedback:<kind>: a report of the community (wrong_number, closed, other, suggest)
	KindHelped       = "helped"   // helped:yes|no: whether a list of services helped, in one tap
)

// NoOrg stands for conversations that came without an organization's code.
const NoOrg = "-"

// OtherOrg stands for a code that is not one of the organizations' (Options.KnownOrg).
const OtherOrg = "other"

// Waiting-time buckets of an answered handoff (claimed minus opened).
var WaitBuckets = []string{"lt5", "5to15", "15to60", "gt60"}

// Options tune a Recorder.
type Options struct {
	// Prefix of the keys (default store.Prefix): the hashes are Prefix+"stats:"+day.
	Prefix string
	// TTL of a day's counts (default 400 days).
	TTL time.Duration
	// Interval between flushes in Run (default 10 s).
	Interval time.Duration
	// Location decides the day a count belongs to (default America/Lima).
	Location *time.Location
	// KnownOrg tells whether a code is an organization's; others are counted as
	// OtherOrg (nil: any code of letters, digits, "_" and "-" is kept, up to MaxOrgs
	// a day).
	KnownOrg func(code string) bool
	// MaxOrgs bounds the different codes a replica counts in a day when KnownOrg is
	// nil (default 200): past it, a new code is OtherOrg, so that made-up codes in
	// deep links cannot grow the statistics without end.
	MaxOrgs int
	// Logger gets flush errors, never a person (default: discard).
	Logger *slog.Logger
	// Batcher is the process's batched writer (faro serve's): a flush rides on its
	// next pipeline, with the session commits (nil: a pipeline of the Recorder's own).
	Batcher *store.Batcher
}

// Recorder counts in memory and flushes to Redis. It implements bot.Stats and
// handoff.Stats, and is safe for concurrent use.
type Recorder struct {
	c redis.UniversalClient
	o Options

	mu      sync.Mutex
	pending map[dayField]int64
	dropped int64
	orgDay  string          // the day of orgs
	orgs    map[string]bool // the codes counted on orgDay (without KnownOrg)
}

type dayField struct{ day, field string }

// maxPending bounds the counts held while Redis cannot take them.
const maxPending = 100_000

// New returns a Recorder that writes to and reads from c. It contacts nothing until
// Flush or Load.
func New(c redis.UniversalClient, o Options) *Recorder {
	if o.Prefix == "" {
		o.Prefix = store.Prefix
	}
	if o.TTL <= 0 {
		o.TTL = 400 * 24 * time.Hour
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Second
	}
	if o.Location == nil {
		o.Location = Lima()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxOrgs <= 0 {
		o.MaxOrgs = 200
	}
	return &Recorder{c: c, o: o, pending: map[dayField]int64{}}
}

// Lima is America/Lima, or UTC-5 when the system has no time zone data.
func Lima() *time.Location {
	loc, err := time.LoadLocation("America/Lima")
	if err != nil {
		return time.FixedZone("PET", -5*3600)
	}
	return loc
}

// Location is the time zone of the days.
func (r *Recorder) Location() *time.Location { return r.o.Location }

// Day names the statistics day of t: YYYYMMDD in the Recorder's time zone.
func (r *Recorder) Day(t time.Time) string { return t.In(r.o.Location).Format("20060102") }

// Key is the hash of day (YYYYMMDD).
func (r *Recorder) Key(day string) string { return r.o.Prefix + "stats:" + day }

var partRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// part is s as a field part: flow data passes; anything else is "other".
func part(s string) string {
	if partRE.MatchString(s) {
		return s
	}
	return "other"
}

func (r *Recorder) add(t time.Time, field string, n int64) {
	k := dayField{r.Day(t), field}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.pending[k]; !ok && len(r.pending) >= maxPending {
		r.dropped += n
		return
	}
	r.pending[k] += n
}

// Conversation counts a new conversation (the first message of a person on the day
// of t) of an organization's code ("" none), on channel, in lang.
func (r *Recorder) Conversation(t time.Time, org, channel, lang string) {
	switch {
	case org == "":
		org = NoOrg
	case r.o.KnownOrg != nil && !r.o.KnownOrg(org):
		org = OtherOrg
	case r.o.KnownOrg != nil:
		org = part(org)
	default:
		org = r.boundedOrg(r.Day(t), part(org))
	}
	r.add(t, KindConversation+":"+org+":"+part(channel)+":"+part(lang), 1)
}

// boundedOrg is org, or OtherOrg once MaxOrgs other codes were counted on day.
func (r *Recorder) boundedOrg(day, org string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.orgDay != day {
		r.orgDay, r.orgs = day, map[string]bool{}
	}
	if !r.orgs[org] {
		if len(r.orgs) >= r.o.MaxOrgs {
			return OtherOrg
		}
		r.orgs[org] = true
	}
	return org
}

// Event counts an event of the flow (flows.EffectEvent): "topic:<node>",
// "search:<category>:found|none", "miss:<node>:<intent>", "feedback:<kind>" and
// "helped:yes|no" under their kind, any
// other name (emergency, crisis, ...) as "ev:<name>".
func (r *Recorder) Event(t time.Time, name string) {
	kind, rest, ok := strings.Cut(name, ":")
	if !ok {
		r.add(t, KindEvent+":"+part(name), 1)
		return
	}
	switch kind {
	case KindTopic, KindSearch, KindMiss, KindFeedback, KindHelped:
	default:
		kind = KindEvent + ":" + part(kind)
	}
	parts := strings.Split(rest, ":")
	for i, p := range parts {
		parts[i] = part(p)
	}
	r.add(t, kind+":"+strings.Join(parts, ":"), 1)
}

// HandoffOpened counts a ticket opened (a person asked for someone) at t.
func (r *Recorder) HandoffOpened(t time.Time, _ string) {
	r.add(t, KindHandoff+":requested", 1)
}

// HandoffAnswered counts a ticket taken by an operator for the first time at t,
// after waiting wait.
func (r *Recorder) HandoffAnswered(t time.Time, wait time.Duration) {
	r.add(t, KindHandoff+":answered", 1)
	r.add(t, KindHandoff+":wait:"+WaitBucket(wait), 1)
}

// HandoffEnded counts a ticket ended at t: closed by an operator with outcome, or
// left by the person (state "left").
func (r *Recorder) HandoffEnded(t time.Time, state, outcome string) {
	if state == "left" {
		outcome = "left"
	}
	if outcome == "" {
		outcome = "other"
	}
	r.add(t, KindHandoff+":outcome:"+part(outcome), 1)
}

// WaitBucket names the bucket of a waiting time: under 5 minutes, 5 to 15, 15 to 60,
// over 60.
func WaitBucket(d time.Duration) string {
	switch {
	case d < 5*time.Minute:
		return WaitBuckets[0]
	case d < 15*time.Minute:
		return WaitBuckets[1]
	case d < time.Hour:
		return WaitBuckets[2]
	}
	return WaitBuckets[3]
}

// Flush sends the counts added since the last flush: HINCRBY for each, and EXPIRE for
// each day's hash, in one pipeline: the batched writer's next one when the Recorder
// has one (Options.Batcher: no round trip of its own), else a pipeline of its own. It
// waits until they were sent or ctx ends. Counts whose command failed are kept for the
// next flush. Nothing to send costs nothing.
func (r *Recorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	batch := r.pending
	dropped := r.dropped
	if len(batch) == 0 {
		r.mu.Unlock()
		return nil
	}
	r.pending, r.dropped = map[dayField]int64{}, 0
	r.mu.Unlock()
	if dropped > 0 {
		r.o.Logger.Warn("statistics: counts dropped while redis was away", "counts", dropped)
	}
	if r.c == nil && r.o.Batcher == nil {
		r.restore(batch)
		return errors.New("stats: flush: no redis")
	}
	var keys []dayField
	var cmds []*redis.IntCmd
	add := func(ctx context.Context, p redis.Pipeliner) {
		days := map[string]bool{}
		for k, n := range batch {
			keys = append(keys, k)
			cmds = append(cmds, p.HIncrBy(ctx, r.Key(k.day), k.field, n))
			days[k.day] = true
		}
		for d := range days {
			p.Expire(ctx, r.Key(d), r.o.TTL)
		}
	}
	if r.o.Batcher == nil {
		_, _ = r.c.Pipelined(ctx, func(p redis.Pipeliner) error { add(ctx, p); return nil })
		return r.settle(batch, keys, cmds)
	}
	done := make(chan error, 1)
	r.o.Batcher.Submit(store.Op{
		Add:  func(ctx context.Context, p redis.Pipeliner) bool { add(ctx, p); return true },
		Done: func(context.Context, error) { done <- r.settle(batch, keys, cmds) },
	})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("stats: flush: %w", ctx.Err()) // settled when the pipeline returns
	}
}

// settle looks at each command of a flush: the counts of those that failed are kept
// for the next flush (the pipeline's other commands, a session's, may fail on their
// own: only ours count). A pipeline that never added them keeps them all.
func (r *Recorder) settle(batch map[dayField]int64, keys []dayField, cmds []*redis.IntCmd) error {
	if len(cmds) == 0 {
		r.restore(batch)
		return errors.New("stats: flush: not sent")
	}
	var first error
	failed := map[dayField]int64{}
	for i, c := range cmds {
		if err := c.Err(); err != nil {
			failed[keys[i]] = batch[keys[i]]
			if first == nil {
				first = err
			}
		}
	}
	if len(failed) > 0 {
		r.restore(failed)
		return fmt.Errorf("stats: flush: %d counts kept for the next flush: %w", len(failed), first)
	}
	return nil
}

// restore puts batch back for the next flush.
func (r *Recorder) restore(batch map[dayField]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, n := range batch {
		if _, ok := r.pending[k]; !ok && len(r.pending) >= maxPending {
			r.dropped += n
			continue
		}
		r.pending[k] += n
	}
}

// Run flushes every Interval until ctx ends, then once more (within 5 s), so that a
// clean shutdown loses nothing. A flush under way when ctx ends finishes first.
func (r *Recorder) Run(ctx context.Context) {
	tick := time.NewTicker(r.o.Interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if ctx.Err() != nil {
				continue // stopping: the last flush below sends everything
			}
			// a flush under way finishes even if ctx ends meanwhile: cut short, its
			// counts would be kept and sent again by the last flush
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), min(r.o.Interval, 5*time.Second))
			if err := r.Flush(fctx); err != nil {
				r.o.Logger.Warn("statistics not flushed; kept for the next flush", "error", err.Error())
			}
			cancel()
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := r.Flush(fctx); err != nil {
				r.o.Logger.Warn("statistics lost at shutdown", "error", err.Error())
			}
			cancel()
			return
		}
	}
}

// Load reads the counts of the days from from to to (inclusive, in the Recorder's
// time zone) in one pipeline.
func (r *Recorder) Load(ctx context.Context, from, to time.Time) (Data, error) {
	if r.c == nil {
		return nil, errors.New("stats: load: no redis")
	}
	days := Days(from, to, r.o.Location)
	if len(days) > 800 {
		return nil, fmt.Errorf("stats: load: %d days: at most 800", len(days))
	}
	cmds := make([]*redis.MapStringStringCmd, len(days))
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, d := range days {
			cmds[i] = p.HGetAll(ctx, r.Key(d.Format("20060102")))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats: load: %w", err)
	}
	data := make(Data, len(days))
	for i, d := range days {
		m := map[string]int64{}
		for f, v := range cmds[i].Val() {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				m[f] = n
			}
		}
		data[i] = DayCounts{Day: d, Counts: m}
	}
	return data, nil
}

// Data is the raw counts of consecutive days, as read. It never leaves the server:
// Build turns it into a suppressed Report.
type Data []DayCounts

// DayCounts are one day's counts by field.
type DayCounts struct {
	Day    time.Time // midnight, in the time zone of the days
	Counts map[string]int64
}

// Days lists the days from from to to, inclusive, as midnights in loc.
func Days(from, to time.Time, loc *time.Location) []time.Time {
	f, t := from.In(loc), to.In(loc)
	d := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	end := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	var out []time.Time
	for !d.After(end) && len(out) <= 800 {
		out = append(out, d)
		d = d.AddDate(0, 0, 1)
	}
	return out
}
