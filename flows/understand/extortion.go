package understand

// The words of extortion told in a message: someone who has her photos or videos and
// will publish or send them unless she pays («un pata tiene mis fotos y dice q las va
// a publicar si no le pago», «he will post my pics unless i pay»).
var (
	extortionMedia = wordSet("fotos", "foto", "fotitos", "videos", "video", "pics", "pic",
		"photos", "photo", "nudes", "packs", "pack", "intimas", "intimos", "intimate")
	extortionSpread = wordSet("publicar", "publica", "publicara", "publicaria", "subir", "sube",
		"subira", "colgar", "difundir", "mandar", "mandara", "enviar", "pasar", "pasara",
		"postar", "posta", "postou", "espalhar", "vazar", "divulgar", "post", "share",
		"send", "leak", "publish", "upload", "spread", "expose", "exponer", "expor")
	extortionPay = wordSet("pago", "pague", "pagar", "pagas", "paga", "plata", "dinero", "cuota",
		"money", "pay", "cash", "dinheiro", "grana", "pix", "yape", "plin", "mandar", "transfer",
		"deposito", "deposite")
	extortionThreat = wordSet("amenaza", "amenazas", "amenazando", "amenazo", "amenazan",
		"ameaca", "ameacas", "ameacando", "ameacou", "threat", "threats", "threatening",
		"threatened", "threatens", "chantaje", "chantajea", "chantagem", "blackmail",
		"blackmailing", "extorsion", "extorsiona", "extorsionan", "extorsao", "extortion")
)

// ExtortionTold tells a message that says someone extorts her with her photos or
// videos: to be spread unless she pays, or with a word of blackmail. Photos she was
// asked for and never paid for are a scam, threats by message from an ex are violence:
// neither is this.
func ExtortionTold(tokens []string) bool {
	media, spread, pay, threat, unless := false, false, false, false, false
	for _, t := range tokens {
		media = media || extortionMedia[t]
		spread = spread || extortionSpread[t]
		pay = pay || extortionPay[t]
		threat = threat || extortionThreat[t]
		unless = unless || extortionUnless[t]
	}
	return media && spread && (threat || pay && unless)
}

// extortionUnless make the payment a condition: «si no le pago», «unless i pay», «se eu
// não mandar dinheiro».
var extortionUnless = wordSet("si", "sino", "unless", "se", "senao", "if", "caso", "or", "o", "otherwise")
