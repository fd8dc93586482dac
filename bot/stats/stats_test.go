package stats_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// roundTrips counts what a client sends: single commands and pipelines.
type roundTrips struct {
	cmds, pipelines atomic.Int64
}

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "hello" && cmd.Name() != "client" {
			h.cmds.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			switch c.Name() {
			case "hello", "select", "client", "auth", "ping":
				continue // a new connection's set-up
			}
			h.pipelines.Add(1)
			break
		}
		return next(ctx, cmds)
	}
}

func lima(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, stats.Lima())
}

// TestFlushIsOnePipeline: counting costs no round trip; a flush sends everything
// counted since the last one in one pipeline, with the TTL; nothing to send costs
// nothing.
func TestFlushIsOnePipeline(t *testing.T) {
	c := storetest.Start(t)
	rt := &roundTrips{}
	c.AddHook(rt)
	ctx := context.Background()
	r := stats.New(c, stats.Options{})
	day1, day2 := lima(2026, 11, 30, 10), lima(2026, 12, 1, 0) // 00:00 in Lima is still 05:00 UTC
	var wg sync.WaitGroup
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				r.Conversation(day1, "ORG_lima-1", "telegram", "es")
				r.Event(day1, "emergency")
				r.Event(day2, "topic:violence")
				r.Event(day2, "search:health:found")
				r.Event(day2, "miss:home:none")
			}
		}()
	}
	wg.Wait()
	r.HandoffOpened(day1, "general")
	r.HandoffAnswered(day1, 7*time.Minute)
	r.HandoffEnded(day1, "closed", "referred")
	r.HandoffEnded(day1, "left", "")
	if n := rt.cmds.Load() + rt.pipelines.Load(); n != 0 {
		t.Fatalf("counting made %d round trips, want 0", n)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if p, n := rt.pipelines.Load(), rt.cmds.Load(); p != 1 || n != 0 {
		t.Fatalf("flush: %d pipelines and %d commands, want 1 pipeline", p, n)
	}
	if err := r.Flush(ctx); err != nil || rt.pipelines.Load() != 1 {
		t.Fatalf("an empty flush sent a pipeline (%v)", err)
	}
	got := c.HGetAll(ctx, "faro:stats:20261130").Val()
	want := map[string]string{
		"conv:ORG_lima-1:telegram:es": "1000", "ev:emergency": "1000", "handoff:requested": "1",
		"handoff:answered": "1", "handoff:wait:5to15": "1", "handoff:outcome:referred": "1", "handoff:outcome:left": "1",
	}
	if len(got) != len(want) {
		t.Errorf("day 1: %v, want %v", got, want)
	}
	for f, v := range want {
		if got[f] != v {
			t.Errorf("day 1 %s = %q, want %q", f, got[f], v)
		}
	}
	got = c.HGetAll(ctx, "faro:stats:20261201").Val()
	for _, f := range []string{"topic:violence", "search:health:found", "miss:home:none"} {
		if got[f] != "1000" {
			t.Errorf("day 2 %s = %q, want 1000", f, got[f])
		}
	}
	ttl := c.TTL(ctx, "faro:stats:20261130").Val()
	if ttl < 399*24*time.Hour || ttl > 400*24*time.Hour {
		t.Errorf("TTL %v, want 400 days", ttl)
	}
	// Counts add up over flushes.
	r.Event(day1, "emergency")
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if v := c.HGet(ctx, "faro:stats:20261130", "ev:emergency").Val(); v != "1001" {
		t.Errorf("after a second flush: %s, want 1001", v)
	}
}

// TestRunFlushesEveryIntervalAndAtTheEnd: Run sends one pipeline per interval with
// counts, none without, and the last counts when it stops.
func TestRunFlushesEveryIntervalAndAtTheEnd(t *testing.T) {
	c := storetest.Start(t)
	rt := &roundTrips{}
	c.AddHook(rt)
	// an interval (and a flush's time limit) long enough for a loaded machine running
	// the race detector: a flush that runs out of time is sent again, rightly
	r := stats.New(c, stats.Options{Interval: 300 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	now := time.Now()
	for i := 0; i < 50; i++ {
		r.Event(now, "crisis")
	}
	for deadline := time.Now().Add(3 * time.Second); rt.pipelines.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(900 * time.Millisecond) // more ticks, with nothing to send
	if p := rt.pipelines.Load(); p != 1 {
		t.Errorf("%d pipelines after several intervals with 50 counts in the first, want 1", p)
	}
	r.Event(now, "crisis") // counted just before the shutdown
	cancel()
	<-done
	if rt.cmds.Load() != 0 || rt.pipelines.Load() != 2 {
		t.Errorf("%d single commands and %d pipelines, want the last flush only", rt.cmds.Load(), rt.pipelines.Load())
	}
	if v := c.HGet(context.Background(), r.Key(r.Day(now)), "ev:crisis").Val(); v != "51" {
		t.Errorf("after Run stopped: %s, want 51", v)
	}
}

// TestFlushFailureKeepsCounts: with Redis away, the counts wait for the next flush.
func TestFlushFailureKeepsCounts(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer dead.Close()
	r := stats.New(dead, stats.Options{})
	now := lima(2026, 11, 30, 12)
	r.Event(now, "emergency")
	r.Event(now, "crisis")
	if err := r.Flush(context.Background()); err == nil {
		t.Fatal("flush to a dead redis: no error")
	}
	if n := r.Pending(); n != 2 {
		t.Errorf("%d counts kept after a failed flush, want 2", n)
	}
}

// TestFieldsAreFlowDataOnly: whatever comes in, a field is made of short words of
// letters, digits, "_", "-" and "."; an unknown organization is "other".
func TestFieldsAreFlowDataOnly(t *testing.T) {
	c := storetest.Start(t)
	r := stats.New(c, stats.Options{KnownOrg: func(code string) bool { return code == "ORG1" }})
	now := lima(2026, 11, 30, 12)
	r.Conversation(now, "ORG1", "whatsapp", "es")
	r.Conversation(now, "maria_perez_987654321", "whatsapp", "es")
	r.Conversation(now, "", "telegram", "en")
	r.Event(now, "miss:home:+51 987 654 321")
	r.Event(now, "weird name")
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := c.HGetAll(context.Background(), "faro:stats:20261130").Val()
	for _, f := range []string{"conv:ORG1:whatsapp:es", "conv:other:whatsapp:es", "conv:-:telegram:en", "miss:home:other", "ev:other"} {
		if got[f] != "1" {
			t.Errorf("%s = %q in %v", f, got[f], got)
		}
	}
	for f := range got {
		if strings.Contains(f, "987654321") || strings.Contains(f, " ") {
			t.Errorf("field %q", f)
		}
	}
}

// TestMadeUpCodesAreBounded: without the organizations' list, a replica keeps at
// most MaxOrgs codes a day; the rest are "other".
func TestMadeUpCodesAreBounded(t *testing.T) {
	c := storetest.Start(t)
	r := stats.New(c, stats.Options{MaxOrgs: 3})
	now := lima(2026, 11, 30, 12)
	for _, code := range []string{"A", "B", "C", "D", "E", "A"} {
		r.Conversation(now, code, "telegram", "es")
	}
	r.Conversation(now.Add(24*time.Hour), "E", "telegram", "es") // a new day, a new count of codes
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := c.HGetAll(context.Background(), "faro:stats:20261130").Val()
	if got["conv:A:telegram:es"] != "2" || got["conv:other:telegram:es"] != "2" || len(got) != 4 {
		t.Errorf("day 1: %v", got)
	}
	if v := c.HGet(context.Background(), "faro:stats:20261201", "conv:E:telegram:es").Val(); v != "1" {
		t.Errorf("day 2: E = %q", v)
	}
}

// The Recorder is what the conversation and the ticket store count with.
var (
	_ bot.Stats     = (*stats.Recorder)(nil)
	_ handoff.Stats = (*stats.Recorder)(nil)
)

// TestWaitBuckets: the limits of the waiting-time buckets.
func TestWaitBuckets(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "lt5", 4*time.Minute + 59*time.Second: "lt5", 5 * time.Minute: "5to15",
		15 * time.Minute: "15to60", 59 * time.Minute: "15to60", time.Hour: "gt60", 30 * time.Hour: "gt60",
	} {
		if got := stats.WaitBucket(d); got != want {
			t.Errorf("%v: %s, want %s", d, got, want)
		}
	}
}

// TestFlushThroughTheBatchedWriter: with the process's batched writer, a flush is one
// op of its next pipeline, shared with whatever else goes (a session's commit here);
// only the statistics' own commands decide what is kept for the next flush.
func TestFlushThroughTheBatchedWriter(t *testing.T) {
	c := storetest.Start(t)
	rt := &roundTrips{}
	c.AddHook(rt)
	b := store.NewBatcher(c, 0, 0)
	r := stats.New(c, stats.Options{Batcher: b})
	now := lima(2026, 11, 30, 12)
	for i := 0; i < 20; i++ {
		r.Conversation(now, "", "telegram", "es")
	}
	// Hold the writer with a first op, so that the next pipeline carries both the
	// statistics and another caller's failing command.
	release, held := make(chan struct{}), make(chan struct{})
	b.Submit(store.Op{Add: func(ctx context.Context, p redis.Pipeliner) bool { close(held); <-release; return false }})
	<-held // the writer is busy with that first (empty) pipeline: what follows waits for the next
	b.Submit(store.Op{Add: func(ctx context.Context, p redis.Pipeliner) bool {
		p.Do(ctx, "NOSUCHCOMMAND") // another caller's error
		return true
	}})
	errc := make(chan error, 1)
	go func() { errc <- r.Flush(context.Background()) }()
	// the flush took the counts; its op is queued right after (nothing blocks between)
	for deadline := time.Now().Add(5 * time.Second); r.Pending() != 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	if err := <-errc; err != nil {
		t.Fatalf("flush: %v", err)
	}
	if p, n := rt.pipelines.Load(), rt.cmds.Load(); p != 1 || n != 0 {
		t.Errorf("%d pipelines and %d commands, want one shared pipeline", p, n)
	}
	if v := c.HGet(context.Background(), "faro:stats:20261130", "conv:-:telegram:es").Val(); v != "20" || r.Pending() != 0 {
		t.Errorf("count %q, %d pending; want 20 and none (another caller's error is not ours)", v, r.Pending())
	}
}

// heldPipelines holds each pipeline until release is closed, after telling started.
type heldPipelines struct {
	roundTrips
	started chan struct{}
	release chan struct{}
}

func (h *heldPipelines) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	counted := h.roundTrips.ProcessPipelineHook(next)
	return func(ctx context.Context, cmds []redis.Cmder) error {
		select {
		case h.started <- struct{}{}:
		default:
		}
		<-h.release
		return counted(ctx, cmds)
	}
}

// TestRunStoppedDuringAFlush: a shutdown that comes while a flush is on its way lets
// it finish: the counts are sent once, and no warning says they were not.
func TestRunStoppedDuringAFlush(t *testing.T) {
	c := storetest.Start(t)
	h := &heldPipelines{started: make(chan struct{}, 1), release: make(chan struct{})}
	c.AddHook(h)
	var logs bytes.Buffer
	r := stats.New(c, stats.Options{Interval: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	now := time.Now()
	r.Event(now, "crisis")
	go func() { r.Run(ctx); close(done) }()
	select {
	case <-h.started:
	case <-time.After(5 * time.Second):
		t.Fatal("no flush started")
	}
	cancel() // while the flush waits to be sent
	time.Sleep(20 * time.Millisecond)
	close(h.release)
	<-done
	if p := h.pipelines.Load(); p != 1 {
		t.Errorf("%d pipelines, want 1: the flush cut short was sent again", p)
	}
	if logs.Len() > 0 {
		t.Errorf("warned at a clean stop: %s", logs.String())
	}
	if v := c.HGet(context.Background(), r.Key(r.Day(now)), "ev:crisis").Val(); v != "1" {
		t.Errorf("after Run stopped: %s, want 1", v)
	}
}
