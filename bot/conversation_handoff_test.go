package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// memTickets is an in-memory bot.Tickets that records what the conversation asked.
type memTickets struct {
	mu      sync.Mutex
	opened  []bot.Ticket
	relayed []bot.Relayed
	left    int
	closed  map[string]bool
}

func (m *memTickets) Open(_ context.Context, t bot.Ticket) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.opened = append(m.opened, t)
	return nil
}
func (m *memTickets) Relay(_ context.Context, _ bot.Ticket, r bot.Relayed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.relayed = append(m.relayed, r)
	return nil
}
func (m *memTickets) Leave(context.Context, bot.Ticket) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.left++
	return nil
}
func (m *memTickets) Closed(_ context.Context, t bot.Ticket) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed[t.ID], nil
}

type events struct {
	mu sync.Mutex
	n  map[string]int
}

func (e *events) Event(name string)     { e.mu.Lock(); e.n[name]++; e.mu.Unlock() }
func (e *events) EffectFailed(n string) { e.mu.Lock(); e.n["failed:"+n]++; e.mu.Unlock() }
func (e *events) get(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[name]
}

// handoffRig is a conversation on Redis with tickets, office hours, a blocked list and
// a notification hook, all observable.
type handoffRig struct {
	conv         *bot.Conversation
	tickets      *memTickets
	events       *events
	blockedAsks  atomic.Int64
	blocked      atomic.Bool
	blockedErr   atomic.Bool
	notified     atomic.Int64
	online, open atomic.Bool
}

// friday10 is a Friday morning in Lima; monday9 the next opening after a Friday night.
var (
	lima     = time.FixedZone("PET", -5*3600)
	friday10 = time.Date(2026, 11, 27, 10, 0, 0, 0, lima)
	monday9  = time.Date(2026, 11, 30, 9, 0, 0, 0, lima)
)

func newHandoffRig(t testing.TB, c redis.UniversalClient) *handoffRig {
	t.Helper()
	r := &handoffRig{tickets: &memTickets{closed: map[string]bool{}}, events: &events{n: map[string]int{}}}
	r.online.Store(true)
	r.open.Store(true)
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return friday10 },
		Tickets: r.tickets, Events: r.events,
		OperatorsOnline: func(context.Context) bool { return r.online.Load() },
		OfficeHours: func(time.Time) (bool, time.Time) {
			if r.open.Load() {
				return true, time.Time{}
			}
			return false, monday9
		},
		Blocked: func(ctx context.Context, user string) (bool, error) {
			r.blockedAsks.Add(1)
			c.Exists(ctx, "faro:test:blocked:"+user) // the round trip a real store makes
			if r.blockedErr.Load() {
				return false, errors.New("redis: connection refused")
			}
			return r.blocked.Load(), nil
		},
		TicketOpened: func(context.Context) { r.notified.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	r.conv = conv
	return r
}

func (r *handoffRig) say(t *testing.T, addr, id, text string) string {
	t.Helper()
	out, err := r.conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, Address: addr, MessageID: id, Text: text})
	if err != nil {
		t.Fatalf("Handle(%q): %v", text, err)
	}
	var b strings.Builder
	for _, o := range out {
		b.WriteString(bot.NumberedText(o))
	}
	return b.String()
}

func TestHandoffBlockedOfficeHoursAndNotification(t *testing.T) {
	c := storetest.Start(t)

	t.Run("an ordinary message never asks whether she is blocked", func(t *testing.T) {
		r := newHandoffRig(t, c)
		r.say(t, "100", "1", "hola")
		r.say(t, "100", "2", "4")
		r.say(t, "100", "3", "auxilio")
		if n := r.blockedAsks.Load(); n != 0 {
			t.Fatalf("Blocked asked %d times for messages that asked for no person", n)
		}
	})

	t.Run("a blocked person gets the numbers as if nobody could answer: no ticket, no message left, no notification", func(t *testing.T) {
		r := newHandoffRig(t, c)
		r.blocked.Store(true)
		got := r.say(t, "101", "1", "quiero hablar con una persona")
		if len(r.tickets.opened) != 0 || r.notified.Load() != 0 {
			t.Fatalf("a blocked person opened a ticket: %+v", r.tickets.opened)
		}
		if !strings.Contains(got, "no hay nadie conectado") || !strings.Contains(got, "105") || strings.Contains(got, "dejar un mensaje") {
			t.Fatalf("want the numbers and nobody to answer, without the offer to leave a message:\n%s", got)
		}
		if n := r.blockedAsks.Load(); n != 1 {
			t.Fatalf("Blocked asked %d times, want once", n)
		}
		// out of hours too: no offer to leave a message
		r.open.Store(false)
		if got := r.say(t, "101", "2", "persona"); strings.Contains(got, "dejar un mensaje") || len(r.tickets.opened) != 0 {
			t.Fatalf("out of hours a blocked person is offered to leave a message:\n%s", got)
		}
		// a call for help is answered the same
		if got := r.say(t, "101", "3", "me están pegando"); !strings.Contains(got, "105") {
			t.Fatalf("a blocked person's call for help must get the numbers:\n%s", got)
		}
	})

	t.Run("when the store cannot tell, she is not taken to be blocked", func(t *testing.T) {
		r := newHandoffRig(t, c)
		r.blockedErr.Store(true)
		r.say(t, "102", "1", "persona")
		if len(r.tickets.opened) != 1 || r.events.get("failed:blocked") != 1 {
			t.Fatalf("tickets %+v, events %v", r.tickets.opened, r.events.n)
		}
	})

	t.Run("out of hours: when someone is back, a message left opens a ticket, once notified", func(t *testing.T) {
		r := newHandoffRig(t, c)
		r.open.Store(false)
		got := r.say(t, "103", "1", "persona")
		if !strings.Contains(got, "el lunes a las 9:00") || !strings.Contains(got, "105") || len(r.tickets.opened) != 0 {
			t.Fatalf("out of hours: want the numbers and Monday at 9:00, no ticket yet:\n%s", got)
		}
		r.say(t, "103", "2", "1") // yes, leave a message
		r.say(t, "103", "3", "hola, necesito ayuda con un trámite")
		r.tickets.mu.Lock()
		opened, relayed := len(r.tickets.opened), len(r.tickets.relayed)
		r.tickets.mu.Unlock()
		if opened != 1 || relayed != 1 || r.notified.Load() != 1 {
			t.Fatalf("want one ticket, one message relayed, one notification; got %d, %d, %d", opened, relayed, r.notified.Load())
		}
		// the same message redelivered opens nothing more and notifies nobody again
		r.say(t, "103", "2", "1")
		if len(r.tickets.opened) != 1 || r.notified.Load() != 1 {
			t.Fatalf("a redelivered message opened or notified again: %d, %d", len(r.tickets.opened), r.notified.Load())
		}
	})

	t.Run("closed by the operator: back at the menu, a tap rates it", func(t *testing.T) {
		r := newHandoffRig(t, c)
		r.say(t, "104", "1", "persona")
		r.tickets.mu.Lock()
		r.tickets.closed[r.tickets.opened[0].ID] = true
		r.tickets.mu.Unlock()
		out, err := r.conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, Address: "104", MessageID: "2", Payload: "handoff_rate#1", Text: "Sí, me ayudó"})
		if err != nil || len(out) != 1 || !strings.Contains(out[0].Text, "Gracias por contarnos") || len(out[0].Buttons) != 10 {
			t.Fatalf("the rating tap: want thanks and the main menu, got %+v (%v)", out, err)
		}
		if r.events.get("rating_good") != 1 || len(r.tickets.relayed) != 0 {
			t.Fatalf("want one rating_good and nothing relayed, got %v, %d relayed", r.events.n, len(r.tickets.relayed))
		}
	})
}

// countHook counts the Redis commands a client sends.
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}

// TestOrdinaryMessageCostsNoExtraRedisCall counts the Redis commands of ordinary
// messages with and without handoff configured: the same.
func TestOrdinaryMessageCostsNoExtraRedisCall(t *testing.T) {
	count := func(handoff bool) int64 {
		c := storetest.Start(t)
		var conv *bot.Conversation
		if handoff {
			conv = newHandoffRig(t, c).conv
		} else {
			conv = newFixture(t, c).conv
		}
		send := func(addr string) {
			for i, text := range []string{"hola", "4", "1", "0", "donde me hago la prueba de vih"} {
				if _, err := conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, Address: addr, MessageID: strconv.Itoa(i), Text: text}); err != nil {
					t.Fatal(err)
				}
			}
		}
		send("199") // someone else first: connections dialled and scripts loaded are not counted
		h := &countHook{}
		c.AddHook(h)
		send("200")
		return h.n.Load()
	}
	plain, with := count(false), count(true)
	if plain == 0 || with != plain {
		t.Fatalf("Redis commands for 5 ordinary messages: %d without handoff, %d with", plain, with)
	}
}

// BenchmarkHandleOrdinary compares Handle for an ordinary message (a menu choice) with
// and without handoff configured (tickets, presence, office hours, the blocked list):
// the person who does not ask for a human must pay nothing for it.
//
//	go test ./bot -run '^$' -bench HandleOrdinary -count 6
func BenchmarkHandleOrdinary(b *testing.B) {
	for _, handoff := range []bool{false, true} {
		name := "plain"
		if handoff {
			name = "handoff"
		}
		b.Run(name, func(b *testing.B) {
			c := storetest.Start(b)
			var conv *bot.Conversation
			if handoff {
				r := newHandoffRig(b, c)
				r.open.Store(false) // out of hours: the costlier answer of the office hours
				conv = r.conv
			} else {
				conv = newFixture(b, c).conv
			}
			ctx := context.Background()
			texts := []string{"4", "0"}
			if _, err := conv.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, Address: "300", MessageID: "start", Text: "hola"}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := bot.Inbound{Channel: bot.ChannelTelegram, Address: "300", MessageID: strconv.Itoa(i), Text: texts[i%2]}
				if _, err := conv.Handle(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
