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

// TestSadAlone: sad faces with no word are how she feels; with a distress emoji they
// are distress, with a word, a laugh or a thumbs-up (read as «sí») they are not alone.
func TestSadAlone(t *testing.T) {
	for text, want := range map[string]bool{
		"😔": true, "🥺🥺": true, "☹️": true, "😞 ...": true, strings.Repeat("😔 ", 900): true,
		"😔😭": false, "😂😔": false, "😔 ok": false, "ya 😔": false, "😔 2": false, "": false, "👍": false,
	} {
		tokens := strings.Fields(understand.Normalize(text))
		if got := sadAlone(text, tokens, understand.ContextOf(text)); got != want {
			t.Errorf("sadAlone(%.40q) = %v, want %v", text, got, want)
		}
	}
}
