package session

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/flows"
)

// TestCacheMemoryPerSession measures what one cached session costs in memory (map
// entry, key, decoded session and its sealed encoding), the figure that FARO_SESSION_CACHE
// multiplies: the README's memory figures come from it. Sessions as the load test's
// users have them (a language, a node, the stack), a third with a name.
func TestCacheMemoryPerSession(t *testing.T) {
	const n = 20000
	st := NewRedis(nil, Options{Secret: []byte("cache-memory-test-secret-0123456789")})
	c := NewCache(n, time.Hour)
	now := time.Now()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		s := flows.Session{Lang: "es", Node: "violence_menu", Stack: []string{"home"}, Day: "2026-11-30"}
		if i%3 == 0 {
			s.Vars = map[string]string{"name": fmt.Sprint("Nombre", i)}
		}
		raw, err := st.encode(s)
		if err != nil {
			t.Fatal(err)
		}
		c.Put(store.UserKey([]byte("cache-memory-test-secret-0123456789"), "telegram", fmt.Sprint(70000000+i)), Snapshot{Session: s, Raw: raw}, now)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapInuse) - int64(before.HeapInuse)) / n
	t.Logf("%d cached sessions: %d bytes each, so %d MB for the default 100,000", c.Len(), per, per*100000>>20)
	if c.Len() != n || per <= 0 || per > 4096 {
		t.Errorf("%d sessions cached, %d bytes each", c.Len(), per)
	}
	runtime.KeepAlive(c)
}
