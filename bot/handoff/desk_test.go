package handoff_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// clock is a settable clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type desk struct {
	rdb   *redis.Client
	store *handoff.Store
	hub   *bot.Hub
	ch    *fakeChannel
	clock *clock
}

func newDesk(t *testing.T, o handoff.Options) *desk {
	t.Helper()
	rdb := storetest.Start(t)
	c := &clock{t: time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)}
	o.Now = c.now
	s, err := handoff.New(rdb, secret, o)
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(bot.HubConfig{})
	ch := &fakeChannel{}
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hub.Close(context.Background()) })
	return &desk{rdb: rdb, store: s, hub: hub, ch: ch, clock: c}
}

// open opens a ticket for the person at address, now, and returns her key and the id.
func (d *desk) open(t *testing.T, address, topic string) (user, id string) {
	t.Helper()
	user = store.UserKey(secret, bot.ChannelWhatsApp, address)
	id = "t-" + user[:12]
	err := d.store.Open(context.Background(), bot.Ticket{ID: id, User: user, Channel: bot.ChannelWhatsApp, Address: address,
		Topic: topic, Lang: "es", At: d.clock.now()})
	if err != nil {
		t.Fatal(err)
	}
	return user, id
}

func (d *desk) waitDelivered(t *testing.T, n int) []bot.Outbound {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(d.ch.delivered()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return d.ch.delivered()
}

// TestClaimRace: many operators click "take" on one waiting chat at once; exactly one
// gets it, every other one is told it is taken, and the ticket names the winner.
func TestClaimRace(t *testing.T) {
	d := newDesk(t, handoff.Options{})
	user, id := d.open(t, phone, "general")
	const n = 64
	var wins atomic.Int32
	var winner atomic.Value
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op := "op-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
			err := d.store.Claim(context.Background(), user, id, op)
			switch {
			case err == nil:
				wins.Add(1)
				winner.Store(op)
			case !errors.Is(err, handoff.ErrTaken):
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("claim: %v, want nil or ErrTaken", err)
	}
	if wins.Load() != 1 {
		t.Fatalf("%d operators won the claim, want exactly 1", wins.Load())
	}
	got, err := d.store.Get(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != handoff.StateActive || got.Operator != winner.Load() {
		t.Errorf("ticket after the race: %+v, want active and held by %v", got, winner.Load())
	}
	if err := d.store.Claim(context.Background(), user, id, got.Operator); err != nil {
		t.Errorf("the holder claiming again: %v", err)
	}
}

// TestQueueOrder: the queue lists the longest waiting first, but a chat where a call
// for help came goes to the head, marked urgent; taken chats stay listed as active.
func TestQueueOrder(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, handoff.Options{})
	a, _ := d.open(t, "+51900000001", "general")
	d.clock.add(time.Minute)
	b, bid := d.open(t, "+51900000002", "violence")
	d.clock.add(time.Minute)
	c, cid := d.open(t, "+51900000003", "general")
	if err := d.store.Relay(ctx, bot.Ticket{ID: cid, User: c}, bot.Relayed{ID: "m1", Text: "me quiere pegar", At: d.clock.now(), Urgent: true}); err != nil {
		t.Fatal(err)
	}
	if err := d.store.Claim(ctx, b, bid, "op-1"); err != nil {
		t.Fatal(err)
	}
	q, err := d.store.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, s := range q {
		order = append(order, s.User)
	}
	if !slices.Equal(order, []string{c, a, b}) {
		t.Fatalf("queue order %v, want urgent first then oldest: %v", order, []string{c, a, b})
	}
	if !q[0].Urgent || q[1].Urgent || q[2].State != handoff.StateActive || q[2].Operator != "op-1" {
		t.Errorf("queue entries: %+v", q)
	}
	if q[0].Pseudonym == "" || q[0].Pseudonym == q[1].Pseudonym {
		t.Errorf("pseudonyms %q %q: want distinct, non-empty", q[0].Pseudonym, q[1].Pseudonym)
	}
}

// TestReleaseTransferClose: only the holder releases or transfers; a coordinator
// transfers anyone's; close needs a known outcome, sends the goodbye to the person,
// then forgets her address: nothing more can be sent.
func TestReleaseTransferClose(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, handoff.Options{})
	user, id := d.open(t, phone, "general")
	if err := d.store.Release(ctx, user, id, "op-1"); !errors.Is(err, handoff.ErrNotYours) {
		t.Errorf("release of a waiting ticket: %v, want ErrNotYours", err)
	}
	must(t, d.store.Claim(ctx, user, id, "op-1"))
	if err := d.store.Claim(ctx, user, id, "op-2"); !errors.Is(err, handoff.ErrTaken) {
		t.Errorf("second claim: %v, want ErrTaken", err)
	}
	if err := d.store.Transfer(ctx, user, id, "op-2", "op-3"); !errors.Is(err, handoff.ErrNotYours) {
		t.Errorf("transfer by a non-holder: %v, want ErrNotYours", err)
	}
	must(t, d.store.Transfer(ctx, user, id, "op-1", "op-2"))
	must(t, d.store.Transfer(ctx, user, id, "", "op-3")) // a coordinator
	if got, _ := d.store.Get(ctx, user); got.Operator != "op-3" {
		t.Fatalf("holder after transfers: %q, want op-3", got.Operator)
	}
	must(t, d.store.Release(ctx, user, id, "op-3"))
	if got, _ := d.store.Get(ctx, user); got.State != handoff.StateWaiting || got.Operator != "" {
		t.Fatalf("after release: %+v", got)
	}
	must(t, d.store.Claim(ctx, user, id, "op-1"))
	must(t, d.store.Note(ctx, user, id, "op-1", "parece estar en peligro"))
	if err := d.store.Close(ctx, d.hub, user, id, "op-1", "whatever", nil); !errors.Is(err, handoff.ErrOutcome) {
		t.Errorf("close with an unknown outcome: %v", err)
	}
	if err := d.store.Close(ctx, d.hub, user, id, "op-2", "informed", nil); !errors.Is(err, handoff.ErrNotYours) {
		t.Errorf("close by a non-holder: %v", err)
	}
	must(t, d.store.Close(ctx, d.hub, user, id, "op-1", "referred", &bot.Outbound{Text: "Gracias por escribir."}))
	got := d.waitDelivered(t, 1)
	if len(got) != 1 || got[0].Address != phone || got[0].Text != "Gracias por escribir." {
		t.Fatalf("goodbye delivered as %+v", got)
	}
	if addr, _ := d.rdb.HGet(ctx, store.KeysOf("", user).Ticket(), "addr").Result(); addr != "" {
		t.Error("the sealed address is still kept after close")
	}
	s, _ := d.store.Get(ctx, user)
	if s.State != handoff.StateClosed || s.Outcome != "referred" || s.Closed.IsZero() {
		t.Errorf("closed ticket: %+v", s)
	}
	if err := d.store.Reply(ctx, d.hub, user, id, "op-1", "x", "hola"); !errors.Is(err, handoff.ErrTicketClosed) {
		t.Errorf("reply after close: %v, want ErrTicketClosed", err)
	}
	if closed, _ := d.store.Closed(ctx, bot.Ticket{ID: id, User: user}); !closed {
		t.Error("Closed says the ticket is still open")
	}
	tr, err := d.store.Transcript(ctx, user)
	if err != nil || len(tr) != 1 || tr[0].From != handoff.FromNote || tr[0].Operator != "op-1" {
		t.Errorf("transcript %+v (%v): want the note only", tr, err)
	}
}

// TestRetentionAndNothingInClear: every key written for a ticket expires within the
// configured retention, and no key or value holds the address or any words.
func TestRetentionAndNothingInClear(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, handoff.Options{TTL: time.Hour})
	user, id := d.open(t, phone, "general")
	must(t, d.store.Relay(ctx, bot.Ticket{ID: id, User: user}, bot.Relayed{ID: "m1", Text: "necesito un abogado", At: d.clock.now()}))
	must(t, d.store.Claim(ctx, user, id, "op-1"))
	must(t, d.store.Reply(ctx, d.hub, user, id, "op-1", "r1", "claro, te ayudo"))
	must(t, d.store.Note(ctx, user, id, "op-1", "pide abogada"))
	must(t, d.store.Heartbeat(ctx, "op-1"))
	for _, k := range []string{store.KeysOf("", user).Ticket(), store.KeysOf("", user).Transcript()} {
		ttl := d.rdb.TTL(ctx, k).Val()
		if ttl <= 0 || ttl > time.Hour {
			t.Errorf("%s: TTL %v, want within the 1h retention", k, ttl)
		}
	}
	assertNothingInClear(t, d.rdb, phone, "necesito un abogado", "te ayudo", "pide abogada")
}

// TestBlock: a blocked person's ticket is closed and she cannot be listed again until
// the block ends; the block expires; erasing her data erases it.
func TestBlock(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, handoff.Options{BlockTTL: 48 * time.Hour})
	user, _ := d.open(t, phone, "general")
	must(t, d.store.Block(ctx, user, "op-1"))
	if b, err := d.store.Blocked(ctx, user); err != nil || !b {
		t.Fatalf("Blocked = %v, %v after Block", b, err)
	}
	if q, _ := d.store.Queue(ctx); len(q) != 0 {
		t.Errorf("blocked person still in the queue: %+v", q)
	}
	if s, _ := d.store.Get(ctx, user); s.State != handoff.StateClosed || s.Outcome != handoff.OutcomeBlocked {
		t.Errorf("ticket of a blocked person: %+v", s)
	}
	if ttl := d.rdb.TTL(ctx, store.KeysOf("", user).Blocked()).Val(); ttl <= 0 || ttl > 48*time.Hour {
		t.Errorf("block TTL %v", ttl)
	}
	must(t, d.store.Unblock(ctx, user))
	if b, _ := d.store.Blocked(ctx, user); b {
		t.Error("still blocked after Unblock")
	}
}

// TestOverdueAndNudge: a waiting person is listed as overdue after the configured
// wait, told once, and not again until the wait passes again; a taken chat is not.
func TestOverdueAndNudge(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, handoff.Options{})
	user, id := d.open(t, phone, "general")
	other, oid := d.open(t, "+51900000009", "general")
	must(t, d.store.Claim(ctx, other, oid, "op-1"))
	d.clock.add(9 * time.Minute)
	if o, _ := d.store.Overdue(ctx, 10*time.Minute); len(o) != 0 {
		t.Fatalf("overdue after 9 min: %+v", o)
	}
	d.clock.add(time.Minute)
	o, err := d.store.Overdue(ctx, 10*time.Minute)
	if err != nil || len(o) != 1 || o[0].User != user {
		t.Fatalf("overdue after 10 min: %+v, %v", o, err)
	}
	must(t, d.store.Nudge(ctx, d.hub, user, id, bot.Outbound{Text: "Sigues en la fila."}))
	if got := d.waitDelivered(t, 1); len(got) != 1 || got[0].Address != phone {
		t.Fatalf("nudge delivered as %+v", got)
	}
	d.clock.add(5 * time.Minute)
	if o, _ := d.store.Overdue(ctx, 10*time.Minute); len(o) != 0 {
		t.Errorf("overdue again 5 min after the nudge: %+v", o)
	}
	d.clock.add(5 * time.Minute)
	if o, _ := d.store.Overdue(ctx, 10*time.Minute); len(o) != 1 {
		t.Errorf("not overdue 10 min after the nudge: %+v", o)
	}
}

// TestSubscribeSeesChanges: a console on one replica sees, live, what happens on
// another: a chat opened, a message, a claim, a close; ids only.
func TestSubscribeSeesChanges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDesk(t, handoff.Options{})
	other := replica(t, d.rdb)
	ch, err := d.store.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	user := store.UserKey(secret, bot.ChannelWhatsApp, phone)
	must(t, other.Open(ctx, bot.Ticket{ID: "t1", User: user, Channel: bot.ChannelWhatsApp, Address: phone, Lang: "es", At: time.Now()}))
	must(t, other.Relay(ctx, bot.Ticket{ID: "t1", User: user}, bot.Relayed{ID: "m", Text: "hola", At: time.Now()}))
	must(t, other.Claim(ctx, user, "t1", "op-1"))
	must(t, other.Close(ctx, nil, user, "t1", "op-1", "informed", nil))
	var kinds []string
	timeout := time.After(5 * time.Second)
	for len(kinds) < 4 {
		select {
		case c := <-ch:
			if c.User != user || c.ID != "t1" {
				t.Fatalf("change %+v: want the ticket's ids", c)
			}
			kinds = append(kinds, c.Kind)
		case <-timeout:
			t.Fatalf("changes seen: %v, want 4", kinds)
		}
	}
	if want := []string{handoff.ChangeOpen, handoff.ChangeMessage, handoff.ChangeClaim, handoff.ChangeClose}; !slices.Equal(kinds, want) {
		t.Errorf("changes %v, want %v", kinds, want)
	}
}

// TestPresenceFromMemory: with Run going, a replica learns that an operator on another
// replica came online and left, and Online asks Redis nothing (a person not in handoff
// pays no round trip for it).
func TestPresenceFromMemory(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDesk(t, handoff.Options{})
	opts := *d.rdb.Options()
	counted := redis.NewClient(&opts)
	t.Cleanup(func() { _ = counted.Close() })
	var calls atomic.Int64
	counted.AddHook(countHook{&calls})
	s, err := handoff.New(counted, secret, handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	other := replica(t, d.rdb)
	waitFor(t, func() bool { return s.Online(ctx) == false && calls.Load() > 0 })
	// Run has subscribed; from now on Online is answered from memory.
	waitFor(t, func() bool { must(t, other.Heartbeat(ctx, "op-7")); return s.Online(ctx) })
	before := calls.Load()
	for range 1000 {
		if !s.Online(ctx) {
			t.Fatal("operator went offline by itself")
		}
	}
	if n := calls.Load() - before; n != 0 {
		t.Errorf("1000 Online calls made %d Redis calls, want 0", n)
	}
	must(t, other.Offline(ctx, "op-7"))
	waitFor(t, func() bool { return !s.Online(ctx) })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func replica(t *testing.T, rdb *redis.Client) *handoff.Store {
	t.Helper()
	s, err := handoff.New(rdb, secret, handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// countHook counts the commands a client sends.
type countHook struct{ n *atomic.Int64 }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}

// TestCarryTellsTheConsoles: when a rotation of the secret carries a person's open
// ticket to her new name, every replica's consoles hear it (ChangeMoved, with where
// it went), so that a chat page open under the old name can follow it; ids only.
func TestCarryTellsTheConsoles(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDesk(t, handoff.Options{})
	other := replica(t, d.rdb)
	ch, err := d.store.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := store.UserKey([]byte("the previous secret, 32 bytes..."), bot.ChannelWhatsApp, phone)
	user := store.UserKey(secret, bot.ChannelWhatsApp, phone)
	must(t, other.Open(ctx, bot.Ticket{ID: "t9", User: old, Channel: bot.ChannelWhatsApp, Address: phone, Lang: "es", At: time.Now()}))
	must(t, other.Carry(ctx, old, user))
	timeout := time.After(5 * time.Second)
	for {
		select {
		case c := <-ch:
			if c.Kind != handoff.ChangeMoved {
				continue
			}
			if c.User != old || c.To != user || c.ID != "t9" {
				t.Fatalf("moved %+v: want from the old name to the new, with the ticket id", c)
			}
			if strings.Contains(fmt.Sprint(c), phone) {
				t.Fatalf("the change holds the number: %+v", c)
			}
			return
		case <-timeout:
			t.Fatal("no console was told the ticket moved")
		}
	}
}
