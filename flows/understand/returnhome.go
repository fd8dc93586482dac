package understand

import "slices"

// The words of going back to her country: «quiero volver a mi país», «me quiero ir a
// venezuela», «quero voltar pro brasil», «how can i go back to my country». The model
// reads some as going back in the chat («regresar», «volver»), «me quiero ir» as
// wanting to die, «go home» as how she feels; her country named beside a verb of going
// is where to ask about returning (the migrants' pages).
var (
	// homeCountries name her country, a city of it, or «mi país», «mi tierra»
	homeCountries = wordSet("venezuela", "vzla", "vnzla", "venezuala", "colombia", "brasil",
		"brazil", "ecuador", "bolivia", "haiti", "cuba", "paraguay", "argentina", "chile",
		"dominicana", "pais", "patria", "country", "tierra", "terra", "caracas", "maracaibo",
		"barquisimeto", "maracay", "bogota", "medellin", "cali", "barranquilla", "cartagena",
		"cucuta", "bucaramanga", "manaus", "belem", "fortaleza", "recife", "quito", "guayaquil")
	// homeHouse are «casa», «home»: her country only beside a word of the journey
	// (homeTrip); «quiero volver a casa a dormir» is her room
	homeHouse = wordSet("casa", "home")
	// homeTrip are the journey: a ticket, a flight, a programme, the consulate, missing
	// home, her passport
	homeTrip = wordSet("pasaje", "pasajes", "passagem", "passagens", "ticket", "tickets", "flight",
		"vuelo", "voo", "programa", "program", "programs", "consulado", "consulate", "embajada",
		"embassy", "retorno", "oim", "iom", "acnur", "extrano", "saudade", "miss", "pasaporte",
		"passaporte", "passport", "viaje", "viagem", "bus", "onibus", "frontera", "fronteira", "border")
	// homeGo are the verbs of going back or away, and «vuelta», «regreso», «de volta»
	homeGo = wordSet("volver", "vuelvo", "volveria", "volvamos", "regresar", "regreso", "regresarme",
		"regresaria", "retornar", "retorno", "ir", "irme", "irnos", "vuelta", "voltar", "volto",
		"voltaria", "volta", "go", "going", "get", "getting", "return", "returning", "travel", "viajar",
		"come", "coming", "head", "heading", "fly", "flying", "move", "moving")
	// homeBetween come between the verb and the country: «a», «pra», «to my», «con mis
	// hijos», «pra minha familia no»
	homeBetween = wordSet("a", "al", "pra", "pro", "para", "pa", "to", "mi", "my", "meu", "minha",
		"home", "de", "back", "la", "o", "nuestro", "nosso", "embora", "ao", "con", "com", "with",
		"mis", "meus", "minhas", "familia", "family", "hijos", "hijas", "filhos", "filhas", "kids",
		"children", "no", "en", "in", "ya", "now")
	// homeMine come before her country when the verb follows it: «mi tierra... quiero
	// volver»
	homeMine = wordSet("mi", "minha", "meu", "my")
)

// ReturnHomeTold tells a message that says she wants, or asks how, to go back to her
// country: a verb of going at most six words before her country, a city of it or «mi
// país» (or after «mi tierra», «mi país»), and no wish to die nor danger now told.
// «Casa», «home» are her country only beside a word of the journey (a ticket, a
// programme, the consulate, missing home, her passport).
func ReturnHomeTold(tokens []string) bool {
	trip := -1 // whether a word of the journey is said, looked up once
	country := func(i int) bool {
		t := tokens[i]
		switch {
		case homeHouse[t]:
			if trip < 0 {
				trip = 0
				if slices.ContainsFunc(tokens, func(t string) bool { return homeTrip[t] }) {
					trip = 1
				}
			}
			return trip == 1
		case t == "tierra" || t == "terra":
			return i > 0 && homeMine[tokens[i-1]]
		}
		return homeCountries[t]
	}
	if !slices.ContainsFunc(tokens, func(t string) bool { return homeCountries[t] || homeHouse[t] }) { // one look-up a word
		return false
	}
	if DangerNowTold(tokens) {
		return false
	}
	for i := range tokens {
		if !country(i) {
			continue
		}
		// back from the country, over the words that may come between
		for j := i - 1; j >= max(0, i-6); j-- {
			if homeGo[tokens[j]] {
				return true
			}
			if !homeBetween[tokens[j]] {
				break
			}
		}
		// «mi tierra... quiero volver»: a verb of going just after her own country
		if i > 0 && homeMine[tokens[i-1]] {
			for j := i + 1; j < min(len(tokens), i+5); j++ {
				if homeGo[tokens[j]] {
					return true
				}
			}
		}
	}
	return false
}

// dangerNow tell a wish to die or a danger now: a weapon, being held, a cry for rescue,
// blows, blood. A plain «ayuda», «help» is not among them: it asks for help with
// whatever else the message says.
var dangerNow = wordSet("morir", "muero", "morirme", "matar", "matarme", "vivir", "suicidio",
	"suicidarme", "die", "dying", "dead", "kill", "suicide", "live", "morrer", "viver", "mundo",
	"world", "acabar", "desaparecer", "cuchillo", "arma", "pistola", "navaja", "knife", "gun",
	"faca", "revolver", "encerrada", "encerro", "locked", "trancada", "auxilio", "socorro",
	"sangre", "sangrando", "blood", "bleeding", "golpe", "golpes", "golpeo", "bateu", "hit",
	"hits", "punched")

// DangerNowTold tells a message that says a wish to die or a danger now (dangerNow):
// the rules that ask the one question before the numbers instead of giving them at once
// (ReturnHomeTold, a legal matter read as danger) leave such a message to the model.
func DangerNowTold(tokens []string) bool {
	return slices.ContainsFunc(tokens, func(t string) bool { return dangerNow[t] })
}
