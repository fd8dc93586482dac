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
}

// Shown is a table as it leaves the server: every value suppressed (see suppress).
type Shown struct {
	Rows, Cols []string
	Cells      [][]Value
	// RowTotals and ColTotals are nil when not shown; Grand is nil unless both are.
	RowTotals, ColTotals []Value
	Grand                *Value
}

// Suppress computes the totals the table shows and hides every count under MinCount
// and whatever would let one be worked out from a total.
func (t Table) Suppress() Shown {
	R, C := len(t.Rows), len(t.Cols)
	rowTotals := t.RowTotals && C > 1
	colTotals := t.ColTotals && R > 0
	grand := rowTotals && colTotals
	cell := func(i, j int) int { return i*C + j }
	rowT := func(i int) int { return R*C + i }
	colT := func(j int) int { return R*C + R + j }
	grandI := R*C + R + C
	g := newGrid(grandI + 1)
	for i := range R {
		for j := range C {
			v := t.Cells[i][j]
			g.v[cell(i, j)] = v
			g.v[rowT(i)] += v
			g.v[colT(j)] += v
			g.v[grandI] += v
		}
	}
	var groups []group
	if rowTotals {
		var totals []int
		for i := range R {
			gr := group{total: rowT(i)}
			for j := range C {
				gr.cells = append(gr.cells, cell(i, j))
			}
			groups = append(groups, gr)
			totals = append(totals, rowT(i))
		}
		if grand {
			groups = append(groups, group{total: grandI, cells: totals})
		}
	}
	if colTotals {
		var totals []int
		for j := range C {
			gr := group{total: colT(j)}
			for i := range R {
				gr.cells = append(gr.cells, cell(i, j))
			}
			groups = append(groups, gr)
			totals = append(totals, colT(j))
		}
		if grand {
			groups = append(groups, group{total: grandI, cells: totals})
		}
	}
	// Totals that are not shown are not suppressed on their own: only what is shown is.
	for i := range R {
		if !rowTotals {
			g.v[rowT(i)] = MinCount
		}
	}
	for j := range C {
		if !colTotals {
			g.v[colT(j)] = MinCount
		}
	}
	if !grand {
		g.v[grandI] = MinCount
	}
	for _, f := range t.Force {
		switch kind, name, _ := strings.Cut(f, ":"); kind {
		case "grand":
			g.hidden[grandI] = true
		case "row":
			if i := slices.Index(t.Rows, name); i >= 0 {
				g.hidden[rowT(i)] = true
			}
		case "col":
			if j := slices.Index(t.Cols, name); j >= 0 {
				g.hidden[colT(j)] = true
			}
		}
	}
	g.suppress(groups)
	s := Shown{Rows: t.Rows, Cols: t.Cols, Cells: make([][]Value, R)}
	for i := range R {
		s.Cells[i] = make([]Value, C)
		for j := range C {
			s.Cells[i][j] = g.value(cell(i, j))
		}
	}
	if rowTotals {
		for i := range R {
			s.RowTotals = append(s.RowTotals, g.value(rowT(i)))
		}
	}
	if colTotals {
		for j := range C {
			s.ColTotals = append(s.ColTotals, g.value(colT(j)))
		}
	}
	if grand {
		v := g.value(grandI)
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
	for {
		out := make([]Shown, len(tables))
		for i, t := range tables {
			out[i] = t.Suppress()
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
			return out
		}
	}
}
