package stats_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/faro-chat/faro/bot/stats"
)

// bigMonth is a month of a busy deployment: many organizations, categories, steps.
func bigMonth(rng *rand.Rand, perDay int) stats.Data {
	loc := stats.Lima()
	from, to, _ := stats.MonthRange("2026-11", loc)
	var data stats.Data
	for _, d := range stats.Days(from, to, loc) {
		m := map[string]int64{}
		for i := 0; i < perDay; i++ {
			org := fmt.Sprintf("ORG_%02d", rng.IntN(30))
			if rng.IntN(3) == 0 {
				org = "-"
			}
			m["conv:"+org+":"+[]string{"telegram", "whatsapp"}[rng.IntN(2)]+":"+[]string{"es", "es", "en", "pt", "qu"}[rng.IntN(5)]]++
			m[fmt.Sprintf("search:cat%02d:%s", rng.IntN(20), []string{"found", "none"}[rng.IntN(2)])]++
			m[fmt.Sprintf("topic:node%02d", rng.IntN(40))]++
			m[fmt.Sprintf("miss:node%02d:intent%02d", rng.IntN(10), rng.IntN(6))]++
		}
		for i := 0; i < 8; i++ {
			m["ev:"+[]string{"emergency", "crisis", "safety_asked"}[rng.IntN(3)]]++
			m["handoff:requested"]++
			m["handoff:answered"]++
			m["handoff:wait:"+stats.WaitBuckets[rng.IntN(4)]]++
			m["handoff:outcome:"+[]string{"informed", "referred", "left", "no_answer"}[rng.IntN(4)]]++
		}
		data = append(data, stats.DayCounts{Day: d, Counts: m})
	}
	return data
}

// BenchmarkBuildBusyMonth: one month of a busy deployment (30 organizations, 20
// categories, 40 steps), suppressed and audited: what a page load costs.
func BenchmarkBuildBusyMonth(b *testing.B) { benchMonth(b, 60) }

// BenchmarkBuildQuietMonth: the same tables with few counts: most cells under 5,
// where the audit works hardest.
func BenchmarkBuildQuietMonth(b *testing.B) { benchMonth(b, 6) }

func benchMonth(b *testing.B, perDay int) {
	data := bigMonth(rand.New(rand.NewPCG(5, 14)), perDay)
	b.ResetTimer()
	for b.Loop() {
		if rep := stats.Build(data, ""); len(rep.Months) != 1 {
			b.Fatal("no month")
		}
	}
}
