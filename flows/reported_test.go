package flows_test

import (
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/faro-chat/faro/flows/understand"
)

// TestAskedWhetherFaroReportsHer: «me vas a denunciar si te cuento q no tengo papeles?»
// got the page on how to report. Asking Faro whether it reports her, or passes on her
// data, is a question about Faro: the about page (Faro works for no authority, and what
// it keeps). Someone else's threat to report her, a question about the law, and danger
// said with it are read as before.
func TestAskedWhetherFaroReportsHer(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	wantIntent(t, e, "about",
		"me vas a denunciar si te cuento q no tengo papeles?", "tu me vas a reportar a migraciones?",
		"si te digo en q trabajo me denuncias?", "ustedes pasan mis datos a la policia?",
		"le vas a contar lo q te escribo a alguien?", "me vas a delatar con la policia?",
		"dan mi numero a migraciones?", "vc vai me denunciar se eu contar?", "vcs passam meus dados pra policia?",
		"voce me denuncia se eu falar que to sem documento?", "will you report me if i tell you",
		"r u gonna report me to immigration", "do you share my info with the cops?")
	for _, text := range []string{
		"el cliente me va a denunciar", "me van a denunciar si trabajo en la calle?",
		"mi ex dice q me va a reportar a migraciones", "como denuncio a un cliente q me robo",
	} {
		if p := e.Understand(text); p.Intent == "about" {
			t.Errorf("%q: read as a question about Faro", text)
		}
	}
	wantSafety(t, e, "me vas a denunciar? me estan pegando", "will you report me, he has a knife")
	for _, ex := range safetyExamples(t) {
		if understand.AsksIfReported(understand.Tokens(flows.Normalize(ex.Text))) {
			t.Errorf("%s: %s %q is read as asking whether Faro reports her", ex.Where, ex.Intent, ex.Text)
		}
	}
}
