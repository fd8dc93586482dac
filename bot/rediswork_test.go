package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/redis/go-redis/v9"
)

// BenchmarkRedisWorkPerMessage measures what Redis itself spends on one message as
// `faro serve` handles it with crash-safe sending: the commit (with the person's
// platform id and the owed record), the owed record's clearing once the reply is
// queued (Settle), and the reply's platform id kept for erase (KeepCopy). It reports
// Redis's own CPU per message from INFO commandstats (redis-µs/msg) and the Lua calls
// per message (evals/msg). Compare two versions in the same run, interleaved:
//
//	go test ./bot -run '^$' -bench RedisWorkPerMessage -benchtime 20000x -count 5
func BenchmarkRedisWorkPerMessage(b *testing.B) {
	c := storetest.Start(b)
	e, texts := flowstest.Engine(b, flowstest.NewDirectory())
	batch := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{Secret: secret, Batcher: batch})
	conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: st, Secret: secret, Settle: st.Settle})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	users := 1000
	for u := range users {
		if _, err := conv.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, Address: strconv.Itoa(u), MessageID: "start", ChatMessageID: "1", Text: "hola"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := batch.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	before := commandStats(ctx, b, c)
	msgs := []string{"4", "atrás"}
	i := 0
	for b.Loop() {
		addr := strconv.Itoa(i % users)
		in := bot.Inbound{Channel: bot.ChannelTelegram, Address: addr, MessageID: strconv.Itoa(i), ChatMessageID: strconv.Itoa(1000000 + i), Text: msgs[(i/users)%2]}
		if _, err := conv.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
		conv.Settled(in)
		st.KeepCopy(store.UserKey(secret, bot.ChannelTelegram, addr), strconv.Itoa(2000000+i), 48*time.Hour, time.Now())
		i++
	}
	if err := batch.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	after := commandStats(ctx, b, c)
	b.ReportMetric((after.usec-before.usec)/float64(b.N), "redis-µs/msg")
	b.ReportMetric((after.evals-before.evals)/float64(b.N), "evals/msg")
}

// redisWork is what Redis says it did: the CPU time of the server process (INFO cpu:
// user and system, network included) and the number of script calls (INFO
// commandstats). Only meaningful on a server the benchmark has to itself.
type redisWork struct{ usec, evals float64 }

// commandStats reads INFO cpu and commandstats.
func commandStats(ctx context.Context, b *testing.B, c *redis.Client) redisWork {
	b.Helper()
	info, err := c.Info(ctx, "cpu", "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	var w redisWork
	for _, line := range strings.Split(info, "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, ":"); ok && (k == "used_cpu_user" || k == "used_cpu_sys") {
			f, _ := strconv.ParseFloat(v, 64)
			w.usec += f * 1e6
		}
		if rest, ok := strings.CutPrefix(line, "cmdstat_evalsha:calls="); ok {
			n, _, _ := strings.Cut(rest, ",")
			f, _ := strconv.ParseFloat(n, 64)
			w.evals += f
		}
	}
	return w
}
