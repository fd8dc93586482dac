package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Slots are found by small patterns around anchors ("me llamo", "estoy en"): what
// follows the anchor, as typed (case and accents kept), up to punctuation, a word that
// ends a slot ("y", "pero", "porfa", "ahorita") or a few words. A name is checked by
// the caller against danger (it is never a sentence of danger); a place, against the
// gazetteer.

// Name anchors, in normalized words. When several occur, the last one wins: "me llamo
// Alexandra pero dime Alex" gives Alex.
var nameAnchors = [][]string{
	{"me", "llamo"}, {"mi", "nombre", "es"}, {"mi", "nombre", "social", "es"},
	{"mi", "nombre", "artistico", "es"}, {"mi", "apodo", "es"}, {"llamame"}, {"llamame", "solo"},
	{"me", "puedes", "llamar"}, {"puedes", "llamarme"}, {"puedes", "decirme"}, {"me", "dicen"},
	{"dime"}, {"dime", "solo"}, {"me", "conocen", "como"}, {"prefiero", "que", "me", "digas"},
	{"tratame", "como"}, {"escribeme", "como"}, {"ponle"}, {"ponme"}, {"mi", "nombre"},
	{"my", "name", "is"}, {"my", "names"}, {"call", "me"}, {"im", "called"}, {"i", "am", "called"},
	{"they", "call", "me"}, {"i", "go", "by"}, {"name", "is"}, {"name"}, {"nombre"},
	{"me", "chamo"}, {"meu", "nome", "e"}, {"pode", "me", "chamar", "de"}, {"me", "chama", "de"},
	{"me", "chamam", "de"}, {"meu", "nome"}, {"meu", "nome", "social", "e"}, {"my", "chosen", "name", "is"},
	{"my", "social", "name", "is"}, {"me", "digas"}, {"me", "llames"}, {"me", "llamen"}, {"me", "yamo"},
	{"me", "chame", "de"}, {"me", "chamem", "de"},
	{"pueden", "llamarme"}, {"pueden", "decirme"}, {"puedes", "llamarme"}, {"me", "pueden", "llamar"},
	{"me", "pueden", "decir"}, {"me", "puedes", "decir"}, {"podes", "llamarme"}, {"me", "podes", "decir"},
	{"me", "podes", "llamar"}, {"everyone", "calls", "me"}, {"people", "call", "me"}, {"friends", "call", "me"},
	{"todos", "me", "dicen"}, {"todo", "mundo", "me", "chama", "de"},
	// who is writing: «te escribe Paula», «le habla la Yuli», «soy yo Kathy», «quem fala é
	// a Bia» («aqui é» is not one: «aqui é perigoso»)
	{"te", "escribe"}, {"le", "escribe"}, {"les", "escribe"}, {"te", "habla"}, {"le", "habla"},
	{"soy", "yo"}, {"quem", "fala", "e"}, {"aqui", "quem", "fala", "e"}, {"sou", "eu"},
}

// nameAnchorsAsked mean a name only when a name was asked for ("soy Vale", "I'm Jo").
var nameAnchorsAsked = [][]string{
	{"soy"}, {"yo", "soy"}, {"im"}, {"i", "am"}, {"its"}, {"this", "is"}, {"sou"}, {"eu", "sou"},
	{"aqui"}, {"habla"}, {"soi"}, {"yo", "soi"},
}

// placeAnchors: the place follows. The one-word ones ("por", "en") are tried last.
var placeAnchors = [][]string{
	{"estoy", "en"}, {"estoy", "por"}, {"toy", "en"}, {"toy", "por"}, {"toy", "x"}, {"ando", "por"},
	{"ando", "x"}, {"ando", "en"}, {"vivo", "en"}, {"vivo", "por"}, {"cerca", "de"}, {"cerca", "a"},
	{"cerca", "del"}, {"estamos", "en"}, {"me", "mude", "a"}, {"me", "vine", "a"}, {"llegue", "a"},
	{"llegada", "a"}, {"llegado", "a"}, {"acabo", "de", "llegar", "a"},
	{"im", "in"}, {"i", "am", "in"}, {"i", "live", "in"}, {"near"}, {"close", "to"}, {"im", "at"},
	{"around"}, {"estou", "em"}, {"estou", "no"}, {"estou", "na"}, {"to", "em"}, {"tou", "em"},
	{"moro", "em"}, {"moro", "no"}, {"moro", "na"}, {"perto", "de"}, {"perto", "do"},
	{"staying", "in"}, {"im", "staying", "in"}, {"living", "in"}, {"moved", "to"}, {"based", "in"},
	{"me", "quedo", "en"}, {"aqui", "en"}, {"fico", "em"}, {"estou", "morando", "em"},
	{"to", "morando", "em"}, {"to", "no"}, {"to", "na"}, {"tou", "no"}, {"tou", "na"},
	{"perto", "da"}, {"por"}, {"en"}, {"in"}, {"em"}, {"x"},
}

// nowWords say when, beside where she is: «staying in cusco for now», «estoy en comas
// ahorita».
var nowWords = wordSet("now", "rn", "right", "for", "currently", "today", "tonight", "ahora",
	"ahorita", "hoy", "mismo", "actualmente", "agora", "hoje")

// CourtesyOnly tells whether words (normalized) are only greetings, courtesy and when
// («hola», «por favor», «for now», «ahorita»): what may come with a place she says,
// and leaves it where she is.
func CourtesyOnly(words []string) bool {
	for _, w := range words {
		if !courtesyWords[w] && !nowWords[w] {
			return false
		}
	}
	return true
}

// slotStops end a name or a place.
var slotStops = map[string]bool{
	"y": true, "pero": true, "porfa": true, "por": true, "favor": true, "gracias": true,
	"ahorita": true, "ahora": true, "and": true, "but": true, "please": true, "pls": true,
	"thanks": true, "now": true, "e": true, "mas": true, "agora": true, "obrigada": true,
	"obrigado": true, "que": true, "q": true, "quiero": true, "busco": true, "necesito": true,
	"i": true, "want": true, "need": true, "quero": true, "preciso": true, "con": true, "with": true,
	"com": true, "no": true, "nao": true, "not": true, "solo": true, "only": true, "so": true,
	"nomas": true, "mucho": true, "gusto": true, "pa": true, "para": true, "servirte": true,
	"asi": true, "es": true, "ese": true, "cerca": true, "hace": true, "desde": true, "tu": true,
	"you": true, "voce": true, "ok": true, "hola": true, "hi": true, "oi": true, "creo": true,
	"nos": true, "me": true, "te": true, "le": true, "les": true, "se": true, "estoy": true,
	"estamos": true, "ahi": true, "alli": true, "aqui": true, "todavia": true,
}

// notPlaces are words after "por", "en", "x" that are not a place.
var notPlaces = map[string]bool{
	"favor": true, "que": true, "q": true, "eso": true, "si": true, "mi": true, "casa": true,
	"peligro": true, "serio": true, "fa": true, "fis": true, "ejemplo": true, "ahi": true,
	"aqui": true, "aca": true, "todo": true, "nada": true, "the": true, "a": true, "my": true,
	"danger": true, "trouble": true, "perigo": true, "un": true, "una": true, "mis": true,
	"contra": true, "verdad": true, "dios": true, "fin": true, "lo": true, "esto": true,
	"este": true, "esta": true, "ingles": true, "espanol": true, "english": true, "portugues": true,
	"danger_": true, "pain": true, "love": true, "care": true, "case": true, "vain": true,
}

// bareNouns are a square, a beach, a fair: said with no name after them («perto da
// praça»), no place of the gazetteer, whose spelling search made them «Uraca» and
// «Paca»; named («perto da praça san martin»), a place.
var bareNouns = wordSet("praca", "praia", "feira")

// articles are dropped before a name or a place ("soy la Vale", "el Cusco"); the caller
// may try the place with them too ("El Agustino").
var articles = map[string]bool{"la": true, "el": true, "los": true, "las": true, "a": true, "o": true, "the": true}

// word is one word of raw text: as typed, normalized, and whether punctuation follows.
type word struct {
	typed, norm string
	brk         bool
}

// splitWords splits raw text into words, one to one with their normalized forms.
func splitWords(raw string) []word {
	if len(raw) > 600 {
		raw = raw[:600]
	}
	out := make([]word, 0, strings.Count(raw, " ")+1) // about as many words as spaces
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := raw[start:end]
		start = -1
		n := w // a word already in normal form, as most are, is not normalized again
		if !isNormalWord(w) {
			n = Normalize(w)
		}
		if n != "" && !strings.Contains(n, " ") {
			out = append(out, word{typed: w, norm: n})
		}
	}
	for i, r := range raw {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		// punctuation ends a slot, but not the dot of "av." or "jr."
		if n := len(out); n > 0 && strings.ContainsRune(",.;:!?()¿¡", r) && !(r == '.' && len(out[n-1].norm) <= 3 && out[n-1].typed != "" && start < 0 && i > 0 && isLetterBefore(raw, i)) {
			out[n-1].brk = true
		}
	}
	flush(len(raw))
	return out
}

// isNormalWord tells whether Normalize gives w itself: lower-case ASCII letters and
// digits, no letter three times in a row.
func isNormalWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
		if i >= 2 && c >= 'a' && c == w[i-1] && c == w[i-2] {
			return false
		}
	}
	return true
}

// isLetterBefore tells whether the rune before byte i is a letter (an abbreviation's
// dot follows its letters directly).
func isLetterBefore(raw string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(raw[:i])
	return unicode.IsLetter(r)
}

func hasWordsAtW(ws []word, i int, a []string) bool {
	if i+len(a) > len(ws) {
		return false
	}
	for k, w := range a {
		if ws[i+k].norm != w {
			return false
		}
		if k < len(a)-1 && ws[i+k].brk {
			return false
		}
	}
	return true
}

// valueAt returns the words from j on, as typed, up to a stop word, punctuation or max
// words, articles at the start dropped.
func valueAt(ws []word, j, maxWords int) string {
	for j < len(ws) && articles[ws[j].norm] && j+1 < len(ws) && !ws[j].brk {
		j++
	}
	return valueFrom(ws, j, maxWords)
}

// valueFrom is valueAt with the articles kept ("La Victoria", "Los Olivos").
func valueFrom(ws []word, j, maxWords int) string {
	k := j
	for k < len(ws) && k-j < maxWords && !slotStops[ws[k].norm] {
		k++
		if ws[k-1].brk {
			break
		}
	}
	parts := make([]string, 0, k-j)
	for _, w := range ws[j:k] {
		parts = append(parts, w.typed)
	}
	return strings.Join(parts, " ")
}

// lastAnchor finds the last position where an anchor of the list ends and a word
// follows; with several anchors at one place, the longest.
func lastAnchor(ws []word, anchors phraseIndex) (at int, anchor []string) {
	return lastAnchorUnless(ws, anchors, nil)
}

// lastAnchorUnless is lastAnchor without the anchors starting at an i where skip(i).
func lastAnchorUnless(ws []word, anchors phraseIndex, skip func(i int) bool) (at int, anchor []string) {
	at = -1
	for i := range ws {
		for _, a := range anchors[ws[i].norm] {
			if i+len(a) < len(ws) && hasWordsAtW(ws, i, a) && !ws[i+len(a)-1].brk && (skip == nil || !skip(i)) {
				if i+len(a) > at || (i+len(a) == at && len(a) > len(anchor)) {
					at, anchor = i+len(a), a
				}
			}
		}
	}
	return at, anchor
}

// longestAnchorAt returns the longest anchor that begins at ws[i] and is followed by a
// word, the first of the list among the longest; nil when none does.
func longestAnchorAt(ws []word, i int, anchors phraseIndex) []string {
	var best []string
	for _, a := range anchors[ws[i].norm] {
		if i+len(a) < len(ws) && len(a) > len(best) && hasWordsAtW(ws, i, a) && !ws[i+len(a)-1].brk {
			best = a
		}
	}
	return best
}

var (
	nameIndex      = indexPhrases(nameAnchors)
	nameIndexAsked = indexPhrases(nameAnchors, nameAnchorsAsked)
	placeIndex     = indexPhrases(placeAnchors)
)

// Anchored tells cheaply, on normalized tokens, whether a name anchor (name) or a
// place anchor (!name) occurs followed by a word: extraction is worth trying.
func Anchored(tokens []string, name bool) bool {
	ix := placeIndex
	if name {
		ix = nameIndex
	}
	for i := range tokens {
		if ix.at(tokens, i, true) {
			return true
		}
	}
	return false
}

// Name finds a social name said with an anchor ("me llamo Dani" gives "Dani"). asked
// adds the anchors that mean a name only when one was asked for ("soy Vale"). Without
// an anchor, when asked, a short answer is the name itself, greetings and courtesy
// words stripped ("hola soy la yuri", "gaby, asi nomas"). It returns "" when it finds
// none.
func Name(raw string, asked bool) (name, anchor string) {
	return NameIn(SplitWords(raw), asked)
}

// Words are the words of a raw text, as Name and PlaceText read them: split once for
// both (see SplitWords).
type Words struct{ ws []word }

// SplitWords splits raw text (its first 600 bytes) into words as typed and normalized.
func SplitWords(raw string) Words { return Words{splitWords(raw)} }

// NameIn is Name of the words of a text.
func NameIn(words Words, asked bool) (name, anchor string) {
	ws := words.ws
	list := nameIndex
	if asked {
		list = nameIndexAsked
	}
	// "nayeli es mi nombre", "Kimberly, asi me dicen": the name before the anchor
	for i := 1; i < len(ws); i++ {
		for _, after := range [][]string{{"es", "mi", "nombre"}, {"asi", "me", "dicen"}, {"is", "my", "name"}, {"e", "meu", "nome"}} {
			if hasWordsAtW(ws, i, after) {
				if v := CleanName(valueAt(ws, 0, min(i, 3))); PlausibleName(v) {
					return v, "… " + strings.Join(after, " ")
				}
				return "", ""
			}
		}
	}
	// an anchor negated is no name ("no me llamo Victoria", "don't call me that"); an
	// earlier one may be ("me llamo Alexandra, no me digas Alex")
	negated := func(i int) bool { return negatedAt(ws, i) }
	if at, a := lastAnchorUnless(ws, list, negated); at >= 0 {
		if v := CleanName(valueAt(ws, at, nameWordsAt(ws, at))); v != "" {
			if !PlausibleName(v) {
				return "", "" // "tengo q dar mi nombre real", "my name at the hospital"
			}
			return v, strings.Join(a, " ")
		}
	}
	if !asked || len(ws) == 0 || len(ws) > 6 {
		return "", ""
	}
	j := 0
	for j < len(ws) && (slotStops[ws[j].norm] || articles[ws[j].norm]) {
		j++
	}
	if j == len(ws) {
		return "", ""
	}
	if v := CleanName(valueAt(ws, j, nameWordsAt(ws, j))); PlausibleName(v) {
		return v, ""
	}
	return "", ""
}

// nameParticles join the words of a name ("María de los Ángeles", "Ana da Silva").
var nameParticles = wordSet("de", "del", "la", "las", "los", "da", "das", "do", "dos")

// nameWordsAt is how many words from ws[j] a name may take: three, or up to two more
// while the last one taken is a particle and a word follows ("María de los Ángeles").
func nameWordsAt(ws []word, j int) int {
	n := 3
	for n < 5 && j+n < len(ws) && nameParticles[ws[j+n-1].norm] && !ws[j+n-1].brk && !slotStops[ws[j+n].norm] {
		n++
	}
	// where she is from is not her name: «soy andreina de vzla», «im jess from caracas»
	for k := j + 1; k < j+n && k+1 < len(ws); k++ {
		if (nameParticles[ws[k].norm] || ws[k].norm == "from") && originWords[ws[k+1].norm] {
			return k - j
		}
	}
	return n
}

// originWords are where a person who writes to Faro may be from, said after her name.
var originWords = wordSet("venezuela", "vzla", "vnzla", "venezolana", "venezolano", "vene",
	"colombia", "ecuador", "peru", "bolivia", "chile", "argentina", "brasil", "brazil",
	"haiti", "cuba", "caracas", "maracaibo", "valencia", "barquisimeto", "maracay", "zulia",
	"bogota", "cucuta", "guayaquil", "quito", "lima", "aqui", "alla", "here", "there")

// negatedAt tells whether one of the two words before ws[i] is a negation ("no me
// llamo", "ya no me digas", "don't call me", "não me chamo").
func negatedAt(ws []word, i int) bool {
	for k := max(i-2, 0); k < i; k++ {
		if w := ws[k].norm; negationCues[w] || w == "t" && k > 0 && apostropheNots[ws[k-1].norm] {
			return true
		}
	}
	return false
}

// PlaceText finds a place said with an anchor ("estoy en sjl" gives "sjl", "toy por
// la victoria" gives "la victoria"). The caller looks it up, and again without a
// leading article (WithoutArticle) when that finds nothing.
func PlaceText(raw string) (place, anchor string) { return PlaceTextIn(SplitWords(raw)) }

// PlaceTextIn is PlaceText of the words of a text.
func PlaceTextIn(words Words) (place, anchor string) {
	place, anchor, _ = PlaceTextFrom(words, 0)
	return place, anchor
}

// PlaceTextFrom is PlaceTextIn from the i-th word on; next is where to look for
// another place said later ("aquí en lima, vivo en sjl"), or -1 when none was found.
func PlaceTextFrom(words Words, from int) (place, anchor string, next int) {
	ws := words.ws
	// the first anchor (a place is said once), the longest at one position
	for i := max(from, 0); i < len(ws); i++ {
		best := longestAnchorAt(ws, i, placeIndex)
		if best == nil {
			continue
		}
		j := i + len(best)
		if ws[j].norm == "the" && j+1 < len(ws) && !notPlaces[ws[j+1].norm] {
			j++ // "near the historic center of lima": the place is what follows
		}
		if k := afterVenue(ws, j); k > 0 {
			j = k // "en un hotel de lince", "en una casa en puente piedra": the place follows
		} else if notPlaces[ws[j].norm] || bareNouns[ws[j].norm] && (j+1 == len(ws) || ws[j].brk || slotStops[ws[j+1].norm]) {
			continue
		}
		if v := valueFrom(ws, j, placeWords(ws, j)); v != "" && !articles[Normalize(v)] {
			return v, strings.Join(best, " "), j + 1
		}
	}
	return "", "", -1
}

// venues are where she may be, said with "un" / "una" before the place they are in
// ("en un hotel de lince", "em um quarto em miraflores").
var venues = wordSet(
	"hotel", "hostal", "hospedaje", "telo", "motel", "depa", "departamento", "casa", "cuarto",
	"habitacion", "discoteca", "disco", "bar", "karaoke", "night", "club", "local", "edificio",
	"restaurante", "polleria", "parque", "mercado", "paradero", "esquina", "calle", "posta",
	"hospital", "clinica", "comisaria", "room", "house", "apartment", "flat", "quarto", "boate",
	"apartamento", "rua", "carro", "auto", "taxi", "car",
)

// afterVenue returns where a place begins after a venue said at ws[j] with its article
// ("un hotel de", "una casa en", "a house in", "um quarto em"), or 0.
func afterVenue(ws []word, j int) int {
	switch ws[j].norm {
	case "un", "una", "a", "an", "um", "uma":
	default:
		return 0
	}
	if j+3 >= len(ws) || !venues[ws[j+1].norm] || ws[j+1].brk {
		return 0
	}
	switch ws[j+2].norm {
	case "de", "en", "in", "em", "of", "na", "no":
		if !ws[j+2].brk && !notPlaces[ws[j+3].norm] && !slotStops[ws[j+3].norm] {
			return j + 3
		}
	}
	return 0
}

// placeWords is how many words from ws[j] a place may take: five, or up to two more
// when the fifth is "de" or "del" and a name goes on ("la plaza de armas de lima",
// "el mercado central de la victoria").
func placeWords(ws []word, j int) int {
	n := 5
	for n < 7 && j+n < len(ws) && (ws[j+n-1].norm == "de" || ws[j+n-1].norm == "del" || n == 6 && ws[j+n-1].norm == "la") &&
		!ws[j+n-1].brk && !slotStops[ws[j+n].norm] {
		n++
	}
	return n
}

// CleanName keeps a social name printable and short: no braces or angle brackets
// (templates), single spaces, at most 40 characters.
func CleanName(s string) string {
	const maxRunes = 40
	var b strings.Builder
	space := false
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n >= maxRunes {
			break
		}
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsPrint(r) || r == '{' || r == '}' || r == '<' || r == '>':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		n++
	}
	out := strings.TrimRight(b.String(), ",.;:!?")
	if !utf8.ValidString(out) {
		return ""
	}
	return out
}

// WithoutArticle drops a leading article ("el cusco" gives "cusco").
func WithoutArticle(place string) string {
	if first, rest, ok := strings.Cut(place, " "); ok && articles[Normalize(first)] {
		return rest
	}
	return place
}

// askingWords ask for something without saying what: «necesito», «busco», «hay
// algún», «i need a», «onde tem um», «hablar con una». With a kind of service they say
// that kind and nothing else.
var askingWords = wordSet("necesito", "nesecito", "necesitaria", "busco", "buscando", "quiero",
	"kiero", "queria", "hay", "habra", "donde", "dnd", "algun", "alguna", "algunos", "un", "una",
	"unos", "el", "la", "los", "las", "me", "mi", "hablar", "con", "ver", "ir", "a", "al", "de",
	"del", "x", "fa", "fas", "medico", "medica", "cerca", "puedo", "conseguir", "consigo",
	"encontrar", "recomiendas", "recomiendan", "saben", "sabes", "conocen", "conoces", "tienen",
	"i", "need", "want", "looking", "for", "a", "an", "any", "is", "there", "where", "can", "find",
	"get", "talk", "to", "see", "near", "know", "some", "the", "preciso", "procuro", "quero",
	"tem", "algum", "alguma", "um", "uma", "onde", "falar", "com", "do", "da", "perto",
	"pego", "acho", "sabe", "dan", "dao", "gratis", "free", "gratuito", "gratuita", "gratuitos",
	"atienden", "atiende", "atienda", "atiendan", "atenda", "atende", "see", "that", "sees", "que", "q", "foreigners", "extranjeros", "extranjeras",
	"estrangeiros", "estrangeiras", "venezolanas", "venezolanos", "migrantes", "trans")

// AskingOnly tells words that only ask (askingWords), with courtesy and «now».
func AskingOnly(words []string) bool {
	for _, w := range words {
		if !askingWords[w] && !courtesyWords[w] && !nowWords[w] {
			return false
		}
	}
	return true
}
