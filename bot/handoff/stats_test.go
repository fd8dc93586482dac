package handoff_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
)

// statsLog records what the store counts.
type statsLog struct {
	mu      sync.Mutex
	opened  []string
	waits   []time.Duration
	endings []string
}

func (s *statsLog) HandoffOpened(_ time.Time, topic string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opened = append(s.opened, topic)
}

func (s *statsLog) HandoffAnswered(_ time.Time, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, wait)
}

func (s *statsLog) HandoffEnded(_ time.Time, state, outcome string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endings = append(s.endings, state+"/"+outcome)
}

// TestHandoffStatistics: a ticket counts once when opened (not again when its
// opening is replayed), once when first answered with how long she waited (not when
// released and taken again, nor transferred), and once when it ends.
func TestHandoffStatistics(t *testing.T) {
	log := &statsLog{}
	d := newDesk(t, handoff.Options{Stats: log})
	ctx := context.Background()
	user, id := d.open(t, "+51900000001", "general")
	d.open(t, "+51900000001", "general") // the same opening, replayed
	d.clock.add(12 * time.Minute)
	if err := d.store.Claim(ctx, user, id, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := d.store.Claim(ctx, user, id, "ana"); err != nil { // again: nothing new
		t.Fatal(err)
	}
	if err := d.store.Release(ctx, user, id, "ana"); err != nil {
		t.Fatal(err)
	}
	d.clock.add(time.Hour)
	if err := d.store.Claim(ctx, user, id, "luz"); err != nil {
		t.Fatal(err)
	}
	if err := d.store.Transfer(ctx, user, id, "luz", "ana"); err != nil {
		t.Fatal(err)
	}
	if err := d.store.Close(ctx, nil, user, id, "ana", "referred", nil); err != nil {
		t.Fatal(err)
	}
	if len(log.opened) != 1 || log.opened[0] != "general" {
		t.Errorf("opened: %v", log.opened)
	}
	if len(log.waits) != 1 || log.waits[0] != 12*time.Minute {
		t.Errorf("answered: %v, want one wait of 12 minutes", log.waits)
	}
	if len(log.endings) != 1 || log.endings[0] != "closed/referred" {
		t.Errorf("ended: %v", log.endings)
	}
	// Another ticket, which the person leaves without an answer.
	user2, id2 := d.open(t, "+51900000002", "violence")
	if err := d.store.Leave(ctx, bot.Ticket{ID: id2, User: user2}); err != nil {
		t.Fatal(err)
	}
	if len(log.opened) != 2 || len(log.waits) != 1 || log.endings[1] != "left/" {
		t.Errorf("opened %v, answered %v, ended %v", log.opened, log.waits, log.endings)
	}
}
