package understand

// busyStates say what she is busy doing, in a hurry or on her way: an everyday state
// that is no danger, as one or more normalized words. None is a place she could be
// held in (a car, a taxi, a hotel, a room), running, or hiding: those stay with the
// model, danger first.
var busyStates = phraseSet(
	// es
	"apurada", "apurado", "apuradita", "apurada ahorita", "con prisa", "de prisa", "deprisa",
	"con apuro", "manejando", "conduciendo", "en camino", "de camino", "llegando", "ocupada",
	"ocupado", "ocupadita", "trabajando", "chambeando", "en el trabajo", "en la chamba",
	"en clase", "en clases", "estudiando", "comiendo", "cocinando", "almorzando", "cenando",
	"desayunando", "en la ducha", "banandome", "banando", "alistando", "arreglando",
	"ocupadisima", "ocupadisimo", "almuerzo",
	// en
	"in a hurry", "in a rush", "rushing", "busy", "driving", "on my way", "omw", "at work",
	"working", "in class", "studying", "eating", "cooking", "in the shower", "eating lunch",
	"having lunch", "having dinner", "getting ready",
	// pt
	"com pressa", "apressada", "apressado", "dirigindo", "a caminho", "chegando",
	"trabalhando", "no trabalho", "na aula", "estudando", "comendo", "cozinhando", "no banho",
	"tomando banho", "almocando", "jantando", "corrida", "ocupadissima",
)

// busyLater say when she will write again, or excuse a slow answer: they may come with
// a busy state. None says she cannot talk («no puedo hablar», «can't talk» stay with
// the model, danger first).
var busyLater = phraseSet(
	// es
	"te escribo", "t escribo", "te respondo", "t respondo", "te contesto", "t contesto",
	"te cuento", "t cuento", "luego", "despues", "dsp", "dps", "mas tarde", "en un rato",
	"un ratito", "en la noche", "en la tarde", "al llegar", "cuando llegue", "ya vuelvo",
	"ya regreso", "luego sigo", "lo leo", "disculpa la demora", "perdon la demora",
	"no respondi", "no conteste", "en 5 min", "en 10 min", "en 15 min", "5 min", "10 min",
	"15 min", "5 minutos", "10 minutos",
	// en
	"talk soon", "later", "talk later", "ttyl", "brb", "be right back", "gimme 10 min",
	"give me 10 min", "gimme 5 min", "give me 5 min", "almost there", "text you later",
	"sorry for the delay", "sorry for the late reply",
	// pt
	"depois", "te escrevo", "te chamo", "ja volto", "te respondo", "respondo", "falo contigo",
	"falo com voce", "desculpa a demora", "ja te respondo", "mais tarde",
)

// busyFiller are the other words of a message that says such a state and nothing else:
// being (then or now), how much, and (besides courtesyWords and nowWords) little else.
// A word of fear, pain, help or anyone doing something to her is none of them.
var busyFiller = wordSet(
	"estoy", "toy", "stoy", "estoi", "ando", "voy", "estaba", "andaba", "me", "ya", "un",
	"poco", "medio", "muy", "bien", "re", "super", "bastante", "algo", "vale", "pana",
	"i", "im", "m", "am", "was", "a", "bit", "so", "very", "really", "kinda", "little",
	"estou", "to", "tou", "ta", "tava", "estava", "um", "pouco", "meio", "muito", "bem",
	"sorry", "perdon", "disculpa", "desculpa", "q", "que", "tal",
)

// maxBusyWords bounds a message read as a state said alone.
const maxBusyWords = 12

// BusyAlone tells whether a message only says that she is busy, in a hurry or on her
// way, perhaps with when she will write again («estoy apurada», «i'm in a hurry»,
// «estou a caminho», «toy almorzando, luego sigo», «sorry im driving, talk soon»): no
// danger, whatever the model makes of «estoy» and «in» beside a word it has mostly
// seen in calls for help. Such a message gets the menu with the emergency option first
// (Faro's answer to a bare call for guidance), one tap from the numbers.
func BusyAlone(tokens []string) bool {
	if len(tokens) > maxBusyWords {
		return false
	}
	if GoingQuiet(tokens) {
		return true
	}
	said := false
	for i := 0; i < len(tokens); {
		if n := busyStates.longestAt(tokens, i); n > 0 {
			said, i = true, i+n
			continue
		}
		if n := busyLater.longestAt(tokens, i); n > 0 {
			i += n
			continue
		}
		if t := tokens[i]; !busyFiller[t] && !courtesyWords[t] && !nowWords[t] {
			return false
		}
		i++
	}
	return said
}
