package understand

// pregnancyWords say she is, or may be, pregnant.
var pregnancyWords = wordSet(
	"embarazada", "embarazo", "prenada", "encinta", "gravida", "gravidez", "engravidei",
	"pregnant", "pregnancy",
)

// pregnancyStatement are the other words of a message that says so and nothing else:
// being, becoming and finding out, thinking so, how long, what to do now, greetings
// and courtesy (courtesyWords). A word of fear, pain, help or anyone doing something to
// her is none of them: that message is read as before, danger first.
var pregnancyStatement = wordSet(
	"estoy", "toy", "estoi", "estar", "creo", "que", "q", "k", "me", "quede", "sali",
	"resulte", "salio", "entere", "parece", "sera", "ya", "de", "hace", "un", "una", "mes",
	"meses", "semana", "semanas", "dos", "tres", "cuatro", "1", "2", "3", "4", "5", "6", "7",
	"8", "9", "hago", "se", "ahora", "tal", "vez", "quizas", "estou", "to", "tou", "fiquei",
	"acho", "descobri", "talvez", "faco", "fazer", "o", "agora", "sei", "im", "i", "am", "m",
	"think", "might", "be", "maybe", "got", "found", "out", "what", "do", "now", "dont",
	"know", "months", "month", "weeks",
)

// PregnancyAlone tells whether a message only says that she is, or may be, pregnant
// («estoy embarazada», «creo q quedé embarazada de 2 meses», «estou grávida», «i think
// im pregnant»): a health need, whatever the model makes of words it has mostly seen
// beside violence («me pateó la barriga, estoy embarazada»).
func PregnancyAlone(tokens []string) bool {
	said := false
	for _, t := range tokens {
		switch {
		case pregnancyWords[t]:
			said = true
		case pregnancyStatement[t], courtesyWords[t]:
		default:
			return false
		}
	}
	return said
}
