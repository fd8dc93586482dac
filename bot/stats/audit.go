package stats

import (
	"math"
	"slices"
	"strings"
)

// The audit plays the reader who wants a count under 5 back. It knows every value
// of one closed period's tables (the shown numbers, "<5" as 0 to 4, "*" as 5 or
// more), that each shown total adds up its cells, and that a total shown in two
// tables is one count (the links). From that it works out, for each "<5":
//
//   - the bounds that the sums allow, narrowed group by group until nothing moves
//     (a "<5" whose bounds meet is known: "total 9, shown 4 and 5, hidden * and <5"
//     gives the "<5" as 0);
//   - whether some combination of the sums, added and subtracted, gives it alone
//     (a row in the reduced echelon form of the sums over the hidden values with a
//     single unknown).
//
// A "<5" found either way has the smallest shown value of one of its sums hidden
// too, and the audit runs again, until it finds nothing. Periods never overlap (see
// Build), so a period's tables are all a reader can combine a count with.

// inf stands for "no upper bound" ("*" is 5 or more).
const inf = math.MaxInt64 / 4

// system is the published values of a period's tables and the sums that tie them.
type system struct {
	v      []int64
	hidden []bool
	eqs    [][]term // each: sum of coef·x = 0
	at     []ref    // where each value is: table and grid index
}

type term struct {
	x    int
	coef int64
}

type ref struct{ t, i int }

// systemOf gathers the published values of tables (laid out) and their sums, with
// the links between them.
func systemOf(tables []*Table, lays []*laid, links []link) *system {
	s := &system{}
	index := map[ref]int{}
	for ti, l := range lays {
		for _, gi := range l.pub {
			index[ref{ti, gi}] = len(s.v)
			s.v = append(s.v, l.g.v[gi])
			s.hidden = append(s.hidden, l.g.hidden[gi])
			s.at = append(s.at, ref{ti, gi})
		}
		for _, gr := range l.groups {
			eq := []term{{index[ref{ti, gr.total}], -1}}
			for _, c := range gr.cells {
				eq = append(eq, term{index[ref{ti, c}], 1})
			}
			s.eqs = append(s.eqs, eq)
		}
	}
	for _, lk := range links {
		a, oka := lays[lk.ta].index(*tables[lk.ta], lk.a)
		b, okb := lays[lk.tb].index(*tables[lk.tb], lk.b)
		if !oka || !okb {
			continue
		}
		s.eqs = append(s.eqs, []term{{index[ref{lk.ta, a}], 1}, {index[ref{lk.tb, b}], -1}})
	}
	return s
}

// index is the grid index of the published total named "grand", "row:NAME" or
// "col:NAME".
func (l *laid) index(t Table, name string) (int, bool) {
	kind, n, _ := strings.Cut(name, ":")
	switch kind {
	case "grand":
		return l.grandI(), l.grand
	case "row":
		if i := slices.Index(t.Rows, n); i >= 0 && l.rowTotals {
			return l.rowT(i), true
		}
	case "col":
		if j := slices.Index(t.Cols, n); j >= 0 && l.colTotals {
			return l.colT(j), true
		}
	}
	return 0, false
}

// bounds are what a reader knows of each value before any sum: a shown number,
// "<5" as 0 to 4, "*" as 5 or more.
func (s *system) bounds() (lo, hi []int64) {
	n := len(s.v)
	lo, hi = make([]int64, n), make([]int64, n)
	for i, v := range s.v {
		switch {
		case !s.hidden[i]:
			lo[i], hi[i] = v, v
		case v < MinCount:
			lo[i], hi[i] = 0, MinCount-1
		default:
			lo[i], hi[i] = MinCount, inf
		}
	}
	return lo, hi
}

// narrow narrows lo and hi by the sums, sum by sum, until nothing moves; false:
// no values fit.
func (s *system) narrow(lo, hi []int64) bool {
	n := len(s.v)
	for round := 0; round < 10*n+10; round++ {
		changed := false
		for _, eq := range s.eqs {
			// sum of coef·x = 0: coef_j·x_j = -(sum of the others). The sums of the
			// finite bounds, and how many terms have none.
			var finLo, finHi int64
			var infLo, infHi int
			for _, t := range eq {
				a, b := scale(t.coef, lo[t.x], hi[t.x])
				if a <= -inf {
					infLo++
				} else {
					finLo += a
				}
				if b >= inf {
					infHi++
				} else {
					finHi += b
				}
			}
			for _, t := range eq {
				a, b := scale(t.coef, lo[t.x], hi[t.x])
				// the others' sum is in [oLo, oHi]
				var oLo, oHi int64 = -inf, inf
				switch {
				case a > -inf && infLo == 0:
					oLo = finLo - a
				case a <= -inf && infLo == 1:
					oLo = finLo
				}
				switch {
				case b < inf && infHi == 0:
					oHi = finHi - b
				case b >= inf && infHi == 1:
					oHi = finHi
				}
				// coef·x = -others: in [-oHi, -oLo]
				xLo, xHi := neg(oHi), neg(oLo)
				if t.coef < 0 {
					xLo, xHi = oLo, oHi
				}
				if xLo > lo[t.x] {
					lo[t.x], changed = xLo, true
				}
				if xHi < hi[t.x] {
					hi[t.x], changed = xHi, true
				}
				if lo[t.x] > hi[t.x] {
					return false
				}
			}
		}
		if !changed {
			break
		}
	}
	return true
}

// solve finds integer values within lo and hi that fit every sum, by narrowing and
// trying the values of the least free unknown in turn, and returns them; false when
// there are none. budget bounds the work: when it runs out, the answer is nil and
// true ("maybe"), which the caller counts as "no other value" (the careful side).
func (s *system) solve(lo, hi []int64, budget *int) ([]int64, bool) {
	if *budget <= 0 {
		return nil, true
	}
	*budget--
	lo, hi = slices.Clone(lo), slices.Clone(hi)
	if !s.narrow(lo, hi) {
		return nil, false
	}
	best := -1
	for x := range lo {
		if lo[x] != hi[x] && (best < 0 || hi[x]-lo[x] < hi[best]-lo[best]) {
			best = x
		}
	}
	if best < 0 {
		return lo, true
	}
	if hi[best]-lo[best] > 64 { // halves of a wide range
		mid := lo[best] + (hi[best]-lo[best])/2
		l2, h2 := slices.Clone(lo), slices.Clone(hi)
		h2[best] = mid
		if sol, ok := s.solve(l2, h2, budget); ok {
			return sol, true
		}
		lo[best] = mid + 1
		return s.solve(lo, hi, budget)
	}
	for v := lo[best]; v <= hi[best]; v++ {
		l2, h2 := slices.Clone(lo), slices.Clone(hi)
		l2[best], h2[best] = v, v
		if sol, ok := s.solve(l2, h2, budget); ok {
			return sol, true
		}
	}
	return nil, false
}

// searchBudget bounds the search for another value of one count; past it the count
// is taken as exposed, and more is hidden.
const searchBudget = 20000

func neg(v int64) int64 {
	switch {
	case v >= inf:
		return -inf
	case v <= -inf:
		return inf
	}
	return -v
}

func scale(coef, lo, hi int64) (int64, int64) {
	if coef > 0 {
		return lo, hi
	}
	return neg(hi), neg(lo)
}

// determined lists the hidden values that some combination of the sums gives alone.
func (s *system) determined() []bool {
	col := map[int]int{}
	var hid []int
	for i, h := range s.hidden {
		if h {
			col[i] = len(hid)
			hid = append(hid, i)
		}
	}
	out := make([]bool, len(s.v))
	if len(hid) == 0 {
		return out
	}
	var m [][]float64
	for _, eq := range s.eqs {
		row := make([]float64, len(hid))
		any := false
		for _, t := range eq {
			if c, ok := col[t.x]; ok {
				row[c] += float64(t.coef)
				any = true
			}
		}
		if any {
			m = append(m, row)
		}
	}
	const eps = 1e-9
	r := 0
	for c := 0; c < len(hid) && r < len(m); c++ {
		p := -1
		for i := r; i < len(m); i++ {
			if math.Abs(m[i][c]) > eps && (p < 0 || math.Abs(m[i][c]) > math.Abs(m[p][c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		pv := m[r][c]
		for k := range m[r] {
			m[r][k] /= pv
		}
		for i := range m {
			if i != r && math.Abs(m[i][c]) > eps {
				f := m[i][c]
				for k := range m[i] {
					m[i][k] -= f * m[r][k]
				}
			}
		}
		r++
	}
	for _, row := range m[:r] {
		only := -1
		for k, v := range row {
			if math.Abs(v) > eps {
				if only >= 0 {
					only = -2
					break
				}
				only = k
			}
		}
		if only >= 0 {
			out[hid[only]] = true
		}
	}
	return out
}

// exposed lists the hidden counts under MinCount that a reader can work out: those
// that a combination of the sums gives alone, or, looking for other whole numbers
// that fit everything shown, that have no other value. Values tied by no sum are
// worked on apart (one table, or the tables a link ties).
func (s *system) exposed() []int {
	var out []int
	for _, part := range s.parts() {
		for _, x := range part.exposedHere() {
			out = append(out, part.global[x])
		}
	}
	slices.Sort(out)
	return out
}

// piece is a part of a system whose values no sum ties to the rest; global maps its
// values to the whole system's.
type piece struct {
	system
	global []int
}

// parts splits s into pieces that share no sum.
func (s *system) parts() []*piece {
	parent := make([]int, len(s.v))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, eq := range s.eqs {
		for _, t := range eq[1:] {
			parent[find(t.x)] = find(eq[0].x)
		}
	}
	byRoot := map[int]*piece{}
	local := make([]int, len(s.v))
	var out []*piece
	for i := range s.v {
		r := find(i)
		p := byRoot[r]
		if p == nil {
			p = &piece{}
			byRoot[r] = p
			out = append(out, p)
		}
		local[i] = len(p.v)
		p.v = append(p.v, s.v[i])
		p.hidden = append(p.hidden, s.hidden[i])
		p.at = append(p.at, s.at[i])
		p.global = append(p.global, i)
	}
	for _, eq := range s.eqs {
		p := byRoot[find(eq[0].x)]
		le := make([]term, len(eq))
		for k, t := range eq {
			le[k] = term{local[t.x], t.coef}
		}
		p.eqs = append(p.eqs, le)
	}
	return out
}

// exposedHere is exposed for one part.
func (s *system) exposedHere() []int {
	small := false
	for i, h := range s.hidden {
		if h && s.v[i] < MinCount {
			small = true
			break
		}
	}
	if !small {
		return nil
	}
	lo, hi := s.bounds()
	det := s.determined()
	var out []int
	var found [][]int64 // solutions found so far: each settles every count it differs on
	for i, h := range s.hidden {
		if !h || s.v[i] >= MinCount {
			continue
		}
		if det[i] {
			out = append(out, i)
			continue
		}
		other := slices.ContainsFunc(found, func(sol []int64) bool { return sol[i] != s.v[i] })
		for _, alt := range [][2]int64{{lo[i], s.v[i] - 1}, {s.v[i] + 1, hi[i]}} {
			if other || alt[0] > alt[1] {
				continue
			}
			l2, h2 := slices.Clone(lo), slices.Clone(hi)
			l2[i], h2[i] = alt[0], alt[1]
			budget := searchBudget
			if sol, ok := s.solve(l2, h2, &budget); ok && sol != nil {
				other = true
				found = append(found, sol)
			}
		}
		if !other {
			out = append(out, i)
		}
	}
	return out
}

// audit hides, in tables, what lets a reader work out a small count of the period,
// until nothing does; it reports whether it hid anything. The tables must then be
// suppressed again.
func audit(tables []*Table, lays []*laid, links []link) bool {
	s := systemOf(tables, lays, links)
	ex := s.exposed()
	if len(ex) == 0 {
		return false
	}
	// For each exposed count, the smallest shown value of a sum that holds it; when
	// all of those are hidden already, of a sum that holds one of theirs, and so on
	// out: the count was worked out through them.
	hid := false
	for _, x := range ex {
		best := s.nearestShown(x)
		if best < 0 {
			continue // nothing shown is tied to it
		}
		s.hidden[best] = true
		at := s.at[best]
		tables[at.t].hide = append(tables[at.t].hide, at.i)
		hid = true
	}
	return hid
}

// nearestShown is the smallest shown value of the sums that hold x, or, when they
// show none, of the sums that hold their values, and so on; -1 when nothing shown is
// tied to x.
func (s *system) nearestShown(x int) int {
	reached := map[int]bool{x: true}
	used := make([]bool, len(s.eqs))
	for {
		best := -1
		var next []int
		for k, eq := range s.eqs {
			if used[k] || !slices.ContainsFunc(eq, func(t term) bool { return reached[t.x] }) {
				continue
			}
			used[k] = true
			for _, t := range eq {
				if !s.hidden[t.x] && (best < 0 || s.v[t.x] < s.v[best]) {
					best = t.x
				}
				next = append(next, t.x)
			}
		}
		if best >= 0 || len(next) == 0 {
			return best
		}
		for _, y := range next {
			reached[y] = true
		}
	}
}

// suppressAudited suppresses linked tables and audits them, until the audit finds
// nothing.
func suppressAudited(tables []*Table, links []link) []Shown {
	for {
		out, lays := suppressLinkedLaid(tables, links)
		if !audit(tables, lays, links) {
			return out
		}
	}
}
