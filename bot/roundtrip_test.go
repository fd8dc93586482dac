package bot_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the commands and pipelines sent to Redis: each is one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "hello" && cmd.Name() != "client" {
			r.n.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// TestTwoRoundTripsPerMessage: one to load the session with the dedupe mark, one to
// save it, whatever the message.
func TestTwoRoundTripsPerMessage(t *testing.T) {
	c := redistest.Start(t)
	// open the connections first (go-redis keeps one pool for commands, one for pipelines)
	ctx := context.Background()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error { return p.Ping(ctx).Err() }); err != nil {
		t.Fatal(err)
	}
	rt := &roundTrips{}
	c.AddHook(rt)
	f := newFixture(t, c)
	for i, text := range []string{"hola", "4", "me están pegando", "atrás", "2", "1", "lima", "asdf"} {
		before := rt.n.Load()
		f.say(t, msg(strconv.Itoa(i), text))
		if n := rt.n.Load() - before; n != 2 {
			t.Errorf("message %q took %d Redis round trips, want 2", text, n)
		}
	}
	before := rt.n.Load()
	f.say(t, msg("0", "hola")) // a replay: the load tells, nothing is saved
	if n := rt.n.Load() - before; n != 1 {
		t.Errorf("a replayed message took %d round trips, want 1", n)
	}
}

// BenchmarkHandle is one whole message on a real redis-server: dedupe and load, the
// engine, save, render. Compare it with BenchmarkRedisRoundTrip (one PING), measured in
// the same run, to see how much of a message is Redis.
func BenchmarkHandle(b *testing.B) {
	c := redistest.Start(b)
	f := newFixture(b, c)
	ctx := context.Background()
	users := 1000
	for u := range users {
		in := bot.Inbound{Channel: bot.ChannelWhatsApp, Address: strconv.Itoa(u), MessageID: "start", Text: "hola"}
		if _, err := f.conv.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	texts := []string{"4", "atrás"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := bot.Inbound{Channel: bot.ChannelWhatsApp, Address: strconv.Itoa(i % users), MessageID: strconv.Itoa(i), Text: texts[(i/users)%2]}
		if _, err := f.conv.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRedisRoundTrip is the baseline: one PING to the same server.
func BenchmarkRedisRoundTrip(b *testing.B) {
	c := redistest.Start(b)
	ctx := context.Background()
	for b.Loop() {
		if err := c.Ping(ctx).Err(); err != nil {
			b.Fatal(err)
		}
	}
}
