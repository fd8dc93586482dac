package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
	"github.com/faro-chat/faro/flows/understand"
)

// TestBusySaidAlone: «estoy apurada», «i'm in a hurry», «estou a caminho» got the
// emergency numbers at once (the model reads «estoy» and «in» beside words it has
// mostly seen in calls for help). Busy, in a hurry or on her way, said alone, is the
// menu with the emergency option first; anything that says more is read as before,
// danger first, and at «¿estás en peligro ahora?» such a message asks again.
func TestBusySaidAlone(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	wantIntent(t, e, "cmd_help",
		"estoy apurada", "toy apurada", "ando apurado", "estoy un poco apurada ahorita",
		"disculpa estoy ocupada", "estoy manejando", "ya estoy en camino", "voy llegando",
		"estoy en el trabajo", "toy comiendo", "i'm in a hurry", "im a bit busy right now",
		"sorry i'm driving", "on my way", "at work rn", "estou com pressa", "estou a caminho",
		"to dirigindo agora", "tô no trabalho", "hola, estoy apurada",
		// with when she will write again, or an excuse for a slow answer
		"toy manejando, t escribo en un rato", "ando ocupadisima, luego te cuento",
		"perdon la demora, estaba trabajando", "estoy cenando, ya regreso",
		"busy rn, text you later", "having dinner brb", "estou jantando, depois te escrevo",
		"tava trabalhando, desculpa a demora")
	wantSafety(t, e, "estoy apurada ayudame", "estoy en apuros", "estoy manejando y me siguen", "i'm in a car and he won't let me out",
		"estoy en el hotel y no me deja salir", "estou a caminho e ele ta me seguindo", "estoy corriendo",
		"im in a hurry he is coming", "estoy ocupada pero me quiere pegar",
		"no puedo hablar, luego te escribo", "cant talk rn, later", "estoy manejando y un carro me sigue, luego t escribo")
	for _, ex := range safetyExamples(t) {
		if understand.BusyAlone(understand.Tokens(flows.Normalize(ex.Text))) {
			t.Errorf("%s: %s %q is read as busy", ex.Where, ex.Intent, ex.Text)
		}
	}

	// at the danger question, the question again; at a page, the menu with the
	// emergency option first
	re, _ := realEngine(t)
	f := re.Flow()
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	at := flows.Session{Lang: "es", Node: f.DangerCheck, Stack: []string{f.Home}}
	if s, _, _ := re.Step(at, flows.Input{Kind: flows.InputText, Text: "estoy manejando", Now: now}); s.Node != f.DangerCheck {
		t.Errorf("«estoy manejando» at the danger question went to %s, want the question again", s.Node)
	}
	at = flows.Session{Lang: "es", Node: "violence_menu", Stack: []string{f.Home}}
	s, replies, _ := re.Step(at, flows.Input{Kind: flows.InputText, Text: "estoy apurada", Now: now})
	if s.Node != f.Home || !hasKey(replies, "help.intro") {
		t.Errorf("«estoy apurada» at a page: at %s, replies %v; want help.intro and the menu", s.Node, replies)
	}
}

// wantSafety fails for each text that is neither given the numbers nor asked about them.
func wantSafety(t *testing.T, e *flows.Engine, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if p := e.Understand(text); !understand.IsSafety(p.Intent) {
			t.Errorf("%q: %s, want the numbers or the question", text, p.Intent)
		}
	}
}

// safetyExamples returns the training utterances labelled danger or self-harm.
func safetyExamples(t *testing.T) []understand.Example {
	t.Helper()
	train, err := understand.Corpus("train")
	if err != nil {
		t.Fatal(err)
	}
	var out []understand.Example
	for _, ex := range train {
		if understand.IsSafety(ex.Intent) {
			out = append(out, ex)
		}
	}
	return out
}

// wantIntent fails for each text not understood as intent.
func wantIntent(t *testing.T, e *flows.Engine, intent string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if p := e.Understand(text); p.Intent != intent {
			t.Errorf("%q: %s (asked %v), want %s", text, p.Intent, p.Ask, intent)
		}
	}
}

// wantNotIntent fails for each text read as intent.
func wantNotIntent(t *testing.T, e *flows.Engine, intent string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if p := e.Understand(text); p.Intent == intent {
			t.Errorf("%q: %s, want another reading", text, intent)
		}
	}
}

// TestGoingQuietSaidAlone: «me quedé sin saldo, luego te escribo» got «no te entendí»,
// «luego te escribo» the page on what Faro keeps. Going quiet for a while (out of
// credit, data or battery; writing later) said alone is the menu with the emergency
// option first; said with danger, or «no puedo hablar», it is read as before.
func TestGoingQuietSaidAlone(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	wantIntent(t, e, "cmd_help",
		"me quede sin saldo, luego te escribo", "me quedé sin saldo", "toy sin datos, luego te escribo",
		"me estoy quedando sin bateria", "se me acaba la bateria, despues te escribo",
		"estoy con poca bateria", "se me acaban los megas", "ya me quede sin internet",
		"luego te escribo", "ya vuelvo", "despues te escribo porfa", "más tarde te escribo",
		"low battery, text you later", "my phone is dying", "im out of data, brb", "talk later",
		"fiquei sem credito, depois te escrevo", "to sem bateria", "minha bateria ta acabando",
		"depois te escrevo", "ja volto",
		// the phone, its battery, credit or data, in other words and orders
		"bateria al 5%, luego hablamos", "el cel se me esta muriendo", "sin megas x ahora, chau",
		"ya vengo, voy a cargar el cel", "se me murio el plan, mañana recargo",
		"voy a poner a cargar el celular y vuelvo", "tengo que irme, despues te escribo",
		"celular descarregando, volto depois", "sem internet agora, depois falo", "tchau por agora",
		"phone at 2%, ill text you tomorrow", "my data ran out, will write later", "gotta go, ttyl",
		"charging my phone, back in a bit",
		// the phone the subject of «gonna», «I» about the charging
		"my phone is gonna die", "its gonna die, my battery is at 1%", "my phone is dying, i am going to charge it")
	// a goodbye alone is never read as going quiet: it may be a farewell of another kind,
	// nor a word of dying that may be about her: only the phone, its battery or data dies
	for _, text := range []string{"adios, gracias por todo, ya me voy", "bye", "chao a todos", "tchau, obrigada por tudo",
		"my phone is dying and so am i", "to sem bateria e vou morrer", "im dying, low battery", "me muero, luego te escribo",
		"sin bateria y yo tambien me muero",
		// still here is the opposite
		"sigo aquí", "aqui sigo", "still here", "ainda to aqui"} {
		if p := e.Understand(text); p.Intent == "cmd_help" {
			t.Errorf("«%s» is read as going quiet", text)
		}
	}
	wantSafety(t, e, "me quede sin saldo y me estan siguiendo", "no tengo bateria y me quiere pegar",
		"low battery and hes outside my door", "sem bateria e ele nao me deixa sair",
		"me tiene encerrada, se me acaba la bateria", "no puedo hablar, luego te escribo",
		"se me muere el cel y el tipo sigue afuera", "2% de bateria, ayuda", "ya no vuelvo, adios")
	for _, text := range []string{"te cuento algo", "luego", "te escribo porque me paso algo"} {
		if p := e.Understand(text); p.Intent == "cmd_help" {
			t.Errorf("«%s» is read as going quiet", text)
		}
	}
}

// TestThanksAlone: «ty ❤️» got «no te entendí», «valeu mesmo ❤️» was read as a yes.
// Thanks and nothing else, however short or strong, is thanked; «no thank you» is a
// no; with anything more it is read as before.
func TestThanksAlone(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	wantIntent(t, e, "thanks", "ty ❤️", "valeu mesmo ❤️", "ty", "vlw mano", "thank u so much", "gracias x todo amiga", "muchisimas gracias")
	wantNotIntent(t, e, "thanks", "no thank you", "no amiga gracias")
	wantSafety(t, e, "gracias, pero me quiero morir", "ty, im scared, hes outside")
}
