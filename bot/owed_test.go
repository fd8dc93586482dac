package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// countingEvents counts the events a Conversation reports.
type countingEvents struct{ n map[string]int }

func (c *countingEvents) Event(name string)   { c.n[name]++ }
func (c *countingEvents) EffectFailed(string) {}

// TestOwedRepliesSurviveACrash: a process commits a message and dies before its
// replies are safe in the outbox (it never settles them). The platform delivers the
// message again to another process, with a cold cache: it is a duplicate by then, yet
// it is answered with the very replies that were lost, once (right after the commit
// it is asked for again later: the first process may only be slow). After settling, a
// redelivery is dropped as before, and so is one that comes back after the 2 h a
// reply is kept for.
func TestOwedRepliesSurviveACrash(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	now := time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)
	start := func(process string) (*bot.Conversation, *store.Batcher, *countingEvents) {
		b := store.NewBatcher(c, 0, 0)
		st := session.NewRedis(c, session.Options{Secret: secret, Batcher: b, Process: process})
		ev := &countingEvents{n: map[string]int{}}
		conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: st, Secret: secret,
			Logger: slog.New(slog.DiscardHandler), Events: ev, Settle: st.Settle,
			Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return conv, b, ev
	}
	a, ab, _ := start("a")
	handle := func(conv *bot.Conversation, in bot.Inbound) []bot.Outbound {
		t.Helper()
		out, err := conv.Handle(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	handle(a, msg("1", "hola"))
	a.Settled(msg("1", "hola"))
	lost := handle(a, msg("2", "4")) // committed; the process dies before settling
	if len(lost) == 0 {
		t.Fatal("no reply to «4»")
	}
	if err := ab.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// a redelivery to the process that committed it is a plain duplicate: its
	// replies are in its own queue
	if out := handle(a, msg("2", "4")); len(out) != 0 {
		t.Fatalf("the committing process answered its own redelivery: %+v", out)
	}

	b, bb, ev := start("b") // another process, nothing in its cache
	// at once, the first process may still be queueing the replies: deliver it later
	if out, err := b.Handle(ctx, msg("2", "4")); !errors.Is(err, bot.ErrOwedPending) || len(out) != 0 {
		t.Fatalf("a redelivery right after the commit: %+v %v; want ErrOwedPending and no reply", out, err)
	}
	now = now.Add(30 * time.Second) // the platform delivers it again later
	again := handle(b, msg("2", "4"))
	if len(again) != len(lost) || again[0].Text != lost[0].Text {
		t.Fatalf("the redelivery got %+v; want the lost replies %+v", again, lost)
	}
	if ev.n[bot.EventOwedAnswered] != 1 || ev.n[bot.EventDuplicate] != 0 {
		t.Errorf("events %v", ev.n)
	}
	b.Settled(msg("2", "4"))
	if err := bb.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if out := handle(b, msg("2", "4")); len(out) != 0 {
		t.Fatalf("a settled message answered again: %+v", out)
	}
	// the conversation goes on from what was saved: the violence menu
	if out := handle(b, msg("3", "1")); len(out) == 0 || len(out[0].Buttons) == 0 {
		t.Fatalf("after the owed answer the violence menu should go on: %+v", out)
	}
	b.Settled(msg("3", "1"))
	if err := bb.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	k := store.KeysOf("", store.UserKey(secret, bot.ChannelWhatsApp, phone))
	if n := c.Exists(ctx, k.Owed()).Val(); n != 0 {
		t.Error("an owed record outlived its settling")
	}
	// a record the platform never came back for is not answered hours later (the
	// outbox would have given such a reply up): the redelivery is a duplicate
	handle(b, msg("4", "menu")) // committed; this process dies too
	if err := bb.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	now = now.Add(3 * time.Hour)
	late, _, _ := start("c")
	if out := handle(late, msg("4", "menu")); len(out) != 0 {
		t.Fatalf("a message read 3 h ago was answered again: %+v", out)
	}
}
