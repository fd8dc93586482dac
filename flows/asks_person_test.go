package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
)

// TestAskedForAPersonInMoreWords: «are you a bot? i need a real person» got the page
// about Faro, «no quiero hablar con una máquina» «no te entendí»: the bot named
// weighs on the model. Asking for a person, whatever else is said of the bot, is the
// handoff; being with someone, or asking whether Faro is a bot, is not.
func TestAskedForAPersonInMoreWords(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "cmd_operator",
		"are you a bot? i need a real person", "no quiero hablar con una maquina", "tem alguem de verdade ai?",
		"quiero hablar con alguien de verdad, no con un robot", "i dont want a bot, i want to talk to a human",
		"nao quero falar com robo, quero uma pessoa", "eres un bot? quiero hablar con una persona real",
		"is there a real person i can talk to", "me gustaria hablar con un humano por favor",
		"prefiero hablar con una persona", "quero falar com gente de verdade", "can i speak to an actual person please")
	wantNotIntent(t, e, "cmd_operator", "estoy con alguien", "no eres un bot?", "are you a bot", "hay alguna organizacion q me pueda atender en persona?")
	if p := e.Understand("quiero hablar con alguien, me quiero matar"); !understand.IsSafety(p.Intent) {
		t.Errorf("a person asked for beside self-harm: %s, want the numbers", p.Intent)
	}
}

// TestPregnancyWithHerCare: «estoy embarazada de 3 meses y no me he hecho ningún
// control» got the violence page, «preciso fazer pré-natal mas não tenho documento»
// the help menu. Pregnancy with a question about her care, papers or not, is her
// health; with violence or fear, it is read as before.
func TestPregnancyWithHerCare(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "health",
		"estoy embarazada de 3 meses y no me he hecho ningun control", "preciso fazer pre natal mas nao tenho documento",
		"puedo atenderme en la posta estando embarazada si no tengo papeles?", "where can i get a prenatal checkup",
		"estou gravida e ainda nao fiz nenhum exame", "necesito hacerme una prueba de embarazo",
		"im pregnant and i have no papers, can i see a doctor")
	wantSafety(t, e, "estoy embarazada y me quiero morir")
	if p := e.Understand("estoy embarazada y mi pareja me pega"); p.Intent == "health" {
		t.Error("pregnancy with violence: health, want the violence page or the numbers")
	}
}

// TestExtortionWithHerPhotos: «un pata tiene mis fotos y dice q las va a publicar si no
// le pago» got the violence page; the extortion page says what to do about it. Photos
// asked for and not paid (a scam), or an ex who threatens her by message, are read as
// before.
func TestExtortionWithHerPhotos(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "extortion",
		"un pata tiene mis fotos y dice q las va a publicar si no le pago", "ele ameaçou postar minhas fotos se eu nao mandar dinheiro",
		"a man says he will post my pics online unless i pay him", "un cliente me grabo y dice q subira el video si no le doy plata",
		"me estan chantajeando con mis fotos intimas", "meu ex quer dinheiro senao vai espalhar meus videos")
	wantNotIntent(t, e, "extortion", "me hicieron una estafa, el cliente pidio q le mandara fotos primero y nunca pago",
		"meu ex fica me chamando de puta e me ameaca por mensagem")
}

// TestHIVTreatmentNamed: «hace 2 semanas no tomo mis antirretrovirales xq se me
// terminaron» got the violence page, «en venezuela tomaba tarv pero desde q llegue no
// tengo nada» a search for mental health, «need to restart my arvs» «no te entendí».
// Treatment named is her health, on the page about SIS for foreigners with HIV; with
// self-harm it is the numbers first.
func TestHIVTreatmentNamed(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"hace 2 semanas no tomo mis antirretrovirales xq se me terminaron", "en venezuela tomaba tarv pero desde q llegue no tengo nada",
		"lost my treatment when i moved here, need to restart my arvs", "se me acabaron las pastillas del vih",
		"parei o tratamento do hiv quando sai do brasil", "where can i get my hiv meds in lima", "vivo con vih y no tengo seguro",
	} {
		_, replies, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if p := e.Understand(text); p.Intent != "health" || !hasKey(replies, "health.sis") {
			t.Errorf("«%s»: %s, replies %v; want health, the page on SIS for foreigners with HIV", text, p.Intent, replies)
		}
	}
	wantSafety(t, e, "vivo con vih y ya no quiero vivir")
}

// TestDetainedTold: «cuáles son mis derechos si me detienen» got the rights page, «mano
// prenderam a gente na batida» «no te entendí»: what to do when detained is the
// detention page. Stuck in traffic («to presa no trânsito»), or not detained at all,
// is not.
func TestDetainedTold(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "detention",
		"cuales son mis derechos si me detienen", "what are my rights if police detain me",
		"quais sao meus direitos se a policia me levar presa", "mano prenderam a gente na batida e ninguem fala nada pra nós",
		"que hago si hay una redada en el hotel", "my friend got arrested last night, what can she do")
	wantNotIntent(t, e, "detention", "to presa no transito", "mi hija me tiene presa con sus tareas", "no estoy detenida ni nada, solo quiero saber como saco el cpp")
}

// TestKindsQuestionAnsweredInWords: at «¿qué tipo de servicio buscas?», with her place
// known, «prueba de vih» or «preciso de um lugar pra fazer teste de hiv» got the health
// menu: a kind said in words (answer.services_*) picks it, and the places of that kind
// come; danger said there still gets the numbers.
func TestKindsQuestionAnsweredInWords(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	at := func(lang string) flows.Session {
		s, _, _ := e.Step(flows.Session{Lang: lang, Node: "home"}, flows.Input{Kind: flows.InputText, Text: map[string]string{"es": "estoy en Lince", "pt": "tô em Lince", "en": "im in lince"}[lang], Now: now})
		if s.Node != "services_menu" {
			t.Fatalf("%s: at %s after her place, want the kinds question", lang, s.Node)
		}
		return s
	}
	for _, c := range []struct{ lang, text, kind string }{
		{"es", "prueba de vih", "sexual-health"}, {"pt", "preciso de um lugar pra fazer teste de hiv", "sexual-health"},
		{"es", "necesito un psicologo", "mental-health"}, {"en", "a lawyer", "legal"}, {"es", "un cem", "violence"},
	} {
		if _, _, effects := e.Step(at(c.lang), flows.Input{Kind: flows.InputText, Text: c.text, Now: now}); !lateKindJudge(c.kind, flows.Session{}, effects) {
			t.Errorf("«%s» at the kinds question: events %v, want a search for %s", c.text, events(effects), c.kind)
		}
	}
	if _, replies, _ := e.Step(at("es"), flows.Input{Kind: flows.InputText, Text: "un tipo me quiere matar", Now: now}); !numbersGiven(replies) {
		t.Error("danger at the kinds question: no numbers")
	}
}
