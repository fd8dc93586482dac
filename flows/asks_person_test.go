package flows_test

import (
	"testing"

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
	for _, text := range []string{"estoy con alguien", "no eres un bot?", "are you a bot", "hay alguna organizacion q me pueda atender en persona?"} {
		if p := e.Understand(text); p.Intent == "cmd_operator" {
			t.Errorf("«%s»: cmd_operator, want another reading", text)
		}
	}
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
	for _, text := range []string{
		"me hicieron una estafa, el cliente pidio q le mandara fotos primero y nunca pago",
		"meu ex fica me chamando de puta e me ameaca por mensagem",
	} {
		if p := e.Understand(text); p.Intent == "extortion" {
			t.Errorf("«%s»: extortion, want another reading", text)
		}
	}
}
