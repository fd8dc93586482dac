package bot_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// eraseChannel is a channel whose platform deletes messages: it answers each
// DeleteCopies with the next queued error (nil once none is left), and records what
// it deleted and what it was given to send.
type eraseChannel struct {
	mu      sync.Mutex
	errs    []error
	calls   int
	deleted []string
	sent    []bot.Outbound
}

func (c *eraseChannel) Name() string                { return bot.ChannelTelegram }
func (c *eraseChannel) Routes() []bot.Route         { return nil }
func (c *eraseChannel) Close(context.Context) error { return nil }
func (c *eraseChannel) Outlet() bot.Outlet {
	return bot.Outlet{Deliverer: bot.DelivererFunc(func(_ context.Context, m bot.Outbound) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.sent = append(c.sent, m)
		return nil
	})}
}

func (c *eraseChannel) DeleteCopies(_ context.Context, _ string, ids []string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if len(c.errs) > 0 {
		err := c.errs[0]
		c.errs = c.errs[1:]
		if err != nil {
			return ids, err
		}
	}
	c.deleted = append(c.deleted, ids...)
	return nil, nil
}

type countEvents struct {
	mu     sync.Mutex
	events map[string]int
}

func (e *countEvents) Event(name string) { e.mu.Lock(); e.events[name]++; e.mu.Unlock() }
func (e *countEvents) EffectFailed(name string) {
	e.mu.Lock()
	e.events["failed:"+name]++
	e.mu.Unlock()
}

type keyTexts struct{}

func (keyTexts) Text(lang, key string, _ any) string { return lang + ":" + key }

func newForgetter(t *testing.T, ch *eraseChannel, retry bot.RetryPolicy) (*bot.Forgetter, *bot.Hub, *countEvents) {
	t.Helper()
	hub := bot.NewHub(bot.HubConfig{})
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	ev := &countEvents{events: map[string]int{}}
	return bot.NewForgetter(bot.ForgetterConfig{Hub: hub, Texts: keyTexts{}, Retry: retry, Events: ev}), hub, ev
}

// TestForgetterCloseCutsTheWait: a deletion whose next retry is minutes away (Twilio's
// "not finished yet") does not hold a shutdown: Close stops the wait at once, counts
// the copies not deleted, and the person is told that some remain, before the hub
// drains.
func TestForgetterCloseCutsTheWait(t *testing.T) {
	ch := &eraseChannel{errs: []error{bot.Retryable("not_final", errors.New("20009"))}}
	f, hub, ev := newForgetter(t, ch, bot.RetryPolicy{BaseDelay: 10 * time.Minute, MaxDelay: 10 * time.Minute, MaxElapsed: time.Hour})
	f.Forget(bot.Forgotten{Channel: bot.ChannelTelegram, Address: "42", Lang: "pt", IDs: []string{"7", "8"}})
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ch.mu.Lock()
		n := ch.calls
		ch.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no attempt made")
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close waited %v for a retry ten minutes away", d)
	}
	if err := hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ch.sent) != 1 || ch.sent[0].Address != "42" || ch.sent[0].Text != "pt:erase.failed.telegram" {
		t.Errorf("told %+v; want the failed text in her language, to her", ch.sent)
	}
	if ev.events["failed:"+bot.EffectEraseCopies] != 2 || ev.events[bot.EventCopyDeleted] != 0 {
		t.Errorf("counted %v; want 2 copies not deleted", ev.events)
	}
}

// TestForgetterRetriesThenDeletes: a 5xx is retried, then the copies are deleted, and
// the person is told nothing more.
func TestForgetterRetriesThenDeletes(t *testing.T) {
	ch := &eraseChannel{errs: []error{bot.Retryable("server_error", errors.New("502")), nil}}
	f, hub, ev := newForgetter(t, ch, bot.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxElapsed: time.Second})
	f.Forget(bot.Forgotten{Channel: bot.ChannelTelegram, Address: "42", Lang: "es", IDs: []string{"7", "8", "9"}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		ch.mu.Lock()
		n := len(ch.deleted)
		ch.mu.Unlock()
		if n == 3 {
			break
		}
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if ch.calls != 2 || len(ch.deleted) != 3 || len(ch.sent) != 0 {
		t.Errorf("calls %d, deleted %v, sent %v; want 2 calls, 3 deleted, nothing said", ch.calls, ch.deleted, ch.sent)
	}
	if ev.events[bot.EventCopyDeleted] != 3 || ev.events["failed:"+bot.EffectEraseCopies] != 0 {
		t.Errorf("counted %v", ev.events)
	}
}

// lostStore commits everything, and answers an erase as the store does when the erase
// had been carried out by an earlier run of the same attempt: its platform ids lost.
type lostStore struct{}

func (lostStore) Commit(_ context.Context, _ string, ch session.Change) (session.Result, error) {
	if ch.Erase {
		return session.Result{CopiesLost: true}, nil
	}
	return session.Result{Saved: []byte("x")}, nil
}

// TestEraseReplyOnEachChannel: on Telegram the erase's reply says what is deleted at
// the platform and how to delete the chat, and the Forgetter gets the platform ids;
// when those ids were lost (an erase the Redis client sent twice), the reply says
// that some copies remain instead, and nothing is handed on; elsewhere (the terminal
// chat) it says neither.
func TestEraseReplyOnEachChannel(t *testing.T) {
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	for _, tc := range []struct {
		name    string
		store   session.Store
		channel string
		want    []string
		forgets int
	}{
		{"telegram", session.NewRedis(storetest.Start(t), session.Options{}), bot.ChannelTelegram, []string{"erase.chat.telegram", "erase.steps.telegram"}, 1},
		{"telegram, ids lost", lostStore{}, bot.ChannelTelegram, []string{"erase.failed.telegram", "erase.steps.telegram"}, 0},
		{"terminal", session.NewRedis(storetest.Start(t), session.Options{}), bot.ChannelCLI, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []bot.Forgotten
			conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: tc.store, Secret: secret,
				Forget: func(f bot.Forgotten) { got = append(got, f) }})
			if err != nil {
				t.Fatal(err)
			}
			var out []bot.Outbound
			for i, text := range []string{"hola", "borrar", "1"} {
				in := bot.Inbound{Channel: tc.channel, Address: "3141", MessageID: "u" + strconv.Itoa(i), ChatMessageID: strconv.Itoa(60 + i), Text: text}
				if out, err = conv.Handle(context.Background(), in); err != nil {
					t.Fatal(err)
				}
			}
			if len(out) != 1 {
				t.Fatalf("erase reply: %+v", out)
			}
			for _, k := range []string{"erase.chat.telegram", "erase.steps.telegram", "erase.failed.telegram"} {
				said := strings.Contains(out[0].Text, strings.TrimSpace(texts.Text("es", k, nil)))
				if said != slices.Contains(tc.want, k) {
					t.Errorf("%s said: %v, want %v:\n%s", k, said, !said, out[0].Text)
				}
			}
			if len(got) != tc.forgets {
				t.Fatalf("handed on %d erases, want %d", len(got), tc.forgets)
			}
			if tc.forgets == 1 {
				slices.Sort(got[0].IDs)
				if got[0].Address != "3141" || got[0].Lang != "es" || !slices.Equal(got[0].IDs, []string{"60", "61", "62"}) {
					t.Errorf("handed on %+v; want her 3 messages", got[0])
				}
			}
		})
	}
}

// BenchmarkHandleCopies is what keeping the platform's ids costs a message, on a real
// redis-server with sealed sessions: "without" is a message with no platform id (as
// before), "with" seals and keeps hers in the commit and the bot's reply's after it
// (session.Redis.KeepCopy, as faro serve does on delivery: in the background, batched
// with the next commits), all written before the time stops.
//
//	go test ./bot -run '^$' -bench HandleCopies -count 6
func BenchmarkHandleCopies(b *testing.B) {
	for _, with := range []bool{false, true} {
		name := "without"
		if with {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			c := storetest.Start(b)
			e, texts := flowstest.Engine(b, flowstest.NewDirectory())
			batch := store.NewBatcher(c, 0, 0)
			st := session.NewRedis(c, session.Options{Secret: secret, Batcher: batch})
			conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: st, Secret: secret})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			users := 1000
			for u := range users {
				if _, err := conv.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, Address: strconv.Itoa(u), MessageID: "start", Text: "hola"}); err != nil {
					b.Fatal(err)
				}
			}
			msgs := []string{"4", "atrás"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				addr := strconv.Itoa(i % users)
				in := bot.Inbound{Channel: bot.ChannelTelegram, Address: addr, MessageID: strconv.Itoa(i), Text: msgs[(i/users)%2]}
				if with {
					in.ChatMessageID = strconv.Itoa(1000000 + i)
				}
				if _, err := conv.Handle(ctx, in); err != nil {
					b.Fatal(err)
				}
				if with {
					st.KeepCopy(store.UserKey(secret, bot.ChannelTelegram, addr), strconv.Itoa(2000000+i), 48*time.Hour, time.Now())
				}
				i++
			}
			if err := batch.Flush(ctx); err != nil { // the reply ids kept are in the time
				b.Fatal(err)
			}
		})
	}
}
