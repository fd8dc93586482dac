package understand

import "slices"

// The words of her documents kept or lost. Someone who runs her work, brought her or
// got her the trip and keeps her passport or her papers («la mami tiene mi pasaporte»,
// «o cafetão pegou meus documentos», «he says i get my passport back when i pay off
// what i owe him») shows a sign of trafficking (the trafficking page lists it). Her
// documents lost, stolen in a robbery, expired or damaged («se me perdió el carnet de
// extranjería», «roubaram minha bolsa com o passaporte», «my passport expired») are
// the migrants' pages' (where to ask: Migraciones, the consulates' helpers).
var (
	// docWords name a document of hers («carne» only as «carné de extranjería», «card» as
	// «residence card»)
	docWords = wordSet("pasaporte", "pasaportes", "cedula", "cedulas", "carnet", "carnets",
		"documento", "documentos", "papeles", "dni", "ptp", "cpp", "passaporte", "passaportes",
		"rg", "cpf", "identidade", "papeis", "passport", "passports", "id", "ids", "papers", "documents",
		"document")
	// docForeigner follow «carné de» in a foreigner's card
	docForeigner = wordSet("extranjeria", "extranjero", "extranjera", "estrangeiro", "estrangeira",
		"estrangeria")
	// docLost tell them lost, stolen in a robbery, expired, damaged, or to be renewed
	docLost = wordSet("perdi", "perdio", "perdieron", "perdido", "perdida", "perdidos",
		"extravie", "extravio", "extraviado", "extraviada", "robaron", "robo", "robado", "robada",
		"asaltaron", "asalto", "asaltada", "arrebataron", "vencio", "vencido", "vencida", "caduco",
		"caducado", "caducada", "mojo", "mojado", "mojada", "rompio", "roto", "rota", "quemo",
		"quemado", "quemada", "olvide", "deje", "renovar", "renuevo", "renovacion", "duplicado",
		"perdeu", "roubaram", "roubou", "roubado", "roubada", "roubo", "assaltada", "assaltado",
		"assaltaram", "assalto", "venceu", "vencendo", "molhou", "molhado", "rasgado", "rasgada",
		"rasgou", "queimou", "esqueci", "extraviou", "renovo",
		"lost", "lose", "stolen", "robbed", "mugged", "expired", "expires", "expiring", "damaged",
		"ripped", "torn", "wet", "washed", "washing", "forgot", "left", "misplaced", "replace",
		"replacement", "renew", "renewal")
	// docHold are someone else holding, keeping, taking or hiding them
	docHold = wordSet("guarda", "guardan", "guardaba",
		"guardaron", "quito", "quitaron", "quita", "quitan", "retuvo", "retuvieron", "retiene",
		"retienen", "retenido", "retenidos", "retenida", "escondio", "escondieron", "esconde",
		"esconden", "recogio", "recogieron", "agarro", "agarraron", "confisco", "confiscaron",
		"llevaron",
		"pegou", "pegaram", "guardou", "guardaram", "segura", "seguram", "segurou", "segurar",
		"escondeu", "esconderam", "reteve", "retem", "retiveram", "levou", "levaram", "tomou",
		"tomaram", "confiscou",
		"holding", "holds", "held", "keeps", "kept", "took", "takes", "taken", "hid",
		"hides", "hidden", "hiding", "confiscated", "grabbed", "locked")
	// docKeep are keeping them, said of someone else («can the owner keep my passport»,
	// «é normal a dona guardar o rg das meninas»), not asked of herself (docAsk)
	docKeep = wordSet("keep", "guardar", "segurar", "retener", "retengan", "retenga", "reter",
		"recoge", "recogen", "recolhe", "recolheu", "recolheram", "collected", "collects",
		"recolecta", "recolecto")
	// docAsk ask where or how she would keep them herself: «dónde puedo guardar mis papeles»
	docAsk = wordSet("puedo", "posso", "quiero", "quero", "como", "donde", "onde", "can", "to",
		"should", "debo", "devo", "where", "how", "i", "we")
	// docStay are «se quedó con», «ficou com», «tá com»: held, with «con», «com» after
	docStay = wordSet("queda", "quedan", "quedo", "quedaron", "quedaba", "fica", "ficam", "ficou",
		"ficaram", "ta", "esta", "estao", "tao")
	// docReturn are giving them back, which a «no», a «never» or a condition refuses
	docReturn = wordSet("devolver", "devuelve", "devuelven", "devolvio", "devolvieron", "devuelva",
		"devuelvan", "regresa", "regresan", "regresar", "devolve", "devolvem", "devolveu",
		"devolveram", "devolva", "devolverem", "return", "returns", "returned", "back")
	// docGive are «no me da», «no me los entrega»: giving, with «me» or «nos» just before
	docGive = wordSet("da", "dan", "dar", "entrega", "entregan", "entregar", "entregue", "entreguen",
		"daba", "dava", "give", "gives")
	// docRefused refuse or put a condition: «no», «never», «until i pay»
	docRefused = wordSet("no", "ni", "nunca", "jamas", "hasta", "cuando", "sino", "solo", "nao",
		"so", "ate", "quando", "depois", "not", "never", "t", "unless", "until", "when", "wont",
		"dont", "doesnt", "didnt", "nem", "pa", "para", "pra")
	// docMust follow «tiene», «has» in a duty or a right: «tiene que pedirme el dni?»,
	// «has to see my id»
	docMust = wordSet("que", "q", "derecho", "derechos", "to", "right")
	// docHave are «tiene», «has»: held by someone only with the document right after
	// («tiene mi pasaporte»; «no tienen dni» is having none), or a pronoun before it
	// («mi pasaporte lo tiene la mami»)
	docHave = wordSet("tiene", "tienen", "tenia", "tenian", "has", "tem", "have")
	// docOwned begin the document she says is hers, after «tiene», «has»
	docOwned = wordSet("mi", "mis", "nuestros", "nuestras", "el", "la", "los", "las", "meu", "meus",
		"minha", "minhas", "nossos", "nossas", "o", "os", "my", "our", "all", "todos", "todas",
		"your", "tu", "tus")
	// docKeeper name who would keep them: whoever runs her work (BossNamed), a person
	// («la señora», «el pana», «the guy»), the place where she works, a debt, the trip
	// or her arrival; a bare «me quitaron la cédula» may be a robbery or the police
	docKeeper = wordSet("senora", "senor", "lady", "guy", "pana", "chama", "chamo", "amiga",
		"amigo", "friend", "cara", "mujer", "woman", "man", "hombre", "tipo", "tipa", "mina",
		"deuda", "debo", "debes", "pague", "pagar", "pagues", "pasaje", "viaje", "divida", "devo",
		"quitar", "passagem", "viagem", "owe", "owes", "debt", "pay", "flight", "trip",
		"llegue", "llegamos", "cheguei", "chegamos", "chegada", "arrived", "arrival", "pickup",
		"aeropuerto", "aeroporto", "airport", "local", "club", "boate", "boite", "bar", "prive",
		"privado", "discoteca", "burdel", "brothel", "casa", "house", "hotel", "trabajar", "trabaje",
		"trabalhar", "trabalhe", "work", "safe", "cofre", "fuerte", "llave", "chicas", "meninas",
		"girls", "everyones", "everyone", "todas")
	// docSelf say who holds them herself or asks the holder: «yo tengo», «i took my passport»
	docSelf = wordSet("i", "we", "yo", "eu", "nosotras", "nosotros", "you", "vc", "voce")
	// docNotIt tell another holder: an authority (the police page, the migrants'), her
	// partner or family (the violence page)
	docNotIt = wordSet("migraciones", "migracion", "consulado", "embajada", "consulate", "embassy",
		"pareja", "novio", "esposo", "marido", "namorado", "companheiro", "boyfriend", "husband",
		"partner", "ex", "mama", "mae", "mother", "mom", "papa", "pai", "padre", "dad", "father",
		"hermano", "irmao", "brother", "tia", "tio", "abuela", "avo")
)

// docAny are the words without which a message names no document of hers.
var docAny = func() map[string]bool {
	m := wordSet("carne", "card")
	for w := range docWords {
		m[w] = true
	}
	return m
}()

// docNamed tells whether tokens name a document of hers.
func docNamed(tokens []string) bool {
	for i, t := range tokens {
		switch {
		case docWords[t],
			t == "carne" && i+2 < len(tokens) && tokens[i+1] == "de" && docForeigner[tokens[i+2]],
			t == "card" && i > 0 && (tokens[i-1] == "residence" || tokens[i-1] == "resident" || tokens[i-1] == "foreigner" || tokens[i-1] == "immigration"):
			return true
		}
	}
	return false
}

// DocumentsKept tells a message that says someone holds, took or hides her documents,
// or will not give them back (without a condition met: a debt paid, more work). Lost,
// stolen or expired documents are not this, nor the police, Migraciones or a consulate
// holding them, nor her partner or family.
func DocumentsKept(tokens []string) bool {
	if !slices.ContainsFunc(tokens, func(t string) bool { return docAny[t] }) { // one look-up a word
		return false
	}
	if !docNamed(tokens) || docLostTold(tokens) || slices.ContainsFunc(tokens, func(t string) bool { return docNotIt[t] }) || PoliceNamed(tokens) {
		return false
	}
	if !BossNamed(tokens) && !slices.ContainsFunc(tokens, func(t string) bool { return docKeeper[t] }) {
		return false
	}
	return docHeld(tokens)
}

// docHeld tells whether tokens say someone else holds, took or hides a document named
// near the verb, or refuses to give it back.
func docHeld(tokens []string) bool {
	refused := slices.ContainsFunc(tokens, func(t string) bool { return docRefused[t] })
	near := func(i, n int) bool { // a document within n words of tokens[i]
		return docNamed(tokens[max(0, i-n):min(len(tokens), i+n+1)])
	}
	for i, t := range tokens {
		prev, next := "", ""
		if i > 0 {
			prev = tokens[i-1]
		}
		if i+1 < len(tokens) {
			next = tokens[i+1]
		}
		switch {
		case docHave[t]:
			if !docSelf[prev] && prev != "no" && prev != "nao" && (docOwned[next] || prev == "lo" || prev == "la" || prev == "los" || prev == "las") && near(i, 5) {
				return true // «la mami tiene mi pasaporte», «mi pasaporte lo tiene la mami»
			}
		case docKeep[t]:
			if !docSelf[prev] && !docAsk[prev] && near(i, 5) {
				return true // «can the club owner keep my passport», «a dona guardar o rg das meninas»
			}
		case docHold[t] && !docSelf[prev] && !docMust[next] && !(next == "the" && i+2 < len(tokens) && tokens[i+2] == "right") && near(i, 5):
			return true // «my manager took my passport», «o cafetão pegou meus documentos»
		case docStay[t] && (next == "con" || next == "com") && !docSelf[prev]:
			return true // «se quedó con mis papeles», «tá com meu rg»
		case docReturn[t] && refused && near(i, 8):
			return true // «no me lo quiere devolver», «only when i pay», «wont return it»
		case docGive[t] && refused && near(i, 8) && slices.ContainsFunc(tokens[max(0, i-3):i], func(w string) bool { return w == "me" || w == "nos" }):
			return true // «la mami no me da mi cédula»
		}
	}
	return false
}

// DocumentsLost tells a message that says her documents were lost, stolen, expired or
// damaged, or asks to renew them, with no danger now (a weapon, being held, a plea,
// blows, blood) and no one who runs her work named (whoever keeps them: DocumentsKept).
func DocumentsLost(tokens []string) bool {
	if !slices.ContainsFunc(tokens, func(t string) bool { return docAny[t] }) { // one look-up a word
		return false
	}
	if !docNamed(tokens) || !docLostTold(tokens) {
		return false
	}
	if slices.ContainsFunc(tokens, func(t string) bool { return infectionNotIt[t] }) || BossNamed(tokens) {
		return false
	}
	// «si me salgo pierdo mis papeles xq ellos los tienen»: held, and no robbery told
	return !docHeld(tokens) || slices.ContainsFunc(tokens, func(t string) bool { return docRobbed[t] })
}

// docRobbed tell a robbery: whoever took them was a thief
var docRobbed = wordSet("robaron", "robo", "robado", "robada", "roubaram", "roubou", "roubado",
	"roubada", "stolen", "robbed", "mugged", "asaltaron", "asalto", "asaltada", "assaltada",
	"assaltaram", "assalto", "ladron", "ladrones", "ladrao", "thief", "arrebataron", "arrancharon",
	"pickpocket", "picked")

// docAssault tell a robbery with force: an assault, a mugging (the violence page's)
var docAssault = wordSet("asaltaron", "asalto", "asaltada", "asaltado", "arrebataron", "assaltada",
	"assaltado", "assaltaram", "assalto", "mugged", "attacked", "atacaron", "atacada")

// DocumentsStolen tells a message that says her documents were stolen, lost or expired
// (DocumentsLost) with no force told: no assault, no blows (HurtTold).
func DocumentsStolen(tokens []string) bool {
	return DocumentsLost(tokens) && !slices.ContainsFunc(tokens, func(t string) bool { return docAssault[t] }) && !HurtTold(tokens)
}

// docLostTold tells whether tokens tell documents lost, stolen, expired, damaged or to
// be renewed: a word of docLost, or «segunda via» (a copy).
func docLostTold(tokens []string) bool {
	for i, t := range tokens {
		if docLost[t] || t == "via" && i > 0 && tokens[i-1] == "segunda" {
			return true
		}
	}
	return false
}
