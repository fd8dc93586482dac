package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/faro-chat/faro/locales"
	"github.com/redis/go-redis/v9"
)

var secret = []byte("test-secret-0123456789abcdef")

type fixture struct {
	conv *bot.Conversation
	logs *bytes.Buffer
	c    redis.UniversalClient
}

func newFixture(t testing.TB, c redis.UniversalClient) *fixture {
	t.Helper()
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	logs := &bytes.Buffer{}
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:    func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{conv: conv, logs: logs, c: c}
}

const phone = "+51987654321"

func msg(id, text string) bot.Inbound {
	return bot.Inbound{Channel: bot.ChannelWhatsApp, Address: phone, MessageID: id, Text: text}
}

func (f *fixture) say(t *testing.T, in bot.Inbound) []bot.Outbound {
	t.Helper()
	out, err := f.conv.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("Handle(%q): %v", in.Text, err)
	}
	return out
}

func (f *fixture) assertNoPersonalData(t *testing.T, texts ...string) {
	t.Helper()
	logs := f.logs.String()
	for _, s := range append(texts, phone, "987654321") {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("logs contain %q:\n%s", s, logs)
		}
	}
}

func TestConversationOnRedis(t *testing.T) {
	f := newFixture(t, storetest.Start(t))
	ctx := context.Background()

	out := f.say(t, msg("1", "hola"))
	if len(out) != 1 || out[0].Address != phone || len(out[0].Buttons) != 10 {
		t.Fatalf("hola: want one reply to the sender with the 10 options of the main menu, got %+v", out)
	}
	out = f.say(t, msg("2", "4"))
	if len(out) != 1 || !strings.Contains(out[0].Text, "105") {
		t.Fatalf("option 4 (violence) should say the 105, got %+v", out)
	}

	t.Run("a replayed message gets no second reply and does not move the conversation", func(t *testing.T) {
		if out := f.say(t, msg("2", "4")); len(out) != 0 {
			t.Fatalf("replayed message answered again: %+v", out)
		}
		// the conversation is still in the violence menu: "1" is what to do now
		out := f.say(t, msg("3", "1"))
		if len(out) != 1 || len(out[0].Buttons) == 0 {
			t.Fatalf("after the replay the menu should still answer, got %+v", out)
		}
	})

	t.Run("the user's keys are an HMAC and expire", func(t *testing.T) {
		keys, _ := f.c.Keys(ctx, "*").Result()
		if len(keys) == 0 {
			t.Fatal("nothing stored")
		}
		for _, k := range keys {
			if strings.Contains(k, "987654321") {
				t.Errorf("key %s holds the phone number", k)
			}
			if ttl, _ := f.c.TTL(ctx, k).Result(); ttl <= 0 {
				t.Errorf("key %s has no TTL", k)
			}
		}
	})

	t.Run("erase deletes every key of the user", func(t *testing.T) {
		f.say(t, msg("4", "borrar"))
		out := f.say(t, msg("5", "1"))
		if len(out) != 1 || len(out[0].Buttons) != 0 {
			t.Fatalf("erase confirmation should answer with no options, got %+v", out)
		}
		tomb := store.KeysOf("", store.UserKey(secret, bot.ChannelWhatsApp, phone)).Tombstone()
		if keys, _ := f.c.Keys(ctx, "*").Result(); len(storetest.Left(ctx, f.c, keys)) != 0 || !slices.Contains(keys, tomb) {
			t.Fatalf("after erase these keys remain: %v; want the tombstone only", keys)
		}
		if out := f.say(t, msg("5", "1")); len(out) != 0 {
			t.Fatalf("the confirmation delivered again was answered: %+v", out)
		}
		if keys, _ := f.c.Keys(ctx, "*").Result(); len(storetest.Left(ctx, f.c, keys)) != 0 {
			t.Fatalf("the confirmation delivered again brought keys back: %v", keys)
		}
		out = f.say(t, msg("6", "hola"))
		if len(out) != 1 || !strings.Contains(out[0].Text, "Faro") {
			t.Fatalf("after erase the next message starts over with the welcome, got %+v", out)
		}
	})

	t.Run("the language the phone reports is used for a new user", func(t *testing.T) {
		in := bot.Inbound{Channel: bot.ChannelTelegram, Address: "555", MessageID: "1", Text: "hi", LangHint: "en-US"}
		out := f.say(t, in)
		if len(out) != 1 || !strings.Contains(out[0].Text, "a free and confidential chat") {
			t.Fatalf("an English phone should get English, got %+v", out)
		}
	})

	t.Run("deep link code is kept in the session", func(t *testing.T) {
		in := bot.Inbound{Channel: bot.ChannelTelegram, Address: "777", MessageID: "1", Start: true, StartCode: "redtrasex"}
		f.say(t, in)
		key := store.UserKey(secret, bot.ChannelTelegram, "777")
		v, err := f.c.Get(ctx, session.NewRedis(f.c, session.Options{}).SessionKey(key)).Result()
		if err != nil || !strings.Contains(v, "redtrasex") {
			t.Fatalf("session %q (err %v) should hold the organization code", v, err)
		}
	})

	f.assertNoPersonalData(t, "hola", "borrar")
}

func TestRedisDownStillAnswersEmergency(t *testing.T) {
	c, err := store.Dial("redis://127.0.0.1:1/0", "") // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := newFixture(t, c)

	out, err := f.conv.Handle(context.Background(), msg("1", "me están pegando"))
	if !errors.Is(err, bot.ErrStoreUnavailable) {
		t.Fatalf("want ErrStoreUnavailable, got %v", err)
	}
	if len(out) != 1 || !strings.Contains(out[0].Text, "105") || !strings.Contains(out[0].Text, "100") {
		t.Fatalf("with Redis down a call for help must still get the numbers, got %+v", out)
	}

	out, err = f.conv.Handle(context.Background(), msg("2", "hola"))
	if !errors.Is(err, bot.ErrStoreUnavailable) {
		t.Fatalf("want ErrStoreUnavailable, got %v", err)
	}
	if len(out) != 1 || !strings.Contains(out[0].Text, "105") {
		t.Fatalf("with Redis down any message gets an apology with the numbers, got %+v", out)
	}

	out, _ = f.conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelWhatsApp, Address: phone, MessageID: "3", Text: "help me", LangHint: "es"})
	if len(out) != 1 || !strings.Contains(out[0].Text, "numbers") {
		t.Fatalf("an English call for help with Redis down should be answered in English, got %+v", out)
	}
	f.assertNoPersonalData(t, "me están pegando", "hola")
}

func TestEraseFailureIsNotReportedAsDone(t *testing.T) {
	c := storetest.Start(t)
	f := newFixture(t, c)
	f.say(t, msg("1", "hola"))
	f.say(t, msg("2", "borrar"))
	// Redis fails the DEL of the confirmation.
	g := newFixture(t, &eraseFails{UniversalClient: c})
	out, err := g.conv.Handle(context.Background(), msg("3", "1"))
	if !errors.Is(err, bot.ErrStoreUnavailable) {
		t.Fatalf("want ErrStoreUnavailable when erase fails, got %v", err)
	}
	done, _ := locales.Default()
	if len(out) != 1 || strings.Contains(out[0].Text, done.Text("es", "erase.done", nil)) {
		t.Fatalf("a failed erase must not say it is done, got %+v", out)
	}
}

// eraseFails is a Redis that fails the write of an erase, as when the server goes
// away mid-conversation.
type eraseFails struct{ redis.UniversalClient }

func (e *eraseFails) Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	p := e.UniversalClient.Pipeline()
	if err := fn(p); err != nil {
		return nil, err
	}
	for _, c := range p.Cmds() {
		if slices.Contains(c.Args(), any("erase")) {
			err := errors.New("connection reset")
			for _, c := range p.Cmds() {
				c.SetErr(err)
			}
			return p.Cmds(), err
		}
	}
	return p.Exec(ctx)
}
