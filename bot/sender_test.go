package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scripted is a Deliverer that fails each message's first attempts as scripted and
// records what it delivered.
type scripted struct {
	mu        sync.Mutex
	failures  map[string][]error // by text, consumed in order
	attempts  map[string]int
	delivered []Outbound
	delay     time.Duration
}

func (s *scripted) Deliver(ctx context.Context, m Outbound) error {
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attempts == nil {
		s.attempts = map[string]int{}
	}
	s.attempts[m.Text]++
	if q := s.failures[m.Text]; len(q) > 0 {
		s.failures[m.Text] = q[1:]
		return q[0]
	}
	s.delivered = append(s.delivered, m)
	return nil
}

func (s *scripted) texts(addr string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.delivered {
		if m.Address == addr {
			out = append(out, m.Text)
		}
	}
	return out
}

func fastRetry() RetryPolicy {
	return RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxAttempts: 5}
}

func msg(addr, text string) Outbound { return Outbound{Channel: "test", Address: addr, Text: text} }

func TestSenderRetriesInOrder(t *testing.T) {
	server := ClassifyHTTP(500, 0, 0, nil)
	d := &scripted{failures: map[string][]error{"a1": {server, server, Retryable("connection", errors.New("reset"))}}}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Retry: fastRetry()})
	if err := s.Enqueue(msg("A", "a1"), msg("A", "a2"), msg("B", "b1")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(d.texts("A")); got != "[a1 a2]" {
		t.Errorf("chat A got %s", got)
	}
	if d.attempts["a1"] != 4 || d.attempts["a2"] != 1 || d.attempts["b1"] != 1 {
		t.Errorf("attempts %v", d.attempts)
	}
	if err := s.Enqueue(msg("A", "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("enqueue after close: %v", err)
	}
}

func TestSenderGivesUp(t *testing.T) {
	server := ClassifyHTTP(503, 0, 0, nil)
	d := &scripted{failures: map[string][]error{
		"never":     {server, server, server, server, server, server},
		"rejected":  {ClassifyHTTP(400, 0, 0, nil)},
		"canceled?": {fmt.Errorf("x: %w", context.Canceled)},
	}}
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Retry: fastRetry(), Observer: obs})
	_ = s.Enqueue(msg("A", "never"), msg("A", "after"), msg("B", "rejected"), msg("C", "canceled?"))
	_ = s.Close(context.Background())
	if d.attempts["never"] != 5 || d.attempts["rejected"] != 1 || d.attempts["canceled?"] != 1 {
		t.Errorf("attempts %v", d.attempts)
	}
	if got := fmt.Sprint(d.texts("A")); got != "[after]" {
		t.Errorf("a failed message must not block the chat: %s", got)
	}
	// out of attempts (retryable: "expired"), and two final errors ("failed")
	if obs.get("expired") != 1 || obs.get("failed") != 2 || obs.get("delivered") != 1 {
		t.Errorf("outcomes %v", obs.m)
	}
}

func TestSenderMaxElapsed(t *testing.T) {
	d := &scripted{failures: map[string][]error{"x": {ClassifyHTTP(429, 0, time.Hour, nil)}}}
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Observer: obs, Retry: RetryPolicy{MaxElapsed: time.Millisecond}})
	_ = s.Enqueue(msg("A", "x"))
	start := time.Now()
	_ = s.Close(context.Background())
	if time.Since(start) > time.Second || d.attempts["x"] != 1 {
		t.Errorf("kept retrying past MaxElapsed: %v", d.attempts)
	}
	if obs.get("expired") != 1 {
		t.Errorf("a reply given up after MaxElapsed must be counted as expired: %v", obs.m)
	}
}

func TestSenderCloseDeadlineDrops(t *testing.T) {
	d := &scripted{failures: map[string][]error{"x": {ClassifyHTTP(429, 0, 10*time.Minute, nil)}}}
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Observer: obs})
	_ = s.Enqueue(msg("A", "x"), msg("A", "y"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := s.Close(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("close: %v", err)
	}
	if obs.get("dropped") != 2 || s.Queued() != 0 {
		t.Errorf("dropped %d, queued %d", obs.get("dropped"), s.Queued())
	}
}

func TestSenderDrainsInFlight(t *testing.T) {
	d := &scripted{delay: 20 * time.Millisecond}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d})
	for i := range 50 {
		_ = s.Enqueue(msg(fmt.Sprint(i%5), fmt.Sprint(i)))
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(d.delivered) != 50 {
		t.Errorf("delivered %d of 50", len(d.delivered))
	}
	for a := range 5 {
		got := d.texts(fmt.Sprint(a))
		for i := 1; i < len(got); i++ {
			var x, y int
			fmt.Sscan(got[i-1], &x)
			fmt.Sscan(got[i], &y)
			if y <= x {
				t.Errorf("chat %d out of order: %v", a, got)
			}
		}
	}
}

func TestSenderRenderAndSplit(t *testing.T) {
	d := &scripted{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, MaxLen: 12, Render: func(o Outbound) Outbound {
		o.Text, o.Buttons = NumberedText(o), nil
		return o
	}})
	m := msg("A", "Elige una opción")
	m.Buttons = []Button{{Label: "Sí"}, {Label: "No"}}
	_ = s.Enqueue(m)
	_ = s.Close(context.Background())
	if got := fmt.Sprintf("%q", d.texts("A")); got != `["Elige una" "opción" "1. Sí\n2. No"]` {
		t.Errorf("got %s", got)
	}
}

func TestPacingBucket(t *testing.T) {
	p := Pacing{Interval: time.Second, Burst: 3}
	q := &chatQueue{}
	now := time.Unix(1000, 0)
	var waits []time.Duration
	for range 5 {
		waits = append(waits, q.take(now, p))
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	// After a long pause the bucket is full again, not more.
	now = now.Add(time.Hour)
	for i := range 4 {
		w := q.take(now, p)
		if (i < 3) != (w == 0) {
			t.Errorf("after pause, take %d waited %v", i, w)
		}
	}
	if w := (&chatQueue{}).take(now, Pacing{}); w != 0 {
		t.Errorf("no pacing waited %v", w)
	}
}

func TestSenderFull(t *testing.T) {
	d := &scripted{delay: time.Second}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, MaxQueued: 2})
	_ = s.Enqueue(msg("A", "1"))
	if s.Full() {
		t.Error("full at 1 of 2")
	}
	_ = s.Enqueue(msg("A", "2"), msg("A", "3")) // never refused once handled
	if !s.Full() || s.Queued() != 3 {
		t.Errorf("full %v queued %d", s.Full(), s.Queued())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_ = s.Close(ctx)
}

type countingObserver struct {
	NopObserver
	mu sync.Mutex
	m  map[string]int
}

func (o *countingObserver) Delivered(_, outcome string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]int{}
	}
	o.m[outcome]++
}

func (o *countingObserver) get(k string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[k]
}

// switchable fails every delivery with 503 while down, and records the rest.
type switchable struct {
	scripted
	down     atomic.Bool
	failures atomic.Int64
}

func (d *switchable) Deliver(ctx context.Context, m Outbound) error {
	if d.down.Load() {
		d.failures.Add(1)
		return ClassifyHTTP(503, 0, 0, nil)
	}
	return d.scripted.Deliver(ctx, m)
}

// waitingInSender counts the goroutines that wait, asleep or in a select, with a
// frame of the Sender on their stack: a chat between attempts would be one (the old
// sender's were asleep), an idle worker is one. Those running, runnable or blocked on
// a lock are at work, not waiting.
func waitingInSender() int {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		head, _, _ := bytes.Cut(g, []byte("\n"))
		if bytes.Contains(g, []byte("bot.(*Sender).")) && (bytes.Contains(head, []byte("[sleep")) || bytes.Contains(head, []byte("[select"))) {
			n++
		}
	}
	return n
}

// TestSenderOutlastsOutage: a platform down for many times the backoff cap loses no
// reply (the old 12 attempts ran out in a fraction of it); while it is down the
// waiting chats hold no goroutine, and the log says so a few times, not at each retry.
func TestSenderOutlastsOutage(t *testing.T) {
	const chats = 300
	d := &switchable{}
	d.down.Store(true)
	var logs bytes.Buffer
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Observer: obs,
		Retry:  RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxElapsed: time.Minute},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for i := range chats {
		addr := fmt.Sprint("chat", i)
		if err := s.Enqueue(msg(addr, addr+"-1"), msg(addr, addr+"-2")); err != nil {
			t.Fatal(err)
		}
	}
	// down until each chat has failed about 20 times (the old sender gave up after
	// 12), sampling the goroutines that wait in the sender
	var counts []int
	for deadline := time.Now().Add(20 * time.Second); d.failures.Load() < 20*chats && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		counts = append(counts, waitingInSender())
	}
	slices.Sort(counts)
	median := counts[len(counts)/2]
	d.down.Store(false)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	attempts := d.failures.Load()
	t.Logf("failed attempts during the outage %d (%d per chat); goroutines during the outage: median %d, most %d, for %d chats; log %d lines",
		attempts, attempts/chats, median, counts[len(counts)-1], chats, strings.Count(logs.String(), "\n"))
	if attempts < 20*chats || len(counts) < 10 {
		t.Fatalf("the outage was too short to prove anything: %d failed attempts", attempts)
	}
	for i := range chats {
		addr := fmt.Sprint("chat", i)
		if got := fmt.Sprint(d.texts(addr)); got != fmt.Sprintf("[%s-1 %s-2]", addr, addr) {
			t.Fatalf("chat %d got %s after the outage", i, got)
		}
	}
	if obs.get("delivered") != 2*chats || len(obs.m) != 1 {
		t.Errorf("outcomes %v", obs.m)
	}
	// A waiting chat holds a timer, not a goroutine (the old sender held one each,
	// asleep: 300 here). What waits is the pool of idle workers (at most
	// maxIdleWorkers) and a few chats between attempts. Counted are the goroutines
	// waiting in the sender's code (waitingInSender): runtime.NumGoroutine also
	// counted the chats whose timer had fired and that waited for a CPU or a lock (a
	// busy clean-clone run measured 77, then 165, against 66 alone) and whatever else
	// the test binary ran.
	if bound := maxIdleWorkers + chats/8; median > bound {
		t.Errorf("%d goroutines (median) for %d chats waiting to retry, bound %d", median, chats, bound)
	}
	if n := strings.Count(logs.String(), "send retry"); n > 2 {
		t.Errorf("%d retry lines for %d retries: the log is not rate-limited", n, attempts)
	}
}

// TestSenderResumedKeepsItsAge: a reply resumed from the outbox is retried until
// MaxElapsed from when it was first queued, not from the restart.
func TestSenderResumedKeepsItsAge(t *testing.T) {
	d := &switchable{}
	d.down.Store(true)
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, Observer: obs,
		Retry: RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxElapsed: time.Hour}})
	_ = s.Resume([]Stored{
		{ID: "old", Msg: msg("A", "old"), Queued: time.Now().Add(-time.Hour + 50*time.Millisecond)},
		{ID: "new", Msg: msg("B", "new"), Queued: time.Now()},
	})
	time.Sleep(200 * time.Millisecond)
	d.down.Store(false)
	_ = s.Close(context.Background())
	if got := fmt.Sprint(d.texts("A"), d.texts("B")); got != "[] [new]" {
		t.Errorf("delivered %s", got)
	}
	if obs.get("expired") != 1 || obs.get("delivered") != 1 {
		t.Errorf("outcomes %v", obs.m)
	}
}

// TestSenderOutageMemory: what a reply waiting out an outage costs in memory (heap and
// goroutine stacks), with a reply of a typical length. Before, each waiting chat held
// a sleeping goroutine: about 14 KB a reply.
func TestSenderOutageMemory(t *testing.T) {
	const chats = 5000
	d := &switchable{}
	d.down.Store(true)
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d,
		Retry: RetryPolicy{BaseDelay: 4 * time.Second, MaxDelay: 4 * time.Second, MaxElapsed: time.Minute}})
	text := strings.Repeat("Si estás en peligro llama a la Línea 100. ", 6)
	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	for i := range chats {
		_ = s.Enqueue(msg(fmt.Sprint("+5198765", i), text))
	}
	// every reply failed once and waits 2-4 s to retry: measure while they wait
	channelWait(t, func() bool { return d.failures.Load() >= chats && runtime.NumGoroutine() < g0+chats/10 })
	runtime.GC()
	runtime.ReadMemStats(&during)
	per := (int64(during.HeapInuse+during.StackInuse) - int64(before.HeapInuse+before.StackInuse)) / chats
	t.Logf("%d replies waiting out an outage: %d bytes each (heap and stacks), %d goroutines", chats, per, runtime.NumGoroutine())
	if per > 3000 { // a sleeping goroutine per chat alone took it past 4 KB
		t.Errorf("a reply waiting out an outage costs %d bytes", per)
	}
	d.down.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func channelWait(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// TestSenderPacingHoldsBackOnlyItsChat: a chat waiting for its pacing token takes no
// delivery slot: with one (MaxInFlight 1), a second chat is not kept waiting behind
// it, and the paced chat's messages still go out in order, one per interval after its
// burst.
func TestSenderPacingHoldsBackOnlyItsChat(t *testing.T) {
	d := &scripted{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, MaxInFlight: 1,
		Pacing: Pacing{Interval: 100 * time.Millisecond, Burst: 1}})
	start := time.Now()
	_ = s.Enqueue(msg("A", "a1"), msg("A", "a2"), msg("A", "a3"))
	channelWait(t, func() bool { return len(d.texts("A")) == 1 })
	_ = s.Enqueue(msg("B", "b1"))
	channelWait(t, func() bool { return len(d.texts("B")) == 1 })
	if len(d.texts("A")) != 1 {
		t.Errorf("chat B waited for chat A's pacing: A got %v first", d.texts("A"))
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(d.texts("A")); got != "[a1 a2 a3]" {
		t.Errorf("chat A got %s", got)
	}
	if took := time.Since(start); took < 190*time.Millisecond {
		t.Errorf("three messages at one per 100 ms took %v", took)
	}
}

// TestSenderMaxInFlight: MaxInFlight bounds the deliveries under way at once, and the
// chats beyond it are delivered as slots come free.
func TestSenderMaxInFlight(t *testing.T) {
	var now, most atomic.Int64
	d := DelivererFunc(func(ctx context.Context, m Outbound) error {
		n := now.Add(1)
		for o := most.Load(); n > o && !most.CompareAndSwap(o, n); o = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		now.Add(-1)
		return nil
	})
	obs := &countingObserver{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d, MaxInFlight: 4, Observer: obs})
	for i := range 40 {
		_ = s.Enqueue(msg(fmt.Sprint(i), "x"))
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if obs.get("delivered") != 40 || most.Load() != 4 {
		t.Errorf("delivered %d, at most %d at once (want 40, 4)", obs.get("delivered"), most.Load())
	}
}
