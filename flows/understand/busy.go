package understand

import (
	"slices"
	"strings"
)

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
	"desayunando", "en la ducha", "banandome",
	// en
	"in a hurry", "in a rush", "rushing", "busy", "driving", "on my way", "omw", "at work",
	"working", "in class", "studying", "eating", "cooking", "in the shower",
	// pt
	"com pressa", "apressada", "apressado", "dirigindo", "a caminho", "chegando",
	"trabalhando", "no trabalho", "na aula", "estudando", "comendo", "cozinhando", "no banho",
)

// busyFiller are the other words of a message that says such a state and nothing else:
// being, how much, and (besides courtesyWords and nowWords) little else. A word of fear,
// pain, help or anyone doing something to her is none of them.
var busyFiller = wordSet(
	"estoy", "toy", "stoy", "estoi", "ando", "voy", "ya", "un", "poco", "medio", "muy",
	"bien", "re", "super", "bastante", "algo", "i", "im", "m", "am", "a", "bit", "so", "very",
	"really", "kinda", "little", "estou", "to", "tou", "ta", "um", "pouco", "meio", "muito",
	"bem", "sorry", "perdon", "disculpa", "desculpa",
)

// maxBusyWords bounds a message read as a state said alone.
const maxBusyWords = 8

// BusyAlone tells whether a message only says that she is busy, in a hurry or on her
// way («estoy apurada», «i'm in a hurry», «estou a caminho», «estoy manejando
// ahorita»): no danger, whatever the model makes of «estoy» and «in» beside a word it
// has mostly seen in calls for help. Such a message gets the menu with the emergency
// option first (Faro's answer to a bare call for guidance), one tap from the numbers.
func BusyAlone(tokens []string) bool {
	if len(tokens) > maxBusyWords {
		return false
	}
	said := false
	for i := 0; i < len(tokens); {
		if n := busyStates.longestAt(tokens, i); n > 0 {
			said, i = true, i+n
			continue
		}
		if t := tokens[i]; !busyFiller[t] && !courtesyWords[t] && !nowWords[t] {
			return false
		}
		i++
	}
	return said
}

// phrases is a set of phrases of one or more normalized words, by their first word.
type phrases map[string][][]string

func phraseSet(ps ...string) phrases {
	s := phrases{}
	for _, p := range ps {
		ws := strings.Fields(p)
		s[ws[0]] = append(s[ws[0]], ws)
	}
	return s
}

// longestAt returns how many words the longest phrase that starts at tokens[i] has, 0
// when none does.
func (s phrases) longestAt(tokens []string, i int) int {
	n := 0
	for _, p := range s[tokens[i]] {
		if len(p) > n && len(p) <= len(tokens)-i && slices.Equal(p, tokens[i:i+len(p)]) {
			n = len(p)
		}
	}
	return n
}
