package session_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// TestEraseLeavesOnlyATombstone: with the deployment's secret, an erase returns the
// platform's ids of the chat (hers from the commits, the bot's from KeepCopy, the
// confirmation's own) and leaves one key: the tombstone, which holds no message id,
// platform id or anything else in the clear, and expires with the dedupe window. Every
// message up to the erase, delivered again, is a duplicate and writes nothing.
func TestEraseLeavesOnlyATombstone(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	b := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{Secret: secret, DedupeTTL: 20 * time.Minute, Batcher: b})
	key := store.UserKey(secret, "telegram", "5150")
	k := store.KeysOf("", key)
	s := flows.Session{Lang: "es", Node: "home", Vars: map[string]string{"name": "Yuliana"}}
	var prev []byte
	for i, id := range []string{"update-81", "update-82", "update-83"} {
		res, err := st.Commit(ctx, key, session.Change{MsgID: id, Prev: prev, Next: s, Copy: "91827364" + string(rune('0'+i)), CopyKeep: 48 * time.Hour})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("commit %s: %+v %v", id, res, err)
		}
		prev = res.Saved
		st.KeepCopy(key, "81726354"+string(rune('0'+i)), 48*time.Hour, time.Now()) // the bot's reply
	}
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := c.ZCard(ctx, k.Copies()).Val(); n != 6 {
		t.Fatalf("%d platform ids kept, want 6 (3 of hers, 3 of the bot's)", n)
	}
	if ttl := c.TTL(ctx, k.Copies()).Val(); ttl <= 47*time.Hour || ttl > 48*time.Hour {
		t.Errorf("the platform ids expire in %v, want 48 h (what Telegram lets a bot delete)", ttl)
	}
	for _, m := range c.ZRange(ctx, k.Copies(), 0, -1).Val() {
		if strings.Contains(m, "91827364") || strings.Contains(m, "81726354") {
			t.Errorf("a platform id is kept in the clear: %q", m)
		}
	}

	// one the platform no longer lets a bot delete: kept (until her next commit prunes
	// it), but not handed on
	st.KeepCopy(key, "61524337", 48*time.Hour, time.Now().Add(-49*time.Hour))
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := st.Commit(ctx, key, session.Change{MsgID: "update-84", Prev: prev, Erase: true, Copy: "71625348", CopyKeep: 48 * time.Hour})
	if err != nil || res.Dup || res.Conflict || res.CopiesLost {
		t.Fatalf("erase: %+v %v", res, err)
	}
	slices.Sort(res.Copies)
	if want := []string{"71625348", "817263540", "817263541", "817263542", "918273640", "918273641", "918273642"}; !slices.Equal(res.Copies, want) {
		t.Errorf("erase returned the platform ids %v, want %v", res.Copies, want)
	}
	keys := c.Keys(ctx, "*"+key+"*").Val()
	if left := storetest.Left(ctx, c, keys); len(left) != 0 || !slices.Contains(keys, k.Tombstone()) {
		t.Fatalf("after the erase: %v; want the tombstone only", keys)
	}
	if ttl := c.TTL(ctx, k.Tombstone()).Val(); ttl <= 0 || ttl > 20*time.Minute {
		t.Errorf("tombstone TTL %v, want at most the dedupe window (20 min)", ttl)
	}
	for _, m := range c.SMembers(ctx, k.Tombstone()).Val() {
		for _, clear := range []string{"update", "Yuliana", "91827364", "81726354", "71625348", "61524337"} {
			if strings.Contains(m, clear) {
				t.Errorf("the tombstone holds %q in the clear: %q", clear, m)
			}
		}
	}

	for _, id := range []string{"update-81", "update-82", "update-83", "update-84"} {
		res, err := st.Commit(ctx, key, session.Change{MsgID: id, Next: flows.Session{Lang: "es", Node: "erase"}, Erase: id == "update-84", Copy: "399"})
		if err != nil || !res.Dup {
			t.Fatalf("%s delivered again after the erase = %+v, %v; want a duplicate", id, res, err)
		}
	}
	if keys := c.Keys(ctx, "*"+key+"*").Val(); len(storetest.Left(ctx, c, keys)) != 0 {
		t.Fatalf("replays brought keys back: %v", keys)
	}
	// A reply delivered after the erase is not kept: she has no session.
	st.KeepCopy(key, "499", 48*time.Hour, time.Now())
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if v := c.Get(ctx, k.Copies()).Val(); v != "erased" {
		t.Fatalf("a reply delivered after the erase was kept (%q under the ids' name)", v)
	}
	if ttl := c.TTL(ctx, k.Copies()).Val(); ttl <= 0 || ttl > 2*time.Hour {
		t.Errorf("what refuses a late reply's id lasts %v; want at most the 2 h a reply is retried", ttl)
	}

	// She writes again: a new conversation, which a second erase forgets too.
	res, err = st.Commit(ctx, key, session.Change{MsgID: "update-90", Next: s, Copy: "330"})
	if err != nil || res.Dup || res.Conflict {
		t.Fatalf("a new message after the erase: %+v %v", res, err)
	}
	res, err = st.Commit(ctx, key, session.Change{MsgID: "update-91", Prev: res.Saved, Erase: true})
	if err != nil || !slices.Equal(res.Copies, []string{"330"}) {
		t.Fatalf("second erase: %+v %v", res, err)
	}
	for _, id := range []string{"update-81", "update-90", "update-91"} {
		if res, _ := st.Commit(ctx, key, session.Change{MsgID: id, Next: s}); !res.Dup {
			t.Errorf("%s after the second erase: %+v, want a duplicate", id, res)
		}
	}
}

// TestCopiesBounded: the platform ids kept per person are bounded; the oldest go.
func TestCopiesBounded(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	b := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{MaxCopies: 5, Batcher: b})
	key := store.UserKey(secret, "whatsapp", "+51900000001")
	var prev []byte
	for i := range 8 {
		id := "SM" + string(rune('a'+i))
		res, err := st.Commit(ctx, key, session.Change{MsgID: id, Prev: prev, Next: flows.Session{Lang: "es"}, Copy: id})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("commit %d: %+v %v", i, res, err)
		}
		prev = res.Saved
	}
	if n := c.ZCard(ctx, store.KeysOf("", key).Copies()).Val(); n != 5 {
		t.Fatalf("%d platform ids kept, want 5", n)
	}
	for i := range 3 { // the bot's replies
		st.KeepCopy(key, "SMreply"+strconv.Itoa(i), 0, time.Now().Add(time.Duration(i+1)*time.Second))
	}
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	kept := c.ZRange(ctx, store.KeysOf("", key).Copies(), 0, -1).Val()
	if want := []string{"SMf", "SMg", "SMh", "SMreply0", "SMreply1", "SMreply2"}[1:]; !slices.Equal(kept, want) {
		t.Fatalf("kept %v, want the newest 5: %v", kept, want)
	}
}

// TestSlowEraseIsNotADuplicate: an erase whose answer comes later than the client
// waits is sent again by the client; the second run must know its own erase (the
// person is told her data was erased, and that some copies at the platform are not
// known any more), not report a duplicate or a conflict.
func TestSlowEraseIsNotADuplicate(t *testing.T) {
	ctx := context.Background()
	direct := storetest.Start(t)
	proxy := newSlowProxy(t, direct.Options().Addr, 300*time.Millisecond)
	opts := *direct.Options()
	opts.Addr = proxy.ln.Addr().String()
	opts.ReadTimeout = 100 * time.Millisecond
	opts.MaxRetries = 3
	opts.MinRetryBackoff, opts.MaxRetryBackoff = time.Millisecond, 5*time.Millisecond
	c := redis.NewClient(&opts)
	t.Cleanup(func() { _ = c.Close() })
	st := session.NewRedis(c, session.Options{Secret: secret})
	if err := st.LoadScript(ctx); err != nil {
		t.Fatal(err)
	}
	key := store.UserKey(secret, "telegram", "4343")
	res, err := st.Commit(ctx, key, session.Change{MsgID: "e1", Next: flows.Session{Lang: "es", Node: "erase"}, Copy: "7"})
	if err != nil || res.Conflict {
		t.Fatal(res, err)
	}
	proxy.slow.Store(true)
	sent := proxy.evals.Load()
	res, err = st.Commit(ctx, key, session.Change{MsgID: "e2", Prev: res.Saved, Erase: true})
	if n := proxy.evals.Load() - sent; n < 2 {
		t.Fatalf("the client sent the erase %d time(s): the fault was not reproduced (%+v, %v)", n, res, err)
	}
	if err != nil || res.Dup || res.Conflict || !res.CopiesLost {
		t.Fatalf("erase retried after a slow answer = %+v, %v; want erased, its platform ids lost", res, err)
	}
	if keys := direct.Keys(ctx, "*"+key+"*").Val(); len(storetest.Left(ctx, direct, keys)) != 0 || !slices.Contains(keys, store.KeysOf("", key).Tombstone()) {
		t.Fatalf("after the erase: %v; want the tombstone only", keys)
	}
	if res, _ := st.Commit(ctx, key, session.Change{MsgID: "e2", Next: flows.Session{Lang: "es"}}); !res.Dup {
		t.Fatalf("the platform's redelivery of the confirmation = %+v; want a duplicate", res)
	}
}
