package understand

import (
	"slices"
	"strings"
)

// The words of a legal matter of her own that free legal help answers: a court, a
// lawsuit, a divorce, custody of her child, child support, a contract, a deposit her
// landlord keeps, a loan from a lender, a case against her (a lawyer named is the
// model's: «ya no necesito abogado» is no need) («el papa de
// mi hija no pasa pension, como lo demando», «quero a guarda da minha filha», «theres a
// case against me»).
var (
	legalStems = []string{"demanda", "demando", "demande", "juicio", "juzgado", "judicial",
		"divorc", "custodia", "tenencia", "herencia", "heranca", "inheritance", "lawsuit",
		"contrat", "contract", "citacion", "custody", "processar", "processo", "alimony",
		"prestamist", "agiota", "emprestimo"}
	legalWords = wordSet("sue", "suing", "sued", "garantia", "caucao", "deposit", "loan", "prestamo",
		"manutencao", "court", "tribunal", "warrant", "requisitoria", "accused")
	// legalAfterMe may follow «contra mí» where «mi» is no «my»: the end of a clause
	legalAfterMe = wordSet("y", "e", "and", "pero", "mas", "but", "que", "q", "alguien", "alguem",
		"ayuda", "ajuda", "help", "por", "porfa", "xfa", "pfv", "no", "nao", "me", "necesito",
		"preciso", "tengo", "tenho", "hay", "tem", "como", "ya", "ahora", "agora", "en", "na", "no",
		"desde", "hace", "ha", "se")
	// legalYou address Faro: «¿ustedes me van a denunciar?» asks what it does
	legalYou = wordSet("ustedes", "uds", "vcs", "voces", "voce", "vc", "you", "u", "faro", "bot")
	// legalAccused begin the verbs of accusing her, after «me» or «nos»: «me denunciaron»,
	// «me acusan de robo», «me processaram»
	legalAccused = []string{"denunci", "acus", "process", "enjuici"}
	// legalChild are whom custody or support is of: «a guarda da minha filha», «no pasa
	// pensión»
	legalChild = wordSet("hijo", "hija", "hijos", "hijas", "filho", "filha", "filhos", "filhas",
		"nino", "nina", "ninos", "crianca", "criancas", "bebe", "son", "daughter", "kid", "kids",
		"child", "children")
	// legalNotIt tell another page's story: her papers (the migrant page), sex work, a
	// threat (extortion, danger), someone hurting her (violence)
	legalNotIt = wordSet("migraciones", "migracion", "migracao", "ptp", "cpp", "carne",
		"pasaporte", "passaporte", "passport", "refugio", "refugiada", "refugee", "residencia",
		"extranjeria", "visa", "regularizar", "regularizacion", "regularizacao", "permiso", "cliente", "clientes",
		"client", "clients", "programa", "programas", "proxeneta", "cafiche", "cafetao", "pimp",
		"prostitucion", "prostituicao", "prostitution", "sexual", "sexo", "sex", "amenaza",
		"amenazan", "amenazo", "ameaca", "ameacou", "threat", "threatens", "threatened", "matar",
		"kill", "trabajo", "work", "job", "trabalho", "emprego", "empleo")
)

// LegalMatterTold tells a message about a legal matter of her own that free legal help
// answers (legalStems, legalWords; a guard or a pension of her child; a case against
// her). Her papers, sex work, a threat, a job offered (trafficking), and someone hurting
// her (HurtTold) are other pages'.
func LegalMatterTold(tokens []string) bool {
	// most messages have none of its words: one or two look-ups a word tell
	if !slices.ContainsFunc(tokens, legalTrigger) {
		return false
	}
	if slices.ContainsFunc(tokens, func(t string) bool { return legalNotIt[t] }) || HurtTold(tokens) {
		return false
	}
	child := slices.ContainsFunc(tokens, func(t string) bool { return legalChild[t] })
	for i, t := range tokens {
		if legalWords[t] || slices.ContainsFunc(legalStems, func(s string) bool { return strings.HasPrefix(t, s) }) {
			return true
		}
		next := ""
		if i+1 < len(tokens) {
			next = tokens[i+1]
		}
		switch {
		case child && (t == "guarda" || t == "pension" || t == "pensao" || t == "support"):
			return true
		case t == "against" && next == "me",
			t == "contra" && (next == "mi" || next == "mim") && (i+2 == len(tokens) || legalAfterMe[tokens[i+2]]),
			t == "contra" && i > 0 && (tokens[i-1] == "mi" || tokens[i-1] == "mim"):
			// «a case against me», «una denuncia contra mí, ayuda», «en mi contra» («contra
			// mi pareja» is hers against him: how to report)
			return true
		case (t == "me" || t == "nos") && slices.ContainsFunc(legalAccused, func(s string) bool { return strings.HasPrefix(next, s) }) &&
			!slices.ContainsFunc(tokens, func(t string) bool { return legalYou[t] }):
			// «me denunciaron», «me acusan de robo», «me processaram» («vcs vão me
			// denunciar pra imigração?» asks what Faro does: the page about it)
			return true
		case (t == "fui" || t == "been" || t == "being") && slices.ContainsFunc(legalAccused, func(s string) bool { return strings.HasPrefix(next, s) }):
			// «fui denunciada», «i have been accused»
			return true
		case t == "orden" && i+2 < len(tokens) && next == "de" && (tokens[i+2] == "captura" || tokens[i+2] == "arresto"):
			return true // «tengo orden de captura»
		}
	}
	return false
}

// legalHeads are the first four letters of legalStems.
var legalHeads = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range legalStems {
		m[s[:4]] = true
	}
	return m
}()

// legalTrigger tells a word that may make a message LegalMatterTold: a word of
// legalWords, the start of a stem of legalStems, or a word of the child rules.
func legalTrigger(t string) bool {
	return legalWords[t] || len(t) >= 4 && legalHeads[t[:4]] || t == "guarda" || t == "pension" ||
		t == "pensao" || t == "support" || t == "against" || t == "contra" || t == "orden" ||
		len(t) >= 4 && slices.ContainsFunc(legalAccused, func(s string) bool { return strings.HasPrefix(t, s) })
}

// LoanTold tells a message that names a loan or a lender («le debo plata a un
// prestamista y cada semana me sube los intereses»): legal help, not debt bondage (a
// debt to whoever brought her, interest or not, is that).
func LoanTold(tokens []string) bool {
	return slices.ContainsFunc(tokens, func(t string) bool {
		return t == "prestamo" || t == "loan" || strings.HasPrefix(t, "prestamist") ||
			strings.HasPrefix(t, "agiota") || strings.HasPrefix(t, "emprestimo")
	})
}
