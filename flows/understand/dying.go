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

// DyingAlone tells a message that says only that she is dying, or feels she is
// («me muero», «creo q me estoy muriendo», «i think im dying», «acho que vou morrer»):
// no idiom's complement («de risa», «por verte», «to see you»), nobody else.
func DyingAlone(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > 10 {
		return false
	}
	said := false
	for i := 0; i < len(tokens); {
		if n := dyingPhrases.longestAt(tokens, i); n > 0 {
			said, i = true, i+n
			continue
		}
		if t := tokens[i]; !dyingFiller[t] && !courtesyWords[t] && !nowWords[t] {
			return false
		}
		i++
	}
	return said
}
