package stats_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/stats"
)

// randomMonths is n reporting months of random, mostly small counts, from 2026-09.
func randomMonths(rng *rand.Rand, months int) stats.Data {
	loc := stats.Lima()
	from, _, _ := stats.MonthRange("2026-09", loc)
	_, to, _ := stats.MonthRange(time.Date(2026, time.Month(9+months-1), 15, 0, 0, 0, 0, loc).Format("2006-01"), loc)
	orgs := []string{"-", "ORG_A", "ORG_B", "ORG_C"}[:1+rng.IntN(4)]
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	var data stats.Data
	for _, d := range stats.Days(from, to, loc) {
		m := map[string]int64{}
		inc := func(f string, p int) {
			if rng.IntN(100) < p {
				m[f]++
			}
		}
		for range 3 {
			inc("conv:"+pick(orgs...)+":"+pick("telegram", "whatsapp")+":"+pick("es", "es", "en", "pt"), 60)
			inc("search:"+pick("health", "legal", "shelter")+":"+pick("found", "none"), 25)
		}
		inc("ev:emergency", 15)
		inc("ev:crisis", 8)
		inc("ev:safety_asked", 10)
		inc("handoff:requested", 30)
		if rng.IntN(100) < 25 {
			m["handoff:answered"]++
			m["handoff:wait:"+pick(stats.WaitBuckets...)]++
		}
		inc("handoff:outcome:"+pick("informed", "referred", "left"), 20)
		inc("miss:home:"+pick("none", "health"), 20)
		inc("topic:"+pick("home", "health", "rights"), 70)
		inc("feedback:"+pick("wrong_number", "closed"), 5)
		inc("helped:"+pick("yes", "no"), 10)
		data = append(data, stats.DayCounts{Day: d, Counts: m})
	}
	return data
}

// TestMonthsAreShownAlikeWhateverThePeriod: a month is shown exactly alike in every
// report that has it (so reports over overlapping periods cannot be subtracted), and
// a month cut by the start or the end of the period is not shown at all.
func TestMonthsAreShownAlikeWhateverThePeriod(t *testing.T) {
	data := randomMonths(rand.New(rand.NewPCG(3, 14)), 3) // 2026-09, 2026-10, 2026-11
	csvOf := func(r *stats.Report) map[string]string {
		out := map[string]string{}
		for _, m := range r.Months {
			var b bytes.Buffer
			if err := stats.WriteCSV(&b, &stats.Report{Months: []stats.Month{m}}); err != nil {
				t.Fatal(err)
			}
			out[m.ID] = b.String()
		}
		return out
	}
	all := csvOf(stats.Build(data, ""))
	if len(all) != 3 {
		t.Fatalf("months %v", len(all))
	}
	for _, cut := range [][2]int{{0, 7}, {3, 0}, {7, 7}, {0, 40}, {28, 0}} {
		part := csvOf(stats.Build(data[cut[0]:len(data)-cut[1]], ""))
		for id, c := range part {
			if all[id] != c {
				t.Errorf("cut %v: month %s shown differently", cut, id)
			}
		}
		if cut[0] > 0 && part["2026-09"] != "" || cut[1] > 0 && part["2026-11"] != "" {
			t.Errorf("cut %v: a month cut short is shown: %v", cut, len(part))
		}
	}
}

func TestReportingMonths(t *testing.T) {
	loc := stats.Lima()
	for _, c := range []struct{ month, from, to string }{
		{"2026-11", "2026-11-02", "2026-11-29"}, // Thursday 2026-11-05
		{"2026-12", "2026-11-30", "2027-01-03"}, // Thursday 2026-12-03; 2026-12-31 is a Thursday
		{"2027-01", "2027-01-04", "2027-01-31"},
		{"2026-10", "2026-09-28", "2026-11-01"}, // Thursday 2026-10-01
	} {
		f, to, err := stats.MonthRange(c.month, loc)
		if err != nil || f.Format(time.DateOnly) != c.from || to.Format(time.DateOnly) != c.to {
			t.Errorf("%s: %s to %s, %v; want %s to %s", c.month, f, to, err, c.from, c.to)
		}
		for d := f; !d.After(to); d = d.AddDate(0, 0, 1) {
			if stats.MonthOf(d) != c.month {
				t.Errorf("%s is in %s, want %s", d.Format(time.DateOnly), stats.MonthOf(d), c.month)
			}
		}
	}
	day := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, loc); return d }
	// On Sunday 2026-11-29 November has not ended; on Monday 2026-11-30 it has.
	for _, c := range []struct{ today, last string }{{"2026-11-29", "2026-11-01"}, {"2026-11-30", "2026-11-29"}} {
		first, last, ok := stats.Closed(day("2026-10-15"), day("2026-12-20"), day(c.today), loc)
		if !ok || first.Format(time.DateOnly) != "2026-09-28" || last.Format(time.DateOnly) != c.last {
			t.Errorf("today %s: %s to %s (%v), want 2026-09-28 to %s", c.today, first, last, ok, c.last)
		}
	}
	if _, _, ok := stats.Closed(day("2026-11-10"), day("2026-11-20"), day("2026-11-25"), loc); ok {
		t.Error("an open month is closed")
	}
}

// TestNoSmallCountRecovered plays the reader who wants a "<5" back, on random months:
// it knows every published value of a month ("<5" is 0 to 4, "*" is 5 or more), the
// sums shown with each table, and the sums it can tell from what the tables mean
// (new conversations by week and organization, by app and by language add up alike;
// searches by week and by category; handoffs answered and their waiting times). By
// an exhaustive integer search it looks for another value of each hidden count under
// 5 that fits everything published: there must always be one.
func TestNoSmallCountRecovered(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 14))
	smalls, hidden := 0, 0
	for n := range 150 {
		rep, truth := stats.Unsuppressed(randomMonths(rng, 1))
		trueValues = truth
		if len(rep.Months) != 1 {
			t.Fatal("no month")
		}
		sys, vals := publishedSystem(rep.Months[0])
		for x, v := range vals {
			if !sys.hidden[x] {
				continue
			}
			hidden++
			if v >= stats.MinCount {
				continue
			}
			smalls++
			below, above := sys.clone(), sys.clone()
			below.hi[x], above.lo[x] = min(below.hi[x], v-1), max(above.lo[x], v+1)
			if !below.feasible(0) && !above.feasible(0) {
				dumpMonth(t, rep.Months[0])
				p := sys.clone()
				p.propagate()
				t.Logf("propagation alone: [%d, %d]", p.lo[x], p.hi[x])
				t.Fatalf("month %d: %s = %d is the only value that fits what is published", n, sys.name[x], v)
			}
		}
	}
	if smalls < 100 {
		t.Fatalf("only %d hidden small counts in the sample (of %d hidden): the test proves little", smalls, hidden)
	}
	t.Logf("%d hidden counts under 5 checked, %d hidden in all", smalls, hidden)
}

// isys is what the reader knows: bounds of each value and sums (sum of coef·x = 0).
type isys struct {
	name   []string
	hidden []bool
	lo, hi []int64
	eqs    [][][2]int64 // (var, coef)
}

func (s *isys) clone() *isys {
	c := *s
	c.lo, c.hi = append([]int64(nil), s.lo...), append([]int64(nil), s.hi...)
	return &c
}

// publishedSystem reads a month's sections as the reader does; truth is the true
// value of each variable, for the test only (worked out from the cells: the sections
// hold no hidden number).
func publishedSystem(m stats.Month) (*isys, []int64) {
	s := &isys{}
	var truth []int64
	const big = 1 << 20
	v := func(name string, val stats.Value, tv int64) int {
		s.name = append(s.name, name)
		s.hidden = append(s.hidden, !val.Shown())
		switch {
		case val.Small:
			s.lo, s.hi = append(s.lo, 0), append(s.hi, stats.MinCount-1)
		case val.Hidden:
			s.lo, s.hi = append(s.lo, stats.MinCount), append(s.hi, big)
		default:
			s.lo, s.hi = append(s.lo, val.N), append(s.hi, val.N)
		}
		truth = append(truth, tv)
		return len(s.name) - 1
	}
	cells := map[string][][]int{} // section -> variables of its cells
	for _, sec := range m.Sections {
		R, C := len(sec.Rows), len(sec.Cols)
		g := make([][]int, R)
		for i := range R {
			for j := range C {
				g[i] = append(g[i], v(fmt.Sprintf("%s/%s/%s", sec.ID, sec.Rows[i], sec.Cols[j]), sec.Cells[i][j], trueCell(m, sec, i, j)))
			}
		}
		cells[sec.ID] = g
		var rows, cols []int
		if sec.RowTotals != nil {
			for i := range R {
				x := v(sec.ID+"/row-total/"+sec.Rows[i], sec.RowTotals[i], -1)
				eq := [][2]int64{{int64(x), -1}}
				for _, c := range g[i] {
					eq = append(eq, [2]int64{int64(c), 1})
				}
				s.eqs = append(s.eqs, eq)
				rows = append(rows, x)
			}
		}
		if sec.ColTotals != nil {
			for j := range C {
				x := v(sec.ID+"/col-total/"+sec.Cols[j], sec.ColTotals[j], -1)
				eq := [][2]int64{{int64(x), -1}}
				for i := range R {
					eq = append(eq, [2]int64{int64(g[i][j]), 1})
				}
				s.eqs = append(s.eqs, eq)
				cols = append(cols, x)
			}
		}
		if sec.Grand != nil {
			x := v(sec.ID+"/grand", *sec.Grand, -1)
			for _, tot := range [][]int{rows, cols} {
				eq := [][2]int64{{int64(x), -1}}
				for _, c := range tot {
					eq = append(eq, [2]int64{int64(c), 1})
				}
				s.eqs = append(s.eqs, eq)
			}
		}
	}
	// Sums the reader tells from what the tables mean: Σ of some cells of a = Σ of
	// some cells of b.
	same := func(a string, ca func(col string) bool, b string, cb func(col string) bool) {
		sa, _ := m.Section(a)
		sb, _ := m.Section(b)
		var eq [][2]int64
		for i := range sa.Rows {
			for j, col := range sa.Cols {
				if ca(col) {
					eq = append(eq, [2]int64{int64(cells[a][i][j]), 1})
				}
			}
		}
		for i := range sb.Rows {
			for j, col := range sb.Cols {
				if cb(col) {
					eq = append(eq, [2]int64{int64(cells[b][i][j]), -1})
				}
			}
		}
		s.eqs = append(s.eqs, eq)
	}
	anyCol := func(string) bool { return true }
	is := func(c string) func(string) bool { return func(col string) bool { return col == c } }
	same(stats.SecConversations, anyCol, stats.SecChannels, anyCol)
	same(stats.SecConversations, anyCol, stats.SecLanguages, anyCol)
	same(stats.SecSearches, is("found"), stats.SecSearchCategory, is("found"))
	same(stats.SecSearches, is("none"), stats.SecSearchCategory, is("none"))
	same(stats.SecHandoffs, is("answered"), stats.SecWaiting, anyCol)
	// Totals' true values: worked out from their cells (they are sums).
	for changed := true; changed; {
		changed = false
		for _, eq := range s.eqs {
			if truth[eq[0][0]] >= 0 || eq[0][1] != -1 {
				continue
			}
			var sum int64
			ok := true
			for _, t := range eq[1:] {
				if truth[t[0]] < 0 {
					ok = false
					break
				}
				sum += truth[t[0]]
			}
			if ok {
				truth[eq[0][0]], changed = sum, true
			}
		}
	}
	return s, truth
}

func trueCell(m stats.Month, sec stats.Section, i, j int) int64 {
	return trueValues[m.ID+"/"+sec.ID+"/"+sec.Rows[i]+"/"+sec.Cols[j]]
}

// trueValues are the true counts of the month under test.
var trueValues map[string]int64

// propagate narrows the bounds by the sums until nothing moves; false: no solution.
func (s *isys) propagate() bool {
	for changed := true; changed; {
		changed = false
		for _, eq := range s.eqs {
			var lo, hi int64 // of the whole sum
			for _, t := range eq {
				if t[1] > 0 {
					lo, hi = lo+s.lo[t[0]], hi+s.hi[t[0]]
				} else {
					lo, hi = lo-s.hi[t[0]], hi-s.lo[t[0]]
				}
			}
			if lo > 0 || hi < 0 {
				return false
			}
			for _, t := range eq {
				x := t[0]
				var mlo, mhi int64 // this term's part
				if t[1] > 0 {
					mlo, mhi = s.lo[x], s.hi[x]
				} else {
					mlo, mhi = -s.hi[x], -s.lo[x]
				}
				olo, ohi := lo-mlo, hi-mhi // the others' sum
				nlo, nhi := -ohi, -olo     // this term: -others
				if t[1] < 0 {
					nlo, nhi = olo, ohi
				}
				if nlo > s.lo[x] {
					s.lo[x], changed = nlo, true
				}
				if nhi < s.hi[x] {
					s.hi[x], changed = nhi, true
				}
				if s.lo[x] > s.hi[x] {
					return false
				}
			}
		}
	}
	return true
}

// feasible reports whether some integer values fit the bounds and the sums.
func (s *isys) feasible(depth int) bool {
	if !s.propagate() {
		return false
	}
	best := -1
	for x := range s.lo {
		if s.lo[x] != s.hi[x] && (best < 0 || s.hi[x]-s.lo[x] < s.hi[best]-s.lo[best]) {
			best = x
		}
	}
	if best < 0 {
		return true
	}
	if s.hi[best]-s.lo[best] > 64 { // split a wide range in halves
		mid := s.lo[best] + (s.hi[best]-s.lo[best])/2
		a, b := s.clone(), s.clone()
		a.hi[best], b.lo[best] = mid, mid+1
		return a.feasible(depth+1) || b.feasible(depth+1)
	}
	for v := s.lo[best]; v <= s.hi[best]; v++ {
		c := s.clone()
		c.lo[best], c.hi[best] = v, v
		if c.feasible(depth + 1) {
			return true
		}
	}
	return false
}

func dumpMonth(t *testing.T, m stats.Month) {
	for _, s := range m.Sections {
		t.Logf("%s cols %v", s.ID, s.Cols)
		for i, r := range s.Rows {
			var row []string
			for _, v := range s.Cells[i] {
				row = append(row, v.String())
			}
			if s.RowTotals != nil {
				row = append(row, "|", s.RowTotals[i].String())
			}
			t.Logf("  %s %v", r, row)
		}
		var tot []string
		for _, v := range s.ColTotals {
			tot = append(tot, v.String())
		}
		if s.Grand != nil {
			tot = append(tot, "|", s.Grand.String())
		}
		t.Logf("  total %v", tot)
	}
}
