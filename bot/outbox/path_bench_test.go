package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/outbox"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// BenchmarkMessageRedisPath is what a message waits for Redis before its webhook
// answer, many users at once (64 goroutines): the commit alone (FARO_OUTBOX=false),
// the commit then the outbox's Put on the same batched writer (as serve does), and on
// a writer of its own. It reports the p50 and p99 of one message's wait besides ns/op.
// Measured on the shared 2-core machine (-benchtime 20000x, three runs, medians):
// commit only 46.6 µs/op, p50 2.55 ms; with the outbox on the same writer 51.6 µs/op
// (1.11x), p50 2.61 ms (1.02x); on a writer of its own 48.1 µs/op, p50 2.59 ms: no
// clear gain, so serve keeps the one writer (fewer round trips under load).
func BenchmarkMessageRedisPath(b *testing.B) {
	c := storetest.Start(b)
	secret := []byte("path-bench-secret-0123456789abcdef")
	msg := []bot.Outbound{{Channel: "telegram", Address: "123456789", Text: "Si estás en peligro llama a la Línea 100 (gratis, 24 horas) o al 105."}}
	for _, tc := range []struct {
		name            string
		outbox, ownLane bool
	}{{"commit-only", false, false}, {"shared-writer", true, false}, {"own-writer", true, true}} {
		b.Run(tc.name, func(b *testing.B) {
			shared := store.NewBatcher(c, 256, 500*time.Millisecond)
			st := session.NewRedis(c, session.Options{Secret: secret, Batcher: shared})
			var ob *outbox.Store
			if tc.outbox {
				w := shared
				if tc.ownLane {
					w = store.NewBatcher(c, 256, 500*time.Millisecond)
				}
				ob, _ = outbox.New(c, secret, "bench-"+tc.name, time.Hour, w)
				defer ob.Close()
			}
			var (
				mu   sync.Mutex
				lat  []time.Duration
				user atomic.Int64
			)
			b.SetParallelism(32) // 64 goroutines on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				key := store.UserKey(secret, "telegram", fmt.Sprint(tc.name, user.Add(1)))
				var prev []byte
				var mine []time.Duration
				ctx := context.Background()
				for i := 0; pb.Next(); i++ {
					start := time.Now()
					res, err := st.Commit(ctx, key, session.Change{MsgID: fmt.Sprint(i), Prev: prev, Next: flows.Session{Lang: "es", Node: "home"}})
					if err != nil {
						b.Error(err)
						return
					}
					prev = res.Saved
					if ob != nil {
						ids, err := ob.Put(ctx, msg)
						if err != nil {
							b.Error(err)
							return
						}
						_ = ob.Done(ctx, ids[0])
					}
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			}
		})
	}
}
