package understand

import "strings"

// eraseStems begin the words that ask to erase, delete or forget, in every language
// Faro speaks: «borra», «eliminen», «olvídate», «apaga», «deleta», «esquece», «wipe»,
// «pichay» (Quechua); and the words of leaving no trace («no quiero q quede nada», «no
// guardes nada», «rastro»).
var eraseStems = []string{"borr", "elimin", "olvid", "limp", "desaparez", "baja", "apag",
	"delet", "exclu", "esquec", "esquece", "forget", "eras", "remov", "wipe", "clear", "purg",
	"pichay", "chinkachiy", "rastro", "registro", "guard", "qued", "saved", "save", "keep",
	"trace", "record", "histori", "history", "sumir", "sum"}

// EraseAsked tells whether a message has a word that asks to erase something. The
// model's reading of erasing is taken only with one: «my boss takes everything i earn»
// is no wish to erase, whatever «everything» weighs.
func EraseAsked(tokens []string) bool {
	for _, t := range tokens {
		for _, s := range eraseStems {
			if strings.HasPrefix(t, s) {
				return true
			}
		}
	}
	return false
}
