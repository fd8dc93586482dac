package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
)

// TestViolenceToldWithFear: «meu namorado me bate e eu tenho medo» got the page on
// feelings, «my partner hits me and im scared to tell anyone» «no te entendí»,
// «apanhei ontem de um cliente e ainda estou com medo» the health menu: the fear weighs
// on the model. Someone hitting her, told, is the violence page (not her fault, what to
// do, the numbers), unless it is danger now; an injury keeps the health menu, and the
// past that a feeling refers to («pesadillas con el tipo q me pegó») stays the model's.
func TestViolenceToldWithFear(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{
		"mi pareja me pega y me da mucho miedo", "mi ex me pegaba y ahora tengo miedo hasta de salir",
		"un cliente me golpeo y estoy asustada", "me cachetearon anoche y sigo con miedo",
		"el pata con el que vivo me maltrata, tengo miedo", "meu namorado me bate e tenho medo",
		"meu marido me batia, agora tenho medo de tudo", "levei um tapa de um cliente e to com medo",
		"my boyfriend hits me and i am scared", "a guy slapped me last night, im still scared",
		"my husband beats me and i dont know who to tell", "meu companheiro me bate e tenho medo de contar",
		"meu namorado me bate, to com medo", "meu ex me batia e tenho medo",
		// the model read the police in «they slapped me», with no police said
		"me cachetearon anoche y me da verguenza contarlo", "me golpearon el sabado y me da pena hablarlo",
	} {
		if p := e.Understand(text); p.Intent != "violence" && !understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want violence (or the numbers)", text, p.Intent)
		}
	}
	for _, text := range []string{"un policia me pego ayer", "los tombos me pegaron en la batida"} {
		if p := e.Understand(text); p.Intent != "police" && !understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want police (or the numbers)", text, p.Intent)
		}
	}
	wantNotIntent(t, e, "violence", "se me pego la cancion", "me pego la gripe y tengo fiebre", "me duele mucho la cabeza desde q me pegaron",
		"tengo pesadillas con el tipo q me pego", "i keep dreaming about the man who hit me")
}

// TestViolenceToldBesideHerPapersOrWork: «mi pareja me pega y no tengo papeles» got the
// migrant page, with no number: what she told beside the violence (her papers, her
// work) weighed more on the model. Someone hitting her is the violence page; her
// papers or her work asked about without it keep their pages.
func TestViolenceToldBesideHerPapersOrWork(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{
		"mi pareja me pega y no tengo papeles", "mi esposo me pega pero soy venezolana y no tengo documentos",
		"el dueño del cuarto me golpeó y estoy sin papeles", "me pegan y tengo miedo de que me deporten",
		"un cliente me pegó en el trabajo", "mi pareja me golpea y estoy irregular",
		"meu namorado me bate e não tenho documentos", "meu marido me bate e estou sem papéis",
		"um cliente me bateu no programa", "my partner hits me and i have no papers",
		"my boyfriend beats me and im undocumented", "a client beat me up at work",
	} {
		if p := e.Understand(text); p.Intent != "violence" && !understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want violence (or the numbers)", text, p.Intent)
		}
	}
	wantNotIntent(t, e, "violence", "no tengo papeles, me pueden atender?", "soy venezolana y no tengo documentos",
		"i have no papers, can i go to the hospital", "não tenho documentos, posso ser atendida?",
		"quiero saber mis derechos como trabajadora sexual")
}

// TestBribeAskedByThePolice: «os cana pediram dinheiro pra nao encher meu saco, isso
// pode??» got «no te entendí». The police or the guards asking her for money is the
// police page; someone asking for money not to report her to them is extortion.
func TestBribeAskedByThePolice(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{
		"os cana pediram dinheiro pra nao encher meu saco, isso pode??", "el sereno me pidio plata para dejarme trabajar",
		"la patrulla me cobra cupo todas las noches", "a cop asked me for money to let me go",
	} {
		if p := e.Understand(text); p.Intent != "police" && !understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want police", text, p.Intent)
		}
	}
	wantNotIntent(t, e, "police", "me estan pidiendo dinero a cambio de no denunciarme a migraciones", "se eu não pagar vão me denunciar pra migraciones")
}

// TestMistreatedAtAServiceToReport: «nurse insulted me for being a sex worker, i want to
// report her» got the violence page's «how to report»: «report» weighs. Mistreated at a
// public service is a complaint about it; violence there, or insults from others, are
// read as before.
func TestMistreatedAtAServiceToReport(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "complain",
		"nurse insulted me for being a sex worker, i want to report her", "onde faço denuncia de discriminaçao no hospital",
		"quiero denunciar a la doctora q me discrimino en la posta", "how do i report a hospital that refused to see me because im venezuelan")
	wantNotIntent(t, e, "complain", "sus amigos me insultaron y quiero denunciar", "el doctor me pego y quiero denunciarlo")
}

// TestViolenceWithACondomTakenOff: «he took the condom off without telling me» got the
// violence menu, the PEP it needs (within hours) one choice further. Violence told with a
// condom taken off, broken or refused (answer.exposure) goes to what to do now, PEP
// among it; read as her health, it is the page on PEP; danger said with it, the numbers.
func TestViolenceWithACondomTakenOff(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"he took the condom off without telling me", "he removed the condom halfway and didnt tell me",
		"el cliente me obligó a hacerlo sin condón", "se quitó el condón sin que me diera cuenta",
		"un man se sacó el condón a la mala", "o cliente tirou a camisinha escondido",
		"o cara arrancou a camisinha e continuou",
	} {
		_, replies, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if !hasKey(replies, "violence.now") && !hasKey(replies, "health.prep") && !numbersGiven(replies) && !understand.IsSafety(e.Understand(text).Intent) {
			t.Errorf("«%s»: %v; want what to do now (violence.now) or the page on PEP (health.prep)", text, keys(replies))
		}
	}
}
