package session_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// TestOwedUntilSettled: a commit that owes its replies (Change.Owe) leaves a record,
// sealed like the session and with a TTL; the redelivery of that message, before the
// replies were settled, is a duplicate that carries the session it was stepped from
// and the time it was read at, so it can be answered again. Once settled, a
// redelivery is a plain duplicate. Settling an older message leaves a newer one's
// record; an erase removes it.
func TestOwedUntilSettled(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	b := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{Secret: secret, Batcher: b})
	if err := st.LoadScript(ctx); err != nil {
		t.Fatal(err)
	}
	key := store.UserKey(secret, "telegram", "7788")
	k := store.KeysOf("", key)
	at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)

	first, err := st.Commit(ctx, key, session.Change{MsgID: "update-1", Next: flows.Session{Lang: "es", Node: "home", Vars: map[string]string{"name": "Yuliana"}}})
	if err != nil || first.Dup {
		t.Fatal(first, err)
	}
	// the second message owes its replies: the process dies before they are safe
	second, err := st.Commit(ctx, key, session.Change{MsgID: "update-2", Prev: first.Saved, Next: flows.Session{Lang: "es", Node: "violence"}, Owe: true, At: at})
	if err != nil || second.Dup || second.Conflict {
		t.Fatal(second, err)
	}
	rec := c.HGetAll(ctx, k.Owed()).Val()
	if len(rec) != 1 {
		t.Fatalf("owed records %d, want the one of update-2", len(rec))
	}
	for id, raw := range rec {
		if strings.Contains(raw, "Yuliana") || strings.Contains(id+raw, "update-2") {
			t.Fatalf("owed record %q: %q holds something in the clear", id, raw)
		}
	}
	if ttl := c.TTL(ctx, k.Owed()).Val(); ttl <= 0 || ttl > 2*time.Hour {
		t.Errorf("owed record TTL %v", ttl)
	}
	again, err := st.Commit(ctx, key, session.Change{MsgID: "update-2", Prev: second.Saved, Next: flows.Session{Lang: "es", Node: "home"}, Owe: true, At: time.Now()})
	if err != nil || !again.Dup || again.Owed == nil {
		t.Fatalf("redelivery before settling: %+v %v; want a duplicate carrying what is owed", again, err)
	}
	if !again.Owed.At.Equal(at) || again.Owed.Prev.Session.Vars["name"] != "Yuliana" || again.Owed.Prev.Session.Node != "home" {
		t.Errorf("owed %+v: want the time it was read at and the session it was stepped from", again.Owed)
	}
	if got := c.Get(ctx, k.Session()).Val(); got != string(second.Saved) {
		t.Error("the redelivery changed the saved session")
	}
	// an older message's settling leaves this record alone
	st.Settle(key, "update-1")
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if c.HLen(ctx, k.Owed()).Val() != 1 {
		t.Fatal("settling another message cleared the record")
	}
	st.Settle(key, "update-2")
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Exists(ctx, k.Owed()).Val() != 0 {
		t.Fatal("the record outlived its settling")
	}
	plain, err := st.Commit(ctx, key, session.Change{MsgID: "update-2", Prev: second.Saved, Next: flows.Session{Lang: "es"}, Owe: true, At: time.Now()})
	if err != nil || !plain.Dup || plain.Owed != nil {
		t.Fatalf("redelivery after settling: %+v %v; want a plain duplicate", plain, err)
	}
	// owed again, then erased: nothing of it remains
	third, err := st.Commit(ctx, key, session.Change{MsgID: "update-3", Prev: second.Saved, Next: flows.Session{Lang: "es"}, Owe: true, At: at})
	if err != nil || third.Dup {
		t.Fatal(third, err)
	}
	if _, err := st.Commit(ctx, key, session.Change{MsgID: "update-4", Prev: third.Saved, Erase: true}); err != nil {
		t.Fatal(err)
	}
	if c.Exists(ctx, k.Owed()).Val() != 0 {
		t.Error("an erase left the owed record")
	}
}

// TestCommitCommandFitsACommandLine: the command load generators hand redis-benchmark
// has no NUL byte (exec refuses one), an owed record and an attempt included.
func TestCommitCommandFitsACommandLine(t *testing.T) {
	st := session.NewRedis(storetest.Start(t), session.Options{Secret: secret})
	cmd, err := st.CommitCommand("__rand_int__", session.Change{MsgID: "__rand_int__", Prev: []byte("x"), Owe: true, At: time.Now(),
		Next: flows.Session{Lang: "es", Node: "home"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range cmd {
		if strings.ContainsRune(a, 0) {
			t.Errorf("argument %d holds a NUL byte: %q", i, a)
		}
	}
}

// TestOwedOfTwoMessages: two messages in a row that both died before their replies
// were safe (a process killed, then another) are both answered on redelivery: the
// second record does not replace the first. A record keeps the time its message was
// read at, by which the conversation refuses one older than OwedKeep.
func TestOwedOfTwoMessages(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	st := session.NewRedis(c, session.Options{Secret: secret, Batcher: store.NewBatcher(c, 0, 0)})
	key := store.UserKey(secret, "telegram", "7789")
	now := time.Now().Truncate(time.Millisecond)
	one, err := st.Commit(ctx, key, session.Change{MsgID: "u-1", Next: flows.Session{Lang: "es", Node: "home"}, Owe: true, At: now.Add(-3 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	two, err := st.Commit(ctx, key, session.Change{MsgID: "u-2", Prev: one.Saved, Next: flows.Session{Lang: "es", Node: "rights"}, Owe: true, At: now})
	if err != nil {
		t.Fatal(err)
	}
	three, err := st.Commit(ctx, key, session.Change{MsgID: "u-3", Prev: two.Saved, Next: flows.Session{Lang: "es", Node: "health"}, Owe: true, At: now})
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.Commit(ctx, key, session.Change{MsgID: "u-2", Prev: three.Saved, Next: flows.Session{Lang: "es"}, Owe: true, At: now})
	if err != nil || !again.Dup || again.Owed == nil || again.Owed.Prev.Session.Node != "home" {
		t.Fatalf("redelivery of the first of two owed messages: %+v %v; want it answered from home", again, err)
	}
	if old, _ := st.Commit(ctx, key, session.Change{MsgID: "u-1", Prev: three.Saved, Next: flows.Session{Lang: "es"}, Owe: true, At: now}); !old.Dup || old.Owed == nil || !old.Owed.At.Equal(now.Add(-3*time.Hour)) {
		t.Fatalf("redelivery of a message read 3 h ago: %+v; want its record with the time it was read", old)
	}
}
