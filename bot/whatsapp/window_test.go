package whatsapp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/internal/redistest"
)

func TestRedisWindow(t *testing.T) {
	rdb := redistest.Start(t)
	ctx := context.Background()
	key := func(addr string) string { return "faro:test:{" + Sign("k", addr, nil)[:12] + "}:w" }
	a := NewRedisWindow(rdb, key)
	b := NewRedisWindow(rdb, key) // another replica
	now := time.Now().Truncate(time.Second)
	if _, ok, err := b.Last(ctx, "+51900000001"); ok || err != nil {
		t.Fatalf("unknown user: ok=%v err=%v", ok, err)
	}
	if err := a.Touch(ctx, "+51900000001", now); err != nil {
		t.Fatal(err)
	}
	got, ok, err := b.Last(ctx, "+51900000001")
	if err != nil || !ok || !got.Equal(now) {
		t.Fatalf("other replica sees %v %v %v, want %v", got, ok, err, now)
	}
	// Writes are limited to one per WriteEvery: the shared time may lag, never lead.
	if err := a.Touch(ctx, "+51900000001", now.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := b.Last(ctx, "+51900000001"); got.After(now.Add(10 * time.Second)) {
		t.Errorf("shared time %v ahead of the truth", got)
	}
	if got, _, _ := a.Last(ctx, "+51900000001"); !got.Equal(now.Add(10 * time.Second)) {
		t.Errorf("local replica sees %v", got)
	}
	ttl := rdb.TTL(ctx, key("+51900000001")).Val()
	if ttl <= Window || ttl > Window+time.Hour {
		t.Errorf("ttl %v, want a little over the window", ttl)
	}
	for _, k := range rdb.Keys(ctx, "*").Val() {
		if strings.Contains(k, "51900000001") {
			t.Errorf("key %q holds the number", k)
		}
	}
}
