package understand

// ServiceAsk is what a message asks about the services just listed, as a set: their
// hours, their cost, the documents they ask for, how to reach them, where they are.
type ServiceAsk uint8

// What a message may ask about the services listed.
const (
	// AskHours: «¿a qué hora abren?», «¿atienden de noche?», «y los sábados?», «open on
	// sunday?», «abre domingo?».
	AskHours ServiceAsk = 1 << iota
	// AskCost: «¿es gratis?», «¿cuánto cuesta?», «¿cobran?», «is it free», «é de graça?».
	AskCost
	// AskDocs: «¿piden DNI?», «¿me atienden sin papeles?», «¿atienden a extranjeras?»,
	// «do i need id», «precisa de documento?».
	AskDocs
	// AskContact: «¿tienen whatsapp?», «¿su teléfono?», «how do i contact them»,
	// «tem telefone?».
	AskContact
	// AskWhere: «¿dónde queda?», «¿cuál es el más cerca?», «queda lejos», «how do i get
	// there», «onde fica?».
	AskWhere
)

// askWords say one of the questions wherever they are in the message.
var askWords = map[string]ServiceAsk{
	// hours
	"horario": AskHours, "horarios": AskHours, "abren": AskHours, "abre": AskHours,
	"abierto": AskHours, "abierta": AskHours, "abiertos": AskHours, "abiertas": AskHours,
	"cierran": AskHours, "cierra": AskHours, "cerrado": AskHours, "cerrados": AskHours,
	"hours": AskHours, "open": AskHours, "opens": AskHours, "opening": AskHours,
	"closes": AskHours, "closing": AskHours, "closed": AskHours, "horas": AskHours,
	"abrem": AskHours, "fecha": AskHours, "fecham": AskHours, "aberto": AskHours,
	"aberta": AskHours, "abertos": AskHours, "horarios de atencion": AskHours,
	// cost
	"gratis": AskCost, "gratuito": AskCost, "gratuita": AskCost, "gratuitos": AskCost,
	"gratuitas": AskCost, "cuesta": AskCost, "cuestan": AskCost, "costo": AskCost,
	"costos": AskCost, "costaria": AskCost, "costara": AskCost, "costar": AskCost,
	"precio": AskCost, "precios": AskCost, "tarifa": AskCost, "soles": AskCost,
	"caro": AskCost, "cara": AskCost, "barato": AskCost, "free": AskCost, "cost": AskCost,
	"costs": AskCost, "price": AskCost, "fee": AskCost, "fees": AskCost, "expensive": AskCost,
	"cheap": AskCost, "graca": AskCost, "custa": AskCost, "custo": AskCost, "custaria": AskCost,
	"preco": AskCost,
	// documents
	"dni": AskDocs, "documento": AskDocs, "documentos": AskDocs, "papeles": AskDocs,
	"papel": AskDocs, "carne": AskDocs, "carnet": AskDocs, "cedula": AskDocs,
	"pasaporte": AskDocs, "ptp": AskDocs, "cpp": AskDocs, "identificacion": AskDocs,
	"indocumentada": AskDocs, "indocumentado": AskDocs, "extranjero": AskDocs,
	"extranjera": AskDocs, "extranjeros": AskDocs, "extranjeras": AskDocs,
	"venezolana": AskDocs, "venezolano": AskDocs, "venezolanas": AskDocs,
	"venezolanos": AskDocs, "migrante": AskDocs, "migrantes": AskDocs, "requisitos": AskDocs,
	"requisito": AskDocs, "visa": AskDocs, "id": AskDocs, "documents": AskDocs,
	"document": AskDocs, "papers": AskDocs, "passport": AskDocs, "foreigner": AskDocs,
	"foreigners": AskDocs, "undocumented": AskDocs, "requirements": AskDocs,
	"documentacao": AskDocs, "passaporte": AskDocs, "estrangeiro": AskDocs,
	"estrangeira": AskDocs, "estrangeiros": AskDocs, "estrangeiras": AskDocs, "rg": AskDocs,
	"papeis": AskDocs,
	// contact
	"whatsapp": AskContact, "wsp": AskContact, "wasap": AskContact, "guasap": AskContact,
	"whats": AskContact, "zap": AskContact, "telefono": AskContact, "telefonos": AskContact,
	"fono": AskContact, "celular": AskContact, "correo": AskContact, "email": AskContact,
	"facebook": AskContact, "contacto": AskContact, "contactar": AskContact,
	"contactarlos": AskContact, "contactarme": AskContact, "comunicarme": AskContact,
	"llamarlos": AskContact, "escribirles": AskContact, "escribirle": AskContact,
	"mandarles": AskContact, "phone": AskContact, "contact": AskContact,
	"website": AskContact, "telefone": AskContact, "contato": AskContact, "site": AskContact,
	// where
	"direccion": AskWhere, "lejos": AskWhere, "ubicacion": AskWhere, "mapa": AskWhere,
	"maps": AskWhere, "referencia": AskWhere, "caminando": AskWhere, "address": AskWhere,
	"far": AskWhere, "nearest": AskWhere, "closest": AskWhere, "directions": AskWhere,
	"map": AskWhere, "location": AskWhere, "walking": AskWhere, "endereco": AskWhere,
	"longe": AskWhere, "localizacao": AskWhere, "cercano": AskWhere, "cercana": AskWhere,
	"andando": AskWhere,
}

// askPhrases say one of the questions in more than one word.
var askPhrases = map[ServiceAsk]phraseIndex{
	AskHours: phraseSet(
		"a que hora", "que hora", "a q hora", "q hora", "k hora", "hasta que hora",
		"hasta q hora", "desde que hora", "desde q hora", "que dias", "q dias", "what time",
		"what days", "que horas", "q horas", "que dias", "quais dias", "todavia atienden",
		"aun atienden", "still open"),
	AskCost: phraseSet(
		"cuanto sale", "cuanto es", "cuanto vale", "cuanto me cobran", "cuanto cobran",
		"cuanto cobra", "hay que pagar", "hay q pagar", "tengo que pagar", "tengo q pagar",
		"se paga", "toca pagar", "debo pagar", "pagar algo", "es pagado", "cobran algo",
		"cobran por", "cobran x", "no tengo plata", "sin plata", "no tengo dinero",
		"sin dinero", "no tengo money", "how much", "do i pay", "have to pay", "need to pay",
		"pay anything", "no money", "don t have money", "dont have money", "quanto e",
		"quanto custa", "quanto sai", "quanto fica", "quanto cobra", "quanto cobram",
		"tenho que pagar", "tenho q pagar", "precisa pagar", "e pago", "tem que pagar",
		"tem q pagar", "nao tenho dinheiro", "sem dinheiro"),
	AskDocs: phraseSet(
		"sin papeles", "sin documentos", "sin dni", "sin carne", "sin documento",
		"que me piden", "q me piden", "que piden", "q piden", "que llevar", "q llevar",
		"que hay que llevar", "tengo que llevar", "tengo q llevar", "without id",
		"without papers", "without documents", "what do i bring", "what should i bring",
		"what do they ask", "sem documento", "sem documentos", "sem papeis",
		"o que pedem", "o que levar", "que levar"),
	AskContact: phraseSet(
		"tienen numero", "tiene numero", "su numero", "algun numero", "numero de ellos",
		"numero de contacto", "que numero", "q numero", "otro numero", "ese numero",
		"puedo llamarlos", "puedo llamar", "se puede llamar", "puedo llamar antes",
		"llamar antes", "pagina web", "sitio web", "their number", "a number",
		"phone number", "what number", "call them", "text them", "message them",
		"call first", "call ahead", "can i call", "tem numero", "qual numero",
		"qual o numero", "o numero deles", "ligar pra eles", "ligar para eles",
		"da pra ligar", "posso ligar", "ligar antes", "mandar mensagem"),
	AskWhere: phraseSet(
		"donde queda", "donde quedan", "donde esta", "donde estan", "donde es",
		"donde se ubica", "donde se ubican", "como llego", "como llegar", "como voy",
		"como ir", "mas cerca", "mas cercano", "mas cercana", "queda cerca",
		"que calle", "q calle", "que distrito", "q distrito", "que bus", "q bus",
		"que combi", "q combi", "que carro", "q carro", "cuanto tiempo", "a pie",
		"where is it", "where are they", "where is that", "where s that", "where s it",
		"how do i get", "how to get", "how can i get there", "what street",
		"what district", "which bus", "how long", "onde fica", "onde ficam", "onde e",
		"como chego", "como chegar", "mais perto", "fica perto", "que rua", "qual rua",
		"que bairro", "qual bairro", "qual onibus", "que onibus", "quanto tempo", "a pe"),
}

// askTime words say the hours with a verb of serving or opening («¿atienden de
// noche?», «abre domingo?»), or alone in a short message («y los sábados?»); in a
// longer one without such a verb they are about something else («trabajo de noche
// en la calle»).
var askTime = wordSet("noche", "noches", "madrugada", "tarde", "manana", "hoy", "ahora",
	"ahorita", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "sabados",
	"domingo", "domingos", "feriado", "feriados", "finde", "semana", "24", "24h", "night",
	"tonight", "morning", "afternoon", "weekend", "weekends", "saturday", "saturdays",
	"sunday", "sundays", "monday", "friday", "holiday", "holidays", "today", "tomorrow",
	"now", "noite", "manha", "hoje", "amanha", "agora", "sabado", "segunda", "sexta",
	"feriado")

// askServe are the verbs of serving or working a place is asked about with a time.
var askServe = wordSet("atienden", "atiende", "atender", "atiendn", "atienen", "atendien",
	"funciona", "funcionan", "trabajan", "abren", "abre", "cierran", "cierra", "open",
	"atendem", "atende", "funcionam", "abrem", "fecha")

// askSaid are words of a message about herself, not a question about the places:
// with them, a time alone is not the hours («mañana te escribo», «trabajo de noche»).
var askSaid = wordSet("te", "trabajo", "trabalho", "escribo", "escrevo", "voy", "vou", "i",
	"im", "work", "can", "cant", "t", "estoy", "to", "tô", "ando", "salgo")

// maxTimeWords bounds a message in which a word of askTime alone asks the hours.
const maxTimeWords = 3

// askLost phrases make a message about papers or a phone lost or taken, another
// matter («perdí mi dni», «el dueño tiene mi pasaporte», «me robaron el celular»).
var askLost = phraseSet("perdi", "perdio", "perdido", "perdida", "robaron", "robo", "quitaron",
	"quito", "retuvo", "retienen", "tiene mi", "tiene mis", "tienen mi", "tienen mis",
	"lost", "stolen", "took", "has my", "keeps my", "perdeu", "perdi", "roubaram", "tirou",
	"tiraram", "pegou meu", "pegaram meu", "ta com meu", "esta com meu", "tem meu")

// askGetDocs words make a message about documents one about getting them, which the
// places listed do not do («donde saco mi dni»): the documents are not asked about.
var askGetDocs = wordSet("sacar", "sacarme", "saco", "tramitar", "tramito", "renovar",
	"renuevo", "regularizar", "get", "renew", "tirar", "renovar")

// askClient phrases ask her price, as a client would («¿cuánto cobras?», «how much do
// you charge»): not a question about the places.
var askClient = phraseSet("cobras", "cuanto cobras", "you charge", "u charge", "your rate",
	"your rates", "voce cobra", "vc cobra", "how much for", "cuanto por", "quanto voce",
	"quanto vc", "tu tarifa", "el rato", "el pase", "la hora")

// askCharge are the verbs of charging: a question of cost unless the message is
// about money she is made to pay (askOwed).
var askCharge = wordSet("cobran", "cobra", "cobrar", "cobrarme", "cobraran", "cobram",
	"charge", "charges", "charged")

// askOwed words make charging about rent, a debt or extortion («me cobran cupo en la
// esquina», «la dueña del cuarto me cobra mucho»).
var askOwed = wordSet("cupo", "cuarto", "duena", "dueno", "renta", "alquiler", "esquina",
	"deuda", "debo", "yapear", "semana", "diario", "piso", "rent", "debt", "aluguel",
	"divida", "quarto", "dona", "dono", "ponto")

// numberWords followed by «del», «de la» («el número del cem», «el cel de la
// abogada») ask a place's phone, unless help follows («el número de la policía»).
var numberWords = wordSet("numero", "numeros", "number", "fono", "cel", "telefono", "contacto")

// numberOf are the words that join numberWords to what it is the number of.
var numberOf = wordSet("del", "de", "da", "do", "of", "dos", "das")

// numberArticle may come between numberOf and what the number is of.
var numberArticle = wordSet("la", "el", "los", "las", "the", "a", "o", "lo")

// numberHelp are the emergency lines: «el número de la policía» asks for them, not
// for a place's phone.
var numberHelp = wordSet("policia", "police", "emergencia", "emergencias", "emergency",
	"serenazgo", "ambulancia", "ambulance", "bomberos", "samu", "linea", "105", "100", "106",
	"113", "116", "911", "190", "ayuda", "help", "ajuda", "auxilio", "crisis")

// maxAskWords bounds a message read as a question about the services listed; a
// longer one says more, and the model reads it.
const maxAskWords = 16

// ServiceAskOf reads what a message asks about the services just listed: nothing
// (0), or one or more of the questions. It is meant for the message that follows a
// list of services; anywhere else the same words mean other things.
func ServiceAskOf(tokens []string) ServiceAsk {
	if len(tokens) == 0 || len(tokens) > maxAskWords {
		return 0
	}
	ask := ServiceAskMentioned(tokens)
	timed, serve, getDocs, said, charge, owed := false, false, false, false, false, false
	for i, t := range tokens {
		if askLost.at(tokens, i, false) || askClient.at(tokens, i, false) {
			return 0 // «perdí mi dni», «me robaron el celular», «cuánto cobras»
		}
		if numberWords[t] && i+2 < len(tokens) && numberOf[tokens[i+1]] {
			of := i + 2
			if numberArticle[tokens[of]] && of+1 < len(tokens) {
				of++
			}
			if !numberHelp[tokens[of]] {
				ask |= AskContact // «el número del cem», «el cel de la abogada»
			}
		}
		timed = timed || askTime[t]
		said = said || askSaid[t]
		charge = charge || askCharge[t]
		owed = owed || askOwed[t]
		serve = serve || askServe[t]
		getDocs = getDocs || askGetDocs[t]
	}
	if timed && (serve || len(tokens) <= maxTimeWords && !said) {
		ask |= AskHours // «¿atienden de noche?», «y los sábados?», «abre domingo?»
	}
	if charge && !owed {
		ask |= AskCost // «¿cobran?», «el abogado cobra?», not «me cobran cupo»
	}
	if getDocs {
		ask &^= AskDocs
	}
	return ask
}

// ServiceAskMentioned tells which of the questions a text about a place speaks of,
// by their words alone, at any length: which caveats of a directory card («horario
// habitual de lunes a viernes», «la prueba de VIH es gratuita») answer which question.
func ServiceAskMentioned(tokens []string) ServiceAsk {
	var ask ServiceAsk
	for i, t := range tokens {
		ask |= askWords[t]
		for a, ix := range askPhrases {
			if ask&a == 0 && ix.at(tokens, i, false) {
				ask |= a
			}
		}
	}
	return ask
}
