package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/outbox"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// TestOrphanedOutboxClaimedOnce: a replica dies with replies queued (a Kubernetes pod
// replaced under a new name never resumes its own outbox). Once its heartbeat is gone
// for the grace time, the other replicas claim its items: all of them, exactly once
// between two claimers racing, sealed as before, and a live replica's outbox is left
// alone.
func TestOrphanedOutboxClaimedOnce(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	dead, err := outbox.New(c, secret, "pod-a", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []bot.Outbound
	for i := range 20 {
		msgs = append(msgs, bot.Outbound{Channel: bot.ChannelTelegram, Address: "4242", Text: fmt.Sprintf("respuesta %02d", i)})
	}
	if _, err := dead.Put(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	dead.Close()
	alive, err := outbox.New(c, secret, "pod-live", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer alive.Close()
	if _, err := alive.Put(ctx, msgs[:1]); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go alive.Run(runCtx, func([]bot.Stored) {}) // pod-live beats
	deadline := time.Now().Add(5 * time.Second)
	for len(c.Keys(ctx, "faro:outbox:*:alive").Val()) == 0 { // its first beat landed
		if time.Now().After(deadline) {
			t.Fatal("the live pod never beat")
		}
		time.Sleep(5 * time.Millisecond)
	}

	b, _ := outbox.New(c, secret, "pod-b", time.Hour, nil)
	d, _ := outbox.New(c, secret, "pod-c", time.Hour, nil)
	defer b.Close()
	defer d.Close()
	// within the grace time nothing is claimed
	if got, err := b.Claim(ctx, time.Hour); err != nil || len(got) != 0 {
		t.Fatalf("claim within grace: %d items, %v", len(got), err)
	}
	var wg sync.WaitGroup
	results := make([][]bot.Stored, 2)
	for i, st := range []*outbox.Store{b, d} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := st.Claim(ctx, 0)
			if err != nil {
				t.Error(err)
			}
			results[i] = got
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range results {
		for _, st := range r {
			if st.Msg.Address != "4242" {
				t.Errorf("claimed item %+v", st.Msg)
			}
			seen[st.Msg.Text]++
		}
	}
	if len(seen) != 20 {
		t.Fatalf("claimed %d distinct replies of 20 (the live pod's one must stay): %v", len(seen), seen)
	}
	for text, n := range seen {
		if n != 1 {
			t.Errorf("%q claimed %d times", text, n)
		}
	}
	// the claimer keeps them in its own outbox until they are sent
	winner := b
	if len(results[1]) > 0 {
		winner = d
	}
	pending, err := winner.Pending(ctx)
	if err != nil || len(pending) != 20 {
		t.Fatalf("claimer's outbox holds %d items (%v), want 20", len(pending), err)
	}
	if lp, _ := alive.Pending(ctx); len(lp) != 1 {
		t.Errorf("the live pod's outbox holds %d items, want its 1", len(lp))
	}
}
