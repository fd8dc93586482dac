package understand

// personPhrases ask for a person, not the bot: «persona real», «alguien de verdad»,
// «gente de verdade», «a real person».
var personPhrases = phraseSet(
	// es
	"persona real", "una persona real", "una persona", "un humano", "una humana", "ser humano",
	"alguien real", "alguien de verdad", "persona de verdad", "gente de verdad", "gente real",
	"alguien de carne y hueso", "un asesor", "una asesora", "un operador", "una operadora",
	"con alguien", "con una persona", "con gente",
	// pt
	"pessoa de verdade", "alguem de verdade", "uma pessoa", "gente de verdade", "um humano",
	"uma humana", "pessoa real", "com alguem", "com uma pessoa", "com gente", "um atendente",
	"uma atendente",
	// en
	"real person", "a person", "a human", "someone real", "real human", "actual person",
	"live person", "live agent", "human being", "a real person", "an actual human", "to someone",
	"with someone", "a human being",
)

// machineWords name the bot: wanting none of it («no quiero hablar con una máquina»)
// asks for a person too.
var machineWords = wordSet("maquina", "robot", "bot", "robo", "machine", "ia", "ai", "automatico", "automatica")

// personAsking are the other words of a message that asks for a person and nothing
// else: wanting, needing, talking, whether anyone is there, whether she talks to a
// bot.
var personAsking = wordSet(
	"quiero", "necesito", "puedo", "podria", "hablar", "conversar", "chatear", "escribir",
	"con", "a", "una", "un", "me", "pasame", "pasa", "comunicame", "conectame", "hay", "alguien",
	"ahi", "aqui", "aca", "eres", "es", "no", "por", "favor", "porfa", "pls", "please", "i",
	"need", "want", "to", "talk", "speak", "chat", "with", "can", "could", "get", "put",
	"through", "connect", "is", "there", "anyone", "anybody", "someone", "are", "you", "an",
	"the", "just", "quero", "preciso", "falar", "com", "vc", "voce", "e", "um", "uma", "tem",
	"alguem", "ai", "de", "verdade", "me", "passa", "pra", "para", "q", "que", "la", "el",
	"real", "dont", "do", "not", "nao", "solo", "so", "only", "pero", "but", "mas", "o", "y",
	"and", "or", "una", "ya", "already", "sou", "soy", "estoy", "am", "talking", "hablando",
	"falando", "eso", "esto", "this", "that", "isso", "isto", "otra", "otro", "outra",
	"another", "mejor", "better", "melhor", "prefiero", "prefer", "prefiro", "rather", "would",
	"id", "like", "gustaria", "gostaria", "quisiera", "queria",
)

// AsksForPerson tells a message that asks for a person rather than the bot, and says
// nothing else («are you a bot? i need a real person», «no quiero hablar con una
// máquina», «tem alguém de verdade aí?»): the handoff, whatever the model makes of
// the bot being named.
func AsksForPerson(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > 16 {
		return false
	}
	person, machine, no, want := false, false, false, false
	for i := 0; i < len(tokens); {
		if n := personPhrases.longestAt(tokens, i); n > 0 {
			person, i = true, i+n
			continue
		}
		t := tokens[i]
		want = want || personWanting[t]
		switch {
		case machineWords[t]:
			machine = true
		case negation[t] || t == "dont":
			no = true
		case personAsking[t] || courtesyWords[t]:
		default:
			return false
		}
		i++
	}
	// «estoy con alguien», «no eres un bot?» say no wish
	return want && (person || machine && no)
}

// personWanting are the words of personAsking that ask: wanting, needing, talking,
// whether someone is there.
var personWanting = wordSet("quiero", "necesito", "hablar", "conversar", "chatear", "pasame",
	"comunicame", "conectame", "hay", "want", "need", "talk", "speak", "chat", "put", "connect",
	"anyone", "anybody", "quero", "preciso", "falar", "tem", "passa", "gustaria", "gostaria",
	"quisiera", "queria", "prefiero", "prefer", "prefiro", "rather", "like", "talking",
	"hablando", "falando")
