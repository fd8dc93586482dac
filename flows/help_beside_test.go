package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestHelpBesideANeed: a need said with a plea for guidance within three words of it
// («perdí mi pasaporte q hago», «tengo una pregunta sobre la prep», «i need help finding
// a shelter», «me cobran cupo q hago») got «how can I help» and the menu (cmd.help said
// near), although the need was read; said with the words of going back or to the menu
// («quiero volver a venezuela», «quiero empezar la prep»), the menu. The need's page
// comes first; the plea or the words alone, or with nothing clear beside them, are
// still what they were.
func TestHelpBesideANeed(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct{ lang, text, want string }{
		{"es", "perdi mi pasaporte q hago", "migrant.intro"},
		{"es", "mi pasaporte q hago", "migrant.intro"},
		{"pt", "o que eu faço perdi meu rg", "migrant.intro"},
		{"es", "tengo una pregunta sobre la prep", "health.prep"},
		{"es", "info prep", "health.prep"},
		{"pt", "preciso de ajuda com a prep", "health.prep"},
		{"en", "what should i do about prep", "health.prep"},
		{"es", "tengo una duda sobre el vih", "health.intro"},
		{"es", "me cobran cupo q hago", "violence.extortion"},
		{"en", "i need help finding a shelter", "shelter.body"},
		// the words of going back or to the menu, said in a need
		{"es", "quiero empezar la prep", "health.prep"},
		{"es", "quiero volver a venezuela", "migrant.intro"},
		{"pt", "voltar pra venezuela", "migrant.intro"},
		{"en", "go back to venezuela", "migrant.intro"},
		// the plea alone, or beside nothing clear, or asking about a service
		{"es", "q hago", "help.intro"},
		{"es", "tengo una pregunta", "help.intro"},
		{"es", "hola tengo una consulta", "help.intro"},
		{"es", "info porfa", "help.intro"},
		{"es", "estoy perdida q hago", "help.intro"},
		{"es", "info sobre el cem", "help.intro"},
		{"es", "volver", "home.say"},
		{"es", "menu porfa", "home.say"},
	} {
		_, replies, _ := e.Step(flows.Session{Lang: c.lang, Node: "home"}, flows.Input{Kind: flows.InputText, Text: c.text, Now: now})
		if !hasKey(replies, c.want) {
			t.Errorf("%q: %v, want %s", c.text, keys(replies), c.want)
		}
	}
}
