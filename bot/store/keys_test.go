package store_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/faro-chat/faro/bot/store"
)

// BenchmarkUserKey measures naming a person (a few times per message), against the
// baseline of a fresh HMAC for each call, in the same run.
func BenchmarkUserKey(b *testing.B) {
	secret := []byte("a deployment secret of 32 bytes!")
	b.Run("pooled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = store.UserKey(secret, "whatsapp", "+51987654321")
		}
	})
	b.Run("baseline_fresh_hmac", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sha256.New, secret)
			m.Write([]byte("whatsapp\x00+51987654321"))
			_ = hex.EncodeToString(m.Sum(nil)[:16])
		}
	})
}

// TestUserKeyIsTheHMAC: the pooled hash names people exactly as a fresh HMAC-SHA256
// of channel, NUL, address does (the names of every stored person depend on it),
// under two secrets at once and from many goroutines.
func TestUserKeyIsTheHMAC(t *testing.T) {
	secrets := [][]byte{[]byte("a deployment secret of 32 bytes!"), []byte("the previous secret, 32 bytes..")}
	want := func(secret []byte, channel, address string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(channel + "\x00" + address))
		return hex.EncodeToString(m.Sum(nil)[:16])
	}
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for i := range 500 {
				s := secrets[(g+i)%2]
				addr := "+5198765" + string(rune('0'+i%10))
				if got := store.UserKey(s, "whatsapp", addr); got != want(s, "whatsapp", addr) {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("UserKey differs from the HMAC of channel and address")
		}
	}
}
