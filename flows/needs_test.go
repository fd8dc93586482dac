package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestLegalMatterTold: «el papa de mi hija no pasa pension, como lo demando» and «quero
// a guarda da minha filha» got «no te entendí», «el dueño del cuarto no me quiere
// devolver la garantia» the shelter page, «le debo plata a un prestamista y cada semana
// me sube los intereses» the trafficking page. A legal matter of her own (a court, a
// lawsuit, a divorce, custody, child support, a contract, a deposit, a lender) is free
// legal help's page. Someone hurting her, her papers, a threat, a job offered, a debt to
// whoever brought her and a lawyer only mentioned are read as before.
func TestLegalMatterTold(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "legal",
		"el papa de mi hija no pasa pension, como lo demando", "quero a guarda da minha filha, como faço aqui no peru",
		"el dueño del cuarto no me quiere devolver la garantia, puedo hacer algo?",
		"le debo plata a un prestamista y cada semana me sube los intereses, q puedo hacer",
		"me hicieron firmar un contrato y ahora me cobran cosas q no dijeron",
		"hola quiero divorciarme de mi esposo q esta en venezuela, se puede hacer desde aca?",
		"assinei um contrato de aluguel e agora querem me cobrar multa, isso é legal?",
		"how do i sue my landlord for my deposit", "how do i get custody of my daughter here",
		"i need help with custody of my kids",
		"me llegó una citación del juzgado", "tengo un juicio por alimentos",
	)
	wantNotIntent(t, e, "legal",
		"mi ex me pegó y ahora quiere la custodia de mi hijo", // violence: its page says how to report
		"le debo a la madama el pasaje y cada semana me suma mas intereses",
		"me ofrecieron un contrato de trabajo y al llegar era otra cosa",
		"estoy con una deuda de 5000 y me cobran intereses cada semana",
		"holi buenas, ya no necesito abogado, solo pasaba a saludar",
		"my roommate is studying to be a lawyer lol", "puedo anunciarme en internet legalmente?",
	)
}

// TestCleanAsked: «quiero saber si estoy limpia» got «no te entendí»: whether she caught
// something is her health (a test). Her data, a room or drugs are not.
func TestCleanAsked(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "health", "quiero saber si estoy limpia", "am i clean? i want to check",
		"quero saber se to limpa", "quiero saber si estoy sana")
	wantNotIntent(t, e, "health", "limpia mis datos", "estoy limpia hace 6 meses de drogas")
}

// TestKindAskedByItsWords: «is there a free psychologist» got «no te entendí», «hay
// alguna psicologa q atienda gratis? siento q el estres me esta ganando» too: a kind of
// service asked for by its words, the rest unclear to the model, is a search of that
// kind (she is asked where she is).
func TestKindAskedByItsWords(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{
		"is there a free psychologist", "hay alguna psicologa q atienda gratis? siento q el estres me esta ganando",
	} {
		if p := e.Understand(text); p.Intent != "services" && p.Intent != "health" && p.Intent != "feelings" {
			t.Errorf("%q: %s, want a search for a psychologist", text, p.Intent)
		}
	}
	wantNotIntent(t, e, "services", "my roommate is studying to be a lawyer lol")
}

// TestPregnancyWithMoreWords: «creo q estoy embarazada y no quiero tenerlo 🙏» was read
// as a no, «no me baja la regla 🙏🙏» as thanks, «no me baja la regla hace 2 meses y no
// quiero tenerlo» as violence: a late period, or a pregnancy she does not want, said
// with nothing else is her health (Línea 113, the health menu). With fear or force it
// is read as before.
func TestPregnancyWithMoreWords(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "health",
		"creo q estoy embarazada y no quiero tenerlo 🙏", "no me baja la regla 🙏🙏",
		"no me baja la regla hace 2 meses y no quiero tenerlo", "my period is late and i dont want a baby",
		"minha menstruação ta atrasada", "tengo un retraso de 3 semanas",
	)
	wantSafety(t, e, "me hicieron abortar a la fuerza")
}

// TestInfectionToldAsksFirst: «un cliente me dijo q tiene algo y no usamos condon,
// kiero saber si me pego algo» got the numbers at once: «pegar» is to infect and to hit,
// «tiene algo» may be a weapon, and the model read danger. An infection told asks the
// one question first, and «no» goes to her health; a blow with something, a weapon held
// or a plea is danger as before.
func TestInfectionToldAsksFirst(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"un cliente me dijo q tiene algo y no usamos condon, kiero saber si me pego algo, donde me reviso",
		"creo q un cliente me pego algo",
	} {
		p := e.Understand(text)
		if p.Intent != "danger" || !p.Ask {
			t.Errorf("%q: %s (asked %v), want the one question", text, p.Intent, p.Ask)
			continue
		}
		s, _, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		_, replies, _ := e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now})
		if !hasKey(replies, "health.intro") {
			t.Errorf("%q, then «no»: %v, want her health", text, keys(replies))
		}
	}
	for _, text := range []string{"me pego con algo en la cabeza", "el tipo tiene algo en la mano y no me deja salir",
		"me pego algo y ahora me esta pegando, ayuda"} {
		if p := e.Understand(text); p.Intent != "danger" || p.Ask {
			t.Errorf("%q: %s (asked %v), want the numbers at once", text, p.Intent, p.Ask)
		}
	}
}

// TestAccusedIsLegal: a case against her («theres a case against me... can someone
// help», «tem um processo contra mim, me ajuda») got the numbers at once, «me denunciaron
// q hago» and «tengo una denuncia en mi contra» the page on how to report, «someone filed
// a complaint against me» the page on complaining about a service, «i got sued what do i
// do» «how can I help», «i have a court date next week and im scared» her health. Being
// accused, sued, summoned or wanted is free legal help's page; read as danger with no
// danger now told, the one question comes first and «no» leads there. Her own complaint
// against someone («una denuncia contra mi pareja»), and asking whether Faro reports
// her, are read as before.
func TestAccusedIsLegal(t *testing.T) {
	e, _ := realEngine(t)
	wantOrAsked(t, e, "legal", false,
		"theres a case against me... can someone help", "tem um processo contra mim, me ajuda",
		"hay un juicio contra mi, alguien me ayuda", "me pusieron una demanda, necesito ayuda",
		"me denunciaron q hago", "tengo una denuncia en mi contra, ayuda", "una denuncia contra mi",
		"someone filed a complaint against me", "i got sued what do i do",
		"i have a court date next week and im scared", "me acusaron de robo y no fui yo",
		"la policia dice q tengo orden de captura", "fui denunciada pelo dono do quarto",
	)
	wantNotIntent(t, e, "legal",
		"quiero poner una denuncia contra mi pareja", "quiero denunciar a mi ex",
		"vcs vao me denunciar pra imigracao?", "ustedes me van a denunciar a la policia?",
	)
	for _, text := range []string{"hay un juicio contra mi y me amenazo con un cuchillo", "tengo una demanda y me quiero morir"} {
		if p := e.Understand(text); p.Ask && p.Then == "legal" {
			t.Errorf("%q: asked, then legal; want the model's reading of a danger now", text)
		}
	}
}
