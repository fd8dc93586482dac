package session_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
	"github.com/redis/go-redis/v9"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestKeyHidesTheAddress(t *testing.T) {
	k := store.UserKey(secret, "whatsapp", "+51987654321")
	if strings.Contains(k, "987654321") || len(k) != 32 {
		t.Fatalf("key %q: want 32 hex characters that do not contain the number", k)
	}
	if k == store.UserKey(secret, "telegram", "+51987654321") {
		t.Error("the same address on two channels must be two users")
	}
	if k == store.UserKey([]byte("another secret, another deploy!!"), "whatsapp", "+51987654321") {
		t.Error("another secret must give another key")
	}
	if k != store.UserKey(secret, "whatsapp", "+51987654321") {
		t.Error("the key must be stable")
	}
}

// storeTests run against any client: a real redis-server and the embedded one.
func storeTests(t *testing.T, c redis.UniversalClient) {
	ctx := context.Background()
	st := session.NewRedis(c, session.Options{TTL: time.Hour, DedupeTTL: 10 * time.Minute})
	key := store.UserKey(secret, "whatsapp", "+51999888777")
	want := flows.Session{Lang: "en", Node: "violence_menu", Stack: []string{"home"}, Vars: map[string]string{"name": "Ana", "place": "150132"}, Org: "redtrasex"}
	var saved []byte

	t.Run("a new user is saved", func(t *testing.T) {
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m1", Next: want})
		if err != nil || res.Dup || res.Conflict || len(res.Saved) == 0 {
			t.Fatalf("Commit of a new user = %+v, %v", res, err)
		}
		saved = res.Saved
	})
	t.Run("a change computed from a stale session is refused, with what is stored", func(t *testing.T) {
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m2", Next: flows.Session{Node: "home"}})
		if err != nil || !res.Conflict {
			t.Fatalf("Commit expecting no session = %+v, %v; want a conflict", res, err)
		}
		got := res.Current.Session
		if got.Lang != want.Lang || got.Node != want.Node || got.Vars["name"] != "Ana" || got.Stack[0] != "home" || got.Org != want.Org {
			t.Fatalf("current %+v, want %+v", got, want)
		}
		res, err = st.Commit(ctx, key, session.Change{MsgID: "m2", Prev: []byte(`{"n":"other"}`), Next: flows.Session{Node: "home"}})
		if err != nil || !res.Conflict || string(res.Current.Raw) != string(saved) {
			t.Fatalf("Commit from another session = %+v, %v; want a conflict with the stored one", res, err)
		}
	})
	t.Run("a change computed from the stored session is saved", func(t *testing.T) {
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m2", Prev: saved, Next: flows.Session{Lang: "es", Node: "home"}})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("Commit = %+v, %v", res, err)
		}
		saved = res.Saved
	})
	t.Run("duplicate message", func(t *testing.T) {
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m2", Prev: saved, Next: flows.Session{Node: "other"}})
		if err != nil || !res.Dup {
			t.Fatalf("a message id seen before must be a duplicate, got %+v, %v", res, err)
		}
		res, _ = st.Commit(ctx, key, session.Change{MsgID: "m1", Next: flows.Session{Node: "other"}})
		if !res.Dup {
			t.Fatal("a duplicate must be reported before any conflict")
		}
		other := store.UserKey(secret, "whatsapp", "+51111222333")
		if res, _ := st.Commit(ctx, other, session.Change{MsgID: "m2", Next: flows.Session{Node: "home"}}); res.Dup {
			t.Fatal("another user's message id must not be a duplicate")
		}
		if v, _ := c.Get(ctx, st.SessionKey(key)).Result(); v != string(saved) {
			t.Fatalf("a refused change was written: %q", v)
		}
	})
	t.Run("a conflict records nothing", func(t *testing.T) {
		if res, _ := st.Commit(ctx, key, session.Change{MsgID: "m3"}); !res.Conflict {
			t.Fatalf("want a conflict, got %+v", res)
		}
		if res, _ := st.Commit(ctx, key, session.Change{MsgID: "m3", Prev: saved}); res.Dup || res.Conflict {
			t.Fatalf("the message refused for a conflict must be accepted when retried, got %+v", res)
		}
	})
	t.Run("every key has a ttl", func(t *testing.T) {
		keys, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Fatal("no keys written")
		}
		for _, k := range keys {
			ttl, err := c.TTL(ctx, k).Result()
			if err != nil || ttl <= 0 {
				t.Errorf("key %s has ttl %v (err %v): every key must expire", k, ttl, err)
			}
			if strings.Contains(k, "999888777") {
				t.Errorf("key %s holds the phone number", k)
			}
		}
	})
	t.Run("no personal data in values besides the social name", func(t *testing.T) {
		v, _ := c.Get(ctx, st.SessionKey(key)).Result()
		if strings.Contains(v, "999888777") || strings.Contains(v, "whatsapp") {
			t.Errorf("session value %q holds the address or channel", v)
		}
	})
	t.Run("erase deletes every key of the user", func(t *testing.T) {
		cur, _ := c.Get(ctx, st.SessionKey(key)).Bytes()
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m4", Prev: cur, Erase: true})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("erase = %+v, %v", res, err)
		}
		keys, _ := c.Keys(ctx, "*"+key+"*").Result()
		if left := storetest.Left(ctx, c, keys); len(keys) == 0 || len(left) != 0 {
			t.Fatalf("after erase these keys remain: %v of %v; want the tombstone only", left, keys)
		}
		for _, id := range []string{"m1", "m2", "m3", "m4"} {
			if res, err := st.Commit(ctx, key, session.Change{MsgID: id, Next: flows.Session{Lang: "es"}}); err != nil || !res.Dup {
				t.Fatalf("message %s delivered again after the erase = %+v, %v; want a duplicate", id, res, err)
			}
		}
		if keys, _ := c.Keys(ctx, "*"+key+"*").Result(); len(storetest.Left(ctx, c, keys)) != 0 {
			t.Fatalf("replays after the erase brought keys back: %v", keys)
		}
		other := store.UserKey(secret, "whatsapp", "+51111222333")
		if res, _ := st.Commit(ctx, other, session.Change{MsgID: "x"}); !res.Conflict {
			t.Fatal("erasing one user must not erase another")
		}
	})
	t.Run("an unreadable session is a fresh start that the next write replaces", func(t *testing.T) {
		if err := c.Set(ctx, st.SessionKey(key), "not json", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		res, err := st.Commit(ctx, key, session.Change{MsgID: "m5"})
		if err != nil || !res.Conflict || res.Current.Session.Node != "" || res.Current.Raw == nil {
			t.Fatalf("got %+v, %v", res, err)
		}
		if res, err := st.Commit(ctx, key, session.Change{MsgID: "m5", Prev: res.Current.Raw, Next: flows.Session{Node: "home"}}); err != nil || res.Conflict {
			t.Fatalf("got %+v, %v", res, err)
		}
	})
}

func TestRedisStore(t *testing.T) {
	storeTests(t, storetest.Start(t))
}

func TestEmbeddedStore(t *testing.T) {
	c, closeRedis, err := store.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer closeRedis()
	storeTests(t, c)
}

func TestDeadRedisFailsFast(t *testing.T) {
	c, err := store.Dial("redis://127.0.0.1:1/0", "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := session.NewRedis(c, session.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := st.Commit(ctx, "k", session.Change{MsgID: "m"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Commit on a dead Redis returned no error")
		}
	case <-ctx.Done():
		t.Fatal("Commit on a dead Redis did not return within 2 s")
	}
}

func TestDialHidesPassword(t *testing.T) {
	_, err := store.Dial("redis://user:s3cret-pass@host:notaport/0", "")
	if err == nil {
		t.Fatal("want an error for a bad URL")
	}
	if strings.Contains(err.Error(), "s3cret-pass") {
		t.Fatalf("error %q shows the password", err)
	}
}

// TestCommitCommand: the command given to load generators is the one Commit sends: run
// as is, it saves a session that Commit then finds.
func TestCommitCommand(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	st := session.NewRedis(c, session.Options{})
	if err := st.LoadScript(ctx); err != nil {
		t.Fatal(err)
	}
	next := flows.Session{Lang: "es", Node: "home"}
	cmd, err := st.CommitCommand("k1", session.Change{MsgID: "m1", Next: next}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	args := make([]any, len(cmd))
	for i, a := range cmd {
		args[i] = a
	}
	v, err := c.Do(ctx, args...).Slice()
	if err != nil || len(v) != 1 || v[0] != int64(1) {
		t.Fatalf("%v = %v, %v; want [1] (saved)", cmd, v, err)
	}
	res, err := st.Commit(ctx, "k1", session.Change{MsgID: "m1", Next: next})
	if err != nil || !res.Dup {
		t.Fatalf("the command's message id was not recorded: %+v, %v", res, err)
	}
	res, _ = st.Commit(ctx, "k1", session.Change{MsgID: "m2", Next: next})
	if !res.Conflict || res.Current.Session.Node != "home" {
		t.Fatalf("the command's session was not saved: %+v", res)
	}
}

// TestDedupeRecordBounded: the record of message ids keeps the latest DedupeKeep of a
// person, however many she sends in the dedupe window, and every one of those is still
// a duplicate when delivered again (exactly once holds where a platform redelivers).
// Before, it kept every id for 48 hours: 2.6 KB after 50 messages, 15-21 KB past 128.
func TestDedupeRecordBounded(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	st := session.NewRedis(c, session.Options{Secret: secret})
	key := store.UserKey(secret, "telegram", "4242")
	var prev []byte
	const sent = 300
	for i := range sent {
		res, err := st.Commit(ctx, key, session.Change{MsgID: fmt.Sprint(1000000 + i), Prev: prev, Next: flows.Session{Lang: "es", Node: "home"}})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("message %d: %+v, %v", i, res, err)
		}
		prev = res.Saved
	}
	seen := st.SeenKey(key)
	n := c.ZCard(ctx, seen).Val()
	size := c.MemoryUsage(ctx, seen).Val()
	t.Logf("after %d messages: %d ids kept, %d bytes", sent, n, size)
	if n != 64 {
		t.Errorf("%d ids kept, want the latest 64", n)
	}
	if size > 4096 {
		t.Errorf("the dedupe record takes %d bytes", size)
	}
	for i := sent - 64; i < sent; i++ {
		res, err := st.Commit(ctx, key, session.Change{MsgID: fmt.Sprint(1000000 + i), Prev: prev, Next: flows.Session{Node: "other"}})
		if err != nil || !res.Dup {
			t.Fatalf("message %d of the latest 64 delivered again: %+v, %v; want a duplicate", i, res, err)
		}
	}
}
