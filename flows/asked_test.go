package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestServiceQuestions: after a list of places, «¿es gratis?» got the rights page,
// «¿me piden dni?» the page on police identity checks, «queda lejos» the sex-work
// definitions and «¿atienden de noche?» «no te entendí». Now a question about the
// places listed gets what each one's source says of it, then the same menu.
func TestServiceQuestions(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 11, 0, 0, 0, time.FixedZone("PET", -5*3600))
	step := func(at flows.Session, text string) (flows.Session, []flows.Reply) {
		t.Helper()
		s, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		return s, replies
	}
	listed, _ := step(flows.Session{Lang: "es", Node: f.Home}, "necesito hacerme la prueba de vih en sjl")
	if listed.Node != "services_after" {
		t.Fatalf("the search: at %s; want services_after (the premise of this test)", listed.Node)
	}
	for _, c := range []struct {
		after string
		texts []string
	}{
		{"hours", []string{"atienden de noche?", "a que hora abren", "y los sabados?", "hasta que hora atienden",
			"abren los domingos?", "cual es su horario", "atienden hoy?", "estan abiertos ahorita?",
			"what time do they open", "open on sunday?", "are they open at night", "que horas abre?",
			"funciona no fim de semana?", "abre sabado?"}},
		{"cost", []string{"es gratis?", "cuanto cuesta", "cobran?", "hay que pagar algo?", "cuanto sale la prueba",
			"cuanto me cobran x la prueba", "is it free?", "how much is it", "do i have to pay", "e de graca?",
			"quanto custa", "tem que pagar?", "es gratuito?"}},
		{"docs", []string{"me piden dni?", "piden documentos?", "me atienden sin papeles?", "atienden a extranjeras?",
			"soy venezolana me atienden?", "necesito carnet?", "y si no tengo pasaporte", "do i need id?",
			"do they help foreigners", "precisa de documento?", "atendem estrangeiros?", "sin dni me atienden?"}},
		{"contact", []string{"tienen whatsapp?", "su numero?", "el telefono de la posta?", "como los contacto",
			"puedo llamarlos antes?", "do they have whatsapp", "what is their phone number", "tem telefone?",
			"tem whats?", "tienen numero de contacto"}},
		{"where", []string{"donde queda?", "cual es la mas cerca?", "queda lejos", "como llego", "cual es la direccion",
			"me pasas la ubicacion", "where is it?", "which one is closest", "how do i get there", "onde fica?",
			"qual e o mais perto?", "fica longe?"}},
	} {
		for _, text := range c.texts {
			s, replies := step(listed, text)
			if !hasKey(replies, flows.KeyAskIntro) || !hasKey(replies, flows.KeyAskAfter+c.after) || s.Node != listed.Node {
				t.Errorf("%s %q: at %s, replies %v; want what each place's source says of it, then the menu", c.after, text, s.Node, keys(replies))
			}
		}
	}
	// two questions at once: both answered
	if _, replies := step(listed, "es gratis y a que hora abren?"); !hasKey(replies, flows.KeyAskAfter+"cost") || !hasKey(replies, flows.KeyAskAfter+"hours") {
		t.Errorf("two questions: replies %v; want both answered", keys(replies))
	}
	// about something else: not this answer
	for _, text := range []string{
		"perdi mi dni", "el dueño tiene mi pasaporte", "me robaron el celular", "hoy no puedo ir porque trabajo",
		"y en miraflores?", "otro lugar", "gracias", "necesito condones", "quiero hablar con una persona",
		"no me sirvio", "1", "menu", "el numero de la policia", "me cobran cupo en la esquina",
		"mañana te escribo", "trabajo de noche", "cuanto cobras?", "donde saco mi dni",
		// going quiet, or nobody answering, with the words of a question
		"my phone is about to die, ttyl", "se me muere el telefono, luego te escribo", "no tengo saldo pa llamar",
		"nadie contesta el telefono",
	} {
		if s, replies := step(listed, text); hasKey(replies, flows.KeyAskIntro) {
			t.Errorf("%q: answered as a question about the places (now at %s)", text, s.Node)
		}
	}
	// danger first, whatever else the message asks
	if _, replies := step(listed, "me piden dni y el tipo me esta amenazando con un cuchillo afuera"); !numbersGiven(replies) || hasKey(replies, flows.KeyAskIntro) {
		t.Errorf("danger with a question: replies %v; want the numbers", keys(replies))
	}
	// nowhere else: the same words without a list are not answered so
	if _, replies := step(flows.Session{Lang: "es", Node: f.Home}, "es gratis?"); hasKey(replies, flows.KeyAskIntro) {
		t.Errorf("«es gratis?» at the menu: answered as a question about places never listed")
	}
	// after the answer, the menu's options still work on the same list
	s, _ := step(listed, "atienden de noche?")
	if s2, replies := step(s, "1"); s2.Node != "services_after" || len(replies) == 0 || len(replies[0].Cards) == 0 {
		t.Errorf("«1» (more results) after an answer: at %s, replies %v; want the next page", s2.Node, keys(replies))
	}
}

// TestServiceQuestionFacts: the answer says each place shown, by name, with the facts
// its card has: the phone for «¿tienen teléfono?», «Gratis» for «¿es gratis?», and a
// line saying so when its source says nothing.
func TestServiceQuestionFacts(t *testing.T) {
	e, cat := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 11, 0, 0, 0, time.FixedZone("PET", -5*3600))
	at := flows.Session{Lang: "es", Node: f.Home}
	var replies []flows.Reply
	for _, text := range []string{"menu", "2", "1", "surquillo"} {
		at, replies, _ = e.Step(at, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	}
	if at.Node != "services_after" || len(replies) == 0 || len(replies[0].Cards) == 0 {
		t.Fatalf("violence services in Surquillo: at %s, replies %v (the premise of this test)", at.Node, keys(replies))
	}
	shown := replies[0].Cards
	for _, c := range []struct {
		text string
		want func(flows.Card) string
	}{
		{"su telefono?", func(c flows.Card) string {
			if len(c.Phones) == 0 {
				return "no tengo su teléfono"
			}
			return "Tel. " + c.Phones[0]
		}},
		{"es gratis?", func(c flows.Card) string {
			if c.Free {
				return "Gratis"
			}
			return "no dice si es gratis"
		}},
	} {
		_, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: c.text, Now: now})
		text := flows.Render(cat, "es", replies).Text
		for _, card := range shown {
			if want := "• " + card.Name + ": "; !strings.Contains(text, want) {
				t.Errorf("%q: %q missing from\n%s", c.text, want, text)
			}
			if want := c.want(card); !strings.Contains(text, want) {
				t.Errorf("%q: %q (of %s) missing from\n%s", c.text, want, card.Name, text)
			}
		}
	}
}

// TestServiceQuestionProbe measures the answer to questions about the places listed
// on testdata/ask_probe.tsv, written by a helper who read neither the corpus nor the
// code: questions of each kind (hours, cost, docs, contact, where) and messages that
// share their words and are about something else (none).
func TestServiceQuestionProbe(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 11, 0, 0, 0, time.FixedZone("PET", -5*3600))
	listed, _, _ := e.Step(flows.Session{Lang: "es", Node: f.Home},
		flows.Input{Kind: flows.InputText, Text: "necesito hacerme la prueba de vih en sjl", Now: now})
	if listed.Node != "services_after" {
		t.Fatalf("the search: at %s; want services_after (the premise of this test)", listed.Node)
	}
	type count struct{ n, answered, right, numbers int }
	counts := map[string]*count{}
	for _, p := range probeLines(t, "testdata/ask_probe.tsv") {
		kind, lang, text := p.kind, p.lang, p.text
		at := listed
		at.Lang = lang
		_, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		c := counts[kind]
		if c == nil {
			c = &count{}
			counts[kind] = c
		}
		c.n++
		answered := hasKey(replies, flows.KeyAskIntro)
		if answered {
			c.answered++
		}
		if hasKey(replies, flows.KeyAskAfter+kind) {
			c.right++
		}
		if numbersGiven(replies) {
			c.numbers++
		}
		switch {
		case kind == "none" && answered:
			t.Logf("not a question about the places, answered as one: %q", text)
		case kind != "none" && !hasKey(replies, flows.KeyAskAfter+kind):
			t.Logf("%s missed (answered %v, numbers %v): %q", kind, answered, numbersGiven(replies), text)
		}
	}
	// floors: the figures of 2026-12-03 (the file's header has the blind run)
	floors := map[string]struct{ minRight, maxAnswered int }{
		"hours": {28, 30}, "cost": {30, 30}, "docs": {30, 30}, "contact": {28, 30}, "where": {26, 30}, "none": {0, 0},
	}
	for _, kind := range []string{"hours", "cost", "docs", "contact", "where", "none"} {
		c, fl := counts[kind], floors[kind]
		if c == nil {
			t.Fatalf("no %s line in the probe", kind)
		}
		t.Logf("%-8s %d lines: answered %d, the right question %d, the numbers %d", kind, c.n, c.answered, c.right, c.numbers)
		if kind == "none" && c.answered > fl.maxAnswered || kind != "none" && c.right < fl.minRight {
			t.Errorf("%s: answered %d, right %d (floors: right ≥ %d, none answered ≤ %d)", kind, c.answered, c.right, fl.minRight, fl.maxAnswered)
		}
	}
}
