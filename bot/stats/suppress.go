package stats

import "strconv"

// MinCount is the smallest count that leaves the server as a number: anything under
// it is shown as "<5".
const MinCount = 5

// Value is one count as it leaves the server: a number, Small (under MinCount:
// "<5") or Hidden (MinCount or more, hidden so that a small count cannot be worked
// out from a total: "*"). A value that is not shown carries no number at all (N is
// 0), so nothing downstream can print it.
type Value struct {
	N      int64
	Small  bool
	Hidden bool
}

// Shown reports whether the value is a number.
func (v Value) Shown() bool { return !v.Small && !v.Hidden }

// String is the value as shown: the number, "<5" or "*".
func (v Value) String() string {
	switch {
	case v.Small:
		return "<" + strconv.Itoa(MinCount)
	case v.Hidden:
		return "*"
	}
	return strconv.FormatInt(v.N, 10)
}

// group is a set of cells shown together with their total (total < 0: shown without
// one). Indexes are into a grid's values.
type group struct {
	total int
	cells []int
}

// grid holds the counts of one table and which of them are hidden.
type grid struct {
	v      []int64
	hidden []bool
}

func newGrid(n int) *grid { return &grid{v: make([]int64, n), hidden: make([]bool, n)} }

// suppress hides, in place:
//
//  1. every count under MinCount (primary suppression: "<5");
//  2. then, until nothing changes, in every group shown with its total
//     (complementary suppression: "*"):
//     - a lone hidden cell is never left: total minus the visible cells would give
//     it back, so the smallest visible cell is hidden too;
//     - hidden small cells are never left alone together: with only cells under
//     MinCount hidden, their sum (the total minus the visible cells) could pin
//     them down (two hidden cells adding up to 8 are 4 and 4), so the smallest
//     visible cell, which is MinCount or more, is hidden too;
//     - when every cell is hidden but the total is not, and they are all small,
//     the total is hidden;
//  3. and in every group whose total is hidden while all its cells are visible, the
//     smallest cell, so that the hidden total cannot be added back up.
//
// A cell in two groups (a row and a column of a table) is settled in both, which
// is why the rules run until nothing changes. This is a heuristic, not a proof over
// every linear combination of a table; the tables shown are kept to one dimension,
// or two with their margins, and their groups are exactly what is shown with a total.
func (g *grid) suppress(groups []group) {
	for i, v := range g.v {
		if v < MinCount {
			g.hidden[i] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, gr := range groups {
			if g.settle(gr) {
				changed = true
			}
		}
	}
}

// settle applies rules 2 and 3 to one group once; it reports whether it hid anything.
func (g *grid) settle(gr group) bool {
	if gr.total < 0 || len(gr.cells) == 0 {
		return false
	}
	small, big := 0, 0
	best := -1 // the smallest visible cell
	for _, c := range gr.cells {
		switch {
		case !g.hidden[c]:
			if best < 0 || g.v[c] < g.v[best] {
				best = c
			}
		case g.v[c] < MinCount:
			small++
		default:
			big++
		}
	}
	var need bool
	if g.hidden[gr.total] {
		need = small+big == 0
	} else {
		need = small+big == 1 || (small > 0 && big == 0)
	}
	if !need {
		return false
	}
	if best < 0 { // every cell hidden: the total goes too
		if g.hidden[gr.total] {
			return false
		}
		g.hidden[gr.total] = true
		return true
	}
	g.hidden[best] = true
	return true
}

// value is cell i as it leaves the server.
func (g *grid) value(i int) Value {
	switch {
	case !g.hidden[i]:
		return Value{N: g.v[i]}
	case g.v[i] < MinCount:
		return Value{Small: true}
	}
	return Value{Hidden: true}
}
