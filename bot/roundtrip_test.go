package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store/storetest"
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

// TestOneRoundTripPerMessage: a user who wrote recently costs one round trip per
// message (dedupe check, compare and save in one script), whatever the message; a
// replay costs one and writes nothing; a replica that never saw the user costs one
// more, to learn the stored session.
func TestOneRoundTripPerMessage(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	// open a connection and load the script first: neither is per message
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, c)
	f.say(t, msg("warm", "hola"))
	rt := &roundTrips{}
	c.AddHook(rt)
	for i, text := range []string{"hola", "4", "me están pegando", "atrás", "2", "1", "lima", "asdf", "menu"} {
		before := rt.n.Load()
		f.say(t, msg(strconv.Itoa(i), text))
		if n := rt.n.Load() - before; n != 1 {
			t.Errorf("message %q took %d Redis round trips, want 1", text, n)
		}
	}
	before := rt.n.Load()
	if out := f.say(t, msg("0", "hola")); len(out) != 0 {
		t.Errorf("a replay was answered: %+v", out)
	}
	if n := rt.n.Load() - before; n != 1 {
		t.Errorf("a replayed message took %d round trips, want 1", n)
	}
	g := newFixture(t, c) // another replica
	before = rt.n.Load()
	g.say(t, msg("cold", "1"))
	if n := rt.n.Load() - before; n != 2 {
		t.Errorf("the first message on a replica that never saw the user took %d round trips, want 2", n)
	}
}

// TestReplicasShareTheConversation: messages of one user alternate between two
// processes on the same Redis; each answers from where the other left off, as one
// process would.
func TestReplicasShareTheConversation(t *testing.T) {
	c := storetest.Start(t)
	one := newFixture(t, storetest.Start(t)) // reference: a single process on its own Redis
	a, b := newFixture(t, c), newFixture(t, c)
	texts := []string{"hola", "4", "1", "atrás", "atrás", "2", "1", "lima", "2", "menu", "5", "0", "borrar", "1", "hola", "3"}
	for i, text := range texts {
		replica := a
		if i%2 == 1 || i > 10 && i%3 == 0 {
			replica = b
		}
		id := strconv.Itoa(i)
		want, got := one.say(t, msg(id, text)), replica.say(t, msg(id, text))
		if len(want) != len(got) || len(want) > 0 && (want[0].Text != got[0].Text || len(want[0].Buttons) != len(got[0].Buttons)) {
			t.Fatalf("message %d %q: two replicas answered\n%+v\nwhere one process answers\n%+v", i, text, got, want)
		}
		// the other replica got it too (a platform retry): no second answer. Not after
		// the erase confirmation: erasing deletes the dedupe marks too, on purpose.
		if text == "1" && texts[i-1] == "borrar" {
			continue
		}
		other := b
		if replica == b {
			other = a
		}
		if out := other.say(t, msg(id, text)); len(out) != 0 {
			t.Fatalf("message %d %q was answered by both replicas", i, text)
		}
	}
}

// BenchmarkHandle is one whole message on a real redis-server: the engine, the commit
// (dedupe, compare, save), render. Compare it with BenchmarkRedisRoundTrip (one PING), measured in
// the same run, to see how much of a message is Redis.
func BenchmarkHandle(b *testing.B) {
	c := storetest.Start(b)
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
	c := storetest.Start(b)
	ctx := context.Background()
	for b.Loop() {
		if err := c.Ping(ctx).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentUsersShareRoundTrips: messages of many users at the same moment share
// pipelines (group commit), and each user still gets the answer of their own
// conversation, in order.
func TestConcurrentUsersShareRoundTrips(t *testing.T) {
	c := storetest.Start(t)
	f := newFixture(t, c)
	f.say(t, msg("warm", "hola")) // loads the script
	rt := &roundTrips{}
	c.AddHook(rt)
	const users = 200
	start := make(chan struct{})
	errs := make(chan error, users)
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			addr := "+5190000" + strconv.Itoa(1000+u)
			for i, text := range []string{"hola", "4", "hola"} {
				out, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelWhatsApp, Address: addr, MessageID: strconv.Itoa(i), Text: text})
				switch {
				case err != nil:
					errs <- err
					return
				case len(out) != 1:
					errs <- fmt.Errorf("user %d message %q: %d replies", u, text, len(out))
					return
				case text == "4" && !strings.Contains(out[0].Text, "105"):
					errs <- fmt.Errorf("user %d: option 4 after the welcome was not about violence: %q", u, out[0].Text)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := rt.n.Load(); n >= 3*users {
		t.Errorf("%d messages took %d round trips: concurrent commits should share pipelines", 3*users, n)
	} else {
		t.Logf("%d messages, %d round trips", 3*users, n)
	}
}
