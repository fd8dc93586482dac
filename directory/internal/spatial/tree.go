// Package spatial is a static k-d tree over points on the unit sphere, answering "the k
// nearest items that pass a filter, within a radius" without scanning every item.
package spatial

import "github.com/faro-chat/faro/directory/internal/geo"

// leafSize is the range length below which a search scans instead of recursing.
const leafSize = 8

// Tree is an immutable k-d tree. It is safe for concurrent searches.
type Tree struct {
	pts  []geo.Vec
	ids  []int32
	axis []uint8
}

// Hit is one search result: the item's index as given to Build, and its squared chord
// distance to the query (see geo.ChordToMetres).
type Hit struct {
	ID     int
	Chord2 float64
}

// Build returns a tree over pts; item i is pts[i].
func Build(pts []geo.Vec) *Tree {
	t := &Tree{pts: append([]geo.Vec(nil), pts...), ids: make([]int32, len(pts)), axis: make([]uint8, len(pts))}
	for i := range t.ids {
		t.ids[i] = int32(i)
	}
	t.build(0, len(pts))
	return t
}

// Len returns the number of items.
func (t *Tree) Len() int { return len(t.pts) }

func (t *Tree) build(lo, hi int) {
	if hi-lo <= leafSize {
		return
	}
	ax := t.widestAxis(lo, hi)
	mid := (lo + hi) / 2
	t.selectNth(lo, hi, mid, ax)
	t.axis[mid] = ax
	t.build(lo, mid)
	t.build(mid+1, hi)
}

func (t *Tree) widestAxis(lo, hi int) uint8 {
	var mn, mx geo.Vec
	mn, mx = t.pts[lo], t.pts[lo]
	for _, p := range t.pts[lo+1 : hi] {
		for a := 0; a < 3; a++ {
			mn[a] = min(mn[a], p[a])
			mx[a] = max(mx[a], p[a])
		}
	}
	best := uint8(0)
	for a := uint8(1); a < 3; a++ {
		if mx[a]-mn[a] > mx[best]-mn[best] {
			best = a
		}
	}
	return best
}

// selectNth reorders [lo,hi) so that position n holds the element that sorted order on
// axis ax would put there, smaller ones before it and larger ones after (quickselect).
func (t *Tree) selectNth(lo, hi, n int, ax uint8) {
	for hi-lo > 1 {
		// median of three as pivot
		m := lo + (hi-lo)/2
		a, b, c := t.pts[lo][ax], t.pts[m][ax], t.pts[hi-1][ax]
		p := m
		if (a <= b) == (b <= c) {
			p = m
		} else if (b <= a) == (a <= c) {
			p = lo
		} else {
			p = hi - 1
		}
		pivot := t.pts[p][ax]
		t.swap(p, hi-1)
		store := lo
		for i := lo; i < hi-1; i++ {
			if t.pts[i][ax] < pivot {
				t.swap(i, store)
				store++
			}
		}
		t.swap(store, hi-1)
		switch {
		case n == store:
			return
		case n < store:
			hi = store
		default:
			lo = store + 1
		}
	}
}

func (t *Tree) swap(i, j int) {
	t.pts[i], t.pts[j] = t.pts[j], t.pts[i]
	t.ids[i], t.ids[j] = t.ids[j], t.ids[i]
}

// Nearest returns up to k items nearest to q, nearest first (ties by ID), among those with
// squared chord distance at most max2 and for which keep (when not nil) returns true.
// Results are appended to dst[:0].
func (t *Tree) Nearest(q geo.Vec, k int, max2 float64, keep func(id int) bool, dst []Hit) []Hit {
	s := searcher{t: t, q: q, k: k, max2: max2, keep: keep, hits: dst[:0]}
	if k > 0 {
		s.search(0, len(t.pts))
	}
	return s.hits
}

type searcher struct {
	t    *Tree
	q    geo.Vec
	k    int
	max2 float64
	keep func(int) bool
	hits []Hit
}

func (s *searcher) bound() float64 {
	if len(s.hits) < s.k {
		return s.max2
	}
	return s.hits[len(s.hits)-1].Chord2
}

func (s *searcher) search(lo, hi int) {
	if hi-lo <= leafSize {
		for i := lo; i < hi; i++ {
			s.consider(i)
		}
		return
	}
	mid := (lo + hi) / 2
	ax := s.t.axis[mid]
	d := s.q[ax] - s.t.pts[mid][ax]
	if d < 0 {
		s.search(lo, mid)
		s.consider(mid)
		if d*d <= s.bound() {
			s.search(mid+1, hi)
		}
	} else {
		s.search(mid+1, hi)
		s.consider(mid)
		if d*d <= s.bound() {
			s.search(lo, mid)
		}
	}
}

func (s *searcher) consider(i int) {
	c2 := geo.Chord2(s.q, s.t.pts[i])
	if c2 > s.max2 {
		return
	}
	id := int(s.t.ids[i])
	full := len(s.hits) == s.k
	if full {
		w := s.hits[s.k-1]
		if c2 > w.Chord2 || (c2 == w.Chord2 && id > w.ID) {
			return
		}
	}
	if s.keep != nil && !s.keep(id) {
		return
	}
	insert(&s.hits, Hit{ID: id, Chord2: c2}, s.k)
}

// insert puts h into the sorted list hs, keeping at most k entries.
func insert(hs *[]Hit, h Hit, k int) {
	l := *hs
	if len(l) < k {
		l = append(l, h)
	} else {
		l[len(l)-1] = h
	}
	for i := len(l) - 1; i > 0 && less(l[i], l[i-1]); i-- {
		l[i], l[i-1] = l[i-1], l[i]
	}
	*hs = l
}

func less(a, b Hit) bool {
	return a.Chord2 < b.Chord2 || (a.Chord2 == b.Chord2 && a.ID < b.ID)
}

// Brute answers the same question as Tree.Nearest by scanning every point. It is the
// reference the tree is tested and benchmarked against.
func Brute(pts []geo.Vec, q geo.Vec, k int, max2 float64, keep func(id int) bool, dst []Hit) []Hit {
	hs := dst[:0]
	if k <= 0 {
		return hs
	}
	for id, p := range pts {
		c2 := geo.Chord2(q, p)
		if c2 > max2 {
			continue
		}
		if len(hs) == k {
			if w := hs[k-1]; c2 > w.Chord2 || (c2 == w.Chord2 && id > w.ID) {
				continue
			}
		}
		if keep != nil && !keep(id) {
			continue
		}
		insert(&hs, Hit{ID: id, Chord2: c2}, k)
	}
	return hs
}
