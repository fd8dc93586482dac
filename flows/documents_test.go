package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// wantOrAsked checks that each text is read as intent, or as the one question before
// the numbers with «no» leading to intent (or, with safety, the numbers at once).
func wantOrAsked(t *testing.T, e *flows.Engine, intent string, safety bool, texts ...string) {
	t.Helper()
	for _, text := range texts {
		p := e.Understand(text)
		switch {
		case p.Intent == intent, p.Ask && p.Then == intent:
		case safety && (p.Intent == "danger" || p.Intent == "selfharm"):
			t.Logf("%q: %s at once", text, p.Intent)
		default:
			t.Errorf("%q: %s (asked %v, then %q), want %s", text, p.Intent, p.Ask, p.Then, intent)
		}
	}
}

// TestDocumentsKept: «el manager nos recogió los pasaportes a todas y no los devuelve»
// was the extortion page, «he says i get my passport back when i pay off what i owe
// him» and «owner of the club wont return my papers unless i work 2 more months» got
// «no te entendí», «me retuvieron el pasaporte en el local de trujillo» the migrants'
// page. Someone who runs her work, brought her or paid her trip and keeps her
// documents is a sign of trafficking: the trafficking page, with its numbers (or the
// numbers at once, where the model reads danger). Having no documents, the police or
// Migraciones holding them, her family, her own keeping of them are not.
func TestDocumentsKept(t *testing.T) {
	e, _ := realEngine(t)
	wantOrAsked(t, e, "trafficking", true,
		// holding, taking, hiding
		"la encargada tiene mi pasaporte desde que llegué", "mi cédula la tiene el dueño del local",
		"el que me trajo se quedó con mis papeles", "la mami guarda los pasaportes de todas",
		"el jefe escondió mis documentos", "la dueña retiene mi dni y mi ptp",
		"a cafetina está com meu passaporte", "o dono da casa pegou meus documentos quando cheguei",
		"a mulher que pagou minha passagem ficou com meu rg", "o gerente guardou nossos passaportes",
		"the woman who paid my flight has my passport", "my boss is holding our passports",
		"the club owner took my papers when i got here", "the manager hid my documents",
		// not giving them back, or only on a condition
		"la señora no me quiere devolver el carnet de extranjería",
		"me dicen que el pasaporte me lo devuelven cuando pague la deuda",
		"só devolvem o passaporte depois que eu pagar a dívida",
		"they won't give my id back until i pay what i owe",
	)
	wantNotIntent(t, e, "trafficking",
		"mis hijos no tienen dni pueden ir al colegio?", "no tengo papeles, me atienden igual?",
		"el centro de salud tiene que pedirme dni?", "me da miedo pensar en los papeles, no duermo",
		"perdí mi pasaporte",
	)
	// said with a place: the trafficking page, the place kept for the services near her
	text := "me retuvieron el pasaporte en el local de trujillo, como lo recupero"
	if p := e.Understand(text); p.Intent != "trafficking" || p.Slots["place"] == "" {
		t.Errorf("%q: %s, place %q; want trafficking with the place", text, p.Intent, p.Slots["place"])
	}
	// asked about danger first, «no» goes to the trafficking page
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	for _, text := range []string{"the guy who brought me to peru is holding my id and passport",
		"tengo miedo de pedirle mis papeles a la señora, los guarda en su cuarto con llave"} {
		p := e.Understand(text)
		if !p.Ask {
			t.Logf("%q: %s, not asked", text, p.Intent)
			continue
		}
		s, _, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if _, replies, _ := e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now}); !hasKey(replies, "sexwork.help") {
			t.Errorf("%q, then «no»: %v, want the trafficking page (sexwork.help)", text, keys(replies))
		}
	}
}

// TestDocumentsLost: «se me rompió el pasaporte, me lo aceptan así?» and «i think i left
// my passport at the airbnb and the host says its not there» got the numbers at once,
// «got robbed last night, they took my bag with my id and passport» the trafficking
// page, «molhou meu rg na chuva e ficou todo apagado» the question whether to erase her
// data. Her documents lost, stolen, expired or damaged are the migrants' pages (where
// to ask); read as danger, the one question comes first and «no» leads there. A weapon,
// a plea or blows keep the numbers at once.
func TestDocumentsLost(t *testing.T) {
	e, _ := realEngine(t)
	wantOrAsked(t, e, "migrant", false,
		"perdí mi pasaporte", "se me perdió la cédula en el bus", "me robaron el carnet de extranjería",
		"mi ptp está vencido, cómo lo renuevo", "se me mojó el pasaporte y no se lee",
		"quiero sacar un duplicado del carnet", "se me rompio el pasaporte, la hoja de la foto esta despegada",
		"perdi meu passaporte", "roubaram meu rg no ônibus", "meu passaporte venceu",
		"como tiro a segunda via do carnê de estrangeiro", "molhou meu rg na chuva e ficou todo apagado",
		"i lost my passport", "my id was stolen", "my passport is expired how do i renew it",
		"left my passport in a taxi", "got robbed last night, they took my bag with my id and passport",
		"passport went through the washing machine, is it still valid",
	)
	wantNotIntent(t, e, "migrant", "me robaron el celular", "my boss took my passport")
	for _, text := range []string{"me robaron el pasaporte con un cuchillo", "perdí mis papeles y un hombre me está siguiendo, ayuda"} {
		if p := e.Understand(text); p.Intent != "danger" && p.Intent != "selfharm" {
			t.Errorf("%q: %s (asked %v), want the numbers", text, p.Intent, p.Ask)
		}
	}
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	text := "se me rompio el pasaporte, la hoja de la foto esta despegada, me lo aceptan asi?"
	s, replies, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	if p := e.Understand(text); p.Ask {
		if _, replies, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now}); !hasKey(replies, "migrant.intro") {
			t.Errorf("%q, then «no»: %v, want the migrants' page", text, keys(replies))
		}
	} else if !hasKey(replies, "migrant.intro") {
		t.Errorf("%q: %v, want the migrants' page", text, keys(replies))
	}
}

// TestReturnHome: «como regresar a mi pais» and «quero voltar pro brasil» went back in
// the chat (the model's reading of «regresar», «voltar»), «how can i go back to my
// country» was her health, «i want to go home to venezuela» how she feels, «me quiero ir
// a mi pais» the self-harm page at once («me quiero ir»). Going back to her country is
// where to ask about it, the migrants' pages; read as danger or self-harm, the one
// question comes first and «no» leads there. A wish to die said with it keeps the
// numbers; coming from her country, or going back in the chat, is not this.
func TestReturnHome(t *testing.T) {
	e, _ := realEngine(t)
	wantOrAsked(t, e, "migrant", false,
		"como regresar a mi pais", "quiero volver a mi pais", "necesito regresar a mi tierra",
		"me quiero ir a mi pais", "quiero irme a venezuela", "plan vuelta a la patria",
		"quiero retornar a mi pais pero no tengo plata", "quero voltar pro brasil",
		"como faço pra voltar pro meu pais", "how can i go back to my country",
		"i want to go home to venezuela",
		// a city of her country, home beside the journey, the verb after «mi tierra»
		"me quiero volver a barranquilla", "alguien sabe si la oim paga pasajes pa regresar a vzla",
		"vc sabe se o consulado paga passagem de volta pro brasil", "como faço pra ir embora pro brasil sem passaporte",
		"to com saudade da minha terra quero voltar com meu filho", "need help getting back home, who pays the ticket?",
		"quero ir embora daqui, voltar pra minha familia no brasil",
	)
	for _, text := range []string{"i miss my kids back home so much", "i just wanna go home to my room and sleep tonight",
		"toda mi familia esta en colombia", "como le mando plata a mi mama en vzla", "mis hijos se quedaron en mi tierra con mi abuela",
		"ya me voy a mi casa a dormir"} {
		if p := e.Understand(text); p.Intent == "migrant" || p.Then == "migrant" {
			t.Errorf("%q: migrant, want another reading", text)
		}
	}
	for _, text := range []string{"me quiero ir de este mundo", "ya no quiero vivir, me quiero ir a mi pais"} {
		if p := e.Understand(text); p.Intent != "selfharm" || p.Ask {
			t.Errorf("%q: %s (asked %v), want the self-harm page at once", text, p.Intent, p.Ask)
		}
	}
	for _, text := range []string{"volver", "quiero volver al menu", "regresar"} {
		if p := e.Understand(text); p.Intent == "migrant" {
			t.Errorf("%q: migrant, want going back in the chat", text)
		}
	}
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	for _, text := range []string{"me quiero ir a mi pais", "quiero volver a venezuela", "voltar pra venezuela"} {
		s, replies, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if e.Understand(text).Ask {
			_, replies, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now})
		}
		if !hasKey(replies, "migrant.intro") {
			t.Errorf("%q: %v, want the migrants' page", text, keys(replies))
		}
	}
}
