package handoff_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
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

// cmdCount counts the Redis commands a client sends.
type cmdCount struct{ n atomic.Int64 }

func (h *cmdCount) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *cmdCount) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *cmdCount) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}

// personConversation is the conversation as faro serve wires it: the ticket store for
// tickets, presence (kept in memory by Run) and the blocked list, and office hours.
func personConversation(t *testing.T, rdb redis.UniversalClient, withHandoff bool) (*bot.Conversation, *handoff.Store) {
	t.Helper()
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	cfg := bot.Config{Engine: e, Texts: texts, Store: session.NewRedis(rdb, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler)}
	if !withHandoff {
		conv, err := bot.NewConversation(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return conv, nil
	}
	tickets, err := handoff.New(rdb, secret, handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = tickets.Run(ctx) }()
	hours, err := handoff.NewHours("Mo-Su 00:00-24:00", nil, "America/Lima")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tickets, cfg.OperatorsOnline, cfg.Blocked, cfg.OfficeHours = tickets, tickets.Online, tickets.Blocked, hours.At
	conv, err := bot.NewConversation(cfg)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // Run is live: presence from memory
	return conv, tickets
}

func handle(t *testing.T, conv *bot.Conversation, addr, id, text string) string {
	t.Helper()
	out, err := conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, Address: addr, MessageID: id, Text: text})
	if err != nil {
		t.Fatalf("Handle(%q): %v", text, err)
	}
	var b strings.Builder
	for _, o := range out {
		b.WriteString(bot.NumberedText(o))
	}
	return b.String()
}

// TestPersonNotAskingForAHumanPaysNothing counts the Redis commands of ordinary
// messages on the real ticket store, with presence kept by Run, office hours and the
// blocked list, against a conversation without handoff: the same.
func TestPersonNotAskingForAHumanPaysNothing(t *testing.T) {
	count := func(withHandoff bool) int64 {
		rdb := storetest.Start(t)
		conv, _ := personConversation(t, rdb, withHandoff)
		messages := []string{"hola", "4", "1", "0", "donde me hago la prueba de vih", "me están pegando"}
		// Someone else first: connections dialled and scripts loaded are not counted.
		for i, text := range messages {
			handle(t, conv, "4141", strconv.Itoa(i), text)
		}
		h := &cmdCount{}
		rdb.AddHook(h)
		for i, text := range messages {
			handle(t, conv, "4242", strconv.Itoa(i), text)
		}
		return h.n.Load()
	}
	plain, with := count(false), count(true)
	if plain == 0 || with != plain {
		t.Fatalf("Redis commands for 6 messages asking for no person: %d without handoff, %d with", plain, with)
	}
}

// TestBlockedPersonOnTheRealStore: once an operator blocks her, asking for a person
// gets the numbers and opens no ticket; a call for help is answered as always.
func TestBlockedPersonOnTheRealStore(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Start(t)
	conv, tickets := personConversation(t, rdb, true)
	if err := tickets.Heartbeat(ctx, "op-1"); err != nil {
		t.Fatal(err)
	}
	user := store.UserKey(secret, bot.ChannelTelegram, "4343")
	if got := handle(t, conv, "4343", "1", "persona"); !strings.Contains(got, "Ya estás en la fila") {
		t.Fatalf("an operator online: she is in line, got:\n%s", got)
	}
	if err := tickets.Block(ctx, user, "op-1"); err != nil {
		t.Fatal(err)
	}
	handle(t, conv, "4343", "2", "hola")
	got := handle(t, conv, "4343", "3", "persona")
	if tk, err := tickets.Get(ctx, user); err != nil || tk.Open() {
		t.Fatalf("a blocked person has an open ticket: %+v (%v)", tk, err)
	}
	if !strings.Contains(got, "no hay nadie conectado") || !strings.Contains(got, "105") || strings.Contains(got, "dejar un mensaje") {
		t.Fatalf("blocked: want the numbers as if nobody could answer, got:\n%s", got)
	}
	if got := handle(t, conv, "4343", "4", "me quieren matar"); !strings.Contains(got, "105") {
		t.Fatalf("blocked: a call for help must get the numbers, got:\n%s", got)
	}
}
