package session

import (
	"testing"

	"github.com/faro-chat/faro/flows"
)

// BenchmarkEncode measures what sealing adds to each message's commit: the session's
// encoding and its message id's name, plain (the baseline, same run) and sealed.
func BenchmarkEncode(b *testing.B) {
	s := flows.Session{Lang: "es", Node: "violence_menu", Stack: []string{"home"}, Vars: map[string]string{"name": "Ana", "place": "150132"}, Org: "redtrasex"}
	for _, c := range []struct {
		name string
		r    *Redis
	}{
		{"plain", NewRedis(nil, Options{})},
		{"sealed", NewRedis(nil, Options{Secret: []byte("bench-secret-0123456789abcdef-XYZ")})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.r.encode(s); err != nil {
					b.Fatal(err)
				}
				_ = c.r.msgID("123456789")
			}
		})
	}
}
