package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// TestCarry: during a rotation, a session found only under the previous name is
// carried over (resealed, with the platform ids and the block, TTLs kept on every
// key) and the previous name's keys go; a session already under the new name wins
// and the leftover under the previous name goes; a session sealed under neither
// secret is a fresh start.
func TestCarry(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	a, b := []byte("carry-secret-A-0123456789abcdef"), []byte("carry-secret-B-fedcba9876543210")
	oldSt := session.NewRedis(c, session.Options{Secret: a})
	st := session.NewRedis(c, session.Options{Secret: b})
	if err := st.Previous(a); err != nil {
		t.Fatal(err)
	}
	oldKey, key := store.UserKey(a, "telegram", "42"), store.UserKey(b, "telegram", "42")
	s := flows.Session{Lang: "es", Node: "home", Vars: map[string]string{"name": "Yuli"}}
	if _, err := oldSt.Commit(ctx, oldKey, session.Change{MsgID: "1", Next: s, Copy: "501"}); err != nil {
		t.Fatal(err)
	}
	c.Set(ctx, store.KeysOf("", oldKey).Blocked(), "op", time.Hour)

	snap, carried, err := st.Carry(ctx, key, oldKey)
	if err != nil || !carried || snap.Session.Vars["name"] != "Yuli" {
		t.Fatalf("carry: %+v %v %v", snap.Session, carried, err)
	}
	nk, ok := store.KeysOf("", key), store.KeysOf("", oldKey)
	for _, k := range []string{nk.Session(), nk.Copies(), nk.Blocked()} {
		if ttl := c.TTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("%s: ttl %v", k, ttl)
		}
	}
	for _, k := range ok.All() {
		if c.Exists(ctx, k).Val() != 0 {
			t.Errorf("%s left under the previous name", k)
		}
	}
	// the carried session commits as the stored one (no conflict), and an erase hands
	// back the platform id kept under the previous secret
	res, err := st.Commit(ctx, key, session.Change{MsgID: "2", Prev: snap.Raw, Next: snap.Session})
	if err != nil || res.Conflict || res.Dup {
		t.Fatalf("commit after the carry: %+v %v", res, err)
	}
	res, err = st.Commit(ctx, key, session.Change{MsgID: "3", Prev: res.Saved, Erase: true})
	if err != nil || len(res.Copies) != 1 || res.Copies[0] != "501" {
		t.Fatalf("erase after the carry: %+v %v", res, err)
	}

	// both names hold a session: the new one wins, the old one goes
	if _, err := oldSt.Commit(ctx, oldKey, session.Change{MsgID: "4", Next: flows.Session{Lang: "en"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, key, session.Change{MsgID: "5", Next: flows.Session{Lang: "pt"}}); err != nil {
		t.Fatal(err)
	}
	snap, carried, err = st.Carry(ctx, key, oldKey)
	if err != nil || carried || snap.Session.Lang != "pt" {
		t.Fatalf("both names: %+v %v %v", snap.Session, carried, err)
	}
	deadline := time.Now().Add(5 * time.Second) // deleted in the background
	for c.Exists(ctx, ok.Session()).Val() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the leftover under the previous name is still there")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// sealed under a third secret: nothing to carry, no error
	third := session.NewRedis(c, session.Options{Secret: []byte("carry-secret-C-zzzzzzzzzzzzzzzz")})
	c.Del(ctx, nk.Session())
	if _, err := third.Commit(ctx, oldKey, session.Change{MsgID: "6", Next: s}); err != nil {
		t.Fatal(err)
	}
	snap, carried, err = st.Carry(ctx, key, oldKey)
	if err != nil || carried || snap.Raw != nil {
		t.Fatalf("third secret: %+v %v %v", snap, carried, err)
	}
}
