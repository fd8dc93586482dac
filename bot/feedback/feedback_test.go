package feedback_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/feedback"
	"github.com/faro-chat/faro/bot/store/storetest"
)

var secret = []byte("test-secret-0123456789abcdef")

// TestReportSealedNoPersonShortLived: a report is kept sealed (its words, its entry and
// its kind are nowhere in the clear), outside any person's keys, with a TTL of at most
// 7 days; the coordinators read it back newest first, its time to the hour; long words
// are cut; marking it handled works once it exists, and not for a made-up id.
func TestReportSealedNoPersonShortLived(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 21, 47, 12, 0, time.UTC)
	s, err := feedback.New(c, secret, feedback.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	words := "el número 987 654 321 sale apagado, soy Rosa"
	if err := s.Report(ctx, bot.FeedbackReport{Kind: "wrong_number", Entry: "mimp-cem-comisaria-caja-de-agua", Lang: "es", Text: words, At: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("á", 900)
	if err := s.Report(ctx, bot.FeedbackReport{Kind: "suggest", Lang: "es", Text: long, At: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.Report(ctx, bot.FeedbackReport{Kind: "Bad Kind!", Text: "x", At: now}); err == nil {
		t.Error("a kind that is not flow data was kept")
	}

	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 { // the index and two reports
		t.Fatalf("keys %v, want the index and two reports", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "faro:{feedback}:") {
			t.Errorf("key %q is not under faro:{feedback}: (a person's keys are faro:{<user>}:...)", k)
		}
		ttl, err := c.TTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= 0 || ttl > 7*24*time.Hour {
			t.Errorf("key %q has TTL %v, want more than 0 and at most 7 days", k, ttl)
		}
		dump, err := c.Dump(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, clear := range []string{"apagado", "Rosa", "987 654", "caja-de-agua", "wrong_number", "suggest", "áá"} {
			if strings.Contains(dump, clear) {
				t.Errorf("key %q holds %q in the clear", k, clear)
			}
		}
	}

	list, err := s.List(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("listed %d reports, want 2", len(list))
	}
	if list[0].Kind != "suggest" || list[1].Kind != "wrong_number" {
		t.Errorf("order %s, %s: want the newest first", list[0].Kind, list[1].Kind)
	}
	if got := len([]rune(list[0].Text)); got != feedback.MaxText {
		t.Errorf("a 900-character text kept as %d characters, want %d", got, feedback.MaxText)
	}
	r := list[1]
	if r.Text != words || r.Entry != "mimp-cem-comisaria-caja-de-agua" || r.Lang != "es" || r.Handled {
		t.Errorf("read back %+v", r)
	}
	if !r.At.Equal(time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)) {
		t.Errorf("time %v, want it to the hour (20:00)", r.At.UTC())
	}

	if err := s.MarkHandled(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkHandled(ctx, strings.Repeat("ab", 16)); !errors.Is(err, feedback.ErrNoReport) {
		t.Errorf("made-up id: %v, want ErrNoReport", err)
	}
	if err := s.MarkHandled(ctx, "../x"); !errors.Is(err, feedback.ErrNoReport) {
		t.Errorf("bad id: %v, want ErrNoReport", err)
	}
	list, _ = s.List(ctx, 10)
	if !list[1].Handled || list[0].Handled {
		t.Errorf("handled: %v, %v; want only the one marked", list[0].Handled, list[1].Handled)
	}

	// Another deployment's secret opens nothing.
	other, _ := feedback.New(c, []byte("another-secret-0123456789abcdef"), feedback.Options{})
	if l, err := other.List(ctx, 10); err != nil || len(l) != 0 {
		t.Errorf("another secret read %d reports (%v)", len(l), err)
	}
}

// TestExpiredLeaveTheIndex: a report gone (expired) is left out and dropped from the
// index; the index keeps no member older than the retention.
func TestExpiredLeaveTheIndex(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	s, err := feedback.New(c, secret, feedback.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Report(ctx, bot.FeedbackReport{Kind: "closed", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	keys, _ := c.Keys(ctx, "faro:{feedback}:r:*").Result()
	if err := c.Del(ctx, keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("listed %d (%v), want 1", len(list), err)
	}
	if n, _ := c.ZCard(ctx, "faro:{feedback}:index").Result(); n != 1 {
		t.Errorf("index holds %d, want 1", n)
	}
}
