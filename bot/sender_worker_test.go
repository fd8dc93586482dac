package bot

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// goroutineOf is a Deliverer that notes the goroutine each message was delivered on.
type goroutineOf struct {
	mu sync.Mutex
	on map[string]string // text -> goroutine id
}

func (g *goroutineOf) Deliver(_ context.Context, m Outbound) error {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := bytes.Cut(bytes.TrimPrefix(buf, []byte("goroutine ")), []byte(" "))
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.on == nil {
		g.on = map[string]string{}
	}
	g.on[m.Text] = string(id)
	return nil
}

func (g *goroutineOf) get(text string) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, ok := g.on[text]
	return id, ok
}

// workerWaiting reports whether a sender's worker is blocked waiting for a chat.
func workerWaiting() bool {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte("[select")) && bytes.Contains(g, []byte("(*Sender).worker(")) {
			return true
		}
	}
	return false
}

// TestSenderReusesAWorker: the reply of a chat that writes after another's was
// delivered goes out on the goroutine that delivered the first (whose stack has grown
// already), not on a new one.
func TestSenderReusesAWorker(t *testing.T) {
	d := &goroutineOf{}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d})
	defer s.Close(context.Background())
	_ = s.Enqueue(msg("A", "first"))
	channelWait(t, func() bool { _, ok := d.get("first"); return ok && s.Queued() == 0 })
	channelWait(t, workerWaiting) // counted idle a moment before it waits: wait for that
	_ = s.Enqueue(msg("B", "second"))
	channelWait(t, func() bool { _, ok := d.get("second"); return ok })
	first, _ := d.get("first")
	second, _ := d.get("second")
	if first != second {
		t.Errorf("delivered on goroutines %s then %s: no worker was reused", first, second)
	}
}

// TestSenderIdleWorkersBounded: after a burst of many chats at once, at most
// maxIdleWorkers goroutines wait for more, and none once the sender is closed.
func TestSenderIdleWorkersBounded(t *testing.T) {
	const chats = 500
	d := &scripted{delay: 5 * time.Millisecond}
	s := NewSender(SenderConfig{Channel: "test", Deliverer: d})
	before := runtime.NumGoroutine()
	for i := range chats {
		_ = s.Enqueue(msg(fmt.Sprint("chat", i), "hola"))
	}
	channelWait(t, func() bool { return s.Queued() == 0 })
	channelWait(t, func() bool { return runtime.NumGoroutine()-before <= maxIdleWorkers })
	if n := s.idleWorkers.Load(); n > maxIdleWorkers || n == 0 {
		t.Errorf("%d idle workers after %d chats, want 1 to %d", n, chats, maxIdleWorkers)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	channelWait(t, func() bool { return s.idleWorkers.Load() == 0 && runtime.NumGoroutine() <= before })
}
