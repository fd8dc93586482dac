package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestEarningsKept: «my boss keeps everything i earn» was asked whether to erase her
// data («keep», «everything»), «la mami me quita la plata todas las noches» got the page
// on how she feels, «a dona da casa pega metade do que eu ganho» the violence page.
// Someone who keeps or takes the money she earns, makes her hand it over, or (her boss)
// does not pay her is a sign of exploitation: the trafficking page, with its numbers.
// A robbery, a client who did not pay, her own money, her data and the police asking for
// money are not; her partner's control of her money may stay the violence page.
func TestEarningsKept(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "trafficking",
		// keeping or taking, now and again, any money
		"my boss keeps everything i earn", "the guy i work for takes all my money",
		"my manager keeps half of what i make and i never see it", "he takes my earnings every night",
		"the owner of the place keeps our tips", "the madam controls all the money we make",
		"el que me trajo controla la plata que gano", "o cara pra quem eu trabalho pega tudo que eu ganho",
		"la mami me quita la plata todas las noches", "el dueño se lleva casi todo lo que cobro",
		"la encargada se queda con la mitad de lo que gano", "el cafiche me quita todo",
		"ellos manejan mi plata y no me dan nada", "el señor que me trajo retiene mi sueldo",
		"a dona da casa pega metade do que eu ganho", "o cafetão fica com todo o meu dinheiro",
		"eles controlam a grana que a gente ganha", "a cafetina toma tudo que eu ganhei",
		// taken once: what she earned
		"my boss took all the money i made this week", "la jefa me quitó lo que gané ayer",
		// handing it over
		"i have to give all my money to him", "tengo que darle toda mi plata al señor",
		"le entrego todo lo que gano a la señora", "tenho que entregar metade do meu dinheiro pra ela",
		// her boss does not pay her
		"mi jefe no me paga hace dos meses", "the owner doesn't pay us", "o patrão não me paga",
	)
	wantNotIntent(t, e, "trafficking",
		"me robaron la plata", "he took my money and ran", "roubaram minha carteira com meu dinheiro",
		"el cliente no me pagó", "a client didn't pay me", "how do i keep my money safe",
		"quiero controlar mejor mi plata", "no guardes mis datos", "keep my number private",
	)
	// read as her life taken («took everything», «me quitó todo»): the one question
	// before the numbers comes first, and is what she gets
	for _, text := range []string{"he took everything i earned tonight", "el dueño me quitó todo lo que gané"} {
		if p := e.Understand(text); p.Intent != "trafficking" && !p.Ask {
			t.Errorf("%q: %s, want trafficking or the one question", text, p.Intent)
		}
	}
	wantNotIntent(t, e, "cmd_erase", "my boss keeps everything i earn", "the owner keeps all my money")
	wantIntent(t, e, "police", "el policía se queda con mi plata cada vez que me para")
	// asked about danger first (the model reads it there), «no» goes to the same page
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	text := "la administradora se lleva la mitad de lo q cobro"
	if p := e.Understand(text); p.Intent == "trafficking" {
		t.Logf("%q is read as trafficking at once", text)
	} else if !p.Ask || p.Then != "trafficking" {
		t.Errorf("%q: %s (asked %v, then %q), want the question, then the trafficking page", text, p.Intent, p.Ask, p.Then)
	}
	s, _, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	if _, replies, _ := e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now}); !hasKey(replies, "sexwork.help") {
		t.Errorf("%q, then «no»: %v, want the trafficking page (sexwork.help)", text, keys(replies))
	}
}
