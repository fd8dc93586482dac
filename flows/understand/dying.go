package understand

import "slices"

// dyingPhrases say that she is dying, or feels she is, of herself: «me muero», «im
// dying», «vou morrer». Said with what she dies of («me muero de risa», «dying to see
// you») they are idioms, which the words around them tell.
var dyingPhrases = phraseSet(
	// es
	"me muero", "me estoy muriendo", "estoy muriendo", "toy muriendo", "me voy a morir",
	"voy a morir", "me siento morir", "me voy a morir ya", "me estoy muriendo ya",
	// en
	"im dying", "i m dying", "i am dying", "im gonna die", "i m gonna die", "im going to die",
	"i m going to die", "i am going to die", "gonna die",
	// pt
	"vou morrer", "to morrendo", "tou morrendo", "estou morrendo", "eu vou morrer",
)

// dyingFiller are the other words of a message that says only that: believing,
// feeling, now, please.
var dyingFiller = wordSet("creo", "q", "que", "siento", "como", "si", "ya", "aqui", "think",
	"feel", "like", "i", "acho", "sinto", "eu", "ja", "aca", "just", "really", "de", "verdad",
	"en", "serio", "seriously", "ahorita")

// Dying is what a message that says only that she is dying says she dies of.
type Dying int

// What she says she dies of.
const (
	NotDying    Dying = iota // not said alone, or an idiom («me muero de risa»)
	DyingOnly                // nothing said: «me muero», «im dying»
	DyingOfPain              // pain: «me muero de dolor», «im dying of pain»
	DyingOfHurt              // fear, sadness, loneliness: «me muero de miedo», «to morrendo de medo»
)

// sufferPain and sufferHurt are what she may say she dies of that is no idiom.
var (
	sufferPain = wordSet("dolor", "dor", "pain")
	sufferHurt = wordSet("miedo", "medo", "fear", "tristeza", "sadness", "angustia",
		"ansiedad", "ansiedade", "anxiety", "soledad", "solidao", "loneliness", "pena", "susto")
	// sufferOf come between the dying and what of: «de», «of», «da».
	sufferOf = wordSet("de", "del", "of", "da", "do", "la", "el", "a", "tanta", "tanto", "mucho",
		"mucha", "so", "much")
)

// DyingAlone tells a message that says only that she is dying, or feels she is, and
// of what («me muero», «creo q me estoy muriendo», «i think im dying», «acho que vou
// morrer», «me muero de miedo», «im dying of pain»): no idiom's complement («de risa»,
// «por verte», «to see you»), nobody else. Her phone dying may be said beside it («im
// dying, low battery», «my phone is dying and so am i», «el cel se muere y yo
// también»): then only she is said to die counts, never the phone alone («my phone is
// gonna die» is going quiet, see GoingQuiet).
func DyingAlone(tokens []string) Dying {
	if len(tokens) == 0 || len(tokens) > 12 {
		return NotDying
	}
	phone := slices.ContainsFunc(tokens, func(t string) bool { return quietThings[t] || quietDevices[t] })
	if !phone && len(tokens) > 10 {
		return NotDying
	}
	said, of := false, DyingOnly
	for i := 0; i < len(tokens); {
		if n := dyingPhrases.longestAt(tokens, i); n > 0 && !(phone && subjectless(tokens[i:i+n])) {
			said, i = true, i+n
			continue
		}
		t := tokens[i]
		if phone && quietDeath[t] && meToo(tokens[i+1:]) {
			said = true // «my phone is dying and so am i»
		}
		switch {
		case phone && (quietThings[t] || quietDevices[t] || quietRunOut[t] || quietWords[t] || quietSelf[t] || busyFiller[t] || isNumber(t)):
		case said && sufferPain[t]:
			of = DyingOfPain
		case said && sufferHurt[t] && of != DyingOfPain:
			of = DyingOfHurt
		case said && sufferOf[t]:
		case dyingFiller[t] || courtesyWords[t] || nowWords[t]:
		default:
			return NotDying
		}
		i++
	}
	if !said {
		return NotDying
	}
	return of
}

// subjectless tells a phrase of dying that names no one («gonna die»): beside the
// phone, it is the phone's.
func subjectless(phrase []string) bool { return phrase[0] == "gonna" }

// meToo tells words after a phone's dying that say she is too: «so am i», «me too», «yo
// también», «eu também».
func meToo(after []string) bool {
	for i, t := range after {
		switch t {
		case "too", "also", "tambien", "tambem", "igual":
			return true
		case "so":
			if i+2 < len(after) && after[i+1] == "am" && after[i+2] == "i" {
				return true
			}
		}
	}
	return false
}
