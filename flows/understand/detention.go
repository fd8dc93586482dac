package understand

// detainedWords say that she, or someone, is or may be detained or arrested: «si me
// detienen», «me intervinieron», «if police detain me», «prenderam a gente na batida».
var detainedWords = wordSet("detienen", "detiene", "detuvieron", "detuvo", "detenida",
	"detenido", "detenidas", "detenidos", "detener", "detengan", "detenga", "detencion",
	"intervinieron", "intervino", "intervienen", "batida", "batidas", "redada", "redadas",
	"detain", "detained", "detains", "detention", "arrest", "arrested", "arrests", "raid",
	"prender", "prenderam", "prendeu", "prendem", "detida", "detido", "detidas", "detidos",
	"deter", "detiverem", "deterem")

// jailed say it when a verb of being taken comes before them («me levar presa», «fui
// presa»): alone they are as often stuck («to presa no trânsito», «me tiene presa con
// sus tareas»).
var (
	jailed      = wordSet("presa", "preso", "presas", "presos")
	jailedAfter = wordSet("levar", "levaram", "levou", "leva", "llevar", "llevaron", "llevo",
		"lleva", "foi", "fui", "fue", "fuimos", "caiu", "cai", "cayo", "cayeron", "ficou", "quedo")
)

// DetainedTold tells a message that speaks of being detained or arrested: asking her
// rights then, or telling that it happened. The model reads «mis derechos» or the
// papers louder; what to do when detained is the page for it.
func DetainedTold(tokens []string) bool {
	for i, t := range tokens {
		if !detainedWords[t] && !(jailed[t] && i > 0 && jailedAfter[tokens[i-1]]) {
			continue
		}
		if i > 0 && negation[tokens[i-1]] || i > 1 && negation[tokens[i-2]] {
			continue // «no estoy detenida ni nada»
		}
		return true
	}
	return false
}
