package understand

// pregnancyWords say she is, or may be, pregnant.
var pregnancyWords = wordSet(
	"embarazada", "embarazo", "prenada", "encinta", "gravida", "gravidez", "engravidei",
	"pregnant", "pregnancy", "prenatal", "antenatal",
	// a late period: «no me baja la regla hace 2 meses», «my period is late»
	"regla", "menstruacion", "menstruo", "periodo", "period", "menstruacao", "regra",
	"retraso", "atraso",
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
	// asking for her care: a check-up, a test, where and whether she is seen, with or
	// without papers («estoy embarazada de 3 meses y no me he hecho ningún control»,
	// «preciso fazer pré-natal mas não tenho documento»)
	"control", "controles", "chequeo", "prenatal", "natal", "pre", "prueba", "test", "atender",
	"atenderme", "atienden", "atiendan", "posta", "hospital", "centro", "salud", "necesito",
	"quiero", "donde", "puedo", "hacerme", "hacer", "he", "hecho", "ningun", "ninguna", "no",
	"mi", "tengo", "ir", "care", "checkup", "doctor", "where", "can", "get", "need", "want",
	"go", "preciso", "quero", "onde", "posso", "exame", "consulta", "atendimento", "ser",
	"atendida", "nenhum", "tenho", "nao", "ainda", "la", "el", "en", "y", "e", "and", "a",
	"for", "to", "the", "my", "con", "com", "sin", "sem", "without", "papeles", "documentos",
	"documento", "papers", "papeis", "documents", "si", "if", "estando", "being", "mas", "but",
	"pero", "tests", "yet", "aun", "todavia", "fiz", "fez", "hice", "hizo", "done", "had",
	// the period that does not come, and not wanting the pregnancy: «no me baja la regla
	// hace 2 meses y no quiero tenerlo», «my period is late and i dont want a baby»
	"baja", "bajado", "baje", "bajo", "viene", "venido", "llega", "llegado", "late", "missed",
	"desceu", "desce", "veio", "vem", "atrasada", "atrasado", "atrasou", "tenerlo", "tenerla",
	"tener", "ter", "it", "lo", "bebe", "baby", "is", "has", "hasnt", "t", "wont", "come",
	"came", "minha", "ta", "esta", "dias", "days", "week", "abortar", "aborto", "abortion",
	"abort", "quiero", "tenho", "quero", "want", "deseo", "quisiera", "seguir", "continuar",
	"keep", "nene", "hijo", "filho", "crianca", "otro", "outro", "another",
)

// PregnancyAlone tells whether a message only says that she is, or may be, pregnant,
// and at most asks for her care («estoy embarazada», «creo q quedé embarazada de 2
// meses», «estou grávida», «i think im pregnant», «where can i get a prenatal check
// up»): a health need, whatever the model makes of words it has mostly seen
// beside violence («me pateó la barriga, estoy embarazada»).
func PregnancyAlone(tokens []string) bool {
	said := false
	for i, t := range tokens {
		switch {
		case pregnancyWords[t], t == "natal" && i > 0 && tokens[i-1] == "pre": // «pré-natal»
			said = true
		case pregnancyStatement[t], courtesyWords[t]:
		default:
			return false
		}
	}
	return said
}
