package understand

import "slices"

// The words of an infection told: «me pegó algo», «me contagió», «me passou alguma
// coisa», «gave me something», or someone who «tiene algo» beside a condom, a test or a
// symptom. «Pegar» is also to hit and «tiene algo» may be a weapon: the model reads
// danger in them, and the one question before the numbers is asked instead of giving
// them at once (see flows.read).
var (
	// infectionVerbs pass something on
	infectionVerbs = wordSet("pego", "pegaron", "pegado", "pegue", "paso", "pasaron", "contagio",
		"contagiaron", "contagiado", "contagiada", "contagie", "passou", "passaram", "transmitiu",
		"gave", "infected", "caught", "pegou", "pegaram")
	// infectionHas have it: «el cliente tiene algo»
	infectionHas = wordSet("tiene", "tenia", "tem", "tinha", "has", "had")
	// infectionThings are what is passed on
	infectionThings = wordSet("algo", "alguna", "alguma", "enfermedad", "enfermedades", "infeccion",
		"its", "ets", "vih", "sida", "sifilis", "gonorrea", "hongos", "herpes", "virus", "clamidia",
		"vph", "papiloma", "ladillas", "sarna", "bicho", "doenca", "ist", "dst", "hiv", "std", "sti",
		"stds", "something", "anything")
	// infectionContext tell a condom, a test or a symptom
	infectionContext = wordSet("condon", "condones", "preservativo", "camisinha", "condom",
		"condoms", "proteccion", "protecao", "protection", "cuidamos", "cuidarnos", "contagio",
		"contagiada", "contagiado", "pica", "picor", "arde", "ardor", "llaga", "llagas", "flujo",
		"ronchas", "prueba", "test", "examen", "exame", "teste", "reviso", "revisar", "revisarme",
		"sintomas", "symptoms", "burns", "itch", "itches", "positivo", "positive")
	// infectionNotIt are a danger now: a weapon, being held, a plea
	infectionNotIt = wordSet("cuchillo", "arma", "pistola", "navaja", "knife", "gun", "faca",
		"revolver", "matar", "mata", "kill", "killing", "encerrada", "encerro", "locked", "trancada",
		"ayuda", "auxilio", "socorro", "help", "ajuda", "sangre", "sangrando", "blood", "bleeding",
		"golpe", "golpes", "golpeo", "bateu", "hit", "hits", "punched")
)

// InfectionTold tells a message that tells of an infection passed on («creo q un
// cliente me pegó algo», «el cliente me dijo q tiene algo y no usamos condón»), and of
// no danger now (a weapon, being held, a plea, blows, blood).
func InfectionTold(tokens []string) bool {
	if !slices.ContainsFunc(tokens, func(t string) bool { return infectionThings[t] }) { // one look-up a word
		return false
	}
	if slices.ContainsFunc(tokens, func(t string) bool { return infectionNotIt[t] }) {
		return false
	}
	context := slices.ContainsFunc(tokens, func(t string) bool { return infectionContext[t] })
	for i := 0; i+1 < len(tokens); i++ {
		t, next := tokens[i], tokens[i+1]
		if next == "con" || next == "com" || next == "with" {
			continue // «me pegó con algo»: a blow
		}
		thing := infectionThings[next] || i+2 < len(tokens) && (next == "una" || next == "la" || next == "el" || next == "a" || next == "an" || next == "um" || next == "uma") && infectionThings[tokens[i+2]]
		switch {
		case infectionVerbs[t] && thing && (t != "paso" && t != "gave" && t != "caught" || context):
			return true // «me pegó algo», «me contagió el vih»; «me pasó algo» only beside a condom or a test
		case infectionHas[t] && thing && context:
			return true // «tiene algo» beside a condom, a test, a symptom
		}
	}
	return false
}
