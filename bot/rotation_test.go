package bot_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/redis/go-redis/v9"
)

var (
	secretA = []byte("rotation-secret-A-0123456789abcdef")
	secretB = []byte("rotation-secret-B-fedcba9876543210")
)

// rotated returns a conversation on c with the sealed session store of a deployment
// whose secret is current, and previous (nil: none) during a rotation; cacheSize 1
// makes (nearly) every message a cache miss.
func rotated(t testing.TB, c redis.UniversalClient, current, previous []byte, cacheSize int) (*bot.Conversation, *session.Redis) {
	t.Helper()
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	st := session.NewRedis(c, session.Options{Secret: current})
	conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: st, Secret: current, CacheSize: cacheSize,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if previous != nil {
		if err := st.Previous(previous); err != nil {
			t.Fatal(err)
		}
		if err := conv.Previous(previous); err != nil {
			t.Fatal(err)
		}
	}
	return conv, st
}

func say(t testing.TB, conv *bot.Conversation, id, text string) string {
	t.Helper()
	out, err := conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelWhatsApp, Address: phone, MessageID: id, Text: text})
	if err != nil || len(out) != 1 {
		t.Fatalf("Handle(%q): %v, %d replies", text, err, len(out))
	}
	return out[0].Text
}

// TestRotationKeepsOneRoundTrip: during a rotation, a person written under the
// previous secret is carried over at her first message (a few more round trips,
// once), and every later message costs one round trip, as without a rotation. Her
// social name comes with her; nothing of her is left under her previous name.
func TestRotationKeepsOneRoundTrip(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	before, _ := rotated(t, c, secretA, nil, 0)
	say(t, before, "1", "hola")
	say(t, before, "2", "me llamo Dani")

	conv, st := rotated(t, c, secretB, secretA, 0)
	if err := st.LoadScript(ctx); err != nil { // not per message
		t.Fatal(err)
	}
	rt := &roundTrips{}
	c.AddHook(rt)
	if reply := say(t, conv, "3", "10"); !strings.Contains(reply, "Más opciones") {
		t.Fatalf("after the switch she is not where she was: %q", reply)
	}
	first := rt.n.Load()
	t.Logf("the carry: %d round trips", first)
	if first < 2 || first > 6 {
		t.Errorf("the carry took %d round trips", first)
	}
	rt.n.Store(0)
	say(t, conv, "4", "0")
	if n := rt.n.Load(); n != 1 {
		t.Errorf("a message after the carry took %d round trips, want 1", n)
	}
	oldKey := store.UserKey(secretA, bot.ChannelWhatsApp, phone)
	for _, k := range store.KeysOf("", oldKey).All() {
		if c.Exists(ctx, k).Val() != 0 {
			t.Errorf("%s left under the previous name", k)
		}
	}
	raw, err := c.Get(ctx, store.KeysOf("", store.UserKey(secretB, bot.ChannelWhatsApp, phone)).Session()).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if s := st.Decode(raw).Session; s.Vars["name"] != "Dani" {
		t.Errorf("her session under the new name: %+v", s)
	}
	// sealed under B: without the previous secret it still opens
	if s := session.NewRedis(c, session.Options{Secret: secretB}).Decode(raw).Session; s.Vars["name"] != "Dani" {
		t.Errorf("not resealed under the current secret: %+v", s)
	}

	// After the window: a person last seen under A is a fresh start.
	say(t, before, "5", "hola") // written under A again (as by a replica not restarted)
	after, afterSt := rotated(t, c, secretB, nil, 0)
	c.Del(ctx, store.KeysOf("", store.UserKey(secretB, bot.ChannelWhatsApp, phone)).All()...)
	if reply := say(t, after, "6", "hola"); !strings.Contains(reply, "Soy Faro") || strings.Contains(reply, "Dani") {
		t.Errorf("after the window: %q", reply)
	}
	raw, err = c.Get(ctx, store.KeysOf("", store.UserKey(secretB, bot.ChannelWhatsApp, phone)).Session()).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if s := afterSt.Decode(raw).Session; s.Vars["name"] != "" {
		t.Errorf("after the window her name came back: %+v", s)
	}
}

// BenchmarkRotation is the cost of a message with and without a previous secret, on
// a real redis-server, sessions sealed: "hit" is a person who wrote recently (the
// normal path), "miss" one not in the cache (every message, with a cache of one).
// During a rotation a miss reads both names in one extra round trip; a hit costs the
// same. Compare the pairs of one run.
func BenchmarkRotation(b *testing.B) {
	for _, path := range []struct {
		name  string
		cache int
	}{{"hit", 0}, {"miss", 1}} {
		for _, rot := range []struct {
			name     string
			previous []byte
		}{{"none", nil}, {"previous", secretA}} {
			b.Run(path.name+"/"+rot.name, func(b *testing.B) {
				c := storetest.Start(b)
				conv, _ := rotated(b, c, secretB, rot.previous, path.cache)
				ctx := context.Background()
				const users = 1000
				for u := range users {
					in := bot.Inbound{Channel: bot.ChannelWhatsApp, Address: strconv.Itoa(u), MessageID: "start", Text: "hola"}
					if _, err := conv.Handle(ctx, in); err != nil {
						b.Fatal(err)
					}
				}
				texts := []string{"4", "atrás"}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					in := bot.Inbound{Channel: bot.ChannelWhatsApp, Address: strconv.Itoa(i % users), MessageID: strconv.Itoa(i), Text: texts[(i/users)%2]}
					if _, err := conv.Handle(ctx, in); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
