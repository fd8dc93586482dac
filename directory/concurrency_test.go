package directory_test

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

// concurrencyCalls is a mixed workload over every read method of a Directory, each
// call named so a failure says which one diverged.
func concurrencyCalls(d *directory.Directory) []struct {
	name string
	call func() any
} {
	type call = struct {
		name string
		call func() any
	}
	var calls []call
	add := func(name string, f func() any) { calls = append(calls, call{name, f}) }
	langs := []string{"es", "en", "qu"}
	for i := range 10 {
		lat, lon := -12.0+float64(i)*0.013, -77.03-float64(i%4)*0.02
		for k, cat := range d.Categories() {
			q := flows.Query{Lang: langs[(i+k)%len(langs)], Category: cat, Lat: lat, Lon: lon, Now: mondayMorning,
				OpenNow: i%2 == 0, FreeOnly: i%3 == 0, Page: i % 3, PageSize: 1 + i%4}
			add(fmt.Sprintf("Nearby(%+v)", q), func() any {
				cards, more := d.Nearby(q)
				return []any{cards, more}
			})
		}
		add(fmt.Sprintf("PlaceAt(%v,%v)", lat, lon), func() any {
			p, ok := d.PlaceAt(lat, lon)
			return []any{p, ok}
		})
	}
	for _, pt := range [][2]float64{{-13.16, -74.22}, {-3.75, -73.25}, {-16.4, -71.54}, {-8.11, -79.03}, {0, 0}} {
		add(fmt.Sprintf("PlaceAt(%v)", pt), func() any {
			p, ok := d.PlaceAt(pt[0], pt[1])
			return []any{p, ok}
		})
	}
	for _, text := range []string{"sjl", "miraflores", "San Juan de Luriganco", "cusco", "santa rosa", "lima", "arequipa cercado", "xyzzy"} {
		add("Locate("+text+")", func() any { return d.Locate(text) })
	}
	for _, code := range []string{"15", "1501", "150132", "080101", "999999"} {
		add("Place("+code+")", func() any {
			p, ok := d.Place(code)
			return []any{p, ok}
		})
	}
	for _, lang := range langs {
		for _, tags := range [][]string{{"emergency"}, {"violence", "police"}, {"trafficking", "migration"}} {
			add(fmt.Sprintf("Lines(%s,%v)", lang, tags), func() any { return d.Lines(lang, tags, "") })
		}
	}
	return calls
}

// TestConcurrentUse: one directory answers many conversations at once. Every call made
// from many goroutines at the same time returns exactly what it returns when made alone,
// and concurrent use leaves nothing behind that changes later answers. Run it with -race
// (make race) to also catch unsynchronized access inside the directory.
func TestConcurrentUse(t *testing.T) {
	d := load(t)
	calls := concurrencyCalls(d)

	// The sequential answers, and a check that the workload asks something: a mix of
	// empty answers only would compare equal whatever the directory did.
	want := make([]any, len(calls))
	var nonEmpty int
	for i, c := range calls {
		want[i] = c.call()
		if answered(want[i]) {
			nonEmpty++
		}
	}
	if nonEmpty < len(calls)/2 {
		t.Fatalf("only %d of %d calls have an answer: the workload tests little", nonEmpty, len(calls))
	}

	const goroutines, rounds = 8, 3
	var checked atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Default is how the server gets its directory: every caller gets the same one.
			if dd, err := directory.Default(); err != nil || dd != d {
				t.Errorf("goroutine %d: Default() = %p, %v; want the shared %p", g, dd, err, d)
			}
			<-start
			for r := range rounds {
				for k := range calls {
					i := (k + g*13 + r*5) % len(calls) // each goroutine in its own order
					if got := calls[i].call(); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("goroutine %d: %s = %v\nconcurrently, want %v as alone", g, calls[i].name, got, want[i])
					}
					checked.Add(1)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if n, w := checked.Load(), int64(goroutines*rounds*len(calls)); n != w {
		t.Fatalf("%d calls checked, want %d", n, w)
	}
	// Nothing the concurrent calls did changed the directory.
	for i, c := range calls {
		if got := c.call(); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("after concurrent use: %s = %v, want %v", c.name, got, want[i])
		}
	}
}

// answered tells whether a call's result holds anything: a non-empty slice or a
// non-zero value, looking inside the []any that pairs a result with its flag.
func answered(v any) bool {
	if pair, ok := v.([]any); ok {
		for _, x := range pair {
			if answered(x) {
				return true
			}
		}
		return false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		return rv.Len() > 0
	}
	return !rv.IsZero()
}
