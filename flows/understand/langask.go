package understand

// languageAsking are the other words of a message that asks Faro to write in a
// language: «habla en castellano mana», «no entiendo nada, en español», «can you speak
// english please», «fala em português?».
var languageAsking = wordSet("habla", "hablame", "hablas", "hablar", "hablen", "escribe",
	"escribeme", "escribir", "escriban", "puedes", "podes", "podrias", "en", "porfa", "por",
	"favor", "xfa", "pls", "plz", "please", "mana", "pana", "amiga", "amigo", "causa",
	"chamo", "no", "entiendo", "entendi", "nada", "mejor", "solo", "quiero", "prefiero",
	"speak", "talk", "write", "in", "can", "could", "you", "do", "i", "dont", "understand",
	"only", "want", "prefer", "better", "fala", "falar", "fale", "escreve", "escrever", "em",
	"voce", "vc", "tem", "nao", "entendo", "entendi", "quero", "prefiro", "so", "pode",
	"ok", "hola", "hi", "hello", "oi", "ola", "ya", "idioma", "language", "lingua",
	"se", "si", "yes", "sim", "un", "poco", "little", "bit", "the", "pouco", "de", "hablo",
	"falo")

// refusing before a language name make it the one she does not speak.
var refusing = wordSet("no", "nao", "not", "dont", "cant", "nunca", "never", "ni", "nem")

// LanguageAskedAt returns where a message that asks to be written to in a language
// names it, or -1: the message has one language name (named tells them), and its
// other words only ask («habla en castellano mana»). A name after a negation is the
// language she does not speak («no hablo inglés»), not one she asks for.
func LanguageAskedAt(tokens []string, named func(string) int) int {
	if len(tokens) < 2 || len(tokens) > 10 {
		return -1
	}
	at, lang := -1, -1
	for j, t := range tokens {
		if l := named(t); l >= 0 {
			if lang >= 0 && l != lang || j > 0 && refusing[tokens[j-1]] || j > 1 && refusing[tokens[j-2]] && tokens[j-1] != "en" && tokens[j-1] != "em" && tokens[j-1] != "in" {
				return -1
			}
			at, lang = j, l
			continue
		}
		if !languageAsking[t] && !courtesyWords[t] {
			return -1
		}
	}
	return at
}
