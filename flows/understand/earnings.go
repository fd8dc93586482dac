package understand

import "slices"

// The words of her earnings kept by someone else: a boss, a madam, whoever brought her,
// who keeps or takes the money she makes, makes her hand it over, or does not pay her
// («my boss keeps everything i earn», «la mami me quita la plata todas las noches», «a
// dona da casa pega metade do que eu ganho»). Keeping or controlling her money is a
// sign of exploitation (the trafficking page lists it).
var (
	// earningsMoney name money; earningsEarned the money she earned, which a verb in
	// the past keeps (a plain «he took my money» may be a robbery)
	earningsMoney = wordSet("money", "cash", "wages", "wage", "income", "tips", "salary",
		"paycheck", "plata", "platita", "dinero", "lucas", "soles", "billete", "sueldo", "pago",
		"pagos", "dinheiro", "grana", "salario", "pagamento", "lucro", "reales", "real", "dindin")
	earningsEarned = wordSet("earn", "earned", "earns", "earning", "earnings", "gano", "gane",
		"ganado", "ganamos", "ganancia", "ganancias", "ganho", "ganhos", "ganhei", "ganhamos",
		"cobro", "cobrado", "cobre", "cache", "caches", "gana", "ganan", "ganha", "ganham")
	// earningsKeep keep or take money, now and again: with any money
	earningsKeep = wordSet("keep", "keeps", "keeping", "take", "takes", "taking", "hold",
		"holds", "holding", "control", "controls", "controlling", "quita", "quitan", "quitaba",
		"quitaban", "retiene", "retienen", "retenia", "controla", "controlan", "controlaba",
		"maneja", "manejan", "administra", "pega", "pegam", "pegava", "pegavam", "toma", "tomam", "controlam", "controlava",
		"tomava", "retem", "confisca", "confiscan")
	// earningsKept keep or take it once: with the money she earned only
	earningsKept = wordSet("kept", "took", "quito", "quitaron", "pegou", "pegaram", "tomou",
		"tomaram")
	// earningsStay are «se queda con», «fica com»: kept, with «con», «com» after
	earningsStay = wordSet("queda", "quedan", "quedaba", "quedaban", "quedo", "fica", "ficam",
		"ficava", "ficavam", "ficou")
	// earningsCarry are «se lleva»: taken, with «se» before
	earningsCarry = wordSet("lleva", "llevan", "llevaba", "llevaban")
	// earningsGive hand it over, all of it or half: «tengo que darle toda mi plata»
	earningsGive = wordSet("give", "hand", "dar", "darle", "darles", "entregar", "entregarle",
		"entregarles", "entrego", "dou", "entregue", "entrega")
	// earningsMine make a verb of keeping hers: «how do i keep my money safe», «quiero
	// controlar mi plata» are no one else's
	earningsMine = wordSet("i", "to", "we", "you", "can", "could", "should", "how", "yo", "eu",
		"puedo", "posso", "quiero", "quero", "como", "lets")
	// earningsWhole say how much: all of it, half, most
	earningsWhole = wordSet("all", "everything", "half", "most", "todo", "toda", "todos", "mitad",
		"casi", "tudo", "metade", "quase")
	// earningsBoss name whoever runs her work: not paying her is theirs to answer for
	earningsBoss = wordSet("jefe", "jefa", "dueno", "duena", "patron", "patrona", "encargado",
		"encargada", "mami", "madama", "cafiche", "cafisho", "chulo", "proxeneta", "boss",
		"manager", "owner", "madam", "pimp", "cafetao", "cafetina", "chefe", "patrao", "patroa",
		"gerente", "dona", "dono", "administradora", "administrador", "admin")
	// earningsNotIt tell another story: a robbery, a client, data
	earningsNotIt = wordSet("robaron", "robo", "robar", "asalto", "asaltaron", "ladron",
		"ladrones", "choro", "choros", "roubaram", "roubou", "roubo", "assalto", "assaltaram",
		"ladrao", "stole", "stolen", "robbed", "robbery", "mugged", "thief", "wallet", "cartera",
		"billetera", "carteira", "bolso", "purse", "cliente", "clientes", "client", "clients",
		"datos", "data", "mensajes", "messages", "chat", "conversacion", "conversation",
		"historial", "history", "info", "informacion", "cupo", "cupos",
		// the street's owners, a gang: what they take is extortion
		"malandros", "malandro", "calle", "esquina", "corner", "street", "cuadra", "gang",
		"gangs", "mafia", "banda", "pandilla", "pandilleros", "rua", "barrio", "bairro",
		"protection", "proteccion", "protegernos", "protecao", "protegerte",
		// her partner, the father of her children, her family: his control of her money
		// is violence (the violence page)
		"pareja", "novio", "esposo", "marido", "namorado", "companheiro", "boyfriend",
		"husband", "partner", "bf", "ex", "jerma", "flaco", "papa", "pai", "padre", "dad",
		"father", "mama", "mae", "mother", "mom", "hermano", "irmao", "brother")
)

// EarningsKept tells a message that says someone keeps or takes the money she earns,
// makes her hand it over, or (her boss) does not pay her. A robbery, a client who did
// not pay, a gang taking a share (extortion), her partner or family (violence) and her
// data kept are not this; the police asking for money is a bribe (BribeAsked).
func EarningsKept(tokens []string) bool {
	// most messages name no money, earnings nor boss: one look-up a word tells
	if !slices.ContainsFunc(tokens, func(t string) bool { return earningsAny[t] }) {
		return false
	}
	if slices.ContainsFunc(tokens, func(t string) bool { return earningsNotIt[t] }) || PoliceNamed(tokens) {
		return false
	}
	money, earned, keep, kept, give, whole, boss, unpaid := false, false, false, false, false, false, false, false
	for i, t := range tokens {
		next := ""
		if i+1 < len(tokens) {
			next = tokens[i+1]
		}
		prev := ""
		if i > 0 {
			prev = tokens[i-1]
		}
		// «what i make», «lo q hago», «tudo que eu faço» is what she earns («q hago?» alone
		// asks what to do)
		earned = earned || earningsEarned[t] || (t == "make" || t == "made") && (prev == "i" || prev == "we") ||
			(t == "hago" || t == "hacemos") && (prev == "q" || prev == "que") && i >= 2 && tokens[i-2] == "lo" ||
			(t == "faco" || t == "fazemos") && i >= 2 && (prev == "eu" || prev == "gente") && (tokens[i-2] == "que" || tokens[i-2] == "q" || tokens[i-2] == "a")
		money = money || earningsMoney[t]
		keep = keep || earningsKeep[t] && !earningsMine[prev] || earningsStay[t] && (next == "con" || next == "com") ||
			earningsCarry[t] && prev == "se"
		kept = kept || earningsKept[t]
		give = give || earningsGive[t]
		whole = whole || earningsWhole[t]
		boss = boss || earningsBoss[t]
		// «don t pay me», «no me pagan», «não me paga», «never pays me»
		if t == "pay" || t == "pays" || t == "paga" || t == "pagan" || t == "pagam" || t == "pagaba" || t == "pagavam" {
			unpaid = unpaid || prev == "t" || prev == "never" || prev == "nunca" ||
				prev == "me" && i >= 2 && (tokens[i-2] == "no" || tokens[i-2] == "nao" || tokens[i-2] == "nunca")
		}
	}
	switch {
	case keep && (money || earned), kept && earned:
		return true
	case give && (money || earned) && whole:
		return true
	case (keep || kept) && boss && whole:
		// «el cafiche me quita todo», «my boss takes everything»
		return true
	}
	return unpaid && boss
}

// earningsAny are the words one of which a message EarningsKept tells has: money, her
// earnings («make», «hago», «faço» among them), a boss.
var earningsAny = func() map[string]bool {
	m := wordSet("make", "made", "hago", "hacemos", "faco", "fazemos")
	for _, set := range []map[string]bool{earningsMoney, earningsEarned, earningsBoss} {
		for w := range set {
			m[w] = true
		}
	}
	return m
}()

// BossNamed tells a message that names whoever runs her work: a boss, an owner, a
// madam, a pimp, «the guy i work for», «el que me trajo», «pra quem eu trabalho».
func BossNamed(tokens []string) bool {
	for i, t := range tokens {
		if earningsBoss[t] {
			return true
		}
		if i == 0 {
			continue
		}
		switch prev := tokens[i-1]; {
		case (t == "for" || t == "para" || t == "pra") && (prev == "work" || prev == "works" || prev == "trabajo" || prev == "trabalho"),
			(t == "trabajo" || t == "trabalho" || t == "trajo" || t == "trouxe") && (prev == "que" || prev == "q" || prev == "quien" || prev == "quem" || prev == "me" || prev == "eu"),
			t == "brought" && (prev == "who" || prev == "that"):
			return true
		}
	}
	return false
}

// legalityWords ask whether something is legal or normal.
var legalityWords = wordSet("legal", "ilegal", "legales", "normal", "normales", "permitido",
	"permitida", "allowed", "lawful", "crimen", "delito", "crime", "lei", "ley", "law")

// LegalityAsked tells a message that asks whether something is legal or normal («eso
// es legal?», «is that normal?»).
func LegalityAsked(tokens []string) bool {
	return slices.ContainsFunc(tokens, func(t string) bool { return legalityWords[t] })
}
