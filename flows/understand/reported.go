package understand

// reportedAsk are the ways of asking Faro itself whether it reports her, or passes on
// what she writes: «me vas a denunciar?», «ustedes pasan mis datos?», «você vai me
// denunciar?», «will you report me?». Each is addressed to Faro (tú, ustedes, você,
// you) and says «me» or «my data»: «el cliente me va a denunciar» is someone else's
// threat, «me van a denunciar si trabajo en la calle?» a question about the law, and
// «llama a la policía» a call for help; those stay with the lists and the model.
var reportedAsk = phraseSet(
	// es
	"me vas a denunciar", "me vas a reportar", "me vas a acusar", "me vas a delatar",
	"me vas a quemar", "me denuncias", "me reportas", "me delatas", "me acusas",
	"ustedes me denuncian", "ustedes me reportan", "ustedes me delatan",
	"le vas a contar lo que", "le vas a contar lo q", "le cuentas lo que", "le cuentas lo q",
	"pasan mis datos", "pasan mi numero", "dan mis datos", "dan mi numero",
	"comparten mis datos", "mandan mis datos", "entregan mis datos", "venden mis datos",
	// pt
	"vai me denunciar", "vai me entregar", "vai me dedurar", "vc me denuncia",
	"voce me denuncia", "vcs me denunciam", "voces me denunciam", "passam meus dados",
	"passam meu numero", "entregam meus dados", "compartilham meus dados", "vendem meus dados",
	// en
	"will you report me", "are you gonna report me", "are you going to report me",
	"r u gonna report me", "u gonna report me", "you gonna report me", "would you report me",
	"do you share my info", "do you share my data", "do you give my info",
	"do you give my data", "do you sell my data", "do you pass my info",
)

// AsksIfReported tells whether a message asks Faro whether it reports her, or passes on
// what she writes (see reportedAsk): a question about Faro and her safety with it, not
// a need to report something. It is read after danger: a message the lists or the model
// read as danger is answered as danger.
func AsksIfReported(tokens []string) bool {
	for i := range tokens {
		if reportedAsk.at(tokens, i, false) {
			return true
		}
	}
	return false
}
