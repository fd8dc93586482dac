package stats

import (
	"slices"
	"strings"
)

// Table is a table of counts before it leaves the server: named rows and columns,
// and which totals are shown with it. Suppress turns it into what may be shown.
type Table struct {
	Rows, Cols []string
	// Cells[i][j] is the count of row i, column j.
	Cells [][]int64
	// RowTotals shows each row's total (the sum of its cells; only with two columns
	// or more), ColTotals each column's. With both, the grand total is shown too.
	RowTotals, ColTotals bool
	// Force names totals hidden whatever their value ("grand", "row:NAME",
	// "col:NAME"): the same total shown in another table was hidden there.
	Force []string
	// hide are grid indexes (see laid) hidden whatever their value: the audit of a
	// report (audit.go) found that a small count could be worked out without them.
	hide []int
}

// Shown is a table as it leaves the server: every value suppressed (see suppress).
type Shown struct {
	Rows, Cols []string
	Cells      [][]Value
	// RowTotals and ColTotals are nil when not shown; Grand is nil unless both are.
	RowTotals, ColTotals []Value
	Grand                *Value
}

// laid is a table laid out as one grid: its cells (row-major), then its row totals,
// its column totals and its grand total; pub lists the indexes that are published
// (the cells and the totals shown with the table) and groups the totals shown with
// the cells they add up.
type laid struct {
	g                           *grid
	groups                      []group
	pub                         []int
	R, C                        int
	rowTotals, colTotals, grand bool
}

func (l *laid) cell(i, j int) int { return i*l.C + j }
func (l *laid) rowT(i int) int    { return l.R*l.C + i }
func (l *laid) colT(j int) int    { return l.R*l.C + l.R + j }
func (l *laid) grandI() int       { return l.R*l.C + l.R + l.C }

// lay computes the table's totals and its groups, and hides what the rules of
// suppress hide.
func (t *Table) lay() *laid {
	R, C := len(t.Rows), len(t.Cols)
	l := &laid{R: R, C: C, rowTotals: t.RowTotals && C > 1, colTotals: t.ColTotals && R > 0}
	l.grand = l.rowTotals && l.colTotals
	g := newGrid(l.grandI() + 1)
	l.g = g
	for i := range R {
		for j := range C {
			v := t.Cells[i][j]
			g.v[l.cell(i, j)] = v
			g.v[l.rowT(i)] += v
			g.v[l.colT(j)] += v
			g.v[l.grandI()] += v
			l.pub = append(l.pub, l.cell(i, j))
		}
	}
	if l.rowTotals {
		var totals []int
		for i := range R {
			gr := group{total: l.rowT(i)}
			for j := range C {
				gr.cells = append(gr.cells, l.cell(i, j))
			}
			l.groups = append(l.groups, gr)
			totals = append(totals, l.rowT(i))
			l.pub = append(l.pub, l.rowT(i))
		}
		if l.grand {
			l.groups = append(l.groups, group{total: l.grandI(), cells: totals})
		}
	}
	if l.colTotals {
		var totals []int
		for j := range C {
			gr := group{total: l.colT(j)}
			for i := range R {
				gr.cells = append(gr.cells, l.cell(i, j))
			}
			l.groups = append(l.groups, gr)
			totals = append(totals, l.colT(j))
			l.pub = append(l.pub, l.colT(j))
		}
		if l.grand {
			l.groups = append(l.groups, group{total: l.grandI(), cells: totals})
			l.pub = append(l.pub, l.grandI())
		}
	}
	// Totals that are not shown are not suppressed on their own: only what is shown is.
	for i := range R {
		if !l.rowTotals {
			g.v[l.rowT(i)] = MinCount
		}
	}
	for j := range C {
		if !l.colTotals {
			g.v[l.colT(j)] = MinCount
		}
	}
	if !l.grand {
		g.v[l.grandI()] = MinCount
	}
	for _, f := range t.Force {
		switch kind, name, _ := strings.Cut(f, ":"); kind {
		case "grand":
			g.hidden[l.grandI()] = true
		case "row":
			if i := slices.Index(t.Rows, name); i >= 0 {
				g.hidden[l.rowT(i)] = true
			}
		case "col":
			if j := slices.Index(t.Cols, name); j >= 0 {
				g.hidden[l.colT(j)] = true
			}
		}
	}
	for _, i := range t.hide {
		g.hidden[i] = true
	}
	g.suppress(l.groups)
	return l
}

// Suppress computes the totals the table shows and hides every count under MinCount
// and whatever would let one be worked out from a total.
func (t Table) Suppress() Shown { return t.lay().shown(t) }

// shown is the laid-out table as it leaves the server.
func (l *laid) shown(t Table) Shown {
	g := l.g
	s := Shown{Rows: t.Rows, Cols: t.Cols, Cells: make([][]Value, l.R)}
	for i := range l.R {
		s.Cells[i] = make([]Value, l.C)
		for j := range l.C {
			s.Cells[i][j] = g.value(l.cell(i, j))
		}
	}
	if l.rowTotals {
		for i := range l.R {
			s.RowTotals = append(s.RowTotals, g.value(l.rowT(i)))
		}
	}
	if l.colTotals {
		for j := range l.C {
			s.ColTotals = append(s.ColTotals, g.value(l.colT(j)))
		}
	}
	if l.grand {
		v := g.value(l.grandI())
		s.Grand = &v
	}
	return s
}

// Total returns the total named "grand", "row:NAME" or "col:NAME", if shown with
// the table.
func (s Shown) Total(name string) (Value, bool) {
	kind, n, _ := strings.Cut(name, ":")
	switch kind {
	case "grand":
		if s.Grand != nil {
			return *s.Grand, true
		}
	case "row":
		if i := slices.Index(s.Rows, n); i >= 0 && s.RowTotals != nil {
			return s.RowTotals[i], true
		}
	case "col":
		if j := slices.Index(s.Cols, n); j >= 0 && s.ColTotals != nil {
			return s.ColTotals[j], true
		}
	}
	return Value{}, false
}

// link says that total a of table ta and total b of table tb are the same count,
// shown in two places: hidden in one, it is hidden in the other.
type link struct {
	ta, tb int
	a, b   string
}

// suppressLinked suppresses tables whose totals are linked, until every linked pair
// is shown alike.
func suppressLinked(tables []*Table, links []link) []Shown {
	out, _ := suppressLinkedLaid(tables, links)
	return out
}

// suppressLinkedLaid is suppressLinked, with the tables' layouts.
func suppressLinkedLaid(tables []*Table, links []link) ([]Shown, []*laid) {
	for {
		out := make([]Shown, len(tables))
		lays := make([]*laid, len(tables))
		for i, t := range tables {
			lays[i] = t.lay()
			out[i] = lays[i].shown(*t)
		}
		changed := false
		for _, l := range links {
			va, oka := out[l.ta].Total(l.a)
			vb, okb := out[l.tb].Total(l.b)
			if !oka || !okb || va.Shown() == vb.Shown() {
				continue
			}
			if va.Shown() {
				tables[l.ta].Force = append(tables[l.ta].Force, l.a)
			} else {
				tables[l.tb].Force = append(tables[l.tb].Force, l.b)
			}
			changed = true
		}
		if !changed {
			return out, lays
		}
	}
}
