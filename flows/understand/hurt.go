package understand

import (
	"slices"
	"strings"
)

// hurtPhrases tell that someone hit or attacked her, in any tense: «me pega», «me
// bateu», «apanhei», «hits me», «got slapped». Words of hurt in general («me lastimó
// lo que dijo», «it hurt me») are not among them.
var hurtPhrases = phraseSet(
	// es
	"me pega", "me pego", "me pegaba", "me pegaron", "me pegan", "me golpea", "me golpeo",
	"me golpeaba", "me golpearon", "me golpean", "me maltrata", "me maltrato", "me maltrataba",
	"me agrede", "me agredio", "me agredieron", "me cacheteo", "me cachetearon",
	"me dio una cachetada", "me dio un punete", "me dio un golpe", "me cayo a golpes",
	"me ahorco", "me ahorca", "me jaloneo", "me jalonearon", "me pateo", "me patearon",
	"me tiro al piso", "me reventaron", "me saco la mugre", "me dejo moretones",
	// pt
	"me bate", "me bateu", "me batia", "me bateram", "apanhei", "apanho", "me agrediu",
	"me agrediram", "me agride", "me espancou", "me espancaram", "me espanca", "levei um tapa",
	"me deu um tapa", "me deu um soco", "me machuca", "me machucou", "me enforcou",
	// en
	"hits me", "hit me", "beats me", "beat me", "beat me up", "beats me up", "slapped me",
	"got slapped", "punched me", "got punched", "got beaten", "got beat up", "attacked me",
	"choked me", "kicked me", "abuses me", "used to beat me", "used to hit me",
)

// HurtTold tells a message that says someone hit or attacked her («mi pareja me pega y
// me da miedo decir algo», «meu namorado me bate»), not turned around by a negation
// before it («no me pega, solo me grita»).
func HurtTold(tokens []string) bool {
	for i := range tokens {
		n := hurtPhrases.longestAt(tokens, i)
		if n == 0 || i > 0 && (negation[tokens[i-1]] || tokens[i-1] == "se") {
			continue // «no me pega», «se me pegó la canción»
		}
		if slices.ContainsFunc(tokens[max(0, i-3):i], func(w string) bool { return hurtAfter[w] }) {
			continue // «sueño con el tipo q me pegó», «desde q mi ex me maltrató»: what it left
		}
		if slices.ContainsFunc(tokens[max(0, i-2):min(i+n+2, len(tokens))], func(w string) bool { return caughtWords[w] }) {
			continue // «me pegó la gripe», «el sol me pegó», «hit me up»
		}
		return true
	}
	return false
}

// hurtAfter, a few words before a phrase of hurtPhrases, make it the past that a
// message about how she feels now refers to («tengo pesadillas con el cliente q me
// pegó», «i keep having nightmares about the guy who hit me»): the model reads those.
var hurtAfter = wordSet("q", "que", "k", "quien", "who", "that", "quem", "desde", "since",
	"cuando", "when", "quando", "depois", "after", "despues")

// caughtWords beside «me pegó» make it caught, not hit: an illness, the sun, a song;
// and beside «hit me» an idiom («hit me up», «hit the road»).
var caughtWords = wordSet("gripe", "covid", "resfriado", "resfrio", "sol", "cancion", "virus",
	"moda", "costumbre", "frio", "calor", "sueno", "tos", "infeccion", "piojos", "hongos",
	"chikungunya", "dengue", "sarampion", "varicela", "flu", "cold", "gripa", "mania", "acento",
	"its", "sifilis", "herpes", "sarna", "bicho", "tema", "musica", "up", "road")

// painWords say an injury or pain, which keeps a message about her health («me duele la
// cabeza desde que me golpearon»): the health pages say where to be seen.
var painWords = wordSet("duele", "dolor", "duelen", "sangre", "sangra", "sangrando", "herida",
	"moreton", "moretones", "hinchado", "hinchada", "fractura", "roto", "rota", "mareada",
	"doi", "dor", "doendo", "sangue", "sangrando", "ferida", "inchado", "inchada", "tonta",
	"hurts", "pain", "bleeding", "blood", "injured", "broken", "swollen", "dizzy", "bruises")

// PainTold tells a message that speaks of pain or an injury.
func PainTold(tokens []string) bool {
	for _, t := range tokens {
		if painWords[t] {
			return true
		}
	}
	return false
}

// policeWords name the police or another authority: violence by them is the police
// page's.
var policeWords = wordSet("policia", "policias", "policial", "policiais", "tombo", "tombos",
	"paco", "pacos", "serenazgo", "serenos", "sereno", "pnp", "comisaria", "police", "cop",
	"cops", "officer", "officers", "guardia", "militar", "militares", "municipal",
	"fiscalizadores", "migraciones", "guardias", "batida", "redada", "raid", "delegacia",
	"cana", "canas", "gambe", "patrulla", "patrullero", "patrulleros", "viatura")

// bribeWords ask for money or a favour in exchange for leaving her alone.
var bribeWords = wordSet("coima", "coimas", "propina", "soborno", "bribe", "bribes", "dinero",
	"plata", "money", "dinheiro", "grana", "soles", "cash", "cupo", "arreglo", "arreglar",
	"acerto", "pagar", "pague", "pay")

// BribeAsked tells a message that names the police or another authority and money asked
// of her («os cana pediram dinheiro pra nao encher meu saco», «el sereno me pidió
// plata»).
// Someone who asks for money not to report her to them («me piden plata a cambio de no
// denunciarme a migraciones») is extortion, not this.
func BribeAsked(tokens []string) bool {
	return PoliceNamed(tokens) && slices.ContainsFunc(tokens, func(t string) bool { return bribeWords[t] }) &&
		!slices.ContainsFunc(tokens, func(t string) bool {
			return strings.HasPrefix(t, "denunci") || strings.HasPrefix(t, "report") || strings.HasPrefix(t, "entreg") || strings.HasPrefix(t, "acus")
		})
}

// PoliceNamed tells a message that names the police or another authority.
func PoliceNamed(tokens []string) bool {
	return slices.ContainsFunc(tokens, func(t string) bool { return policeWords[t] })
}
