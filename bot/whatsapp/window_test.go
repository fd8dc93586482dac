package whatsapp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/redis/go-redis/v9"
)

func TestRedisWindow(t *testing.T) {
	rdb := storetest.Start(t)
	ctx := context.Background()
	key := func(addr string) string { return "faro:test:{" + Sign("k", addr, nil)[:12] + "}:w" }
	a := NewRedisWindow(rdb, key, nil)
	b := NewRedisWindow(rdb, key, nil) // another replica
	now := time.Now().Truncate(time.Second)
	if _, ok, err := b.Last(ctx, "+51900000001"); ok || err != nil {
		t.Fatalf("unknown user: ok=%v err=%v", ok, err)
	}
	if err := a.Touch(ctx, "+51900000001", "", now); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, ok, err := b.Last(ctx, "+51900000001")
	if err != nil || !ok || !got.Equal(now) {
		t.Fatalf("other replica sees %v %v %v, want %v", got, ok, err, now)
	}
	// Writes are limited to one per WriteEvery: the shared time may lag, never lead.
	if err := a.Touch(ctx, "+51900000001", "", now.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	_ = a.Flush(ctx)
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

// TestRedisWindowDoesNotWaitForRedis: with Redis gone, Touch returns at once, the
// local copy still opens the window, and the failed write is reported.
func TestRedisWindowDoesNotWaitForRedis(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	w := NewRedisWindow(rdb, func(addr string) string { return "faro:test:{x}:w" }, nil)
	failed := make(chan error, 1)
	w.OnError = func(err error) { failed <- err }
	ctx := context.Background()
	now := time.Now()
	if err := w.Touch(ctx, "+51900000002", "", now); err != nil {
		t.Fatalf("Touch with Redis down: %v", err)
	}
	if got, ok, err := w.Last(ctx, "+51900000002"); !ok || err != nil || !got.Equal(now) {
		t.Fatalf("Last = %v %v %v, want the local time", got, ok, err)
	}
	select {
	case err := <-failed:
		if strings.Contains(err.Error(), "51900000002") {
			t.Errorf("the error names the number: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the failed background write was not reported")
	}
}

// TestRedisWindowAfterErase: the local copies hold no number (they are kept under
// the key's name), and a replay of a message from before her erase (its id in the
// erase's tombstone) does not write the shared window again; a new message of hers
// does.
func TestRedisWindowAfterErase(t *testing.T) {
	rdb := storetest.Start(t)
	ctx := context.Background()
	const addr = "+51900000003"
	tag := "faro:test:{" + Sign("k", addr, nil)[:12] + "}:"
	w := NewRedisWindow(rdb, func(string) string { return tag + "w" }, nil)
	w.Erased = func(_, msgID string) (string, string) { return tag + "e", "hmac-" + msgID }
	now := time.Now().Truncate(time.Second)
	if err := w.Touch(ctx, addr, "SMold", now); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush(ctx)
	for _, m := range []*MemoryWindow{w.local, w.written} {
		for k := range m.last {
			if strings.Contains(k, "900000003") {
				t.Fatalf("the window keeps her number in memory: %q", k)
			}
		}
	}
	// her erase: the shared key goes with the erase's script, which leaves the tombstone
	rdb.Del(ctx, tag+"w")
	rdb.SAdd(ctx, tag+"e", "hmac-SMold")
	// Twilio (or anyone holding a signed request) replays the old message
	if err := w.Touch(ctx, addr, "SMold", now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush(ctx)
	if rdb.Exists(ctx, tag+"w").Val() != 0 {
		t.Fatal("a replay from before her erase wrote her window again")
	}
	// she writes again (past WriteEvery since the replay's touch)
	if err := w.Touch(ctx, addr, "SMnew", now.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush(ctx)
	if rdb.Exists(ctx, tag+"w").Val() != 1 {
		t.Fatal("her new message did not open the window")
	}
}

// TestRedisWindowDuringARotation: after a switch of the deployment's secret, a person
// who wrote before it and not since has her window under her previous name; with
// Previous set, a replica running on the new secret still finds it (an operator may
// answer her), and a person who never wrote is still outside it.
func TestRedisWindowDuringARotation(t *testing.T) {
	rdb := storetest.Start(t)
	ctx := context.Background()
	keyUnder := func(secret string) func(string) string {
		return func(addr string) string { return "faro:test:{" + Sign(secret, addr, nil)[:12] + "}:w" }
	}
	before := NewRedisWindow(rdb, keyUnder("old"), nil)
	now := time.Now().Truncate(time.Second)
	if err := before.Touch(ctx, "+51900000002", "", now); err != nil {
		t.Fatal(err)
	}
	if err := before.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	after := NewRedisWindow(rdb, keyUnder("new"), nil)
	if _, ok, _ := after.Last(ctx, "+51900000002"); ok {
		t.Fatal("the new name has a window it was never given")
	}
	after.Previous = keyUnder("old")
	if got, ok, err := after.Last(ctx, "+51900000002"); err != nil || !ok || !got.Equal(now) {
		t.Fatalf("during the rotation: %v %v %v; want her window from before the switch", got, ok, err)
	}
	if _, ok, _ := after.Last(ctx, "+51900000003"); ok {
		t.Error("a person who never wrote is inside the window")
	}
}
