package handoff_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
)

// remindChannel is a Telegram-like channel that records what it delivers.
type remindChannel struct {
	mu  sync.Mutex
	got []bot.Outbound
}

func (c *remindChannel) Name() string                { return bot.ChannelTelegram }
func (c *remindChannel) Routes() []bot.Route         { return nil }
func (c *remindChannel) Close(context.Context) error { return nil }
func (c *remindChannel) Outlet() bot.Outlet {
	return bot.Outlet{MaxLen: 4096, Deliverer: bot.DelivererFunc(func(_ context.Context, m bot.Outbound) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.got = append(c.got, m)
		return nil
	})}
}

// delivered waits a little for n messages and returns what arrived.
func (c *remindChannel) delivered(n int) []bot.Outbound {
	for i := 0; i < 100; i++ {
		c.mu.Lock()
		got := append([]bot.Outbound(nil), c.got...)
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bot.Outbound(nil), c.got...)
}

// TestReminderTellsWaitingPeopleKindly runs reminder rounds on a real Redis with a
// controlled clock: a person waiting past the time is told, in her language, that she
// is still in line, once per period; nobody is told while no operator is online, out
// of office hours, nor once an operator has her chat; two replicas do not both send
// one reminder.
func TestReminderTellsWaitingPeopleKindly(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Start(t)
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("PET", -5*3600)) // a Friday, in hours
	var offset atomic.Int64
	now := func() time.Time { return start.Add(time.Duration(offset.Load())) }
	tickets, err := handoff.New(rdb, secret, handoff.Options{Now: now, Presence: 24 * time.Hour, PresenceCache: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(bot.HubConfig{})
	ch := &remindChannel{}
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hub.Close(context.Background()) })
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	hours, err := handoff.NewHours("Mo-Fr 09:00-18:00", nil, "America/Lima")
	if err != nil {
		t.Fatal(err)
	}
	newReminder := func() *handoff.Reminder {
		return &handoff.Reminder{Store: tickets, Out: hub, After: 10 * time.Minute, Every: 600 * time.Millisecond, Hours: hours,
			Logger: slog.New(slog.DiscardHandler),
			Message: func(lang string) bot.Outbound {
				m := flows.Render(texts, lang, e.HandoffWaitingReply(lang))
				return bot.Outbound{Text: m.Text}
			}}
	}
	r, other := newReminder(), newReminder()
	open := func(addr, lang string) bot.Ticket {
		tk := bot.Ticket{ID: "t-" + addr, User: store.UserKey(secret, bot.ChannelTelegram, addr), Channel: bot.ChannelTelegram,
			Address: addr, Lang: lang, Topic: "general", At: now()}
		if err := tickets.Open(ctx, tk); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	round := func(r *handoff.Reminder) int {
		t.Helper()
		time.Sleep(550 * time.Millisecond) // the last round's lock is gone
		n, err := r.Round(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	open("1001", "es")
	open("1002", "en")
	claimed := open("1003", "es")

	offset.Store(int64(5 * time.Minute))
	if n := round(r); n != 0 {
		t.Fatalf("after 5 minutes nobody is due, %d reminded", n)
	}
	offset.Store(int64(11 * time.Minute))
	if n := round(r); n != 0 {
		t.Fatalf("with no operator online %d reminded", n)
	}
	if err := tickets.Heartbeat(ctx, "op-1"); err != nil {
		t.Fatal(err)
	}
	if err := tickets.Claim(ctx, claimed.User, claimed.ID, "op-1"); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(11*time.Minute + 30*time.Second))
	if n := round(r); n != 2 {
		t.Fatalf("after 11 minutes the two waiting people are told, once each: %d reminders", n)
	}
	// Another replica in the same round does nothing, even for someone just overdue.
	late := open("1004", "es")
	if err := tickets.Open(ctx, bot.Ticket{ID: "t-1005", User: store.UserKey(secret, bot.ChannelTelegram, "1005"), Channel: bot.ChannelTelegram,
		Address: "1005", Lang: "es", At: start}); err != nil {
		t.Fatal(err)
	}
	if n, err := other.Round(ctx); n != 0 || err != nil {
		t.Fatalf("a second replica in the same round sent %d (%v)", n, err)
	}
	if err := tickets.Leave(ctx, late); err != nil {
		t.Fatal(err)
	}
	if err := tickets.Leave(ctx, bot.Ticket{ID: "t-1005", User: store.UserKey(secret, bot.ChannelTelegram, "1005")}); err != nil {
		t.Fatal(err)
	}
	got := ch.delivered(2)
	if len(got) != 2 {
		t.Fatalf("delivered %+v", got)
	}
	for _, m := range got {
		switch m.Address {
		case "1001":
			if !strings.Contains(m.Text, "Sigues en la fila") {
				t.Errorf("Spanish reminder: %q", m.Text)
			}
		case "1002":
			if !strings.Contains(m.Text, "still in line") {
				t.Errorf("English reminder: %q", m.Text)
			}
		default:
			t.Errorf("a reminder went to %q, whose chat an operator has", m.Address)
		}
	}
	offset.Store(int64(15 * time.Minute))
	if n := round(r); n != 0 {
		t.Fatalf("4 minutes after a reminder, another: %d", n)
	}
	offset.Store(int64(22 * time.Minute))
	if n := round(r); n != 2 {
		t.Fatalf("10 minutes after the last reminder, want 2 more, got %d", n)
	}
	offset.Store(int64(9 * time.Hour)) // 19:00, the office closed
	if n := round(r); n != 0 {
		t.Fatalf("out of office hours %d reminded", n)
	}
}
