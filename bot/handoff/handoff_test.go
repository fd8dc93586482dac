package handoff_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

var secret = []byte("test-secret-0123456789abcdef")

const phone = "+51987654321"

// fakeChannel is a channel whose deliveries are recorded, with a reply window that is
// open unless closed is set.
type fakeChannel struct {
	mu     sync.Mutex
	got    []bot.Outbound
	closed bool
}

func (c *fakeChannel) Name() string                { return bot.ChannelWhatsApp }
func (c *fakeChannel) Routes() []bot.Route         { return nil }
func (c *fakeChannel) Close(context.Context) error { return nil }
func (c *fakeChannel) Outlet() bot.Outlet {
	return bot.Outlet{MaxLen: bot.WhatsAppMaxLen, Deliverer: bot.DelivererFunc(func(_ context.Context, m bot.Outbound) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.got = append(c.got, m)
		return nil
	})}
}
func (c *fakeChannel) WindowOpen(context.Context, string) (bool, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed, time.Time{}
}
func (c *fakeChannel) delivered() []bot.Outbound {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bot.Outbound(nil), c.got...)
}

type counter struct {
	mu     sync.Mutex
	events map[string]int
}

func (c *counter) Event(name string) { c.mu.Lock(); c.events[name]++; c.mu.Unlock() }
func (c *counter) EffectFailed(e string) {
	c.mu.Lock()
	c.events["failed:"+e]++
	c.mu.Unlock()
}

type rig struct {
	rdb     *redis.Client
	tickets *handoff.Store
	conv    *bot.Conversation
	hub     *bot.Hub
	ch      *fakeChannel
	events  *counter
	user    string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	rdb := storetest.Start(t)
	tickets, err := handoff.New(rdb, secret, handoff.Options{PresenceCache: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	ev := &counter{events: map[string]int{}}
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(rdb, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Tickets: tickets, OperatorsOnline: tickets.Online, Events: ev,
	})
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(bot.HubConfig{})
	ch := &fakeChannel{}
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hub.Close(context.Background()) })
	return &rig{rdb: rdb, tickets: tickets, conv: conv, hub: hub, ch: ch, events: ev,
		user: store.UserKey(secret, bot.ChannelWhatsApp, phone)}
}

func (r *rig) say(t *testing.T, id, text string) string {
	t.Helper()
	out, err := r.conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelWhatsApp, Address: phone, MessageID: id, Text: text})
	if err != nil {
		t.Fatalf("Handle(%q): %v", text, err)
	}
	var b strings.Builder
	for _, o := range out {
		b.WriteString(bot.NumberedText(o))
	}
	return b.String()
}

func (r *rig) open(t *testing.T) []handoff.Summary {
	t.Helper()
	list, err := r.tickets.Queue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestOperatorReplyWalk walks a handoff end to end on a real Redis: nobody online,
// then an operator's heartbeat; a ticket opened once even when the platform
// redelivers the message; the person's words relayed unanswered; the operator's reply
// delivered through the hub to her address, which Redis holds only sealed; a closed
// ticket returning the person to the flow.
func TestOperatorReplyWalk(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	r.say(t, "1", "hola")
	if got := r.say(t, "2", "quiero hablar con una persona"); len(r.open(t)) != 0 || r.events.events[("handoff_offline")] != 1 {
		t.Fatalf("nobody online: no ticket and one handoff_offline event, got %v, %v:\n%s", r.open(t), r.events.events, got)
	}
	if err := r.tickets.Heartbeat(ctx, "op-1"); err != nil {
		t.Fatal(err)
	}
	r.say(t, "3", "quiero hablar con una persona")
	r.say(t, "3", "quiero hablar con una persona") // redelivered by the platform
	list := r.open(t)
	if len(list) != 1 || list[0].Topic != "general" || list[0].User != r.user {
		t.Fatalf("want one open ticket for the person, got %+v", list)
	}
	id := list[0].ID
	if reply := r.say(t, "4", "un cliente no me quiere pagar"); reply != "" {
		t.Errorf("a message for the operator got a bot reply: %q", reply)
	}
	r.say(t, "4", "un cliente no me quiere pagar") // redelivered: relayed once
	tr, err := r.tickets.Transcript(ctx, r.user)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 1 || tr[0].Text != "un cliente no me quiere pagar" || tr[0].From != "person" {
		t.Fatalf("transcript: %+v", tr)
	}

	if err := r.tickets.Reply(ctx, r.hub, r.user, id, "op-1", "op-msg-0", "hola"); !errors.Is(err, handoff.ErrNotYours) {
		t.Errorf("reply before claiming: %v, want ErrNotYours", err)
	}
	if err := r.tickets.Claim(ctx, r.user, id, "op-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.tickets.Reply(ctx, r.hub, r.user, id, "op-1", "op-msg-1", "Hola, te escucho. ¿Estás bien?"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(r.ch.delivered()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	got := r.ch.delivered()
	if len(got) != 1 || got[0].Address != phone || got[0].Text != "Hola, te escucho. ¿Estás bien?" {
		t.Fatalf("operator reply delivered as %+v", got)
	}
	assertNothingInClear(t, r.rdb, phone, "un cliente no me quiere pagar", "te escucho")

	r.ch.mu.Lock()
	r.ch.closed = true
	r.ch.mu.Unlock()
	if err := r.tickets.Reply(ctx, r.hub, r.user, id, "op-1", "op-msg-2", "¿sigues ahí?"); !errors.Is(err, handoff.ErrWindowClosed) {
		t.Errorf("reply outside the window: %v, want ErrWindowClosed", err)
	}

	if err := r.tickets.Close(ctx, r.hub, r.user, id, "op-1", "informed", nil); err != nil {
		t.Fatal(err)
	}
	if reply := r.say(t, "5", "gracias"); reply == "" {
		t.Error("after the operator closed the ticket the flow must answer again")
	}
	if err := r.tickets.Reply(ctx, r.hub, r.user, id, "op-1", "op-msg-3", "hola"); !errors.Is(err, handoff.ErrTicketClosed) {
		t.Errorf("reply on a closed ticket: %v, want ErrTicketClosed", err)
	}
	if len(r.open(t)) != 0 {
		t.Errorf("closed ticket still listed: %v", r.open(t))
	}
}

// TestEraseTakesTheTicket: erasing her data in handoff mode deletes the ticket and
// its transcript in the same script as the session; the index forgets her.
func TestEraseTakesTheTicket(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	if err := r.tickets.Heartbeat(ctx, "op-1"); err != nil {
		t.Fatal(err)
	}
	r.say(t, "1", "hola")
	r.say(t, "2", "9")
	r.say(t, "3", "me robaron el celular")
	if len(r.open(t)) != 1 {
		t.Fatal("no ticket opened")
	}
	r.say(t, "4", "borrar")
	r.say(t, "5", "1")
	keys, err := r.rdb.Keys(ctx, "*"+r.user+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if left := storetest.Left(ctx, r.rdb, keys); len(left) != 0 {
		t.Errorf("erase left keys of the person: %v; want the tombstone (HMAC-named message ids) only", keys)
	}
	if len(r.open(t)) != 0 {
		t.Errorf("erased ticket still listed")
	}
}

// assertNothingInClear fails when any key or value holds one of the secrets, and when
// a key has no TTL.
func assertNothingInClear(t *testing.T, rdb *redis.Client, secrets ...string) {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl := rdb.TTL(ctx, k).Val(); ttl < 0 {
			t.Errorf("key %s has no TTL", k)
		}
		var dump string
		switch rdb.Type(ctx, k).Val() {
		case "string":
			dump = rdb.Get(ctx, k).Val()
		case "list":
			dump = strings.Join(rdb.LRange(ctx, k, 0, -1).Val(), "\n")
		case "hash":
			dump = fmt.Sprint(rdb.HGetAll(ctx, k).Val())
		case "zset":
			dump = strings.Join(rdb.ZRange(ctx, k, 0, -1).Val(), "\n")
		default:
			t.Errorf("key %s of an unexpected type", k)
		}
		for _, s := range secrets {
			if strings.Contains(k, s) || strings.Contains(dump, s) {
				t.Errorf("key %s holds %q in the clear", k, s)
			}
		}
	}
}
