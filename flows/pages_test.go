package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestATopicsPageNamedByItsWords: «se me rompió el condón anoche» got the health menu,
// one tap from what cannot wait (PEP: «ve hoy a un centro de salud»), and then «qué
// hago» the migrants' page. A message understood as health that names a condom that
// broke, sex without one, or PEP goes to the PEP page; one that names emergency
// contraception to its page; another health need to the health menu; danger said with
// it is danger. «qué hago», «o que eu faço», «what do i do» alone are a call for
// guidance: the menu with the emergency option first.
func TestATopicsPageNamedByItsWords(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	say := func(node, text string) (flows.Session, []flows.Reply, []flows.Effect) {
		return e.Step(flows.Session{Lang: "es", Node: node, Stack: []string{f.Home}}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	}
	for text, want := range map[string]string{
		"se me rompio el condon con un cliente anoche": "health.prep",
		"se reventó el condón hace 2 horas":            "health.prep",
		"tuve relaciones sin condon ayer, q hago":      "health.prep",
		"donde me dan la pep?":                         "health.prep",
		"the condom broke with a client 2 hours ago":   "health.prep",
		"a camisinha estourou ontem":                   "health.prep",
		"donde consigo la pastilla del dia siguiente":  "health.contraception",
		"where can i get the morning after pill":       "health.contraception",
		"onde compro a pilula do dia seguinte":         "health.contraception",
		"como me afilio al sis":                        "health.sis",
		"no tengo seguro":                              "health.sis",
		"como saco el sis siendo venezolana":           "health.sis",
		"do i need health insurance to see a doctor":   "health.sis",
		"quiero hacerme la prueba de vih":              "health.intro",
	} {
		if s, replies, _ := say("home", text); !hasKey(replies, want) {
			t.Errorf("«%s»: at %s, replies %v, want %s", text, s.Node, keys(replies), want)
		}
	}
	// a service near her, its kind said: where she is is asked, and the services of
	// that kind are listed, not «¿qué tipo de servicio buscas?»
	for text, cat := range map[string]string{
		"necesito un centro de salud cerca": "health", "donde hay una posta cerca": "health",
		"hay algun hospital cerca?": "health", "onde tem um posto de saude perto": "health",
		"where is the nearest clinic": "health", "donde queda el cem mas cercano": "violence",
		"donde hay un psicologo gratis cerca": "mental-health",
	} {
		if s, _, _ := say("home", text); s.Node != "services_place" || s.Vars[flows.VarCategory] != cat {
			t.Errorf("«%s»: at %s, category %q; want where she is asked, for %s", text, s.Node, s.Vars[flows.VarCategory], cat)
		}
	}
	if s, _, _ := say("home", "hay algun servicio cerca de aqui?"); s.Node != "services_menu" {
		t.Errorf("«hay algun servicio cerca de aqui?»: at %s, want the kinds of service", s.Node)
	}
	for _, text := range []string{"me violaron sin condon, estoy sangrando", "me obligo a hacerlo sin condon y no me deja salir"} {
		if s, _, effects := say("home", text); !hasEvent(effects, flows.EventEmergency) && s.Node != f.DangerCheck {
			t.Errorf("«%s»: at %s, want the numbers or the question before them", text, s.Node)
		}
	}
	for _, text := range []string{"que hago", "y ahora que hago", "o que eu faço", "what do i do"} {
		if _, replies, _ := say("health_menu", text); !hasKey(replies, "help.intro") {
			t.Errorf("«%s» at the health menu: replies %v, want the menu with the emergency option first", text, keys(replies))
		}
	}
}
