package understand

// The words of a message that says she is going quiet for a while, and nothing else:
// her phone's battery, credit or data running out, or that she will write later
// («se me acaba la batería, hablamos después», «sem dados agora, volto mais tarde»,
// «phone about to die brb», «ya vengo»). Every word of such a message is one of
// these, of busyFiller, courtesyWords or nowWords, or a number («2%»): a word of
// anyone, fear, pain or help makes it something else, read as before.
var (
	// quietThings run out: battery, credit, data.
	quietThings = wordSet("bateria", "battery", "batt", "pila", "carga", "saldo", "credito",
		"credit", "megas", "datos", "data", "internet", "dados", "plan", "recarga", "wifi",
		"senal", "sinal", "signal")
	// quietDevices die or switch off.
	quietDevices = wordSet("cel", "celu", "celular", "telefono", "fono", "movil", "phone",
		"phones", "cell", "cellphone", "telemovel", "tlf")
	// quietRunOut say that something runs out, or is about to.
	quietRunOut = wordSet("sin", "sem", "poca", "poco", "pouca", "pouco", "baja", "bajo",
		"low", "out", "acaba", "acabo", "acabou", "acabando", "acabandose", "termino",
		"terminando", "murio", "muere", "muriendo", "muriendose", "morrendo", "morreu",
		"morrer", "dying", "die", "died", "dead", "apaga", "apagar", "apagando", "desliga",
		"desligar", "desligando", "descargado", "descargada", "descarregado", "descarregando",
		"fraca", "fraco", "nada", "zero", "ending", "finished", "gone", "ran", "running", "no",
		"acaban", "acabaron", "acabei", "acabaram", "termina", "terminan", "terminaron",
		"terminou", "mueren", "murieron", "morreram")
	// quietDeath are the words of quietRunOut that also say a person dies: they count
	// only beside the phone, its battery or its data («el cel se está muriendo»), and
	// never with her said beside them («my phone is dying and so am i»).
	quietDeath = wordSet("murio", "muere", "muriendo", "muriendose", "morrendo", "morreu",
		"morrer", "dying", "die", "died", "dead", "mueren", "murieron", "morreram")
	// quietSelf say «I» or «me too»: beside a word of dying, she may speak of herself.
	quietSelf = wordSet("am", "yo", "eu", "tambien", "tambem", "too", "also", "igual")
	// quietSelfVerb before a word of dying make her its subject.
	quietSelfVerb = wordSet("voy", "vou", "estoy", "toy", "to", "tou", "estou", "i", "im",
		"ill", "gonna", "going", "ando", "quiero", "quero", "want", "wanna")
	// quietLeave say she goes and will write again.
	quietLeave = wordSet("vuelvo", "regreso", "vengo", "volto",
		"hablamos", "falamos", "falo", "talk", "escribo", "escrevo", "write", "text", "ttyl",
		"brb", "recargo", "recargue", "recargar", "cargar", "carregar", "charge", "cargo",
		"carrego", "conecto", "conectar", "respondo", "contesto", "cargando", "charging", "carregando", "hablo", "conversa", "conversamos",
		"msg", "message", "demoro", "tardo")
	// quietWords are the other words such a message may have («sigo» too, never what
	// makes it: «sigo aquí» is the opposite of going quiet). A goodbye is one of
	// them, never what makes the message: «adiós, gracias por todo, ya me voy» may be a
	// farewell of another kind, and is read as before.
	quietWords = wordSet("chao", "chau", "tchau", "bye", "of", "poner", "pongo", "colocar", "sigo",
		"put", "plug", "back", "right", "be", "soon", "lemme", "let", "tenga", "tenha", "get",
		"meus", "minhas", "mis", "blz", "beleza", "vlw", "valeu", "gente", "vc", "voce",
		"contigo", "tigo", "ti", "left", "se", "me", "mi", "el", "la", "los", "las", "de", "del", "en", "te",
		"t", "le", "lo", "y", "e", "and", "o", "a", "al", "por", "x", "para", "pa", "pra",
		"luego", "despues", "dsp", "dps", "depois", "later", "rato", "ratito", "momento",
		"minuto", "min", "bit", "sec", "manana", "amanha", "tomorrow", "tarde", "noche",
		"noite", "night", "cuando", "quando", "when", "hasta", "ate", "until", "ahora",
		"agora", "ahorita", "now", "rn", "mas", "more", "voy", "vou", "va", "vai", "going",
		"gonna", "gotta", "go", "have", "got", "tengo", "tenho", "irme", "ir", "will", "ill",
		"ll", "you", "u", "ya", "ja", "already", "esta", "estoy", "toy", "ta", "to", "is",
		"it", "its", "my", "meu", "minha", "your", "about", "almost", "casi", "quase", "todo",
		"toda", "all", "just", "solo", "so", "only", "con", "com", "with", "un", "una", "um",
		"uma", "porciento", "percent", "dame", "give", "da", "sorry", "perdon", "disculpa",
		"desculpa", "ok", "okay", "bueno", "bien", "dale", "vale", "pues", "que", "q", "mio", "mia", "quedo", "quede", "quedando", "fiquei", "ficando", "estou",
		"tou", "i", "im", "m", "nos", "we", "in", "at", "mais", "em", "no", "na")
)

// GoingQuiet tells a message that only says she is going quiet for a while: her
// phone's battery, credit or data running out, or her phone dying, or that she goes and
// will write later. «no vuelvo», «no hablamos más» are not: a no before the going is
// something else.
func GoingQuiet(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > maxBusyWords {
		return false
	}
	thing, device, runOut, leave := false, false, false, false
	for i, t := range tokens {
		switch {
		case quietLeave[t]:
			if i > 0 && negation[tokens[i-1]] {
				return false
			}
			leave = true
		case quietThings[t]:
			thing = true
		case quietDevices[t]:
			device = true
		case quietRunOut[t]:
			if quietDeath[t] && !besideThePhone(tokens, i) {
				return false // «me muero», «vou morrer»: not the phone
			}
			runOut = true
		case quietWords[t] || busyFiller[t] || courtesyWords[t] || nowWords[t]:
		case isNumber(t):
			runOut = true // «battery at 3%», «celular com 1%»
		default:
			return false
		}
	}
	for i, t := range tokens {
		if quietDeath[t] && meToo(tokens[i+1:]) {
			return false // «my phone is dying and so am i»: she too (DyingAlone)
		}
	}
	if thanked(tokens) && !thing && !device {
		return false // «ya gracias, mañana te escribo»: a goodbye with thanks, the model's
	}
	return leave || runOut && (thing || device) || forNow(tokens) || backSoon(tokens)
}

// besideThePhone tells whether a word of the phone, its battery, credit or data is
// within four words before or three after tokens[i], a word of dying, and she is not
// its subject.
func besideThePhone(tokens []string, i int) bool {
	for j := max(0, i-2); j < i; j++ {
		if quietSelfVerb[tokens[j]] && !(tokens[j] == "to" && j > 0 && (tokens[j-1] == "about" || tokens[j-1] == "going")) &&
			!((tokens[j] == "gonna" || tokens[j] == "going") && j > 0 && phoneIs[tokens[j-1]]) {
			return false // «to sem bateria e vou morrer»: she, not the phone («about to die», «its gonna die» are)
		}
	}
	for j := max(0, i-4); j < min(len(tokens), i+4); j++ {
		if j != i && (quietThings[tokens[j]] || quietDevices[tokens[j]]) {
			return true
		}
	}
	return false
}

// phoneIs before «gonna», «going» make the phone their subject: «my phone is gonna
// die», «its going to die».
var phoneIs = wordSet("is", "its", "it", "phone", "cell", "battery", "batt", "data")

// thanked tells a message that thanks.
func thanked(tokens []string) bool {
	for _, t := range tokens {
		switch t {
		case "gracias", "grax", "thanks", "thank", "thx", "obrigada", "obrigado", "brigada", "valeu":
			return true
		}
	}
	return false
}

// forNow tells a goodbye «for now»: «chao x ahora», «tchau por agora», «bye for now».
func forNow(tokens []string) bool {
	bye := false
	for _, t := range tokens {
		bye = bye || t == "chao" || t == "chau" || t == "tchau" || t == "bye"
	}
	for i := 0; bye && i+1 < len(tokens); i++ {
		if (tokens[i] == "por" || tokens[i] == "x" || tokens[i] == "for") && (tokens[i+1] == "ahora" || tokens[i+1] == "agora" || tokens[i+1] == "now" || tokens[i+1] == "ahorita") {
			return true
		}
	}
	return false
}

// backSoon tells «be right back», «back in a bit», «ill be back»: not «back» alone,
// which is a command.
func backSoon(tokens []string) bool {
	for i, t := range tokens {
		if t == "back" && (i > 0 && (tokens[i-1] == "right" || tokens[i-1] == "be") || i+1 < len(tokens) && (tokens[i+1] == "in" || tokens[i+1] == "soon" || tokens[i+1] == "later")) {
			return true
		}
	}
	return false
}

// thanksMore are the words that make thanks stronger or say for what, and nothing else:
// «valeu mesmo», «thank u so much», «gracias x todo».
var thanksMore = wordSet("mesmo", "muito", "much", "so", "very", "mucho", "muchas", "muchisimas",
	"mil", "de", "verdad", "demais", "a", "lot", "u", "you", "todo", "tudo", "x", "por",
	"pela", "pelo", "for", "everything", "all", "mana", "amiga", "pana", "chamo", "mano",
	"miga", "ajuda", "ayuda", "help")

// ThanksAlone tells a message that only thanks («ty», «valeu mesmo», «gracias x todo»);
// «no, thank you» is a no.
func ThanksAlone(tokens []string) bool {
	said := false
	for _, t := range tokens {
		switch {
		case thanked([]string{t}) || t == "ty" || t == "tysm" || t == "vlw" || t == "thankyou":
			said = true
		case negation[t]:
			return false // «no thank you», «no amiga gracias»: a no
		case thanksMore[t] || courtesyWords[t]:
		default:
			return false
		}
	}
	return said
}
