package understand

// CallTrouble is what a message says about calling for help: nothing, that she cannot
// call, or something that may mean it.
type CallTrouble int

const (
	// CallFine: the message says nothing about calling.
	CallFine CallTrouble = iota
	// CannotCall: she cannot call, or cannot speak out loud («no puedo llamar», «no
	// tengo saldo», «me pueden escuchar», «can only text», «não consigo ligar», «no
	// puedo hablar» in a short message).
	CannotCall
	// MaybeCannotCall: she called and nobody answers, or the call does not go through
	// («nadie contesta», «sale ocupado», «nobody picks up», «ninguém atende»), or «no
	// puedo hablar» in a longer message. Said alone it may be about a clinic, a
	// boyfriend or being busy: it counts with danger, or right after the numbers.
	MaybeCannotCall
)

// cannotCallPhrases say she cannot call for help, wherever they are in the message.
var cannotCallPhrases = phraseSet(
	// es
	"no puedo llamar", "no puedo llamarlos", "no puedo marcar", "no puedo hacer llamadas",
	"no puedo hacer una llamada", "no puedo hacer llamada", "no puedo llamar por telefono",
	"no me deja usar el telefono",
	"no me deja usar el celular", "no tengo saldo", "no tengo credito",
	"no tengo minutos", "no tengo recarga", "no tengo senal", "no agarra senal", "no entra la llamada",
	"no sale la llamada", "no salen las llamadas", "no me salen las llamadas",
	"no hace llamadas", "solo puedo escribir", "solo puedo escribirte", "solo puedo chatear",
	"solo puedo mandar mensajes", "solo por mensaje", "solo por chat", "solo por aqui",
	"si no puedo llamar", "y si no puedo llamar", "no puedo hablar por telefono",
	"no puedo hablar en voz alta", "no puedo hablar fuerte", "no puedo hacer ruido",
	"ni puedo llamar", "sin senal para llamar", "sin senal pa llamar",
	"sin senal pa poder llamar", "sin senal para poder llamar", "sin saldo para llamar",
	"sin saldo pa llamar", "sin saldo pa poder llamar", "sin saldo para poder llamar",
	"sin credito para llamar", "sin credito pa llamar", "sin credito pa poder llamar",
	"sin credito para poder llamar", "sin minutos para llamar", "sin minutos pa llamar",
	"sin minutos pa poder llamar", "sin minutos para poder llamar", "sem sinal pra ligar",
	"sem sinal para ligar", "sem sinal pra poder ligar", "sem saldo pra ligar",
	"sem saldo para ligar", "sem saldo pra poder ligar", "sem credito pra ligar",
	"sem credito para ligar", "sem credito pra poder ligar", "no signal to call",
	"no credit to call", "no minutes to call", "no balance to call", "no tiene minutos", "no tiene saldo", "no tiene credito", "no tiene senal",
	"no tiene recarga", "no me entra la llamada", "no entra la llamada", "la llamada no entra",
	"la llamada no sale", "se corta la llamada", "se cae la llamada", "se me corta la llamada",
	"se me cae la llamada", "se cortan las llamadas", "solo sirve pa whatsapp",
	"solo sirve para whatsapp", "solo sirve pal whatsapp", "solo tengo whatsapp",
	"solo tengo datos", "solo puedo por whatsapp", "no puedo hablar duro",
	// en
	"can t call", "cant call", "cannot call", "can not call", "unable to call",
	"can t make calls", "can t make a call", "cant make calls", "cant make a call",
	"can t phone", "no credit", "no balance", "no minutes", "no airtime",
	"out of credit", "out of minutes", "no signal", "no service", "only text",
	"can only text", "can only write", "can only type", "only chat", "can t speak out loud",
	"cant speak out loud", "calls don t go through", "call won t go through",
	"call doesn t go through", "calls won t go through", "call wont go through",
	"calls wont go through", "call doesnt go through", "call keeps dropping", "calls keep dropping",
	"has no credit", "has no minutes", "has no signal", "has no service", "don t have minutes",
	"dont have minutes", "don t have credit", "dont have credit", "don t have any credit",
	"dont have any credit", "don t have any minutes", "dont have any minutes", "don t have balance",
	"no phone credit", "don t have signal", "dont have signal", "only whatsapp",
	"only have whatsapp", "only works for whatsapp", "what if i can t call", "what if i cant call",
	// pt
	"nao posso ligar", "nao consigo ligar", "n consigo ligar", "n posso ligar",
	"nao da pra ligar", "nao da para ligar", "nao tenho como ligar",
	"nao tenho credito", "nao tenho saldo",
	"nao tenho sinal", "so posso escrever", "so consigo escrever",
	"so posso digitar", "so por mensagem", "nao completa a ligacao", "a ligacao nao completa",
	"a ligacao nao sai", "nao posso falar alto", "naum posso ligar", "naum consigo ligar",
	"nao puder ligar", "naum puder ligar", "n puder ligar", "nao tem credito", "nao tem saldo",
	"naum tem credito", "naum tem saldo", "nao faz ligacao", "naum faz ligacao", "n faz ligacao",
	"nao faz ligacoes", "nao faz chamada", "a ligacao cai", "a ligacao caiu", "so tenho whatsapp",
	"so funciona o whatsapp", "so serve pro whatsapp", "naum tenho credito", "naum tenho saldo",
)

// overheardPhrases say someone near could hear her («me pueden escuchar», «he can hear
// me»). After a negation they say nobody listens to her («nadie me escucha»), which is
// how she feels, not a reason not to call.
var overheardPhrases = phraseSet(
	// es
	"me escuchan", "me pueden escuchar", "me estan escuchando", "me puede escuchar",
	"me esta escuchando", "me va a escuchar", "me van a escuchar", "me oyen", "me pueden oir",
	"me puede oir", "me va a oir", "me van a oir", "me escucharia", "me escucharian",
	"me escucha", "me oye",
	// en
	"can hear me", "could hear me", "will hear me", "ll hear me", "would hear me",
	"is listening", "are listening", "might hear me",
	// pt
	"estao me ouvindo", "esta me ouvindo", "podem me ouvir", "pode me ouvir", "vai me ouvir",
	"vao me ouvir", "me escutam", "me escuta", "me ouve", "me ouvem",
)

// talkPhrases say she cannot talk: in a short message, or with someone who could hear
// her, a reason not to call; «no puedo hablar con mi familia» is another matter.
var talkPhrases = phraseSet(
	"no puedo hablar", "no puedo hablar ahora", "no puedo hablar ahorita", "no puedo contestar",
	"ni puedo hablar", "naum posso falar", "naum consigo falar",
	"can t talk", "cant talk", "can t speak", "cant speak", "cannot talk", "cannot speak",
	"nao posso falar", "nao consigo falar", "n posso falar", "n consigo falar",
)

// noAnswerPhrases say the line she called does not answer.
var noAnswerPhrases = phraseSet(
	// es
	"no me contestan", "no contestan", "no contesta", "nadie contesta", "nadie me contesta",
	"no contesta nadie", "no me responden", "no responden", "nadie responde",
	"nadie me responde", "no atienden", "no me atienden", "nadie atiende", "sale ocupado",
	"esta ocupado", "suena ocupado", "da ocupado", "no funciona el numero",
	"no funcionan los numeros", "no entra", "no me contestaron", "nadie contesto",
	"no contestaron",
	// en
	"no one answers", "nobody answers", "no answer", "nobody picks up", "no one picks up",
	"nobody answered", "no one answered", "no one picked up", "nobody picked up",
	"didn t pick up", "didnt pick up", "doesn t pick up", "doesnt pick up", "not picking up", "they don t answer", "they dont answer",
	"not answering", "line is busy", "the line is busy", "number is busy", "it rings and rings",
	"didn t answer", "didnt answer", "doesn t answer", "doesnt answer",
	// pt
	"ninguem atende", "nao atendem", "nao atende", "ninguem responde", "nao respondem",
	"ninguem atendeu", "nao atenderam", "da ocupado", "ta ocupado", "so chama",
	"dando ocupado", "chama e ninguem atende", "se eu ligar", "sem sinal", "nao tem sinal",
	// a reason not to call said of a place, or with «if»: «sin señal», «si llamo se da cuenta»
	"sin senal", "no hay senal", "si llamo", "si lo llamo", "if i call", "suena y suena",
	"timbra y timbra", "timbra y nadie", "rings and rings", "keeps ringing", "it keeps ringing",
	"is busy", "its busy", "it s busy",
	// not let to call, which may be the police holding her (the detention page), and
	// credit running out, which may end a chat: «me quedé sin saldo, luego te escribo»
	"no me deja llamar", "no me dejan llamar", "not allowed to call", "won t let me call",
	"wont let me call", "doesn t let me call", "nao me deixa ligar", "nao me deixam ligar",
	"sin saldo", "sin credito", "sin minutos", "sem credito", "sem saldo",
)

// notWords before an overheard phrase say nobody listens to her.
var notWords = wordSet("no", "nadie", "nunca", "nao", "ninguem", "n", "never", "nobody", "not", "t")

// talkWith after a talk phrase makes it about talking with someone: «no puedo hablar
// con nadie de esto», «i can't talk to my family».
var talkWith = wordSet("con", "com", "with", "to", "sobre", "about", "de", "del", "da", "do")

// callTo after «no puedo llamar» names whom she cannot call; unless it is help, it is
// another matter («no puedo llamar a mi mamá»).
var callTo = wordSet("a", "al", "to", "pra", "para", "pro", "my", "mi", "minha", "meu")

// callHelp are whom she may say she cannot call for help.
var callHelp = wordSet("nadie", "ninguno", "anyone", "anybody", "ninguem", "policia", "police",
	"emergencia", "emergencias", "emergency", "105", "100", "106", "116", "911", "190", "linea",
	"numero", "numeros", "ayuda", "help", "serenazgo", "ambulancia", "ambulance", "los", "las",
	"el", "la", "the", "o", "pedir", "ask", "get", "buscar", "alguien", "someone", "alguem")

// creditWords end the phrases of cannotCallPhrases about the phone's credit: «no tengo
// saldo pa datos» is about the data she writes with, not about calling.
var creditWords = wordSet("saldo", "credito", "recarga", "credit", "balance", "minutos", "minutes")

// forWords and dataWords: «pa datos», «for data», «pra internet».
var (
	forWords  = wordSet("pa", "para", "de", "for", "pra", "pro", "del")
	dataWords = wordSet("datos", "data", "internet", "megas", "wifi", "dados")
)

// callsSomeone tells a message about calling someone of her own («queria llamar a mi
// novio», «can't call my mom», «ligar pra minha mãe»): a reason not to call in it is
// about them, not about calling for help.
func callsSomeone(tokens []string) bool {
	for i, t := range tokens {
		if !callVerbs[t] || i+1 >= len(tokens) {
			continue
		}
		next := tokens[i+1]
		if next == "my" || next == "mi" || next == "minha" || next == "meu" || next == "mis" {
			return true
		}
		if callTo[next] && i+2 < len(tokens) && !callHelp[tokens[i+2]] {
			return true
		}
	}
	return false
}

// callTroubleKeys are the longest word of every phrase above: a message with none of
// them says none of the phrases, and is not read further (most messages).
var callTroubleKeys = func() map[string]bool {
	keys := map[string]bool{}
	for _, ix := range []phraseIndex{cannotCallPhrases, overheardPhrases, talkPhrases, noAnswerPhrases} {
		for _, ps := range ix {
			for _, p := range ps {
				key := p[0]
				for _, w := range p[1:] {
					if len(w) > len(key) {
						key = w
					}
				}
				keys[key] = true
			}
		}
	}
	return keys
}()

// maxTalkWords bounds a message in which «no puedo hablar» said alone is a reason not
// to call: a longer one says more, and the model reads it.
const maxTalkWords = 6

// maxCallTroubleWords bounds the message read: a long story is the model's.
const maxCallTroubleWords = 40

// callVerbs are the verbs of calling that may name whom she calls.
var callVerbs = wordSet("llamar", "call", "ligar", "marcar", "phone", "llamarlos", "llamarle", "llamarla", "llamarlo", "calling")

// CallTroubleOf tells whether a message says she cannot call for help
// («estoy encerrada y no puedo llamar», «no tengo saldo»), or may mean it.
func CallTroubleOf(tokens []string) CallTrouble {
	if len(tokens) > maxCallTroubleWords {
		return CallFine
	}
	said := false
	for _, t := range tokens {
		if callTroubleKeys[t] {
			said = true
			break
		}
	}
	if !said || callsSomeone(tokens) {
		return CallFine // «no puedo llamar a mi mamá», «toy sin credito y queria llamar a mi novio»
	}
	trouble := CallFine
	for i := 0; i < len(tokens); i++ {
		if n := cannotCallPhrases.longestAt(tokens, i); n > 0 {
			j := i + n
			if creditWords[tokens[j-1]] && j+1 < len(tokens) && forWords[tokens[j]] && dataWords[tokens[j+1]] {
				i = j - 1
				continue // «no tengo saldo pa datos»
			}
			return CannotCall
		}
		if overheardPhrases.longestAt(tokens, i) > 0 && (i == 0 || !notWords[tokens[i-1]]) {
			return CannotCall
		}
		if n := talkPhrases.longestAt(tokens, i); n > 0 {
			if i+n < len(tokens) && talkWith[tokens[i+n]] {
				continue // «no puedo hablar con nadie de esto»: another matter
			}
			if len(tokens) <= maxTalkWords {
				return CannotCall
			}
			trouble = MaybeCannotCall
		}
		if noAnswerPhrases.longestAt(tokens, i) > 0 {
			trouble = MaybeCannotCall
		}
	}
	return trouble
}

// maxNoAnswerWords bounds a message that says only that nobody answers.
const maxNoAnswerWords = 10

// The words of a message that says only that nobody answers the phone: «marqué el
// número y no contestan», «timbra y timbra y nadie», «liguei várias vezes e nada», «it
// just keeps ringing». Every word is one of these, of courtesyWords or nowWords, or a
// number; a word of anyone she knows, of fear or of danger makes it something else.
var (
	// noAnswerCall are calling and what she calls.
	noAnswerCall = wordSet("llame", "llamo", "llamando", "llamada", "llamadas", "marque",
		"marco", "marcando", "liguei", "ligo", "ligando", "ligacao", "called", "call", "calling",
		"calls", "dialed", "dialled", "numero", "number", "linea", "line", "telefono", "phone",
		"fono", "central", "veces", "vezes", "times", "varias", "vez", "several", "many",
		"twice", "dos", "tres", "duas")
	// noAnswerSaid say that nobody answers, or that it only rings or is busy.
	noAnswerSaid = wordSet("nadie", "ninguem", "nobody", "contesta", "contestan", "contesto",
		"contestaron", "atiende", "atienden", "atendio", "atendieron", "atende", "atendem",
		"atendeu", "atenderam", "responde", "responden", "respondio", "respondieron",
		"respondeu", "responderam", "respondem", "answer", "answers", "answered", "answering",
		"picked", "picks", "pick", "ocupado", "ocupada", "busy", "timbra", "suena", "sonando",
		"ringing", "rings", "ring", "chamando", "chama", "toca", "tocando", "corta", "cae",
		"cortou", "caiu", "cuelga", "colgaron", "desliga", "desligam", "nada", "nothing")
	// noAnswerWords are the other words such a message may have.
	noAnswerWords = wordSet("y", "e", "and", "el", "la", "los", "al", "o", "a", "the", "it",
		"just", "only", "keeps", "keep", "todo", "toda", "rato", "tempo", "time", "all", "se",
		"ese", "esa", "essa", "esse", "that", "this", "en", "no", "nao", "n", "not", "t",
		"don", "doesn", "didn", "dont", "doesnt", "didnt", "ta", "esta", "sale", "da", "dando",
		"so", "solo", "pero", "but", "mas", "still", "aun", "todavia", "ainda", "ya", "ja",
		"already", "i", "yo", "eu", "up", "one", "no", "de", "do", "del", "por", "x", "pra",
		"para", "in", "on", "at", "they", "ellos", "eles", "q", "que", "es", "is", "was",
		"estaba", "estava", "hace", "ago", "minutos", "minutes", "min", "mins", "hora",
		"horas", "hour", "hours", "vuelta", "otra", "again", "de", "novo", "le", "les", "lo",
		"nomas", "sigue", "keeps")
)

// NoAnswerAlone tells a message that says only that nobody answers the phone, or that
// it only rings or is busy: what to do when the lines do not answer, anywhere. Not
// «nadie me contesta», which may be about being alone, unless she speaks of calling or
// of a number («no me contesta nadie en ese número»); not «mi novio no contesta».
func NoAnswerAlone(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > maxNoAnswerWords {
		return false
	}
	said, call, me := false, false, false
	for _, t := range tokens {
		switch {
		case noAnswerSaid[t]:
			said = true
		case noAnswerCall[t]:
			call = true
		case t == "me":
			me = true
		case noAnswerWords[t] || courtesyWords[t] || nowWords[t] || isNumber(t):
		default:
			return false
		}
	}
	if me && !call {
		return false
	}
	// «nada» alone is no answer only after a call: «llamé 3 veces y nada»
	return said && (call || saysNoAnswer(tokens))
}

// ringing are the words of a phone that rings, and onlyWords say it does nothing else.
var (
	ringing   = wordSet("timbra", "suena", "rings", "ringing", "ring", "chama", "toca", "tocando", "chamando", "sonando")
	onlyWords = wordSet("just", "only", "solo", "nomas", "so", "keeps", "sigue")
)

// saysNoAnswer tells words that say, without a call, that nobody answers: a phrase of
// noAnswerPhrases anywhere, or a ringing repeated («timbra y timbra»).
func saysNoAnswer(tokens []string) bool {
	for i := range tokens {
		if noAnswerPhrases.longestAt(tokens, i) > 0 {
			return true
		}
		if i+2 < len(tokens) && tokens[i] == tokens[i+2] && noAnswerSaid[tokens[i]] {
			return true
		}
		if ringing[tokens[i]] && (i > 0 && onlyWords[tokens[i-1]] || i+1 < len(tokens) && onlyWords[tokens[i+1]]) {
			return true // «it just rings», «timbra nomás», «só chama»
		}
	}
	return false
}
