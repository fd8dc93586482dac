package directory_test

import (
	"sync"
	"testing"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

// TestConcurrentUse: one directory answers many conversations at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	d := load(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				lat, lon := -12.0+float64(i%10)*0.01, -77.0-float64(g)*0.01
				d.Nearby(flows.Query{Lang: "en", Category: directory.CatViolence, Lat: lat, Lon: lon, Now: mondayMorning, OpenNow: i%2 == 0})
				d.PlaceAt(lat, lon)
				d.Locate([]string{"sjl", "miraflores", "San Juan de Luriganco"}[i%3])
				d.Lines("es", []string{"emergency"})
			}
		}(g)
	}
	wg.Wait()
}
