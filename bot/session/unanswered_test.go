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

// eventually polls cond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestWritesOutlastUnansweredPipelines: the writes that go out without a caller
// waiting (the settling of owed replies, the platform id of a delivered reply) are
// asked again when their pipeline got no answer. Before, they were dropped: a
// redelivery was then answered twice, and an erase missed a message on her phone. A
// retried id that lands after her erase brings nothing back.
func TestWritesOutlastUnansweredPipelines(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	b := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{Secret: secret, Batcher: b})
	if err := st.LoadScript(ctx); err != nil {
		t.Fatal(err)
	}
	key := store.UserKey(secret, "telegram", "6061")
	k := store.KeysOf("", key)
	res, err := st.Commit(ctx, key, session.Change{MsgID: "update-1", Next: flows.Session{Lang: "es", Node: "home"}, Owe: true, At: time.Now()})
	if err != nil || res.Dup {
		t.Fatal(res, err)
	}

	// write does something whose pipelines carrying cmd get no answer twice; it must land
	outlasts := func(cmd string, write func(), landed func() bool, what string) {
		t.Helper()
		hook := storetest.FailPipelines(cmd, 2)
		c.AddHook(hook)
		write()
		if !eventually(5*time.Second, landed) {
			t.Fatalf("%s, when its first pipelines got no answer", what)
		}
		if !hook.Injected() {
			t.Fatalf("the failures were not injected (%d left)", hook.N.Load())
		}
	}
	outlasts("hdel", func() { st.Settle(key, "update-1") },
		func() bool { return c.Exists(ctx, k.Owed()).Val() == 0 }, "the owed record outlived its settling")
	outlasts("zadd", func() { st.KeepCopy(key, "81726354", 48*time.Hour, time.Now()) },
		func() bool { return c.ZCard(ctx, k.Copies()).Val() == 1 }, "the id of a delivered reply was lost")

	// an id still being retried when she erases: it lands after, and is refused
	late := storetest.FailPipelines("zadd", 1)
	c.AddHook(late)
	st.KeepCopy(key, "81726355", 48*time.Hour, time.Now())
	if !eventually(time.Second, late.Injected) {
		t.Fatal("the failure was not injected")
	}
	if _, err := st.Commit(ctx, key, session.Change{MsgID: "update-2", Prev: res.Saved, Erase: true}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * store.RetryDelay)
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if left := storetest.Left(ctx, c, c.Keys(ctx, "*"+key+"*").Val()); len(left) != 0 {
		t.Fatalf("a retried id brought back %v after her erase", left)
	}
}
