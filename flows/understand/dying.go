package understand

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
// «por verte», «to see you»), nobody else.
func DyingAlone(tokens []string) Dying {
	if len(tokens) == 0 || len(tokens) > 10 {
		return NotDying
	}
	said, of := false, DyingOnly
	for i := 0; i < len(tokens); {
		if n := dyingPhrases.longestAt(tokens, i); n > 0 {
			said, i = true, i+n
			continue
		}
		t := tokens[i]
		switch {
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
