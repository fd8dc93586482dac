package flows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestTalkAboutTheName: a message about her name that gives none is never stored as
// her name. Offering it, asking to change it or saying it is wrong brings the name
// question; not wanting to give one forgets the one kept and says none is needed;
// asking why it is asked says what it is for, and keeps it.
func TestTalkAboutTheName(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 2, 22, 0, 0, 0, time.UTC)
	named := func(node string) flows.Session {
		return flows.Session{Lang: "es", Node: node, Stack: []string{"home"}, Vars: map[string]string{"name": "Kiara"}}
	}
	say := func(s flows.Session, text string) (flows.Session, []flows.Reply, []flows.Effect) {
		return e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	}
	for _, text := range []string{
		"quiero darte mi nombre", "te doy mi nombre?", "no me llamo así", "ese no es mi nombre",
		"cambiar nombre", "escribiste mal mi nombre", "ya no me digas así porfa",
		"don't call me that", "change my name", "that's not my name", "can i tell you my name",
		"não me chamo assim", "quero mudar meu nome", "errou meu nome",
	} {
		s, _, _ := say(named("home"), text)
		if s.Node != "name_ask" || s.Vars["name"] != "Kiara" {
			t.Errorf("«%s»: at %s, name %q; want the name question, the name kept until another is given", text, s.Node, s.Vars["name"])
			continue
		}
		if s, _, _ = say(s, "Kimberly"); s.Vars["name"] != "Kimberly" {
			t.Errorf("«%s», then «Kimberly»: name %q", text, s.Vars["name"])
		}
	}
	for _, node := range []string{"home", "name_ask", "services_place"} {
		for _, text := range []string{
			"no quiero dar mi nombre", "prefiero no decirte como me llamo", "sin nombre porfa",
			"olvida mi nombre", "i'd rather not give my name", "no name please",
			"não quero dar meu nome", "prefiro não falar meu nome",
		} {
			s, replies, _ := say(named(node), text)
			if s.Vars["name"] != "" || s.Node != "home" || !hasKey(replies, flows.KeyNameNotNeeded) {
				t.Errorf("«%s» at %s: at %s, name %q, replies %v; want none needed, none kept, the menu", text, node, s.Node, s.Vars["name"], keys(replies))
			}
		}
	}
	// why her name is asked: what it is for; the name she gave stays, none is taken
	for _, node := range []string{"home", "name_ask", "violence_menu"} {
		for _, text := range []string{
			"xq me preguntas mi nombre", "para que quieres mi nombre", "por que me pides el nombre",
			"pa q necesitas mi nombre?", "why do u need my name", "why are you asking my name",
			"pq vc quer saber meu nome", "pra que vc precisa do meu nome", "por que me pregunta mi nombre",
		} {
			s, replies, _ := say(named(node), text)
			if s.Vars["name"] != "Kiara" || s.Node != "home" || !hasKey(replies, flows.KeyNameWhy) {
				t.Errorf("«%s» at %s: at %s, name %q, replies %v; want what it is for, the name kept, the menu", text, node, s.Node, s.Vars["name"], keys(replies))
			}
		}
	}
	if s, _, _ := say(flows.Session{Lang: "pt"}, "pq vc quer saber meu nome"); s.Vars["name"] != "" {
		t.Errorf("«pq vc quer saber meu nome» as a first message: name %q taken", s.Vars["name"])
	}
	// a first message
	if s, _, _ := say(flows.Session{Lang: "es"}, "quiero darte mi nombre"); s.Node != "name_ask" {
		t.Errorf("«quiero darte mi nombre» as a first message: at %s, want the name question", s.Node)
	}
	// danger said with the name is danger
	for _, text := range []string{"no me llames, me quiere pegar", "olvida mi nombre, me voy a matar"} {
		s, _, effects := say(named("home"), text)
		if !hasEvent(effects, flows.EventEmergency) && !hasEvent(effects, flows.EventCrisis) && s.Node != e.Flow().DangerCheck && s.Node != e.Flow().CrisisCheck {
			t.Errorf("«%s»: at %s, want the numbers or the question before them", text, s.Node)
		}
	}
}

// hasKey tells whether one of the replies says the locale key.
func hasKey(replies []flows.Reply, key string) bool {
	for _, r := range replies {
		if slices.Contains(r.Keys, key) {
			return true
		}
	}
	return false
}

func keys(replies []flows.Reply) [][]string {
	var out [][]string
	for _, r := range replies {
		out = append(out, r.Keys)
	}
	return out
}

// TestNamesThatAreWords: at «¿cómo quieres que te llame?», a given name that is also a
// word of a topic («Soledad», loneliness; «Graça», free of charge) is her name, and a
// name with particles is kept whole; a topic's word that is no name is still the topic,
// and a call for help still the numbers.
func TestNamesThatAreWords(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 2, 22, 0, 0, 0, time.UTC)
	ask := func(text string) (flows.Session, []flows.Effect) {
		s, _, effects := e.Step(flows.Session{Lang: "es", Node: "name_ask", Stack: []string{"home"}}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		return s, effects
	}
	for text, want := range map[string]string{
		"Soledad": "Soledad", "soledad": "soledad", "Graça": "Graça", "Grace": "Grace", "Luz": "Luz",
		"Dolores": "Dolores", "Milagros": "Milagros", "soy Soledad": "Soledad",
		"Maria de los Angeles": "Maria de los Angeles", "María de la Luz": "María de la Luz",
		"me llamo Ana da Silva": "Ana da Silva",
	} {
		if s, _ := ask(text); s.Vars["name"] != want {
			t.Errorf("«%s» at the name question: name %q (at %s), want %q", text, s.Vars["name"], s.Node, want)
		}
	}
	for _, text := range []string{"vih", "miedo", "salud", "medo", "ansiedad", "violencia"} {
		if s, _ := ask(text); s.Vars["name"] != "" || s.Node == "home" {
			t.Errorf("«%s» at the name question: name %q (at %s), want its topic", text, s.Vars["name"], s.Node)
		}
	}
	if s, effects := ask("Socorro"); s.Vars["name"] != "" || !hasEvent(effects, flows.EventEmergency) {
		t.Errorf("«Socorro» at the name question: name %q, want the numbers", s.Vars["name"])
	}
}

// TestANameSaidAloneIsNoDanger: a name said with its anchor and greetings or courtesy
// alone is her name, where the model guessed danger in names it never saw («me chama
// de Estrela por favor» was asked «¿estás en peligro?»); with anything more, danger is
// read as before.
func TestANameSaidAloneIsNoDanger(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 2, 22, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"me chama de Estrela por favor": "Estrela", "pode me chamar de Esperança": "Esperança",
		"hola, me llamo Luz": "Luz", "buenas noches, mi nombre es Yuliana": "Yuliana",
	} {
		s, _, effects := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if s.Vars["name"] != want || s.Node == e.Flow().DangerCheck || hasEvent(effects, flows.EventEmergency) {
			t.Errorf("«%s»: name %q at %s, want %q and no danger", text, s.Vars["name"], s.Node, want)
		}
	}
	s, _, effects := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: "me llamo Ana y me quieren pegar", Now: now})
	if s.Vars["name"] != "" || !hasEvent(effects, flows.EventEmergency) {
		t.Errorf("«me llamo Ana y me quieren pegar»: name %q at %s, want the numbers", s.Vars["name"], s.Node)
	}
}
