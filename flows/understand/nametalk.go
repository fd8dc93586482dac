package understand

import "strings"

// Talk about the name: "quiero darte mi nombre", "cambiar nombre", "no me llamo así",
// "no quiero dar mi nombre". Such a message names no one: taking the words after an
// anchor as her name gave "Te llamaré darte mi nombre", "Te llamaré assim".

// NameTalkKind is what a message made only of words about the name asks for.
type NameTalkKind int

const (
	// NotNameTalk: the message says something else too (or names no name word).
	NotNameTalk NameTalkKind = iota
	// NameTalkAsk: she offers her name, wants it changed, or says it is wrong ("te doy
	// mi nombre", "change my name", "ese no es mi nombre"): the name question.
	NameTalkAsk
	// NameTalkRefuse: she does not want to give one ("no quiero dar mi nombre",
	// "i'd rather not tell my name"): nothing is kept, and nothing asked.
	NameTalkRefuse
	// NameTalkWhy: she asks why her name is asked for ("xq me preguntas mi nombre",
	// "why do u need my name", "pq vc quer saber meu nome"): what it is for, and that
	// it is not needed.
	NameTalkWhy
)

// whyWords ask why; "por qué", "para qué", "pra quê" are two words (see NameTalk).
var whyWords = wordSet("xq", "pq", "porque", "porq", "pk", "why")

// whyBefore are the words before «que» that make it «why» or «what for».
var whyBefore = wordSet("por", "para", "pa", "pra", "x")

// nameWords are the words about a name itself; a message about the name has one.
var nameWords = wordSet(
	"nombre", "nombres", "nombrecito", "apodo", "nick", "llamo",
	"llamaste", "name", "names", "nickname", "call", "called", "nome", "apelido",
	"chame", "chamar", "chamam", "chamou",
)

// giveWords are the first person giving or telling: with a negation, a refusal ("no
// quiero dar mi nombre"); "no me digas así" (second person) is a correction.
var giveWords = wordSet(
	"dar", "darte", "darle", "doy", "decir", "decirte", "decirle", "decirlo", "digo", "compartir",
	"revelar", "give", "giving", "tell", "telling", "share", "say", "dizer", "dou", "falar", "contar",
	"informar", "sepas", "saber", "guardes", "guardar", "guarde", "guardo", "keep", "save", "store",
	"diciendo", "dando", "passar", "revealing", "sharing", "pidas", "pedir", "ask", "uses", "usar",
	"use", "gave",
)

// forgetWords alone are a refusal ("olvida mi nombre", "forget my name").
var forgetWords = wordSet("olvida", "olvidate", "olvides", "forget", "esquece", "esqueca", "skip",
	"paso", "pular", "pula", "anonima", "anonimo", "anonymous", "anonimamente", "anonimo")

// callWords with thatWords correct the name without saying "name": "ya no me digas así",
// "don't call me that", "llámame diferente" ("no me digas" alone is surprise, "no
// llames a nadie" and "no chamo" are not about a name).
var (
	callWords = wordSet("digas", "digan", "dices", "dicen", "llames", "llamen", "llamas", "call",
		"calling", "chama", "chame", "chamar", "chamem", "chamo", "fale", "llamarme", "llamar")
	// changeWords with callWords: "cómo hago pa cambiar cómo me dices"
	changeWords = wordSet("cambiar", "cambia", "cambiame", "change", "mudar", "trocar", "troco",
		"corregir", "corrige", "fix")
	thatWords = wordSet("asi", "that", "assim", "eso", "isso", "diferente", "different", "else",
		"otra", "otro", "outra", "outro")
)

// yourWords ask the bot's own name ("¿cómo te llamas?", "what's your name?") unless a
// word of hers (mineWords) is said too ("te doy mi nombre").
var yourWords = wordSet("tu", "your", "seu", "sua", "llamas", "voce", "vc", "te", "you", "u", "ur")

var mineWords = wordSet("mi", "mis", "my", "me", "yo", "i", "im", "meu", "minha", "eu", "mio",
	"conmigo", "comigo", "dije", "doy", "digo", "quiero", "kiero", "prefiero", "quero",
	"prefiro", "dou", "queria", "quisiera")

// refuseWords make a refusal with a giving word ("sin", "prefiero no", "i'd rather not").
var refuseWords = wordSet(
	"no", "nunca", "sin", "not", "dont", "never", "without", "rather", "nao", "sem", "nem", "nadie",
	"nobody", "ninguem",
)

// withoutWords before a name word refuse one ("sin nombre", "no name please", "sem nome").
var withoutWords = wordSet("sin", "no", "without", "sem", "nao")

// nameTalkWords are the other words of a message about the name: pronouns, articles,
// wanting, changing, correcting, courtesy. No word of danger, place or need is here, so
// a message made only of them (with a name word) is about the name and nothing else.
var nameTalkWords = wordSet(
	// es
	"no", "ya", "nunca", "sin", "mi", "mis", "tu", "su", "el", "la", "lo", "los", "las", "un", "una",
	"de", "del", "a", "al", "en", "con", "por", "para", "que", "q", "k", "me", "te", "se", "le",
	"yo", "ese", "esa", "eso", "este", "esta", "asi", "bien", "mal", "otro", "otra", "otro", "forma",
	"manera", "quiero", "kiero", "queria", "quisiera", "puedo", "podria", "puedes", "podrias",
	"prefiero", "preferiria", "voy", "vas", "va", "cambiar", "cambiame", "cambia", "cambio",
	"corregir", "corrige", "corregirlo", "poner", "ponerme", "pon", "usar", "es", "era", "verdadero",
	"real", "social", "completo", "nuevo", "equivocaste", "equivocado", "equivocada", "escribiste",
	"escribe", "escribir", "escrito", "como", "cual", "favor", "porfa", "porfavor", "gracias", "ok",
	"mejor", "tampoco", "solo", "nomas", "dime", "digas", "dices", "dijiste", "oye", "hola", "amiga",
	"pana", "y", "o", "pero", "ahora", "ahorita", "mas", "bueno", "entonces", "perdon", "disculpa",
	"sabes", "saber", "sepas", "quieres", "aqui", "ahi", "igual", "tal", "vez", "mio", "x", "todavia",
	"aun", "corrigelo", "corrigeme", "hago", "pa", "guardaste", "guardado", "pusiste", "dije", "dijiste",
	"letra", "falto", "nadie", "comoda", "comodo", "diferente",
	"jaja", "jajaja", "siento", "dejame", "conmigo", "usas", "usa", "llamas", "dicen", "fue", "esta",
	"haha", "lol", "tho", "though", "something", "else", "part", "feel", "comfortable", "nobody",
	"calling", "keep", "mine", "puse", "puso", "uso", "falta", "xq", "here", "u", "ur", "ser",
	"errei", "preguntas", "pregunta", "preguntan", "pides", "piden", "necesitas", "necesita",
	"sirve", "importa", "quieren", "porque", "porq", "pk",
	// en
	"i", "im", "id", "d", "m", "s", "t", "ll", "dont", "don", "do", "not", "never", "without", "want",
	"wanna", "to", "give", "you", "my", "your", "is", "isnt", "that", "thats", "this", "it", "its",
	"change", "fix", "wrong", "spelled", "spell", "wrote", "me", "can", "could", "rather", "prefer",
	"would", "like", "let", "please", "pls", "the", "a", "an", "new", "real", "another", "different",
	"use", "right", "now", "ok", "okay", "just", "what", "how", "by", "no", "got", "changed", "so",
	"actually", "hi", "hey", "sorry", "thanks", "will", "ill", "be", "calling", "why", "need",
	"needs", "asking", "asked", "for", "does", "matter", "are", "r",
	// pt
	"eu", "nao", "quero", "queria", "posso", "pode", "te", "meu", "minha", "seu", "sua", "o", "um",
	"uma", "e", "esse", "essa", "isso", "assim", "mudar", "trocar", "corrigir", "errado", "errou",
	"escreveu", "chama", "prefiro", "vou", "outro", "outra", "jeito", "pfv", "obrigada", "sem", "nem",
	"mais", "agora", "oi", "voce", "vc", "certo", "mesmo", "pra", "para", "do", "da", "como", "qual",
	"ainda", "comigo", "usa", "ninguem", "chamem", "fale", "diferente", "pq", "quer", "querem",
	"precisa", "precisam", "pergunta", "perguntou", "pede", "pediu", "serve", "que",
)

// NameTalk tells whether a message is only about her name and, if so, whether it asks
// for the name question or refuses to give one. tokens are normalized words.
func NameTalk(tokens []string) NameTalkKind {
	if len(tokens) == 0 || len(tokens) > 10 {
		return NotNameTalk
	}
	var named, refused, negated, forget, yours, mine, call, that, without, why bool
	for i, w := range tokens {
		why = why || whyWords[w] || (w == "que" || w == "q") && i > 0 && whyBefore[tokens[i-1]]
		call = call || callWords[w]
		that = that || thatWords[w] || changeWords[w]
		switch {
		case nameWords[w]:
			named = true
			// "sin nombre", "no name", "sin dar nombre"
			without = without || i > 0 && withoutWords[tokens[i-1]] ||
				i > 1 && withoutWords[tokens[i-2]] && (giveWords[tokens[i-1]] || articles[tokens[i-1]])
		case giveWords[w]:
			// a refusal says no before the giving: "no quiero dar mi nombre", not "te
			// doy otro nombre, no el real"
			refused = refused || negated
		case forgetWords[w]:
			forget = true
		case nameTalkWords[w], yourWords[w], callWords[w], thatWords[w]:
		default:
			return NotNameTalk
		}
		negated = negated || refuseWords[w]
		yours = yours || yourWords[w]
		mine = mine || mineWords[w]
	}
	named = named || call && that
	switch {
	case !named, yours && !mine:
		return NotNameTalk
	case forget, refused, without:
		return NameTalkRefuse
	case why:
		return NameTalkWhy
	}
	return NameTalkAsk
}

// notNameWords never begin or make up a name: what follows an anchor in "tengo q dar
// mi nombre real", "me llamaron por mi nombre de hombre", "can i use my chosen name at
// the hospital" is no name.
var notNameWords = wordSet(
	// about the name, giving, changing, wanting
	"nombre", "nombres", "name", "names", "nome", "apodo", "social", "artistico", "real",
	"verdadero", "verdadeiro", "chosen", "dead", "llamo", "llamar", "llamarme", "llames", "llamen",
	"chamo", "chamar", "chame", "call", "called", "dar", "darte", "doy", "decir", "decirte", "digo",
	"dizer", "dou", "give", "tell", "cambiar", "change", "mudar", "trocar", "puedo", "posso", "can",
	"quiero", "quero", "want", "prefiero", "prefiro", "olvida", "forget", "esquece", "equivocaste",
	// questions
	"cuantos", "cuantas", "cuanto", "como", "donde", "cuando", "xq", "porque", "why", "how", "what",
	"when", "where", "quanto", "onde", "quando", "quien", "quienes", "cual", "cuales", "quem",
	"qual", "who", "which",
	// possessives, and words that are the menu's
	"mi", "mis", "my", "meu", "minha", "minhas", "meus", "your", "opciones", "opcion", "options",
	"opcoes", "menu", "yo", "i", "eu", "nadie", "nobody", "ninguem", "kiero", "diferente",
	"different", "otro", "otra", "another", "something", "else", "part", "here", "aqui", "aca",
	"even", "after", "lol", "jaja", "jajaja",
	// what she asks to be told, and when to be called: «puedes decirme la dirección»,
	// «me podes decir el horario», «puedes llamarme mañana»
	"direccion", "horario", "horarios", "hora", "numero", "telefono", "precio", "costo", "lugar",
	"sitio", "camino", "address", "number", "phone", "price", "endereco", "telefone", "manana",
	"luego", "despues", "tomorrow", "later", "tonight", "amanha", "depois",
	// haste and help: "llámame ya" is no name
	"ya", "rapido", "urgente", "pronto", "quick", "asap", "help", "ayuda", "auxilio", "socorro",
	"ajuda", "police", "cops", "ambulancia", "ambulance",
	// not a name but what she is ("soy nueva", "soy trans", "sou venezuelana")
	"nueva", "nuevo", "new", "nova", "novo", "trans", "travesti", "venezolana", "venezolano",
	"venezuelan", "venezuelana", "peruana", "peruano", "colombiana", "migrante", "migrant", "chica",
	"mujer", "woman", "girl", "mama", "madre", "mother", "trabajadora", "worker", "sola", "alone",
	"sozinha", "menor", "lesbiana", "gay",
	// who called her, or what ("me llamó el doctor", "el serenazgo me llamó perra")
	"doctor", "doctora", "medico", "medica", "enfermera", "policia", "serenazgo", "cliente", "client",
	"senora", "senor", "jefe", "jefa", "dueno", "duena", "tombo", "perra", "puta", "zorra", "bitch",
	"whore", "slut", "vagabunda", "piranha", "maricon", "cabro", "veado",
	"falso", "falsa", "fake", "false", "legal", "registro", "dni",
	// a correction's word in place of a name ("no me llamo asi", "don't call me that")
	"asi", "assim", "that", "eso", "isso",
)

// notNameStarts never begin a name (a preposition: "de hombre", "on purpose", "at the
// hospital").
var notNameStarts = wordSet(
	"de", "del", "en", "a", "al", "por", "con", "para", "sin", "at", "on", "by", "in", "of", "to",
	"for", "from", "with", "em", "no", "na", "do", "da", "pra", "com",
	// who else: «te escribe su hermana», «te habla una amiga», «quem fala é minha amiga»
	"su", "sus", "mi", "mis", "tu", "un", "una", "my", "your", "his", "her", "an", "minha",
	"meu", "sua", "seu", "uma", "um",
	// what she asks to be told: «me puedes decir si es legal», «...algo bonito», «...eso»
	"si", "algo", "este", "esta", "ese", "esa", "eso", "esto", "alguien", "something", "this",
	"that", "if", "whether", "isso", "isto", "algum", "alguma", "alguem",
)

// PlausibleName tells whether a name taken after an anchor may be one: not a phrase
// about the name ("darte mi nombre", "social"), a question, or a preposition's phrase.
func PlausibleName(name string) bool {
	ts := Tokens(Normalize(name))
	if len(ts) == 0 || notNameStarts[ts[0]] {
		return false
	}
	for _, w := range ts {
		if notNameWords[w] {
			return false
		}
	}
	return true
}

// wordNames are given names that are also words people write for a topic («Soledad»,
// loneliness; «Graça», free of charge; «Grace»): at the name question the answer is
// her name, not that topic. A possible danger still comes first: «Socorro» is the
// numbers, «Remedios» (pills) the crisis lines' question.
var wordNames = wordSet(
	"soledad", "dolores", "consuelo", "milagros", "luz", "esperanza", "amparo",
	"caridad", "paz", "cielo", "rosario", "alegria", "dulce", "angeles", "reina", "paloma",
	"estrella", "mercedes", "pilar", "flor", "perla", "sol", "luna", "gloria", "fe", "aurora",
	"cruz", "angustias", "nieves", "victoria", "libertad", "rosa", "asuncion", "concepcion",
	"piedad", "lourdes", "guadalupe", "belen", "trinidad", "jesus", "angel", "salvador",
	"hope", "joy", "faith", "grace", "destiny", "sky", "crystal", "charity", "mercy", "star",
	"honey", "candy", "precious", "graca", "vitoria", "esperanca", "estrela", "celeste",
)

// IsWordName tells whether tokens (normalized) are one or two given names that are also
// words ("soledad", "luz maria" is not: only such names).
func IsWordName(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > 2 {
		return false
	}
	for _, w := range tokens {
		if !wordNames[w] {
			return false
		}
	}
	return true
}

// courtesyWords may come with a name said with its anchor: greetings, please, thanks.
var courtesyWords = wordSet(
	"hola", "ola", "holi", "holis", "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches",
	"hi", "hey", "hello", "good", "morning", "evening", "afternoon", "oi", "bom", "boa", "tarde",
	"noite", "por", "favor", "porfa", "porfis", "xfa", "pls", "plz", "please", "pfv", "gracias",
	"thanks", "thank", "you", "obrigada", "obrigado", "amiga", "ok", "bueno", "y", "and", "e",
	"aqui", "here", "nomas", "no", "mas", "just",
)

// NameAlone tells whether a message is a name said with its anchor and nothing else
// but greetings and courtesy ("me chama de Estrela por favor", "hola, me llamo Luz"):
// then it is her name, whatever the model guesses of words it never saw.
func NameAlone(words Words) bool {
	name, anchor := NameIn(words, false)
	if name == "" {
		return false
	}
	left := map[string]int{}
	for _, w := range words.ws {
		left[w.norm]++
	}
	for _, w := range append(Tokens(Normalize(strings.TrimPrefix(anchor, "… "))), Tokens(Normalize(name))...) {
		if left[w] == 0 {
			return false
		}
		left[w]--
	}
	for w, n := range left {
		if n > 0 && !courtesyWords[w] && !articles[w] { // «quem fala é a Bia»: the article before it
			return false
		}
	}
	return true
}

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
