package stats

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func shownRow(vs []Value) string {
	var b []string
	for _, v := range vs {
		b = append(b, v.String())
	}
	return strings.Join(b, " ")
}

// TestSuppressOneColumn: a column of counts with its total, as every period table.
func TestSuppressOneColumn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cells []int64
		want  string // the cells, then the total
	}{
		{"nothing small", []int64{5, 12, 30}, "5 12 30 | 47"},
		{"zero is under 5 too", []int64{0, 12, 30}, "<5 * 30 | 42"},
		{"one small cell: its complement is hidden (total minus the rest would give it)", []int64{2, 10, 12}, "<5 * 12 | 24"},
		{"the complement is the smallest visible cell", []int64{30, 3, 7, 9}, "30 <5 * 9 | 49"},
		{"two small cells alone would add up to a small sum: a big one joins them", []int64{3, 4, 20, 25}, "<5 <5 * 25 | 52"},
		{"two small cells that add up to 8 are 4 and 4: a big one joins them", []int64{4, 4, 50}, "<5 <5 * | 58"},
		{"every cell small: the total goes too", []int64{4, 4}, "<5 <5 | *"},
		{"a small total: everything is small", []int64{1, 2}, "<5 <5 | <5"},
		{"a single row is its total", []int64{3}, "<5 | <5"},
		{"one cell of 7 with a total of 7", []int64{7}, "7 | 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := Table{Cols: []string{"n"}, ColTotals: true}
			for i, v := range tc.cells {
				tab.Rows = append(tab.Rows, string(rune('a'+i)))
				tab.Cells = append(tab.Cells, []int64{v})
			}
			s := tab.Suppress()
			var col []Value
			for _, r := range s.Cells {
				col = append(col, r[0])
			}
			got := shownRow(col) + " | " + shownRow(s.ColTotals)
			if got != tc.want {
				t.Errorf("%v: got %q, want %q", tc.cells, got, tc.want)
			}
		})
	}
}

// TestSuppressNoTotal: without a total only the small counts are hidden.
func TestSuppressNoTotal(t *testing.T) {
	s := Table{Rows: []string{"a", "b", "c"}, Cols: []string{"n"}, Cells: [][]int64{{2}, {9}, {40}}}.Suppress()
	if got := shownRow([]Value{s.Cells[0][0], s.Cells[1][0], s.Cells[2][0]}); got != "<5 9 40" || s.ColTotals != nil {
		t.Errorf("got %q (totals %v), want \"<5 9 40\" and no total", got, s.ColTotals)
	}
}

// TestSuppressTwoWays: a table with row, column and grand totals.
func TestSuppressTwoWays(t *testing.T) {
	tab := Table{
		Rows: []string{"w1", "w2", "w3"}, Cols: []string{"found", "none"},
		Cells:     [][]int64{{20, 2}, {15, 9}, {30, 11}},
		RowTotals: true, ColTotals: true,
	}
	s := tab.Suppress()
	// w1's 2 is small: 20 goes with it (row), and in column "none" another cell
	// must go with 2 (9, the smallest), then in row w2, 15 with 9.
	want := [][]string{{"*", "<5"}, {"*", "*"}, {"30", "11"}}
	for i := range want {
		for j := range want[i] {
			if got := s.Cells[i][j].String(); got != want[i][j] {
				t.Errorf("cell %s/%s = %s, want %s", tab.Rows[i], tab.Cols[j], got, want[i][j])
			}
		}
	}
	if s.Grand == nil || s.Grand.String() != "87" {
		t.Errorf("grand total %v, want 87", s.Grand)
	}
	checkInvariants(t, tab, s)
}

// checkInvariants verifies the rules on a suppressed table: nothing under 5 is shown,
// and no group shown with its total can give back a hidden cell by subtraction.
func checkInvariants(t *testing.T, tab Table, s Shown) {
	t.Helper()
	R, C := len(tab.Rows), len(tab.Cols)
	type cellv struct {
		v     int64
		shown bool
	}
	check := func(what string, total cellv, hasTotal bool, cells []cellv) {
		for _, c := range cells {
			if c.shown && c.v < MinCount {
				t.Fatalf("%s: %d shown", what, c.v)
			}
		}
		if total.shown && total.v < MinCount {
			t.Fatalf("%s: total %d shown", what, total.v)
		}
		if !hasTotal {
			return
		}
		small, big, hidden := 0, 0, 0
		for _, c := range cells {
			if !c.shown {
				hidden++
				if c.v < MinCount {
					small++
				} else {
					big++
				}
			}
		}
		if total.shown && (hidden == 1 || (small > 0 && big == 0 && hidden < len(cells))) {
			t.Fatalf("%s: total shown with %d hidden cells (%d small, %d big): %v", what, hidden, small, big, cells)
		}
		if total.shown && hidden == len(cells) && big == 0 && hidden > 0 {
			t.Fatalf("%s: all cells small and hidden but the total shown", what)
		}
		if !total.shown && hidden == 0 && len(cells) > 0 {
			t.Fatalf("%s: hidden total can be added up from its cells", what)
		}
	}
	cellAt := func(i, j int) cellv { return cellv{tab.Cells[i][j], s.Cells[i][j].Shown()} }
	var rowTotals, colTotals []cellv
	var grand int64
	for i := range R {
		var cells []cellv
		var sum int64
		for j := range C {
			cells = append(cells, cellAt(i, j))
			sum += tab.Cells[i][j]
		}
		grand += sum
		if s.RowTotals != nil {
			tot := cellv{sum, s.RowTotals[i].Shown()}
			rowTotals = append(rowTotals, tot)
			check("row "+tab.Rows[i], tot, true, cells)
		} else {
			check("row "+tab.Rows[i], cellv{}, false, cells)
		}
	}
	for j := range C {
		var cells []cellv
		var sum int64
		for i := range R {
			cells = append(cells, cellAt(i, j))
			sum += tab.Cells[i][j]
		}
		if s.ColTotals != nil {
			tot := cellv{sum, s.ColTotals[j].Shown()}
			colTotals = append(colTotals, tot)
			check("column "+tab.Cols[j], tot, true, cells)
		}
	}
	if s.Grand != nil {
		g := cellv{grand, s.Grand.Shown()}
		check("row totals", g, true, rowTotals)
		check("column totals", g, true, colTotals)
	}
	// A hidden value carries no number.
	for i := range R {
		for j := range C {
			if v := s.Cells[i][j]; !v.Shown() && v.N != 0 {
				t.Fatalf("hidden cell carries %d", v.N)
			}
		}
	}
}

// TestSuppressRandom checks the rules on many random tables of small counts.
func TestSuppressRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 14))
	for n := 0; n < 2000; n++ {
		R, C := 1+rng.IntN(6), 1+rng.IntN(4)
		tab := Table{RowTotals: rng.IntN(2) == 0, ColTotals: rng.IntN(4) != 0}
		for i := range R {
			tab.Rows = append(tab.Rows, string(rune('a'+i)))
			row := make([]int64, C)
			for j := range row {
				if rng.IntN(3) == 0 {
					row[j] = int64(rng.IntN(5))
				} else {
					row[j] = int64(rng.IntN(40))
				}
			}
			tab.Cells = append(tab.Cells, row)
		}
		for j := range C {
			tab.Cols = append(tab.Cols, string(rune('A'+j)))
		}
		checkInvariants(t, tab, tab.Suppress())
	}
}

// TestLinkedTotals: the same total in two tables is hidden in both or neither.
func TestLinkedTotals(t *testing.T) {
	weeks := &Table{Rows: []string{"w1", "w2", "w3"}, Cols: []string{"n"}, Cells: [][]int64{{4}, {4}, {4}}, ColTotals: true}
	channels := &Table{Rows: []string{"telegram"}, Cols: []string{"n"}, Cells: [][]int64{{12}}, ColTotals: true}
	// Alone, weeks hides its total (three hidden 4s adding up to 12 would be 4, 4, 4)
	// while channels shows 12: together they would give the weeks back.
	if weeks.Suppress().ColTotals[0].Shown() || !channels.Suppress().ColTotals[0].Shown() {
		t.Fatal("setup: want the weeks' total hidden and the channels' shown")
	}
	out := suppressLinked([]*Table{weeks, channels}, []link{{0, 1, "col:n", "col:n"}})
	if out[1].ColTotals[0].Shown() || out[1].Cells[0][0].Shown() {
		t.Errorf("channels: total %s, telegram %s; want both hidden", out[1].ColTotals[0], out[1].Cells[0][0])
	}
}

// TestSuppressNoChainedSubtraction plays the attacker on random tables: knowing what
// is shown, it subtracts repeatedly (a group with its total and one unknown cell
// gives that cell; a derived cell is then known in its other groups too) and must
// never pin down a hidden count under 5.
func TestSuppressNoChainedSubtraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 14))
	for n := 0; n < 3000; n++ {
		R, C := 1+rng.IntN(6), 2+rng.IntN(3)
		tab := Table{RowTotals: true, ColTotals: true}
		for i := range R {
			tab.Rows = append(tab.Rows, string(rune('a'+i)))
			row := make([]int64, C)
			for j := range row {
				row[j] = int64(rng.IntN(4 + rng.IntN(30)))
			}
			tab.Cells = append(tab.Cells, row)
		}
		for j := range C {
			tab.Cols = append(tab.Cols, string(rune('A'+j)))
		}
		s := tab.Suppress()
		// known[i][j] for cells, rk/ck for row and column totals, gk for the grand.
		known := make([][]bool, R)
		for i := range R {
			known[i] = make([]bool, C)
			for j := range C {
				known[i][j] = s.Cells[i][j].Shown()
			}
		}
		rk := make([]bool, R)
		for i := range R {
			rk[i] = s.RowTotals[i].Shown()
		}
		ck := make([]bool, C)
		for j := range C {
			ck[j] = s.ColTotals[j].Shown()
		}
		gk := s.Grand.Shown()
		for changed := true; changed; {
			changed = false
			// rows and their totals
			for i := range R {
				unknown := 0
				for j := range C {
					if !known[i][j] {
						unknown++
					}
				}
				if !rk[i] {
					unknown++
				}
				if unknown == 1 {
					for j := range C {
						known[i][j] = true
					}
					rk[i], changed = true, true
				}
			}
			for j := range C {
				unknown := 0
				for i := range R {
					if !known[i][j] {
						unknown++
					}
				}
				if !ck[j] {
					unknown++
				}
				if unknown == 1 {
					for i := range R {
						known[i][j] = true
					}
					ck[j], changed = true, true
				}
			}
			for _, margin := range [][]bool{rk, ck} {
				unknown := 0
				for _, k := range margin {
					if !k {
						unknown++
					}
				}
				if !gk {
					unknown++
				}
				if unknown == 1 {
					for x := range margin {
						margin[x] = true
					}
					gk, changed = true, true
				}
			}
		}
		for i := range R {
			for j := range C {
				if known[i][j] && !s.Cells[i][j].Shown() && tab.Cells[i][j] < MinCount {
					t.Fatalf("table %v: hidden cell %s/%s = %d worked out by subtraction", tab.Cells, tab.Rows[i], tab.Cols[j], tab.Cells[i][j])
				}
			}
		}
		for i := range R {
			if rk[i] && !s.RowTotals[i].Shown() && tab.Cells[i][0] >= 0 {
				var sum int64
				for j := range C {
					sum += tab.Cells[i][j]
				}
				if sum < MinCount {
					t.Fatalf("table %v: small row total %d worked out", tab.Cells, sum)
				}
			}
		}
	}
}
