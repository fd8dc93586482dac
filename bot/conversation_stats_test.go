package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// statsTrips counts the commands and pipelines a client sends (its connection set-up
// aside).
type statsTrips struct{ n atomic.Int64 }

func (h *statsTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *statsTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if n := cmd.Name(); n != "hello" && n != "select" && n != "client" && n != "auth" {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (h *statsTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if n := c.Name(); n != "hello" && n != "select" && n != "client" && n != "auth" {
				h.n.Add(1)
				break
			}
		}
		return next(ctx, cmds)
	}
}

// TestStatsOncePerDayAndNobodyInThem: a person's first message of the day counts a
// new conversation, the next ones that day do not, the next day's does; the code of
// a deep link counts for its organization; counting costs the conversation no round
// trip; and nothing in Redis's statistics names a person.
func TestStatsOncePerDayAndNobodyInThem(t *testing.T) {
	c := storetest.Start(t)
	// The statistics on their own client, to count its round trips; same database.
	sc := redis.NewClient(c.Options())
	defer sc.Close()
	trips := &statsTrips{}
	sc.AddHook(trips)
	rec := stats.New(sc, stats.Options{})
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Stats: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	lima := stats.Lima()
	day1 := time.Date(2026, 11, 30, 9, 0, 0, 0, lima)
	day2 := time.Date(2026, 12, 1, 0, 30, 0, 0, lima)
	const chatID = "700002"
	const wa = "+51987654321"
	id := 0
	say := func(ch, addr, text string, at time.Time, start bool, code string) {
		t.Helper()
		id++
		in := bot.Inbound{Channel: ch, Address: addr, MessageID: "m" + string(rune('a'+id%26)) + at.Format("150405") + text,
			Text: text, ReceivedAt: at, Start: start, StartCode: code}
		if _, err := conv.Handle(context.Background(), in); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
	}
	// Day 1: the WhatsApp person writes four times; the Telegram person comes by a
	// deep link, then writes again in the evening (21:00 in Lima is 02:00 UTC the next day).
	say(bot.ChannelWhatsApp, wa, "hola", day1, false, "")
	say(bot.ChannelWhatsApp, wa, "4", day1.Add(time.Minute), false, "")
	say(bot.ChannelWhatsApp, wa, "me están pegando", day1.Add(2*time.Minute), false, "")
	say(bot.ChannelWhatsApp, wa, "zzqx blorf", day1.Add(3*time.Minute), false, "")
	say(bot.ChannelTelegram, chatID, "/start ORG_lima-1", day1.Add(time.Hour), true, "ORG_lima-1")
	say(bot.ChannelTelegram, chatID, "2", day1.Add(12*time.Hour), false, "")
	// Day 2, half past midnight in Lima: both are new again.
	say(bot.ChannelWhatsApp, wa, "hola", day2, false, "")
	say(bot.ChannelTelegram, chatID, "menu", day2, false, "")
	if n := trips.n.Load(); n != 0 {
		t.Fatalf("the statistics cost %d round trips during the conversation, want 0", n)
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := trips.n.Load(); n != 1 {
		t.Errorf("flush: %d round trips, want 1 pipeline", n)
	}
	ctx := context.Background()
	d1 := c.HGetAll(ctx, "faro:stats:20261130").Val()
	d2 := c.HGetAll(ctx, "faro:stats:20261201").Val()
	for _, w := range []struct {
		day   map[string]string
		field string
		want  string
	}{
		{d1, "conv:-:whatsapp:es", "1"},
		{d1, "conv:ORG_lima-1:telegram:es", "1"},
		{d2, "conv:-:whatsapp:es", "1"},
		{d2, "conv:ORG_lima-1:telegram:es", "1"}, // the organization stays with her session
		{d1, "ev:emergency", "1"},
		{d1, "topic:home", "2"},
	} {
		if got := w.day[w.field]; got != w.want {
			t.Errorf("%s = %q, want %s (day: %v)", w.field, got, w.want, w.day)
		}
	}
	var misses int
	for f := range d1 {
		if strings.HasPrefix(f, "miss:") {
			misses++
		}
	}
	if misses == 0 {
		t.Errorf("no understanding miss counted: %v", d1)
	}

	// Nothing in the statistics names a person: scan every key of the database.
	personal := []string{
		store.UserKey(secret, bot.ChannelWhatsApp, wa), store.UserKey(secret, bot.ChannelTelegram, chatID),
		wa, "987654321", chatID, "pegando", "blorf",
	}
	iter := c.Scan(ctx, 0, "faro:stats:*", 100).Iterator()
	keys := 0
	for iter.Next(ctx) {
		k := iter.Val()
		keys++
		if strings.Contains(k, "{") {
			t.Errorf("statistics key %q carries a hash tag", k)
		}
		for f, v := range c.HGetAll(ctx, k).Val() {
			for _, p := range personal {
				if strings.Contains(k, p) || strings.Contains(f, p) || strings.Contains(v, p) {
					t.Errorf("%s %s=%s contains %q", k, f, v, p)
				}
			}
		}
	}
	if err := iter.Err(); err != nil || keys != 2 {
		t.Errorf("%d statistics keys (%v), want 2", keys, err)
	}
}

// TestStatsDuplicatesDoNotCount: a platform's redelivery of the first
// message of the day counts nothing more, and neither do its events.
func TestStatsDuplicatesDoNotCount(t *testing.T) {
	c := storetest.Start(t)
	rec := stats.New(c, stats.Options{})
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Stats: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, stats.Lima())
	in := bot.Inbound{Channel: bot.ChannelWhatsApp, Address: "+51900000009", MessageID: "wamid.1", Text: "me están pegando", ReceivedAt: at}
	for i := 0; i < 3; i++ {
		if _, err := conv.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := c.HGetAll(context.Background(), "faro:stats:20261130").Val()
	if got["conv:-:whatsapp:es"] != "1" || got["ev:emergency"] != "1" {
		t.Errorf("one message delivered three times: %v", got)
	}
}

// TestStatsSameOrganizationOnBothApps: the code of a WhatsApp link's greeting (as the
// webhook reads it, bot.TakeReferral) and the Telegram deep link's end in the same
// organization's count, as the data writes the code; a made-up code counts as none.
func TestStatsSameOrganizationOnBothApps(t *testing.T) {
	c := storetest.Start(t)
	rec := stats.New(c, stats.Options{})
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{
		Engine: e, Texts: texts, Store: session.NewRedis(c, session.Options{}), Secret: secret,
		Logger: slog.New(slog.DiscardHandler), Stats: rec,
		OrgCode: func(code string) (string, bool) {
			if strings.EqualFold(code, "ORG_lima-1") {
				return "ORG_lima-1", true
			}
			return "", false
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, stats.Lima())
	for _, in := range []bot.Inbound{
		{Channel: bot.ChannelTelegram, Address: "700010", MessageID: "1", Text: "/start ORG_lima-1", Start: true, StartCode: "ORG_lima-1", ReceivedAt: at},
		bot.TakeReferral(bot.Inbound{Channel: bot.ChannelWhatsApp, Address: "+51900000010", MessageID: "SM1",
			Text: bot.ReferralText("Hola", "org_lima-1"), ReceivedAt: at}),
		{Channel: bot.ChannelTelegram, Address: "700011", MessageID: "2", Text: "/start madeup", Start: true, StartCode: "madeup", ReceivedAt: at},
	} {
		if _, err := conv.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep := stats.Build(mustLoad(t, rec, at), "ORG_lima-1")
	got := c.HGetAll(context.Background(), "faro:stats:20261130").Val()
	if got["conv:ORG_lima-1:telegram:es"] != "1" || got["conv:ORG_lima-1:whatsapp:es"] != "1" || got["conv:-:telegram:es"] != "1" {
		t.Errorf("counts: %v", got)
	}
	if len(rep.Months) != 1 {
		t.Fatalf("%d months", len(rep.Months))
	}
	if s, _ := rep.Months[0].Section(stats.SecConversations); len(s.Cols) != 1 || s.Cols[0] != "ORG_lima-1" {
		t.Errorf("one organization's column: %+v", s)
	}
}

func mustLoad(t *testing.T, rec *stats.Recorder, at time.Time) stats.Data {
	t.Helper()
	from, to, err := stats.MonthRange(stats.MonthOf(at), at.Location()) // the whole month of at
	if err != nil {
		t.Fatal(err)
	}
	data, err := rec.Load(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
