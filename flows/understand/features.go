package understand

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The features of a message are hashed into a fixed number of buckets, so the model is
// a plain array and scoring a message allocates nothing. Every feature is one of:
//   - a word ("pegando"), or "#" for any number;
//   - its stem: the word without a common Spanish, Portuguese or English ending
//     ("peg" for pegando, pegaron, pegue), so tenses and persons meet;
//   - the pair it forms with the word before it ("me|encerro");
//   - the character 3- and 4-grams of the word with its boundaries ("<peg", "ndo>"), so
//     typos, missing accents and SMS spellings still share most features with the word.
// A word in the scope of a negation ("nadie me obliga", "no estoy en peligro") gets
// other features than the same word outside one: the model learns what negation does
// to each intent from the corpus's hard negatives.

// Feature kinds, mixed into the hash of every feature.
const (
	kindWord    byte = 'w'
	kindStem    byte = 's'
	kindPair    byte = 'p'
	kindGram    byte = 'g'
	kindContext byte = 'c' // of the whole message: "told of the past"
)

// Context is what a message says besides its words: punctuation and emoji, which
// normalization drops, and whether it tells of the past.
type Context uint8

// Contexts of a message.
const (
	CtxQuestion Context = 1 << iota // "?" or "¿"
	CtxExclaim                      // "!" or "¡"
	CtxDistress                     // 😭 😰 😱 🙏 🆘 …
	CtxLaugh                        // 😂 🤣 😆 …
	ctxPast                         // told of the past (from the words)
)

var contextNames = []string{"context: a question", "context: exclamation", "context: distress emoji", "context: laughing emoji", "context: told of the past"}

var (
	distressEmoji = map[rune]bool{'😭': true, '😢': true, '😰': true, '😨': true, '😱': true, '🙏': true, '🆘': true, '💔': true, '🩸': true, '🔪': true, '😥': true, '😩': true, '😖': true, '🚨': true}
	laughEmoji    = map[rune]bool{'😂': true, '🤣': true, '😆': true, '😅': true, '😹': true, '🤭': true, '😜': true, '😝': true}
	// minContextEmoji is the least rune of distressEmoji and laughEmoji
	minContextEmoji = func() rune {
		least := rune(utf8.MaxRune)
		for _, m := range []map[rune]bool{distressEmoji, laughEmoji} {
			for r := range m {
				least = min(least, r)
			}
		}
		return least
	}()
)

// ContextOf reads the context of raw text (its first MaxScanRunes runes).
func ContextOf(raw string) Context {
	var c Context
	last, lastCtx := rune(-1), Context(0) // the last emoji looked up, and its context
	if len(raw) > 4*MaxScanRunes {
		raw = raw[:4*MaxScanRunes]
	}
	if strings.IndexByte(raw, '?') >= 0 {
		c |= CtxQuestion
	}
	if strings.IndexByte(raw, '!') >= 0 {
		c |= CtxExclaim
	}
	for i := 0; i < len(raw); i++ {
		// eight ASCII bytes at a time: of ASCII, only ? and ! count, found above
		for i+8 <= len(raw) && (uint64(raw[i])|uint64(raw[i+1])<<8|uint64(raw[i+2])<<16|uint64(raw[i+3])<<24|
			uint64(raw[i+4])<<32|uint64(raw[i+5])<<40|uint64(raw[i+6])<<48|uint64(raw[i+7])<<56)&0x8080808080808080 == 0 {
			i += 8
		}
		if i >= len(raw) {
			break
		}
		b := raw[i]
		switch {
		case b < 0xC2:
			continue // ASCII, or inside a multi-byte rune
		case b != 0xC2 && b < contextLead:
			continue // a rune below the lists' emoji, not ¿ or ¡ (an accented letter)
		}
		r, size := utf8.DecodeRuneInString(raw[i:])
		i += size - 1
		switch {
		case r == '?' || r == '¿':
			c |= CtxQuestion
		case r == '!' || r == '¡':
			c |= CtxExclaim
		case r < minContextEmoji:
			// an accented letter: no emoji of either list (a map look-up saved per letter)
		case uint32(r-emojiBlock) < uint32(len(emojiContexts)):
			c |= emojiContexts[r-emojiBlock]
		case r == last:
			c |= lastCtx // a flood repeats one emoji: looked up once
		default:
			last, lastCtx = r, contextEmoji[r]
			c |= lastCtx
		}
	}
	return c
}

// contextLead is the first byte of minContextEmoji in UTF-8: a rune that begins with a
// lesser one is less (UTF-8 keeps the order).
var contextLead = func() byte {
	var b [utf8.UTFMax]byte
	utf8.EncodeRune(b[:], minContextEmoji)
	return b[0]
}()

// emojiContexts is contextEmoji in a table, for the block of most emoji (U+1F000 to
// U+1FAFF): a flood of them costs no look-up.
var emojiContexts = func() (t [0x1FB00 - emojiBlock]Context) {
	for r, c := range contextEmoji {
		if uint32(r-emojiBlock) < uint32(len(t)) {
			t[r-emojiBlock] = c
		}
	}
	return t
}()

const emojiBlock = 0x1F000

// EmojiContext is the context an emoji gives (CtxDistress, CtxLaugh), or 0.
func EmojiContext(r rune) Context {
	if uint32(r-emojiBlock) < uint32(len(emojiContexts)) {
		return emojiContexts[r-emojiBlock]
	}
	return 0
}

// contextEmoji is the context of each emoji of distressEmoji and laughEmoji.
var contextEmoji = func() map[rune]Context {
	m := map[rune]Context{}
	for r := range distressEmoji {
		m[r] |= CtxDistress
	}
	for r := range laughEmoji {
		m[r] |= CtxLaugh
	}
	return m
}()

// negationWindow is how many words after a negation cue are in its scope.
const negationWindow = 3

// NegationReach is how many words before a word NegatedIn reads to tell whether it is
// negated: a cue's scope, and the word before a cue ("don" of "don't").
const NegationReach = negationWindow + 1

// maxGramWord bounds the length of a word whose character grams are taken: longer
// tokens are pasted links or noise.
const maxGramWord = 24

// negationCues start a negation scope.
var negationCues = map[string]bool{
	// es
	"no": true, "nadie": true, "nunca": true, "ni": true, "tampoco": true, "jamas": true,
	"ningun": true, "ninguna": true, "ninguno": true, "nada": true, "sin": true,
	// en
	"not": true, "never": true, "nobody": true, "dont": true, "doesnt": true, "didnt": true,
	"isnt": true, "arent": true, "wasnt": true, "cant": true, "wont": true, "noone": true,
	"nothing": true,
	// pt
	"nao": true, "nem": true, "ninguem": true, "nenhum": true, "nenhuma": true,
}

// apostropheNots are the first halves of "don't", "can't"… split by normalization into
// "don t", "can t": the "t" is then a negation cue.
var apostropheNots = map[string]bool{
	"don": true, "doesn": true, "didn": true, "isn": true, "aren": true, "wasn": true, "weren": true,
	"can": true, "won": true, "couldn": true, "shouldn": true, "wouldn": true, "haven": true, "hasn": true,
}

// scopeBreaks end a negation scope: "no me pagó y me pegó" is about being hit.
var scopeBreaks = map[string]bool{
	"pero": true, "sino": true, "solo": true, "y": true, "e": true, "porque": true,
	"pq": true, "xq": true, "but": true, "only": true, "and": true, "because": true,
	"mas": true, "so": true, "ahora": true, "now": true, "agora": true,
}

// Negated reports, for each token, whether it is in the scope of a negation cue that
// comes before it. The cue itself is not negated. "no se si" (I don't know whether) is
// a doubt, not a negation. The result is written into buf when it is long enough.
func Negated(tokens []string, buf []bool) []bool {
	var cbuf [64]uint32
	return NegatedIn(tokens, Classify(tokens, cbuf[:0]), buf)
}

// NegatedIn is Negated of tokens with their classes.
func NegatedIn(tokens []string, cls []uint32, buf []bool) []bool {
	var neg []bool
	if cap(buf) >= len(tokens) {
		neg = buf[:len(tokens)]
		clear(neg)
	} else {
		neg = make([]bool, len(tokens))
	}
	left := 0
	for i, tok := range tokens {
		c := cls[i]
		switch {
		case c&cScopeBreak != 0:
			left = 0
		case c&cNegationCue != 0 || (tok == "t" && i > 0 && cls[i-1]&cApostropheNot != 0):
			if tok == "no" && i+2 < len(tokens) && (tokens[i+1] == "se" || tokens[i+1] == "sei") && (tokens[i+2] == "si" || tokens[i+2] == "se") {
				left = 0
				continue
			}
			left = negationWindow
		case left > 0:
			neg[i] = true
			left--
		}
	}
	return neg
}

// stemEndings are stripped from words to find their stem, longest first. A stem keeps
// at least three letters.
var stemEndings = []string{
	"aciones", "iciones", "amiento", "imiento",
	"ieron", "aron", "iendo", "ando", "endo", "ados", "adas", "idos", "idas", "mente", "acion", "icion", "cao", "coes",
	"aban", "aste", "iste", "amos", "emos", "imos", "ing", "ado", "ada", "ido", "ida", "aba", "ais", "ria",
	"ar", "er", "ir", "as", "es", "os", "an", "en", "ed", "ly", "ei", "ou", "eu",
	"a", "e", "o", "s", "i",
}

// endingsByLast lists stemEndings by their last letter, longest first.
var endingsByLast = func() (by [256][]string) {
	for _, end := range stemEndings {
		by[end[len(end)-1]] = append(by[end[len(end)-1]], end)
	}
	return by
}()

// Stem returns w without its longest common ending, keeping at least three letters.
func Stem(w string) string {
	if w == "" {
		return w
	}
	for _, end := range endingsByLast[w[len(w)-1]] {
		if len(w)-len(end) >= 3 && w[len(w)-len(end):] == end {
			return w[:len(w)-len(end)]
		}
	}
	return w
}

// FNV-1a, 32 bits.
const (
	fnvOffset uint32 = 2166136261
	fnvPrime  uint32 = 16777619
)

func hashByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

func hashString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// isNumber tells whether a token is all digits.
func isNumber(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return tok != ""
}

// paddedAt is byte j of "<word>": the word with its boundaries.
func paddedAt(word string, j int) byte {
	switch j {
	case 0:
		return '<'
	case len(word) + 1:
		return '>'
	}
	return word[j-1]
}

// forEachGram calls emit with the hash (from base) of each character gram of "<word>"
// of length from to upto, its start and its length.
func forEachGram(base uint32, word string, from, upto int, emit func(h uint32, start, gram int)) {
	padded := len(word) + 2
	for gram := from; gram <= upto; gram++ {
		for s := 0; s+gram <= padded; s++ {
			h := hashByte(base, byte('0'+gram))
			for j := s; j < s+gram; j++ {
				h = hashByte(h, paddedAt(word, j))
			}
			emit(h, s, gram)
		}
	}
}

// feature is one feature of a message: its hash, and, for explanations, what it is.
type feature struct {
	hash uint32
	kind byte
	neg  bool
	a, b string // the word (and the word before it, for a pair); a gram's text
}

// name is a feature as a person reads it in `faro explain`.
func (f feature) name() string {
	prefix := ""
	if f.neg {
		prefix = "NOT "
	}
	switch f.kind {
	case kindWord:
		return prefix + "word " + f.a
	case kindStem:
		return prefix + "stem " + f.a + "-"
	case kindPair:
		return prefix + "pair " + f.b + " " + f.a
	case kindContext:
		return f.a
	default:
		return prefix + "gram " + f.a
	}
}

// forEachFeature calls emit with every feature of the tokens. With named set, the
// features carry their text (for explanations); otherwise only their hash.
func forEachFeature(tokens []string, neg []bool, ctx Context, named bool, emit func(feature)) {
	if PastEvent(tokens) {
		ctx |= ctxPast
	}
	for i, name := range contextNames {
		if ctx&(1<<i) != 0 {
			f := feature{hash: hashString(hashByte(fnvOffset, kindContext), name), kind: kindContext}
			if named {
				f.a = name
			}
			emit(f)
		}
	}
	prev := ""
	for i, tok := range tokens {
		n := neg[i]
		base := fnvOffset
		if n {
			base = hashByte(base, '!')
		}
		word := tok
		if isNumber(tok) {
			word = "#"
		}
		f := feature{hash: hashString(hashByte(base, kindWord), word), kind: kindWord, neg: n}
		if named {
			f.a = word
		}
		emit(f)
		if word != "#" {
			if st := Stem(word); st != word {
				f = feature{hash: hashString(hashByte(base, kindStem), st), kind: kindStem, neg: n}
				if named {
					f.a = st
				}
				emit(f)
			}
		}
		if prev != "" {
			h := hashString(hashByte(base, kindPair), prev)
			h = hashString(hashByte(h, '|'), word)
			f = feature{hash: h, kind: kindPair, neg: n}
			if named {
				f.a, f.b = word, prev
			}
			emit(f)
		}
		prev = word
		if word == "#" || len(word) > maxGramWord || len(word) <= 2 {
			continue // a number, noise, or a word too short for its grams to add anything
		}
		// character grams of "<word>"
		forEachGram(hashByte(base, kindGram), word, 3, 4, func(h uint32, s, gram int) {
			f = feature{hash: h, kind: kindGram, neg: n}
			if named {
				g := make([]byte, gram)
				for j := range g {
					g[j] = paddedAt(word, s+j)
				}
				f.a = string(g)
			}
			emit(f)
		})
	}
}

// pastMarkers say that what is told happened days or more ago ("la semana pasada",
// "last year"); with "hace" / "ago" any count goes between ("hace tres semanas", "two
// years ago"). nowMarkers say that it goes on ("ahora", "todavía"), unless they ask
// about now ("todavía puedo denunciar?").
var (
	pastMarkers = [][]string{
		{"semana", "pasada"}, {"mes", "pasado"}, {"ano", "pasado"}, {"el", "otro", "dia"},
		{"hace", "tiempo"}, {"hace", "mucho"}, {"last", "week"}, {"last", "month"}, {"last", "year"},
		{"semana", "passada"}, {"mes", "passado"}, {"ano", "passado"}, {"cuando", "era"},
		{"when", "i", "was"}, {"de", "nina"}, {"de", "chica"}, {"tempo", "atras"}, {"long", "ago"},
		{"la", "otra", "vez"}, {"the", "other", "night"}, {"the", "other", "day"}, {"outro", "dia"},
		{"otro", "dia"}, {"last", "weekend"}, {"finde", "pasado"}, {"fin", "de", "semana", "pasado"},
		{"sabado", "pasado"}, {"domingo", "pasado"}, {"viernes", "pasado"}, {"lunes", "pasado"},
		{"martes", "pasado"}, {"miercoles", "pasado"}, {"jueves", "pasado"}, {"on", "monday"},
		{"on", "tuesday"}, {"on", "wednesday"}, {"on", "thursday"}, {"on", "friday"},
		{"on", "saturday"}, {"on", "sunday"}, {"fim", "de", "semana", "passado"},
	}
	pastUnits = map[string]bool{
		"dias": true, "semanas": true, "semana": true, "meses": true, "mes": true, "anos": true,
		"ano": true, "days": true, "weeks": true, "week": true, "months": true, "month": true,
		"years": true, "year": true, "dia": true,
	}
	nowMarkers = map[string]bool{
		"ahora": true, "ahorita": true, "todavia": true, "aun": true, "now": true, "still": true,
		"agora": true, "ainda": true, "hoy": true, "today": true, "hoje": true, "tonight": true,
	}
	askingNow = map[string]bool{"puedo": true, "se": true, "can": true, "posso": true, "da": true, "i": true, "es": true}
)

var (
	pastIndex = indexPhrases(pastMarkers)
	safeIndex = indexPhrases(safeNow)
)

// PastEvent tells whether the text tells of something that happened days or more ago,
// and not of something still going on.
func PastEvent(tokens []string) bool {
	var cbuf [64]uint32
	return PastEventIn(tokens, Classify(tokens, cbuf[:0]))
}

// PastEventIn is PastEvent of tokens with their classes.
func PastEventIn(tokens []string, cls []uint32) bool {
	past := false
	for i, tok := range tokens {
		c := cls[i]
		if c&cNow != 0 && !(i+1 < len(tokens) && cls[i+1]&cAskingNow != 0) {
			return false
		}
		switch {
		case tok == "hace" || tok == "faz":
			for j := i + 1; j < len(tokens) && j <= i+3; j++ {
				if cls[j]&cPastUnit != 0 && tokens[j] != "dia" {
					past = true
				}
			}
		case tok == "ago" || tok == "atras":
			if i > 0 && cls[i-1]&cPastUnit != 0 {
				past = true
			}
		}
		if c&cPastFirst != 0 && phrasesAt(firstWords[c>>16].past, tokens, i, false) {
			past = true
		}
	}
	return past
}

// safeNow are ways of saying that the danger is over ("ya estoy en mi casa").
var safeNow = [][]string{
	{"ya", "estoy", "bien"}, {"ya", "estoy", "en", "mi", "casa"}, {"ya", "estoy", "a", "salvo"},
	{"ya", "paso"}, {"ya", "estoy", "tranquila"}, {"estoy", "bien", "ahora"}, {"ahora", "estoy", "bien"},
	{"im", "ok", "now"}, {"im", "safe", "now"}, {"im", "fine", "now"}, {"im", "home", "now"},
	{"ja", "estou", "bem"}, {"ja", "to", "bem"}, {"ja", "estou", "em", "casa"}, {"ja", "passou"},
	{"ya", "me", "recupere"}, {"ya", "estoy", "mejor"}, {"ya", "me", "fui"}, {"ya", "se", "fue"},
	{"al", "final", "se", "fue"}, {"nobody", "hurt", "me"}, {"is", "home", "now"}, {"is", "safe", "now"},
	{"nao", "me", "machucaram"}, {"ninguem", "me", "machucou"}, {"no", "me", "hicieron", "nada"},
	{"he", "left"}, {"ele", "foi", "embora"},
}

// safeAnswer are ways of answering «¿te hace falta ayuda ahora?» with no: safe, not in
// danger, fine ("no estoy en peligro", "estoy bien", "im safe"). At that question only:
// elsewhere "estoy bien" says nothing of danger.
var safeAnswer = [][]string{
	{"no", "estoy", "en", "peligro"}, {"no", "estoy", "en", "riesgo"}, {"estoy", "a", "salvo"},
	{"estoy", "bien"}, {"toy", "bien"}, {"estoy", "tranquila"}, {"estoy", "segura"}, {"todo", "bien"},
	{"todo", "tranqui"}, {"no", "es", "urgente"}, {"no", "es", "para", "ahora"}, {"no", "corro", "peligro"},
	{"im", "safe"}, {"i", "am", "safe"}, {"im", "ok"}, {"im", "fine"}, {"im", "good"}, {"im", "not", "in", "danger"},
	{"not", "in", "danger"}, {"not", "urgent"}, {"all", "good"},
	{"estou", "bem"}, {"to", "bem"}, {"estou", "segura"}, {"to", "segura"}, {"nao", "estou", "em", "perigo"},
	{"tudo", "bem"}, {"nao", "e", "urgente"},
	{"fue", "ayer"}, {"fue", "anoche"}, {"fue", "hace"}, {"fue", "el", "otro", "dia"}, {"it", "was", "yesterday"},
	{"estoy", "lejos"}, {"estoy", "acompanada"}, {"estoy", "con", "mi", "amiga"}, {"estoy", "con", "mis", "amigas"},
	{"estoy", "con", "mi", "familia"}, {"estoy", "con", "alguien"}, {"im", "with", "a", "friend"}, {"im", "with", "friends"},
	{"im", "far", "away"}, {"estou", "longe"}, {"to", "longe"}, {"estou", "com", "uma", "amiga"}, {"to", "com", "uma", "amiga"},
	{"estou", "acompanhada"}, {"to", "acompanhada"},
	{"it", "was", "last"}, {"foi", "ontem"}, {"foi", "semana", "passada"}, {"ja", "estou", "em", "casa"}, {"ja", "to", "em", "casa"},
}

// SafeAnswer tells whether an answer to «¿te hace falta ayuda ahora?» says no in
// words: safe or fine now ("no, ya estoy bien", "ya estoy en mi casa", "im safe"), or
// told of the past ("no, fue ayer"), with nothing that takes it back (notSafeYet: "pero
// él sigue afuera").
func SafeAnswer(tokens []string) bool {
	i, ok := safeSaid(tokens)
	return ok && !anyAfter(tokens, i, notSafeYet)
}

// SafeButStill tells an answer to the same question that says she is safe, or that it
// happened, and then that the danger goes on ("ya estoy bien pero todavía me sigue",
// "fue ayer pero sigue rondando mi cuarto", "im home but hes still outside"): a yes.
func SafeButStill(tokens []string) bool {
	i, ok := safeSaid(tokens)
	return ok && anyAfter(tokens, i, stillWords)
}

// safeSaid finds where an answer says she is safe or fine now (a phrase of safeAnswer
// or safeNow that no negation turns around), or else whether it tells of the past
// (from 0).
func safeSaid(tokens []string) (at int, ok bool) {
	for i := range tokens {
		for _, ps := range [][][]string{safeAnswer, safeNow} {
			for _, p := range ps {
				if i+len(p) <= len(tokens) && hasWordsAt(tokens, i, p) && (i == 0 || !negation[tokens[i-1]] || !negatable[p[0]]) {
					// not "no estoy bien", "não estou bem", "no estoy segura"; a word
					// before it takes nothing back ("no, ahorita estoy tranquila")
					return i, true
				}
			}
		}
	}
	return 0, PastEvent(tokens) // "fue ayer"; not "no fue ayer, es ahorita" (notSafeYet)
}

// NotWell tells words that say she is not well: a negation, then «estoy bien» or the
// like ("no estoy bien", "não estou bem", "nao to bem"); not "no todo bien" nor "nao ta
// tudo bem". Its tokens carry no commas: "no, estoy bien" reads the same.
func NotWell(tokens []string) bool {
	for i := 1; i+1 < len(tokens); i++ {
		if !negation[tokens[i-1]] || !negatable[tokens[i]] || tokens[i] == "todo" || tokens[i] == "tudo" {
			continue
		}
		j := i + 1
		if notWellSoft[tokens[j]] && j+1 < len(tokens) {
			j++ // "no estoy nada bien", "não estou muito bem"
		}
		if wellWords[tokens[j]] {
			return true
		}
	}
	return false
}

// wellWords say she is well, after «estoy», «estou», «to».
var wellWords = map[string]bool{"bien": true, "bem": true}

// notWellSoft come between «no estoy» and «bien»: "nada", "muy", "muito".
var notWellSoft = map[string]bool{"nada": true, "muy": true, "tan": true, "muito": true, "tao": true, "tampoco": true}

// anyAfter tells whether one of words is among tokens[i:].
func anyAfter(tokens []string, i int, words map[string]bool) bool {
	for _, tok := range tokens[i:] {
		if words[tok] {
			return true
		}
	}
	return false
}

// stillWords say that the danger goes on: of notSafeYet, those beyond a "but".
var stillWords = map[string]bool{
	"todavia": true, "aun": true, "sigue": true, "siguen": true, "still": true, "ainda": true,
	"continua": true, "continuan": true, "keeps": true,
}

// notSafeYet are words that, after it, take back a safe answer: a "but", or the danger
// still going on.
var notSafeYet = map[string]bool{
	"pero": true, "but": true, "mas": true, "aunque": true, "although": true, "though": true,
	"todavia": true, "aun": true, "sigue": true, "siguen": true, "still": true, "ainda": true,
	"ahorita": true, "agorinha": true, "regresa": true, "vuelve": true, "volver": true, "back": true, "voltar": true,
}

// negation are the words that, before a phrase of safeAnswer, turn it around.
var negation = map[string]bool{"no": true, "nao": true, "not": true, "ni": true, "nunca": true, "never": true, "nem": true}

// negatable are the first words of the phrases of safeAnswer that a negation before
// them turns around ("no estoy bien"; not "no, ya pasó", nor English "no im safe").
var negatable = map[string]bool{"estoy": true, "toy": true, "estou": true, "to": true, "todo": true, "tudo": true}

// reportWords ask how to report: a phrase of danger in such a question is told, not
// happening ("how do i report a rape", "se puede denunciar?").
var reportWords = map[string]bool{
	"denunciar": true, "denuncio": true, "denunciarlo": true, "denunciarla": true, "report": true,
	"reportar": true, "denunciarlos": true, "denunciala": true, "quien": true, "who": true,
}

// questionWords start a question about what to do or who sees.
var questionWords = map[string]bool{
	"como": true, "donde": true, "puedo": true, "puede": true, "how": true, "where": true,
	"can": true, "se": true, "posso": true, "onde": true, "lo": true, "sees": true, "ve": true,
}

// idiomOf are the nouns of idioms with dying ("me muero de risa", "morrendo de fome").
var idiomOf = map[string]bool{
	"risa": true, "verguenza": true, "hambre": true, "sueno": true, "calor": true, "frio": true,
	"ganas": true, "aburrimiento": true, "cansancio": true, "pena": true, "rir": true, "fome": true,
	"sono": true, "vergonha": true, "laughter": true, "laughing": true, "embarrassment": true,
	"boredom": true, "hunger": true, "cold": true, "heat": true, "tedio": true, "saudade": true,
	"celos": true, "envidia": true, "amor": true,
}

// idiomSubjects kill only in idioms ("el calor me mata", "mi mamá me va a matar si
// llego tarde", "this traffic is killing me").
var idiomSubjects = map[string]bool{
	"calor": true, "trafico": true, "transito": true, "espera": true, "cola": true, "fila": true,
	"hambre": true, "sueno": true, "sed": true, "frio": true, "tarea": true, "examen": true,
	"zapatos": true, "pies": true, "mama": true, "mami": true, "madre": true, "jefa": true,
	"profe": true, "abuela": true, "tia": true, "heat": true, "traffic": true, "line": true,
	"feet": true, "mom": true, "mum": true, "boss": true, "homework": true, "exam": true,
	"mae": true, "chefe": true, "calorao": true, "cansancio": true, "curiosidad": true,
	"gato": true, "perro": true, "cat": true, "dog": true, "serie": true, "novela": true,
	"risa": true, "nervios": true, "musica": true, "reggaeton": true, "vecino": true, "partido": true,
	"verguenza": true, "laughter": true, "rir": true, "bateria": true, "battery": true,
	"tacos": true, "salto": true, "zapatillas": true, "heels": true, "ansiedad": true, "anxiety": true,
	"corbata": true, "tie": true, "deudas": true, "debts": true, "dividas": true, "gravata": true,
	"alergia": true, "allergy": true,
}

var killWords = map[string]bool{
	"mata": true, "matar": true, "matando": true, "matara": true, "kill": true, "killing": true,
	"matou": true, "conazo": true, "atrapada": true, "atrapado": true, "ahorca": true, "ahorcan": true,
	"choking": true, "ataca": true, "atacan": true, "sufocando": true, "eating": true, "persigue": true, "follows": true, "segue": true,
}

var dyingWords = map[string]bool{
	"muero": true, "morir": true, "morirme": true, "muriendo": true, "morrendo": true,
	"morrer": true, "dying": true, "die": true, "morri": true, "mori": true, "desaparecer": true,
}

// NotNow tells whether the text says the danger is over, asks how to report it, or
// speaks in an idiom of dying or killing ("me muero de risa", "el calor me va a matar",
// "how do i report a rape"): a phrase of danger in it is a question (at most), not the
// numbers at once.
func NotNow(tokens []string) bool {
	var cbuf [64]uint32
	return NotNowIn(tokens, Classify(tokens, cbuf[:0]))
}

// NotNowIn is NotNow of tokens with their classes.
func NotNowIn(tokens []string, cls []uint32) bool {
	for i := range tokens {
		c := cls[i]
		if c&cSafeFirst != 0 && phrasesAt(firstWords[c>>16].safe, tokens, i, false) {
			return true
		}
		if c&cReport != 0 {
			for j := max(0, i-3); j <= min(len(tokens)-1, i+2); j++ {
				if j != i && cls[j]&cQuestion != 0 {
					return true
				}
			}
		}
		if c&cKill != 0 {
			for j := max(0, i-8); j < len(tokens) && j <= i+6; j++ {
				if cls[j]&cIdiomSubject != 0 {
					return true
				}
			}
		}
		if c&cDying != 0 {
			for j := i + 1; j < len(tokens) && j <= i+3; j++ {
				if cls[j]&cIdiomOf != 0 {
					return true
				}
			}
		}
	}
	return false
}

// hypothetical words ask about what to do if something happened ("qué hago si un
// cliente me pega", "what if the police take me"): told, not happening.
var hypothetical = [][]string{
	{"que", "hago", "si"}, {"q", "hago", "si"}, {"que", "pasa", "si"}, {"q", "pasa", "si"},
	{"que", "puedo", "hacer", "si"}, {"what", "if"}, {"what", "do", "i", "do", "if"},
	{"what", "should", "i", "do", "if"}, {"o", "que", "faco", "se"}, {"e", "se"},
	{"que", "hacer", "si"}, {"en", "caso", "de"}, {"in", "case"}, {"y", "si"},
	// about the bot: "si escribo auxilio qué pasa", "what number do i call if i'm in danger"
	{"si", "escribo"}, {"si", "pongo"}, {"si", "le", "escribo"}, {"si", "digo"}, {"if", "i", "write"},
	{"si", "te", "escribo"}, {"si", "mando"}, {"si", "te", "mando"}, {"se", "eu", "mandar"},
	{"if", "i", "send"}, {"se", "eu", "escrever"},
	{"if", "i", "say"}, {"if", "i", "type"}, {"se", "eu", "escrever"}, {"se", "eu", "disser"},
	{"se", "eu", "falar"}, {"que", "numero"}, {"q", "numero"}, {"what", "number"}, {"which", "number"},
	{"qual", "numero"}, {"if", "im", "in", "danger"}, {"if", "i", "m", "in", "danger"},
	{"if", "i", "am", "in", "danger"}, {"se", "eu", "estiver", "em", "perigo"},
	{"si", "algun", "dia"}, {"if", "one", "day"}, {"se", "um", "dia"}, {"como", "me", "doy", "cuenta"},
	{"como", "me", "defiendo"}, {"how", "do", "i", "know", "if"}, {"how", "can", "i", "tell", "if"},
}

var hypoIndex = indexPhrases(hypothetical)

// Hypothetical tells whether the text asks what to do if something happened.
func Hypothetical(tokens []string) bool {
	var cbuf [64]uint32
	return HypotheticalIn(tokens, Classify(tokens, cbuf[:0]))
}

// HypotheticalIn is Hypothetical of tokens with their classes.
func HypotheticalIn(tokens []string, cls []uint32) bool {
	for i := range tokens {
		if c := cls[i]; c&cHypoFirst != 0 && phrasesAt(firstWords[c>>16].hypo, tokens, i, true) {
			return true
		}
	}
	return false
}

// Joking tells whether the text laughs ("jajaja", "lol", "kkkk", "xd"): an idiom of
// danger in it ("mi jefa me va a matar jaja") is not a call for help.
func Joking(tokens []string) bool {
	if n := len(tokens); n > 1 && tokens[n-1] == "k" { // "kkkk" at the end, squeezed
		return true
	}
	for _, tok := range tokens {
		if tok == "" || !jokeStarts[tok[0]] {
			continue // most words: no joke begins with their letter
		}
		switch {
		case tok == "lol" || tok == "lmao" || tok == "xd" || tok == "xdd" || tok == "kk" || tok == "kkk" ||
			tok == "brincadeira" || tok == "broma" || tok == "bromeando" || tok == "jk" || tok == "kidding":
			return true
		case len(tok) >= 4 && (strings.HasPrefix(tok, "jaja") || strings.HasPrefix(tok, "jeje") || strings.HasPrefix(tok, "haha") || strings.HasPrefix(tok, "hehe") || strings.HasPrefix(tok, "rsrs") || strings.HasPrefix(tok, "kaka")):
			return true
		}
	}
	return false
}

// jokeStarts are the first letters of the words Joking looks for.
var jokeStarts = func() (t [256]bool) {
	for _, c := range "lxkbjhr" {
		t[c] = true
	}
	return t
}()

// phraseIndex finds which phrases of a list start at a token, by its first word.
type phraseIndex map[string][][]string

func indexPhrases(lists ...[][]string) phraseIndex {
	ix := phraseIndex{}
	for _, list := range lists {
		for _, p := range list {
			ix[p[0]] = append(ix[p[0]], p)
		}
	}
	return ix
}

// at tells whether a phrase of the index starts at token i (and, with follow, is
// followed by another token).
func (ix phraseIndex) at(tokens []string, i int, follow bool) bool {
	return phrasesAt(ix[tokens[i]], tokens, i, follow)
}

// phrasesAt tells whether one of the phrases starts at token i (and, with follow, is
// followed by another token).
func phrasesAt(phrases [][]string, tokens []string, i int, follow bool) bool {
	for _, p := range phrases {
		n := len(p)
		if follow {
			n++
		}
		if i+n <= len(tokens) && hasWordsAt(tokens, i, p) {
			return true
		}
	}
	return false
}

// phraseSet indexes phrases written as text, their words separated by spaces.
func phraseSet(ps ...string) phraseIndex {
	list := make([][]string, len(ps))
	for i, p := range ps {
		list[i] = strings.Fields(p)
	}
	return indexPhrases(list)
}

// longestAt returns how many words the longest phrase of the index that starts at
// tokens[i] has, 0 when none does.
func (ix phraseIndex) longestAt(tokens []string, i int) int {
	n := 0
	for _, p := range ix[tokens[i]] {
		if len(p) > n && i+len(p) <= len(tokens) && hasWordsAt(tokens, i, p) {
			n = len(p)
		}
	}
	return n
}

func hasWordsAt(tokens []string, i int, words []string) bool {
	for k, w := range words {
		if tokens[i+k] != w {
			return false
		}
	}
	return true
}

// Classes of a token: the word lists of the rules above it is in.
const (
	cNow uint32 = 1 << iota
	cAskingNow
	cPastUnit
	cPastFirst // begins a phrase of pastMarkers
	cSafeFirst // begins a phrase of safeNow
	cReport
	cQuestion
	cKill
	cDying
	cIdiomOf
	cIdiomSubject
	cHypoFirst // begins a phrase of hypothetical
	cNegationCue
	cScopeBreak
	cApostropheNot
)

// wordClasses are the classes of every word of the rules' lists.
var wordClasses = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, l := range []struct {
		words map[string]bool
		class uint32
	}{
		{nowMarkers, cNow}, {askingNow, cAskingNow}, {pastUnits, cPastUnit}, {reportWords, cReport},
		{questionWords, cQuestion}, {killWords, cKill}, {dyingWords, cDying}, {idiomOf, cIdiomOf},
		{idiomSubjects, cIdiomSubject}, {negationCues, cNegationCue}, {scopeBreaks, cScopeBreak},
		{apostropheNots, cApostropheNot},
	} {
		for w, ok := range l.words {
			if ok {
				m[w] |= l.class
			}
		}
	}
	for _, l := range []struct {
		index phraseIndex
		class uint32
	}{{pastIndex, cPastFirst}, {safeIndex, cSafeFirst}, {hypoIndex, cHypoFirst}} {
		for w := range l.index {
			m[w] |= l.class
		}
	}
	// the words that begin phrases carry, above the classes, their place in firstWords
	words := make([]string, 0, len(m))
	for w, c := range m {
		if c&(cPastFirst|cSafeFirst|cHypoFirst) != 0 {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	firstWords = make([]firstWord, 1, len(words)+1)
	for _, w := range words {
		m[w] |= uint32(len(firstWords)) << 16
		firstWords = append(firstWords, firstWord{past: pastIndex[w], safe: safeIndex[w], hypo: hypoIndex[w]})
	}
	if len(firstWords) >= 1<<16 || cApostropheNot >= 1<<16 {
		panic("understand: too many classes or phrases for wordClasses")
	}
	return m
}()

// firstWord lists the phrases of pastMarkers, safeNow and hypothetical a word begins.
type firstWord struct{ past, safe, hypo [][]string }

// firstWords are the words that begin such phrases, by the place wordClasses gives
// them (0: none).
var firstWords []firstWord

// Classify looks each token up once in the word lists of PastEvent, NotNow,
// Hypothetical and Negated, for their ...In forms: a long message is read by all of
// them. The classes are written into buf when it has room.
func Classify(tokens []string, buf []uint32) []uint32 {
	cls := buf[:0]
	if cap(buf) < len(tokens) {
		cls = make([]uint32, 0, len(tokens))
	}
	prev, prevCls := "", uint32(0) // a flood repeats a word: looked up once in a row
	for i, tok := range tokens {
		if i == 0 || tok != prev {
			prev, prevCls = tok, wordClasses[tok]
		}
		cls = append(cls, prevCls)
	}
	return cls
}
