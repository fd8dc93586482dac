package flows

import (
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows/understand"
)

// TestDistressAlone: emoji of distress with no word, in any number, with spaces and
// punctuation, are distress alone; a word, a digit, laughter or praying hands alone
// are not. A flood of them is read whole: a word at its end counts.
func TestDistressAlone(t *testing.T) {
	flood := strings.Repeat("😭😢 ", 300)
	for text, want := range map[string]bool{
		"😭": true, "😭😭😭": true, "😭 😭!!": true, "💔": true, "😰...": true, "🔪🩸": true,
		"😭🙏": true, "🙏😭😭": true, "😢\u200d": true, "😭🏽": true, flood: true,
		"🙏": false, "🙏🙏🏽": false, "😂😭": false, "🤣😭": false, "👍": false, "": false,
		"ya 😭": false, "😭 ok": false, "😭 2": false, "😭 ñ": false, "😭 ayuda": false, "😭 помоги": false,
		flood + "hola": false, "😭٣": false,
	} {
		if got := distressAlone(text, understand.ContextOf(text)); got != want {
			t.Errorf("distressAlone(%.40q) = %v, want %v", text, got, want)
		}
	}
}
