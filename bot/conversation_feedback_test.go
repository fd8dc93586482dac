package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/feedback"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// TestFeedbackFromTheConversation: after a list of services, one tap says it helped;
// a wrong number reported about a place of the list is kept with that place's id and
// the words, nowhere in the clear and under no key of the person; a call for help typed
// in place of a report gets the numbers and files nothing; the statistics count the
// report by kind and the tap.
func TestFeedbackFromTheConversation(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	rec := stats.New(c, stats.Options{})
	fb, err := feedback.New(c, secret, feedback.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Stats: rec, Feedback: fb,
	})
	if err != nil {
		t.Fatal(err)
	}
	const addr = "+51987654321"
	at := time.Date(2026, 11, 30, 15, 0, 0, 0, stats.Lima())
	var last string
	for i, text := range []string{
		"hola", "2", "1", "san juan de lurigancho", "5", // a list, «sí, me sirvió»
		"2", "1", "7", "1", "1", "no contestan nunca", // a list, «avisar un dato errado», the first place, the number
		"2", "1", "7", "2", "3", "me están pegando", // a call for help instead of a report
	} {
		at = at.Add(time.Minute)
		out, err := conv.Handle(ctx, bot.Inbound{Channel: bot.ChannelWhatsApp, Address: addr, MessageID: "m" + string(rune('a'+i)), Text: text, ReceivedAt: at})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		last = ""
		for _, o := range out {
			last += o.Text
		}
	}
	if !strings.Contains(last, "105") {
		t.Errorf("a call for help at the report's question got %q, want the numbers", last)
	}

	list, err := fb.List(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d reports kept, want 1 (a call for help is not a report)", len(list))
	}
	r := list[0]
	if r.Kind != "wrong_number" || r.Text != "no contestan nunca" || !strings.HasPrefix(r.Entry, "s") || r.Lang != "es" {
		t.Errorf("report %+v, want wrong_number about a place of the list with the words", r)
	}

	// The person's keys hold nothing of the report, and no key holds its words in
	// the clear; the report's keys name no person.
	user := store.UserKey(secret, bot.ChannelWhatsApp, addr)
	keys, _ := c.Keys(ctx, "*").Result()
	for _, k := range keys {
		dump, _ := c.Dump(ctx, k).Result()
		if strings.Contains(dump, "contestan") {
			t.Errorf("key %q holds the report's words in the clear", k)
		}
		if strings.HasPrefix(k, "faro:{feedback}:") && strings.Contains(dump, user) {
			t.Errorf("key %q holds the person's key", k)
		}
	}

	if err := rec.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := c.HGetAll(ctx, rec.Key(rec.Day(at))).Result()
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"feedback:wrong_number": "1", "helped:yes": "1", "ev:emergency": "1"} {
		if got[field] != want {
			t.Errorf("stats %s = %q, want %s", field, got[field], want)
		}
	}
	for field := range got {
		if strings.Contains(field, "contestan") || strings.Contains(field, user) {
			t.Errorf("stats field %q names the report or the person", field)
		}
	}
}
