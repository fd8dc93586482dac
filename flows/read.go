package flows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows/understand"
)

// How a message is understood, before the node it arrives at has its say. Precedence
// fits safety: danger > self-harm > an explicit command > an option > the answer to
// the question asked (a name, a place, yes or no) > a topic. This file reads a message
// without context; step.go applies it at a node.

// Policy thresholds on the model's probabilities, chosen on the dev and probe splits
// (faro eval --split dev; --corpus flows/understand/corpus/probe) as those that cost
// least when a missed danger costs five needless questions; never on the held-out split.
const (
	// actSafety: the numbers at once.
	actSafety = 0.65
	// askSafety: danger or self-harm likely but not certain: ask once.
	askSafety = 0.30
	// askShort: the same for a message of one or two words
	askShort = 0.60
	// langMargin is how much better per character gram a language must score than the
	// others to say the text is clearly in it; langMinWords, how long the text must be.
	langMargin   = 0.35
	langMinWords = 3
)

// reading is how the engine understood one message, without regard to the node.
type reading struct {
	intent string // a label of the corpus (understand/corpus/README.md)
	ask    bool   // danger or self-harm likely, not certain: ask once
	prob   float32
	rule   string // the rule that decided, when one did
	lang   string // the language the text is clearly in, or ""
	number int    // the option number said, or -1
	name   string // the social name said, as typed
	place  string // the place said, as typed (not yet located)
	places []Place
	// nowhere says that the whole text was looked up as a place, and names none
	nowhere bool
	then    string // when asking about danger: the node of what else the message says
	// thenIntent is the intent of then: what else the message says, which «no» leads to
	thenIntent string
	// category is the kind of service the message looks for, with a place
	category string
	// note says, for explanations, what was set aside on the way
	note string
	// distress is set for a message of distress emoji alone (distressAlone), sad for
	// one of sad faces alone (sadAlone)
	distress, sad bool
	// nameTalk is set for a message only about her name that gives none ("te doy mi
	// nombre", "no me llamo así", "no quiero dar mi nombre")
	nameTalk understand.NameTalkKind
}

const (
	ruleDistressAlone = "distress emoji alone, no word: asked once"
	ruleSadAlone      = "sad faces alone, no word: how she feels"
	// ruleGreetings: the whole message is greetings (answer.greeting): a hello, never
	// a name or a place
	ruleGreetings = "greetings alone (answer.greeting)"
	ruleBusyAlone = "busy, in a hurry or on her way, said alone"
	ruleStreet    = "a street, not the place of its name: the place question"
	ruleNameTalk  = "about her name, none given"
	// ruleCannotCall: she cannot call for help («no puedo llamar», «no tengo saldo»),
	// with no danger read: what she can do instead, and the numbers
	ruleCannotCall = "cannot call, no danger read"
	// intentCannotCall is the reading of ruleCannotCall (no label of the corpus: the
	// corpus labels what the message is about, danger included, not this)
	intentCannotCall = "cannot_call"
	// ruleCommandWord: the whole message is a command's word (cmd.*), or near one
	ruleCommandWord = "command word (cmd.*)"
	intentFeelings  = "feelings"
	intentViolence  = "violence"
	intentHealth    = "health"
	intentServices  = "services"
	intentPolice    = "police"
	intentErase     = "cmd_erase"
	// maxPlaceAloneWords bounds the words of a place said alone: a longer message says
	// more, and is not looked up before the lists and the model have read it
	maxPlaceAloneWords = 10
	// needOverPlace is how likely a need with no kind of service must be to be answered
	// rather than the place said with it (as a topic leaves the question of the place)
	needOverPlace = 0.6
	// thenClear is how likely another reading must be for «no» to lead to it
	thenClear = 0.35
)

// distressAlone tells a message of emoji of distress and no word ("😭😭", "💔", "😰",
// "😭🙏"): it may be danger, or sadness, and says nothing more. Praying hands alone are
// thanks (they read as "gracias"), and laughter is no distress.
func distressAlone(raw string, ctx understand.Context) bool {
	if ctx&understand.CtxDistress == 0 || ctx&understand.CtxLaugh != 0 {
		return false
	}
	distress, _, ok := emojiAlone(raw)
	return ok && distress
}

// sadAlone tells a message of sad faces and nothing else ("😔", "🥺🥺", "☹️"): how she
// feels, with no sign of danger (distress emoji are distressAlone).
func sadAlone(raw string, tokens []string, ctx understand.Context) bool {
	if len(tokens) != 0 || ctx&understand.CtxLaugh != 0 {
		return false
	}
	distress, sad, ok := emojiAlone(raw)
	return ok && sad && !distress
}

// sadEmoji are faces of sadness, tiredness or pleading: not distress (the model does
// not read them), but how someone feels.
var sadEmoji = map[rune]bool{'😔': true, '😞': true, '😟': true, '🙁': true, '☹': true, '😣': true, '😓': true,
	'😪': true, '😫': true, '🥺': true, '🥲': true, '😿': true}

// emojiAlone reads a message with no letter and no digit (ok; false at the first one):
// whether it has an emoji of distress (praying hands aside) and one of sadness.
func emojiAlone(raw string) (distress, sad, ok bool) {
	for i := 0; i < len(raw); {
		if c := raw[i]; c < utf8.RuneSelf {
			if l := c | 0x20; 'a' <= l && l <= 'z' || '0' <= c && c <= '9' {
				return false, false, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(raw[i:])
		i += n
		switch {
		case sadEmoji[r]:
			sad = true
		case r >= 0x1F000 && r < 0x20000: // emoji and symbols, no letter
			distress = distress || r != '🙏' && understand.EmojiContext(r)&understand.CtxDistress != 0
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return false, false, false
		}
	}
	return distress, sad, true
}

// maxTailTokens and maxTailBytes bound the words past MaxInputRunes that the model
// reads: the end of a long story, where the danger often is, as much as the start it
// read (about 90 words of prose). The model's work grows with the letters it reads:
// with maxScanTokens, and the scanner's search of the story for the danger words alone
// (scan.go), they bound the engine's CPU for any message (BenchmarkStepWorst).
const (
	maxTailTokens = 160
	maxTailBytes  = understand.MaxInputRunes
)

// storyEnd returns how many of toks, from their end, the model reads: at most
// maxTailTokens words of at most maxTailBytes bytes with their spaces.
func storyEnd(toks []string) int {
	n, size := 0, 0
	for i := len(toks) - 1; i >= 0 && n < maxTailTokens; i-- {
		if size += len(toks[i]) + 1; size > maxTailBytes {
			break
		}
		n++
	}
	return n
}

// storyTail returns the classes and negations of tokens[from:], the end of a long
// story the model reads: cut from cls and neg when they are those of all the tokens,
// or else (nil) worked out from those words alone and the few before them that a
// negation reaches them from, into the buffers' arrays.
func storyTail(tokens []string, from int, cls []uint32, neg []bool, clsBuf []uint32, negBuf []bool) ([]uint32, []bool) {
	if cls != nil {
		return cls[from:], neg[from:]
	}
	lead := max(from-understand.NegationReach, 0)
	cls = understand.Classify(tokens[lead:], clsBuf)
	neg = understand.NegatedIn(tokens[lead:], cls, negBuf)
	return cls[from-lead:], neg[from-lead:]
}

// maxScanTokens bounds the words searched for danger in a long message: its start
// (what was read as the message) and its end, where a long story tells what is
// happening now. 4,096 characters of prose are about 700 words, all searched; a flood
// of one-letter words (up to 2,000) is cut in the middle.
const maxScanTokens = 800

// scanTokens returns the words of a long story searched for danger: those of its first
// MaxScanRunes runes, and when that is more than maxScanTokens words, its first head
// words and its last ones. head is how many words are read as the message: those up
// to the first space at or after its MaxInputRunes-th byte, once normalized.
func scanTokens(raw string) (tokens []string, head int) { return scanTokensInto(nil, raw) }

// scanTokensInto is scanTokens into dst's array.
func scanTokensInto(dst []string, raw string) (tokens []string, head int) {
	norm := understand.NormalizeN(raw, understand.MaxScanRunes)
	if norm == "" {
		return dst[:0], 0
	}
	headEnd := len(norm)
	if headEnd > understand.MaxInputRunes {
		if j := strings.IndexByte(norm[understand.MaxInputRunes:], ' '); j >= 0 {
			headEnd = understand.MaxInputRunes + j
		}
	}
	head = strings.Count(norm[:headEnd], " ") + 1
	if strings.Count(norm, " ")+1 <= maxScanTokens || head >= maxScanTokens {
		tokens = tokensInto(dst, norm)
		return tokens, min(head, len(tokens))
	}
	// the first head words and the last ones, without splitting the middle
	toks := grow(dst, maxScanTokens)[:0]
	rest := norm
	for range head {
		w, after, _ := strings.Cut(rest, " ")
		toks = append(toks, w)
		rest = after
	}
	end := len(norm)
	tail := toks[head:maxScanTokens]
	for i := len(tail) - 1; i >= 0; i-- {
		j := strings.LastIndexByte(norm[:end], ' ')
		tail[i] = norm[j+1 : end]
		end = j
	}
	return toks[:maxScanTokens], head
}

// analyzeText normalizes raw and compares its words with the vocabulary, into sc's
// arrays: what is read as the message (tokens, t) and the story searched for danger
// (scan: t itself for a message of at most MaxInputRunes bytes). A long story is
// normalized once: what is read as the message is its first words (see scanTokens).
// Its scan has the words of the lists said exactly; full, when not nil, gives it the
// typos too, for read to call only when no phrase was said exactly.
func (e *Engine) analyzeText(sc *scratch, raw string) (tokens []string, t, scan *text, full func() *text) {
	if len(raw) <= understand.MaxInputRunes {
		sc.tokens = tokensInto(sc.tokens, Normalize(raw))
		t = e.vocab.analyzeInto(&sc.text, sc.tokens)
		return sc.tokens, t, t, nil
	}
	var head int
	sc.scanTokens, head = scanTokensInto(sc.scanTokens, raw)
	tokens = sc.scanTokens[:head:head]
	t = e.vocab.analyzeInto(&sc.text, tokens)
	sc.exact = e.danger.exactInto(sc.exact, sc.scanTokens, t)
	scan = e.danger.textInto(&sc.scan, sc.scanTokens, t, sc.exact, false)
	full = func() *text { return e.danger.textInto(&sc.scan, sc.scanTokens, t, sc.exact, true) }
	return tokens, t, scan, full
}

// read understands a message. tokens and t are what is read as the message (its first
// MaxInputRunes), scan its first MaxScanRunes (a long story may end with the danger),
// with its typos once full is called when it is not nil (see analyzeText).
func (e *Engine) read(raw string, tokens []string, t, scan *text, full func() *text, explain *strings.Builder) reading {
	r := reading{number: -1}
	// a number among filler words ("4", "la 5 porfa") is an option, and never a call
	// for help: no model needed
	if n, ok := e.number(tokens); ok && len(raw) <= understand.MaxInputRunes {
		r.intent, r.number, r.rule, r.prob = "pick", n, "number", 1
		if n == 0 {
			r.intent = "cmd_menu"
		}
		return r
	}
	// each token is looked up once in the lists of negation, time and idioms
	var negBuf [64]bool
	var clsBuf [64]uint32
	cls := understand.Classify(tokens, clsBuf[:0])
	neg := understand.NegatedIn(tokens, cls, negBuf[:])
	var probBuf [understand.MaxLabels]float32
	ctx := understand.ContextOf(raw)
	// the model's probabilities, worked out once a rule has not decided (or to explain)
	var probs []float32
	model := func() []float32 {
		if probs == nil {
			probs = e.model.ProbsIn(tokens, cls, neg, ctx, probBuf[:])
		}
		return probs
	}
	r.lang = e.textLang(tokens)
	if explain != nil {
		e.explainModel(explain, tokens, neg, ctx, model())
	}

	// 1. danger and self-harm: a rule of the locales' lists, not negated, or the model
	// The classes and negations of a long story's words are worked out when they are
	// read: when a phrase is found, or the story may be of the past (see past).
	scanNeg, scanCls := neg, cls
	classified := scan == t
	classify := func() {
		if classified {
			return
		}
		classified = true
		// the words read as the message, looked up already
		same := 0
		for same < len(tokens) && same < len(scan.tokens) && scan.tokens[same] == tokens[same] {
			same++
		}
		scanCls = make([]uint32, len(scan.tokens))
		copy(scanCls, cls[:same])
		understand.Classify(scan.tokens[same:], scanCls[same:same])
		scanNeg = understand.NegatedIn(scan.tokens, scanCls, nil)
	}
	// a call ("auxilio", "socorro") is never negated: "no puedo mas auxilio"; other
	// words are ("not suicidal")
	notNegated := func(start, n int) bool {
		classify()
		return !scanNeg[start] || (n == 1 && callWords[scan.tokens[start]])
	}
	for _, c := range []struct {
		ws     words
		exact  bool
		intent string
		what   string
	}{
		{e.crisis, true, understand.IntentSelfHarm, "self-harm phrase (cmd.crisis)"},
		{e.emergencyAll, true, understand.IntentDanger, "danger phrase (cmd.emergency)"},
		{e.crisis, false, understand.IntentSelfHarm, "self-harm phrase with a typo (cmd.crisis)"},
		{e.emergencyAll, false, understand.IntentDanger, "danger phrase with a typo (cmd.emergency)"},
	} {
		if !c.exact && full != nil {
			scan, full = full(), nil // no phrase said exactly: the typos are looked for
		}
		if p, ok := scan.findContained(c.ws, c.exact, notNegated); ok {
			r.intent, r.rule = c.intent, c.what
			if explain != nil {
				r.rule += " «" + e.vocab.String(p) + "»"
			}
			break
		}
	}
	if r.intent == "" && e.isDangerAlone(tokens) {
		r.intent, r.rule = understand.IntentDanger, "the whole message is a call for help (cmd.emergency_alone)"
	}
	if dying := understand.DyingAlone(tokens); r.intent == "" && dying != understand.NotDying {
		// «me muero», «im dying», «me muero de miedo» and nothing else: her body, or her
		// will to live; the model reads them as the idioms it has seen. One question
		// before the numbers (SAMU among them); «no» goes to her health for pain, to how
		// she feels for fear or sadness, else back where she was.
		r.intent, r.ask, r.prob, r.rule = understand.IntentDanger, true, 1, "dying said alone: asked once"
		switch dying {
		case understand.DyingOfPain:
			r.then, r.thenIntent = e.intentNodes[intentHealth], intentHealth
		case understand.DyingOfHurt:
			r.then, r.thenIntent = e.intentNodes[intentFeelings], intentFeelings
		}
		return r
	}
	if r.intent == "" && distressAlone(raw, ctx) {
		// "😭😭", "💔", "😰😰": danger, or sadness; not a word to tell which. One question
		// before the numbers; "no" goes to how she feels.
		r.intent, r.ask, r.prob, r.rule, r.distress = understand.IntentDanger, true, 1, ruleDistressAlone, true
		r.then, r.thenIntent = e.intentNodes[intentFeelings], intentFeelings
		return r
	}
	if r.intent == "" && sadAlone(raw, tokens, ctx) {
		r.intent, r.prob, r.rule, r.sad = intentFeelings, 1, ruleSadAlone, true
		return r
	}
	// told of the past, laughing, or over: a phrase of danger is not the numbers at once
	// (read when a phrase was found, or the model would act)
	past := func() bool {
		classify()
		return understand.PastEventIn(scan.tokens, scanCls) || understand.Joking(scan.tokens) || ctx&understand.CtxLaugh != 0 ||
			understand.NotNowIn(scan.tokens, scanCls) || understand.HypotheticalIn(scan.tokens, scanCls)
	}
	if r.intent != "" && !past() {
		r.prob = 1
		if r.lang == "" {
			if full != nil {
				scan, full = full(), nil
			}
			r.lang = e.listLang(scan)
		}
		return r
	}
	probs = model()
	pd, ps := probs[e.iDanger], probs[e.iSelfHarm]
	safe := pd + ps
	if r.intent != "" {
		// "me violaron hace un año, puedo denunciar?", "el calor me va a matar": a phrase
		// of danger told of the past, laughing, over or in a question about reporting is
		// left to the model, which has seen such messages (and then asks at most)
		if r.intent == understand.IntentSelfHarm {
			ps = max(ps, pd+0.01)
		}
		r.note = r.rule + " set aside: told of the past, laughing, over, or asked about"
		r.intent, r.rule = "", ""
	}
	if scan != t {
		// the part past what was scored: the end of a long story
		var tail [understand.MaxLabels]float32
		from := len(scan.tokens) - storyEnd(scan.tokens[len(tokens):]) // the model reads the story's end
		var clsBuf [maxTailTokens + understand.NegationReach]uint32
		var negBuf [maxTailTokens + understand.NegationReach]bool
		tcls, tneg := scanCls, scanNeg
		if !classified {
			tcls, tneg = nil, nil
		}
		tcls, tneg = storyTail(scan.tokens, from, tcls, tneg, clsBuf[:0], negBuf[:])
		p := e.model.ProbsIn(scan.tokens[from:], tcls, tneg, ctx, tail[:])
		pd, ps = max(pd, p[e.iDanger]), max(ps, p[e.iSelfHarm])
		safe = max(safe, p[e.iDanger]+p[e.iSelfHarm])
	}
	// the raw text's words, split once for the name and the place said with an anchor
	var words *understand.Words
	rawWords := func() understand.Words {
		if words == nil {
			ws := understand.SplitWords(raw)
			words = &ws
		}
		return *words
	}
	// a whole message that is a command, a yes or no, or greetings alone is none of these
	exact := e.command(t, true)
	yesNo := e.yesNo(t)
	greeting := e.greetings.whole(tokens)
	nameTalk := understand.NameTalk(tokens)
	// "me chama de Estrela por favor": a name with its anchor and courtesy alone
	nameAlone := understand.Anchored(tokens, true) && understand.NameAlone(rawWords())
	// "estoy embarazada", "estou grávida": a health need, said alone
	pregnant := understand.PregnancyAlone(tokens)
	// "estoy apurada", "i'm in a hurry", "estou a caminho": busy, and nothing else
	// («apagar meus dados por favor» is the erase command with courtesy, not her mobile
	// data turned off)
	busy := understand.BusyAlone(tokens) && e.command(t, false) != cmdErase
	// the place said with an anchor, looked up once
	placeAnchored := understand.Anchored(tokens, false)
	var anchoredDone bool
	var aPlace, aAnchor string
	var aPlaces []Place
	anchored := func() (place, anchor string, ps []Place) {
		if !anchoredDone {
			anchoredDone = true
			aPlace, aAnchor, aPlaces = e.anchoredPlace(rawWords())
		}
		return aPlace, aAnchor, aPlaces
	}
	// "staying in cusco for now", "hola, estoy en comas": where she is, and nothing else
	placeAlone := false
	if placeAnchored && len(tokens) <= maxPlaceAloneWords {
		if place, anchor, ps := anchored(); len(ps) > 0 {
			words := e.placeWords(place, ps[0].Code)
			rest, found := besidePlace(tokens, anchor, words)
			placeAlone = found && namedAs(words, ps[0]) && e.nothingElse(rest)
		}
	}
	plain := exact != cmdNone || yesNo != "" || greeting || nameTalk != understand.NotNameTalk || nameAlone || pregnant || placeAlone || busy
	which := understand.IntentDanger
	if ps > pd {
		which = understand.IntentSelfHarm
	}
	var ask float32 = askSafety
	if len(tokens) <= 2 {
		// a word or two tells the model little: the phrases of the lists answer those
		ask = askShort
	}
	// «un cliente me dijo q tiene algo y no usamos condón, kiero saber si me pegó algo»:
	// an infection told in the words of a blow or a weapon; the one question comes
	// before the numbers, and «no» goes to her health
	infected := which == understand.IntentDanger && understand.InfectionTold(tokens)
	// «se me rompió el pasaporte, me lo aceptan así?», «i think i left my passport at
	// the airbnb and the host says its not there»: her documents lost, stolen or
	// damaged, and no danger now told; the one question comes before the numbers, and
	// «no» goes to the migrants' pages
	docsLost := which == understand.IntentDanger && safe >= ask && !infected && len(tokens) <= maxToldWords && understand.DocumentsLost(tokens)
	// «me quiero ir a mi país», «quiero irme a venezuela»: going back to her country
	// («me quiero ir» is also wanting to die), with no wish to die nor danger now told;
	// the one question first, and «no» goes to the migrants' pages
	homeward := safe >= ask && !infected && !docsLost && len(tokens) <= maxToldWords && understand.ReturnHomeTold(tokens)
	// «theres a case against me... can someone help», «tem um processo contra mim, me
	// ajuda»: a legal matter of her own, a plea beside it, and no danger now told; the one
	// question first, and «no» goes to free legal help
	lawful := which == understand.IntentDanger && safe >= ask && !infected && !docsLost && !homeward &&
		len(tokens) <= maxToldWords && understand.LegalMatterTold(tokens) && !understand.DangerNowTold(tokens)
	switch {
	case plain:
	case safe >= actSafety && !past() && !infected && !docsLost && !homeward && !lawful:
		r.intent, r.prob, r.rule = which, safe, "model"
		return r
	case safe >= ask:
		r.intent, r.prob, r.ask, r.rule = which, safe, true, "model: likely, ask once"
		if infected {
			r.rule = "model: likely, ask once (an infection told: understand.InfectionTold)"
			r.then, r.thenIntent = e.intentNodes[intentHealth], intentHealth
			return r
		}
		if lawful {
			r.rule = "model: likely, ask once (a legal matter of her own: understand.LegalMatterTold)"
			r.then, r.thenIntent = e.intentNodes["legal"], "legal"
			return r
		}
		if docsLost || homeward {
			r.rule = "model: likely, ask once (her documents lost: understand.DocumentsLost)"
			if homeward {
				r.rule = "model: likely, ask once (going back to her country: understand.ReturnHomeTold)"
			}
			r.then, r.thenIntent = e.intentNodes["migrant"], "migrant"
			return r
		}
		// "no" goes on to what else the message was about, if that is clear enough;
		// otherwise back where the person was
		best := e.thenIntent(probs, pd, ps, which)
		if len(tokens) <= maxToldWords {
			// «la administradora se lleva la mitad de lo q cobro», asked about danger,
			// then «no»: what the message tells (toldOver) rather than back where she was
			for _, o := range toldOver {
				if (best == "" || o.over[best]) && o.told(tokens) {
					best = o.intent
					break
				}
			}
		}
		if best != "" {
			r.then, r.thenIntent = e.intentNodes[best], best
		}
		return r
	}

	// 2. explicit words: a command, yes or no, a language's name
	if exact != cmdNone {
		r.intent, r.rule, r.prob = commandIntent[exact], ruleCommandWord, 1
		return r
	}
	if yesNo != "" {
		r.intent, r.rule, r.prob = yesNo, "yes/no word (answer.*)", 1
		return r
	}
	if greeting {
		r.intent, r.rule, r.prob = "greet", ruleGreetings, 1
		return r
	}
	if understand.CallTroubleOf(tokens) == understand.CannotCall || understand.NoAnswerAlone(tokens) {
		// «no puedo llamar», «can't call» («call» is no name here), «sem saldo»
		// or «nadie contesta», «nobody picks up» said alone
		r.intent, r.rule, r.prob = intentCannotCall, ruleCannotCall, 1
		return r
	}
	if nameTalk != understand.NotNameTalk {
		r.intent, r.rule, r.prob, r.nameTalk = "name", ruleNameTalk, 1, nameTalk
		return r
	}
	if pregnant {
		r.intent, r.rule, r.prob = intentHealth, "pregnancy said alone", 1
		return r
	}
	if _, ok := t.findContained(e.hivTreatment, true, anywhere); ok { // «no tomo mis arv» is the need itself
		// «hace 2 semanas no tomo mis antirretrovirales xq se me terminaron», «en
		// venezuela tomaba tarv pero desde q llegue no tengo nada»: treatment that must
		// not stop; the model, which has seen little of it, read violence or a place.
		// Its page (SIS for foreigners with HIV, Línea 113) is the health page's
		r.intent, r.rule, r.prob = intentHealth, "HIV treatment named ("+keyHIVTreatment+")", 1
		return r
	}
	if understand.ThanksAlone(tokens) {
		// «ty ❤️», «valeu mesmo ❤️»: thanks and nothing else (the model read «ty» as
		// nothing, «valeu mesmo» as a yes)
		r.intent, r.rule, r.prob = "thanks", "thanks alone (understand.ThanksAlone)", 1
		return r
	}
	if understand.AsksForPerson(tokens) {
		// «are you a bot? i need a real person», «no quiero hablar con una máquina»: the
		// model reads the bot named as a question about Faro
		r.intent, r.rule, r.prob = "cmd_operator", "asks for a person (understand.AsksForPerson)", 1
		return r
	}
	if busy {
		// the menu with the emergency option first, one tap from the numbers
		r.intent, r.rule, r.prob = "cmd_help", ruleBusyAlone, 1
		return r
	}
	if understand.AsksIfReported(tokens) {
		// «me vas a denunciar si te cuento q no tengo papeles?»: what Faro keeps and
		// shares, not how to report (danger was read before)
		r.intent, r.rule, r.prob = "about", "asks whether Faro reports her", 1
		return r
	}
	if i := e.languageNamed(tokens); i >= 0 {
		r.intent, r.rule, r.prob = "cmd_language", "language name", 1
		return r
	}

	// 3. a name or a place said with its anchor ("me llamo", "estoy en")
	if !understand.Anchored(tokens, true) {
		// no anchor: nothing to extract, nothing to allocate
	} else if name, anchor := understand.NameIn(rawWords(), false); name != "" {
		r.intent, r.name, r.rule, r.prob = "name", name, "name after «"+anchor+"»", 1
		if !placeAnchored {
			return r
		}
		// "me llamo Yuli, estoy en la victoria y necesito un centro de salud": the name is
		// kept, and the place and the need are answered
	}
	best := e.bestIntent(probs)
	if best == intentErase && !understand.EraseAsked(tokens) {
		// «my boss takes everything i earn»: «everything» weighs toward erasing, but no
		// word asks for it; the next reading is hers
		best = e.bestIntent(probs, intentErase)
	}
	if !placeAnchored {
		// no anchor
	} else if place, anchor, ps := anchored(); place != "" {
		if len(ps) == 0 && understand.NamesStreet(tokensOf(Normalize(place))) {
			// "estoy en la av arequipa": a street, which the directory does not look up
			// (it is not the city of Arequipa); with nothing else said, she is asked her
			// district
			rest, found := besidePlace(tokens, anchor, place)
			if best == "place" || found && e.nothingElse(rest) {
				r.intent, r.nowhere, r.prob, r.rule, r.place = understand.IntentOther, true, 1, ruleStreet, place
				return r
			}
		}
		if len(ps) > 0 {
			r.place, r.places = place, ps
			rest, found := besidePlace(tokens, anchor, place)
			if !placeAlone && found && len(rest) == 0 {
				// "en sjl hay cem?": the words after the anchor are the place and more
				if head, tail := e.placeTail(place, ps[0].Code); len(tail) > 0 {
					if kind, alone := e.kindBesidePlace(t, head, tail); kind != "" && alone {
						r.intent, r.rule, r.prob, r.category = intentServices, "a kind of service named after a place after «"+anchor+"»", 1, kind
						return r
					}
				}
			}
			if placeAlone || found && (len(rest) == 0 || e.greetings.whole(rest)) {
				// "ando por mesa redonda", "hola, estoy en comas": where she is, and
				// nothing else (the model may read "ando" as how she feels)
				r.intent, r.rule, r.prob = "place", "place after «"+anchor+"», and nothing else", 1
				return r
			}
			cat, topical := e.intentCategory[best]
			if best == "services" {
				cat = e.categoryOf(probs)
			}
			if kind, alone := e.kindBesidePlace(t, place, rest); kind != "" && (kind != cat || alone) {
				switch {
				case topical && healthKinds[cat] && healthKinds[kind]:
					// "necesito un psicólogo en comas", "prueba de vih en surco": health,
					// and the kind of health service named (however unsure the model is
					// of health when nothing else is said)
					cat = kind
					if alone && found {
						r.intent, r.rule, r.prob, r.category = best, "a kind of health service named with a place after «"+anchor+"»", 1, kind
						return r
					}
				case (alone || best == "place" || best == "services") && found &&
					!e.needOfKind(withoutOtherPlaces(rest, rawWords(), place), ctx, kind):
					// "necesito un cem en surquillo", "una posta médica en smp x fa": a kind
					// of service named by its words (answer.services_*), at that place,
					// whatever the model makes of the rest when it says nothing else (a
					// need of that kind, «necesito un abogado», keeps its page)
					r.intent, r.rule, r.prob, r.category = intentServices, "a kind of service named with a place after «"+anchor+"»", 1, kind
					return r
				}
			}
			if intent, what := toldOverOf(best, tokens); intent != "" && e.intentNodes[intent] != "" {
				// «me retuvieron el pasaporte en el local de trujillo»: what the message
				// tells (toldOver) turns the model's reading; the place is kept for the
				// services near her
				r.intent, r.prob, r.category = intent, 1, e.intentCategory[intent]
				r.rule = what + ", read as " + best + " by the model, with a place after «" + anchor + "»"
				return r
			}
			if (best == "services" || topical) && probs[e.model.Label(best)] >= 0.3 {
				// "busco un centro de salud en comas": services of that kind, at that place
				r.intent, r.rule, r.prob, r.category = best, "model, with a place after «"+anchor+"»", probs[e.model.Label(best)], cat
				return r
			}
			if in, cat, p := e.needBesidePlace(withoutOtherPlaces(rest, rawWords(), place), ctx); cat != "" {
				// "estoy por el mercado de la victoria y necesito una prueba de vih": the
				// place weighs on the whole; the rest of the message says the need
				r.intent, r.rule, r.prob, r.category = in, "model on the words beside the place after «"+anchor+"»", p, cat
				return r
			}
			if pb := probs[e.model.Label(best)]; !topical && best != "services" && best != "thanks" &&
				e.intentNodes[best] != "" && pb >= needOverPlace {
				// "me están cobrando cupo en la victoria", "la policía me detuvo en
				// miraflores": a need that no kind of service answers, said with a place,
				// is the need (its page says where to turn); the place is kept for the
				// services near her
				r.intent, r.rule, r.prob = best, "model: a need said with a place after «"+anchor+"»", pb
				return r
			}
			r.intent, r.rule, r.prob = "place", "place after «"+anchor+"»", 1
			return r
		}
	}
	if r.name != "" {
		return r // a name, and no place found
	}

	if len(tokens) > 0 && len(tokens) <= maxPlaceAloneWords && understand.Street(tokens[0]) && understand.NamesStreet(tokens) && len(e.dir.Locate(raw)) == 0 {
		// "av abancay", "jr ica": a street said alone; she is asked her district
		r.intent, r.nowhere, r.prob, r.rule, r.place = understand.IntentOther, true, 1, ruleStreet, raw
		return r
	}

	// 4. the model
	r.intent, r.prob, r.rule = best, probs[e.model.Label(best)], "model"
	if (hurtAside[best] || best == intentPolice && !understand.PoliceNamed(tokens)) && understand.HurtTold(tokens) &&
		!(best == intentHealth && understand.PainTold(tokens)) {
		// «meu namorado me bate e eu tenho medo», «my partner hits me and im scared to
		// tell anyone»: the fear weighs on the model, the violence is what she told (pain
		// or an injury keeps her health: «me duele la cabeza desde que me golpearon»);
		// the police page only when she names the police or another authority
		r.intent, r.prob, r.rule = intentViolence, 1, "someone hit her (understand.HurtTold), read as "+best+" by the model"
		return r
	}
	if intent, what := toldOverOf(best, tokens); intent != "" {
		r.intent, r.prob, r.rule = intent, 1, what+", read as "+best+" by the model"
		return r
	}
	switch best {
	case "name":
		if r.name, _ = understand.NameIn(rawWords(), true); r.name == "" || len(tokens) > 6 {
			r.intent, r.name = understand.IntentOther, ""
		}
	case "place":
		if len(tokens) > maxLocateWords {
			// a flood of words the model reads as a place: not looked up whole (the
			// gazetteer's fuzzy look-up costs by the word)
			r.intent = understand.IntentOther
		} else if ps := e.dir.Locate(raw); len(ps) > 0 {
			r.place, r.places = raw, ps
		} else {
			r.intent, r.nowhere = understand.IntentOther, true
		}
	}
	if r.prob < 0.25 && best != understand.IntentOther {
		// a district, a province or a region named alone is where she is, however unsure
		// the model is of a spelling it never saw («Cuzco») or what it makes of it («smp»)
		bare := len(tokens) <= 2
		if bare && r.intent != "place" && !slices.ContainsFunc(tokens, understand.Everyday) {
			if ps := e.dir.Locate(raw); anyAdmin(ps) {
				r.intent, r.place, r.places = "place", raw, ps
			}
		}
		if !bare || r.intent != "place" || !anyAdmin(r.places) {
			r.intent, r.rule = understand.IntentOther, fmt.Sprintf("model unsure (%s %.2f)", best, r.prob)
		}
	}
	if r.intent == understand.IntentOther && len(tokens) > 0 && len(tokens) <= maxToldWords {
		// «is there a free psychologist», «hay alguna psicologa q atienda gratis? siento q
		// el estres me esta ganando»: a kind of service asked for by its words
		// (answer.services_*), the rest of the message unclear to the model, is a search
		// of that kind («my roommate is studying to be a lawyer» asks for none)
		if kind, alone := e.kindBesidePlace(t, "", tokens); kind != "" && (alone || askingStarts[tokens[0]]) {
			r.intent, r.category, r.prob = intentServices, kind, 1
			r.rule = "a kind of service asked for by its words (answer.services_*), the rest unclear"
		}
	}
	return r
}

// askingStarts begin a message that asks for something: «hay alguna…», «is there…»,
// «onde tem…», «necesito…».
var askingStarts = map[string]bool{"hay": true, "habra": true, "donde": true, "dnd": true, "where": true,
	"any": true, "is": true, "are": true, "tem": true, "onde": true, "necesito": true, "nesecito": true,
	"need": true, "busco": true, "looking": true, "preciso": true, "procuro": true, "alguien": true,
	"anyone": true, "conoces": true, "conocen": true, "sabes": true, "saben": true, "recomiendas": true,
	"recomiendan": true, "alguem": true, "voce": true, "vc": true, "conhece": true, "sabe": true}

// hurtAside are the model's readings that a message telling that someone hit her
// turns into violence: how she feels, her health, nothing clear, and what else she
// told beside it, her papers or her work («mi pareja me pega y no tengo papeles», «a
// client beat me up at work»): the violence page, with the numbers, comes first (its
// «how to report» says no ID may be demanded).
var hurtAside = map[string]bool{intentFeelings: true, intentHealth: true, understand.IntentOther: true, "greet": true, "thanks": true, "name": true,
	"migrant": true, "sexwork": true}

// maxToldWords bounds the messages the rules of toldOver and a kind asked for by its
// words read: a message longer than this (a flood; the longest line of the corpora has
// 56 words) tells no one thing, and each rule would cost by the word (BenchmarkStepWorst).
const maxToldWords = 120

// toldOver are what a message tells that turns some of the model's readings into
// another intent, the first that applies: the words close a family the model weighs
// wrongly (each rule's tests say which).
var toldOver = []struct {
	over   map[string]bool            // the model's readings it turns
	told   func(tokens []string) bool // what the message tells
	intent string
	what   string
}{
	// «os cana pediram dinheiro pra nao encher meu saco, isso pode??»: the police
	// asking her for money is the police page's (how to complain about them), not the
	// extortion page's, nor her papers
	{map[string]bool{understand.IntentOther: true, "extortion": true, "migrant": true}, understand.BribeAsked,
		intentPolice, "the police asked her for money (understand.BribeAsked)"},
	// «nurse insulted me for being a sex worker, i want to report her»: «report» is the
	// model's; mistreated at a public service is a complaint about it
	{map[string]bool{"report": true}, understand.MistreatedAtAService,
		"complain", "mistreated at a service (understand.MistreatedAtAService)"},
	// «cuáles son mis derechos si me detienen», «prenderam a gente na batida»: her
	// rights, or her papers, when detained are what the detention page is about (and
	// detention itself read unsure)
	{map[string]bool{"rights": true, "migrant": true, understand.IntentOther: true, "detention": true}, understand.DetainedTold,
		"detention", "detained told (understand.DetainedTold)"},
	// «un pata tiene mis fotos y dice q las va a publicar si no le pago»: the model
	// reads the violence; the extortion page says what to do about this one
	{map[string]bool{intentViolence: true, intentFeelings: true, understand.IntentOther: true}, understand.ExtortionTold,
		"extortion", "extortion told (understand.ExtortionTold)"},
	// «my boss keeps everything i earn» (read as erasing her data: «keep», «everything»),
	// «la mami me quita la plata todas las noches» (how she feels): someone keeping her
	// money is a sign of exploitation, whose help the trafficking page gives
	{map[string]bool{intentErase: true, intentFeelings: true, understand.IntentOther: true, "extortion": true,
		"migrant": true, intentHealth: true, intentPolice: true, "greet": true, "thanks": true, "name": true,
		"no": true}, understand.EarningsKept,
		"trafficking", "someone keeps her earnings (understand.EarningsKept)"},
	// the same, read as sex work (however unsure): the trafficking page, unless she
	// asks whether it is legal («el proxeneta se queda con la mitad, es legal?»: the sex
	// work page says what is a crime)
	{map[string]bool{"sexwork": true}, func(tokens []string) bool {
		return understand.EarningsKept(tokens) && !understand.LegalityAsked(tokens)
	}, "trafficking", "someone keeps her earnings (understand.EarningsKept), not asked if legal"},
	// the same, read as violence, with her boss, an owner or a madam named: the
	// trafficking page (anyone else's control of her money stays the violence page's)
	{map[string]bool{intentViolence: true}, func(tokens []string) bool {
		return understand.EarningsKept(tokens) && understand.BossNamed(tokens)
	}, "trafficking", "her boss keeps her earnings (understand.EarningsKept, understand.BossNamed)"},
	// «el papa de mi hija no pasa pension, como lo demando», «quero a guarda da minha
	// filha», «me hicieron firmar un contrato y ahora me cobran cosas»: a legal matter of
	// her own is free legal help's, whatever else the model weighs (no one hurting her,
	// her papers or a threat told: understand.LegalMatterTold)
	{map[string]bool{understand.IntentOther: true, "shelter": true, "migrant": true, "sexwork": true,
		"report": true, intentViolence: true, intentFeelings: true, intentHealth: true, "name": true,
		"cmd_help": true, "about": true, "complain": true}, understand.LegalMatterTold,
		"legal", "a legal matter of her own (understand.LegalMatterTold)"},
	// «quiero saber si estoy limpia», «am i clean? i want to check»: whether she caught
	// something is her health (a test)
	{map[string]bool{understand.IntentOther: true, intentFeelings: true, intentErase: true, "pick": true,
		"shelter": true, "name": true, "cmd_help": true}, understand.CleanAsked, intentHealth, "asks whether she is clean (understand.CleanAsked)"},
	// «la mami tiene mi pasaporte», «o cafetão pegou meus documentos», «he says i get my
	// passport back when i pay off what i owe him»: someone keeping her documents is a
	// sign of trafficking, whose help the trafficking page gives (whatever she asks of
	// it: whether it is legal, how to get them back)
	{map[string]bool{understand.IntentOther: true, "extortion": true, "migrant": true, "detention": true,
		"sexwork": true, intentHealth: true, intentFeelings: true, intentPolice: true, "rights": true,
		"name": true, "greet": true, "thanks": true, "no": true}, understand.DocumentsKept,
		"trafficking", "someone keeps her documents (understand.DocumentsKept)"},
	// the same, read as violence, with no blows told («owner of the club wont return my
	// papers unless i work 2 more months»; her partner or family holding them is not
	// DocumentsKept, and stays the violence page's)
	{map[string]bool{intentViolence: true}, func(tokens []string) bool {
		return understand.DocumentsKept(tokens) && !understand.HurtTold(tokens)
	}, "trafficking", "someone keeps her documents, no blows told (understand.DocumentsKept)"},
	// «se me perdió el carnet de extranjería», «roubaram minha bolsa com o passaporte»,
	// «my passport expired»: where to get new ones is the migrants' pages' (a robbery
	// read as violence, asked how to report, or stopped by the police with them expired
	// stays so)
	{map[string]bool{understand.IntentOther: true, "trafficking": true, "extortion": true,
		"about": true, intentErase: true, intentHealth: true, intentFeelings: true, "sexwork": true,
		"rights": true, "name": true, "greet": true, "thanks": true, "no": true}, understand.DocumentsLost,
		"migrant", "her documents lost, stolen or expired (understand.DocumentsLost)"},
	// the same, read as violence, with no force told («my id was stolen», «roubaram meu
	// rg no ônibus»; an assault or blows stay the violence page's)
	{map[string]bool{intentViolence: true}, understand.DocumentsStolen,
		"migrant", "her documents stolen, no force told (understand.DocumentsStolen)"},
	// «como regresar a mi pais», «quero voltar pro brasil» (read as going back in the
	// chat), «how can i go back to my country» (her health), «i want to go home to
	// venezuela» (how she feels): going back to her country is the migrants' pages'
	{map[string]bool{"cmd_back": true, "cmd_menu": true, understand.IntentOther: true, intentHealth: true,
		intentFeelings: true, "greet": true, "thanks": true, "name": true, "place": true, "about": true,
		intentServices: true, "legal": true},
		understand.ReturnHomeTold, "migrant", "going back to her country (understand.ReturnHomeTold)"},
	// a loan from a lender, read as debt bondage or extortion
	{map[string]bool{"trafficking": true, "extortion": true}, func(tokens []string) bool {
		return understand.LegalMatterTold(tokens) && understand.LoanTold(tokens)
	}, "legal", "a loan (understand.LegalMatterTold, understand.LoanTold)"},
}

// toldOverOf returns the intent and the rule of the first of toldOver that turns the
// model's reading best for tokens, or "" (a message over maxToldWords: a flood of
// words tells no one thing, and the model's reading stands).
func toldOverOf(best string, tokens []string) (intent, what string) {
	if len(tokens) > maxToldWords {
		return "", ""
	}
	for _, o := range toldOver {
		if o.over[best] && o.told(tokens) {
			return o.intent, o.what
		}
	}
	return "", ""
}

// nothingElse tells whether the words beside a place say nothing more: none, or only
// greetings, courtesy and «now».
func (e *Engine) nothingElse(rest []string) bool {
	return len(rest) == 0 || e.greetings.whole(rest) || understand.CourtesyOnly(rest)
}

// placeWords returns place (the words after an anchor) without the everyday words at
// its ends that the place of this code is found without: «comas ayudame» is «comas»,
// «choque ate» is «ate», so that what is beside the place («ayudame», «choque») is read
// for what it is; «san juan de lurigancho» stays whole.
func (e *Engine) placeWords(place, code string) string {
	ws := strings.Fields(place)
	same := func(ws []string) bool {
		ps := e.locateTyped(strings.Join(ws, " "))
		return len(ps) > 0 && ps[0].Code == code
	}
	for len(ws) > 1 && understand.Everyday(understand.Normalize(ws[len(ws)-1])) && same(ws[:len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 1 && understand.Everyday(understand.Normalize(ws[0])) && same(ws[1:]) {
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}

// namedAs tells whether the words said are the place's name: one word (a name, an
// abbreviation, «sjl», or a typo), or words all of its name («villa el salvador»), so
// that «choque ate» is not Ate said alone.
func namedAs(said string, p Place) bool {
	ws := understand.Tokens(understand.Normalize(said))
	if len(ws) <= 1 {
		return true
	}
	name := understand.Tokens(understand.Normalize(p.Name))
	for _, w := range ws {
		if !slices.Contains(name, w) && !nameJoiners[w] {
			return false
		}
	}
	return true
}

// nameJoiners are the small words inside places' names, said or not («san juan de
// lurigancho», «la victoria»).
var nameJoiners = map[string]bool{"de": true, "del": true, "la": true, "las": true, "el": true, "los": true, "y": true}

// unknownPlace tells a message the model is sure says where she is, in words the
// directory does not know («perto do parque kennedy»): it brings the place question.
func (r reading) unknownPlace() bool { return r.nowhere && r.prob >= placeSure }

// anyAdmin tells whether a place found is a district, a province or a region (a
// ubigeo of six digits), not a village or a landmark.
func anyAdmin(ps []Place) bool {
	for _, p := range ps {
		if len(p.Code) == 6 {
			return true
		}
	}
	return false
}

// callWords are calls for help that no negation before them takes back.
var callWords = map[string]bool{"auxilio": true, "socorro": true, "sos": true, "help": true, "ayuda": true, "ajuda": true}

var commandIntent = map[command]string{
	cmdMenu: "cmd_menu", cmdBack: "cmd_back", cmdHelp: "cmd_help", cmdOperator: "cmd_operator",
	cmdLanguage: "cmd_language", cmdErase: "cmd_erase",
}

var intentCommand = map[string]command{
	"cmd_menu": cmdMenu, "cmd_back": cmdBack, "cmd_help": cmdHelp, "cmd_operator": cmdOperator,
	"cmd_language": cmdLanguage, "cmd_erase": cmdErase,
}

// listLang is the language of the first list of danger or self-harm words the text
// matches: short calls for help ("help me") are too short for the language model.
func (e *Engine) listLang(t *text) string {
	// the languages of the phrases said, in one reading of the lists of every language:
	// a phrase is looked for while it may say a language before the first said (of
	// e.langs' order, which decides), until the first language is said
	said := uint64(0)
	before := func() uint64 { // the languages before the first said
		if said == 0 {
			return 1<<len(e.langs) - 1
		}
		return said&-said - 1
	}
	langsOf := func(p phrase) uint64 { return e.phraseLangs[string(p.bytes())] }
	for _, ws := range []words{e.emergencyAll, e.crisis} {
		if said&1 != 0 {
			break
		}
		t.eachContainedOf(ws, false, func(p phrase) bool { return langsOf(p)&before() != 0 }, func(p phrase, _ int) bool {
			said |= langsOf(p)
			return said&1 != 0
		})
	}
	for i, l := range e.langs {
		if said&(1<<i) != 0 || t.anyEquals(e.aloneByLang[l]) {
			return l
		}
	}
	return ""
}

// isDangerAlone tells whether the message, filler words aside ("ayudenme x favor"), is
// one of the calls for help that are danger only said alone ("help me" is, "help me
// find a clinic" is not).
func (e *Engine) isDangerAlone(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > 6 {
		return false
	}
	var buf [6]string
	kept := buf[:0]
	for _, tok := range tokens {
		if !e.filler[tok] || tok == "no" {
			kept = append(kept, tok)
		}
	}
	if len(kept) == 0 {
		return false
	}
	// «alguien xfa» is a call whole: its courtesy is no filler there
	return e.vocab.analyze(kept).anyEquals(e.dangerAlone) ||
		len(kept) < len(tokens) && e.vocab.analyze(tokens).anyEquals(e.dangerAlone)
}

// categoryOf is the kind of service of the most probable topic that has one, when
// the model sees it at all ("un centro de salud": health), or "".
func (e *Engine) categoryOf(probs []float32) string {
	best, bestP := "", float32(0.1)
	for in, cat := range e.intentCategory {
		if p := probs[e.model.Label(in)]; p > bestP {
			best, bestP = cat, p
		}
	}
	return best
}

// besidePlace returns the words of a message (tokens, normalized) beside the place it
// says and that place's anchor; ok is false when the place is not among them.
func besidePlace(tokens []string, anchor, place string) (rest []string, ok bool) {
	norm, np := strings.Join(tokens, " "), understand.Normalize(place)
	i := strings.Index(norm, np)
	if np == "" || i < 0 {
		return nil, false
	}
	s := " " + norm[:i] + " " + norm[i+len(np):] + " "
	if na := understand.Normalize(anchor); na != "" {
		// the anchor as words: «in» is not taken out of «clinic», nor «en» of «centro»
		s = strings.Replace(s, " "+na+" ", " ", 1)
	}
	return strings.Fields(s), true
}

// withoutOtherPlaces takes out of rest (the words beside the place located) the other
// places said with an anchor ("por la av aviacion" in "necesito un abogado, trabajo
// por la av aviacion en la victoria"): they say where, not what she needs.
func withoutOtherPlaces(rest []string, ws understand.Words, located string) []string {
	for from := 0; ; {
		p, a, next := understand.PlaceTextFrom(ws, from)
		if p == "" || next <= from {
			return rest
		}
		if p != located {
			// the other place may run into the located one ("la av aviacion en la"):
			// its longest start that is still among the words is taken out
			words := strings.Fields(understand.Normalize(p))
			for k := len(words); k > 0; k-- {
				if r, ok := besidePlace(rest, a, strings.Join(words[:k], " ")); ok {
					rest = r
					break
				}
			}
		}
		from = next
	}
}

// needBesidePlace reads the words of a message beside its place and the place's anchor
// ("y necesito una prueba de vih" in "estoy por el mercado de la victoria y necesito
// una prueba de vih"): when the model is sure (needSure) they ask for services of a
// kind, it returns the intent, the kind and its probability; otherwise cat is "".
// tokens are those words (besidePlace).
func (e *Engine) needBesidePlace(tokens []string, ctx understand.Context) (intent, cat string, p float32) {
	if len(tokens) < 2 {
		return "", "", 0
	}
	var buf [understand.MaxLabels]float32
	probs := e.model.Probs(tokens, understand.Negated(tokens, nil), ctx, buf[:])
	best := e.bestIntent(probs)
	cat, topical := e.intentCategory[best]
	if best == "services" {
		cat = e.categoryOf(probs)
	}
	if p = probs[e.model.Label(best)]; (best != "services" && !topical) || p < needSure {
		return "", "", 0
	}
	return best, cat, p
}

// kindBesidePlace returns the kind of service (a category) whose words
// (answer.services_*) the text says outside the place it names: «cem» in «necesito un
// cem en surquillo»; not «hospital» in «estoy en el hospital de comas», which is the
// place said. alone tells that the words beside the place (rest) are that phrase and
// words of asking only («busco una psicóloga», «any therapist», «una posta x fa»).
func (e *Engine) kindBesidePlace(t *text, place string, rest []string) (kind string, alone bool) {
	if t == nil {
		return "", false
	}
	inPlace := strings.Fields(understand.Normalize(place))
	var said []string
	for _, p := range e.intentPages[intentServices] {
		if p.category == "" {
			continue
		}
		// the longest phrase said, the more specific kind on a tie: «mental health
		// center» is mental health, not «health center»
		t.eachContained(p.words, true, func(ph phrase, start int) bool {
			words := t.tokens[start : start+len(ph)]
			longer := len(words) > len(said) || len(words) == len(said) && kind == "health" // general health gives way
			if longer && !slices.ContainsFunc(words, func(w string) bool { return slices.Contains(inPlace, w) }) {
				kind, said = p.category, words
			}
			return false
		})
	}
	if kind == "" {
		return "", false
	}
	others := slices.DeleteFunc(slices.Clone(rest), func(w string) bool { return slices.Contains(said, w) })
	return kind, understand.AskingOnly(others)
}

// placeTail splits the words said after an anchor into the shortest start of them
// that names the place located (code), and the words after it: «sjl hay cem» is «sjl»
// and «hay cem». When no shorter start names it, the place is all of them.
func (e *Engine) placeTail(place, code string) (head string, tail []string) {
	ws := strings.Fields(place)
	for k := 1; k < len(ws) && k <= maxPlaceNameWords; k++ {
		if ps := e.locateTyped(strings.Join(ws[:k], " ")); len(ps) > 0 && ps[0].Code == code {
			return strings.Join(ws[:k], " "), understand.Tokens(understand.Normalize(strings.Join(ws[k:], " ")))
		}
	}
	return place, nil
}

// maxLocateWords bounds a message the model reads as a place that is looked up whole
// in the gazetteer: longer, it says more than where she is.
const maxLocateWords = 24

// maxPlaceNameWords bounds the start of the words after an anchor that placeTail tries
// as the place («villa maria del triunfo» has four): a long message costs a few look-ups.
const maxPlaceNameWords = 6

// healthKinds are the kinds of service of the health intent: the words said pick one.
var healthKinds = map[string]bool{"health": true, "sexual-health": true, "mental-health": true}

// needOfKind tells whether the words beside a place say a need (needBesidePlace) of
// the kind of service kind: «necesito un abogado» is the legal page, not a search.
func (e *Engine) needOfKind(rest []string, ctx understand.Context, kind string) bool {
	_, cat, _ := e.needBesidePlace(rest, ctx)
	return cat == kind
}

// needSure is how sure the model must be of a need read beside a place: below it she
// is asked the kind of service, as before («y hace mucho calor» reads health 0.75).
const needSure = 0.8

// bestIntent is the most probable intent that is not danger or self-harm (those were
// decided before, with their own thresholds), nor one of except.
func (e *Engine) bestIntent(probs []float32, except ...string) string {
	best := -1
	for i, p := range probs {
		if i == e.iDanger || i == e.iSelfHarm || len(except) > 0 && slices.Contains(except, e.model.Labels()[i]) {
			continue
		}
		if best < 0 || p > probs[best] {
			best = i
		}
	}
	return e.model.Labels()[best]
}

// anchoredPlace finds the place said after an anchor ("estoy en", "por") and looks it
// up (again without its article when that finds nothing). When it names only regions
// or provinces and a later anchor names a district ("aquí en lima, vivo en sjl"), the
// district: the services near her are found from it.
func (e *Engine) anchoredPlace(ws understand.Words) (place, anchor string, ps []Place) {
	place, anchor, next := understand.PlaceTextFrom(ws, 0)
	if place == "" {
		return "", "", nil
	}
	ps = e.locateTyped(place)
	for tries := 0; tries < 2 && next > 0 && (len(ps) == 0 || !anyDistrict(ps)); tries++ {
		p2, a2, n2 := understand.PlaceTextFrom(ws, next)
		if p2 == "" {
			break
		}
		if ps2 := e.locateTyped(p2); anyDistrict(ps2) {
			return p2, a2, ps2
		}
		next = n2
	}
	return place, anchor, ps
}

// anyDistrict tells whether a place found is a district or finer (its ubigeo does not
// end in 00, as a department's or a province's does).
func anyDistrict(ps []Place) bool {
	for _, p := range ps {
		if len(p.Code) >= 6 && !strings.HasSuffix(p.Code[:6], "00") {
			return true
		}
	}
	return false
}

// thenIntent returns what «no» leads to after the danger or self-harm question: what
// else the message says, when the model finds it clearly (thenClear); otherwise, when
// the model's first other reading is what the safety intent is when it is not happening
// now (violence for danger, how she feels for self-harm) and the two together are clear,
// that; otherwise "": back where she was. «un cliente me pegó y tengo miedo», then «no»,
// goes to what to do about violence, not to the menu.
func (e *Engine) thenIntent(probs []float32, pd, ps float32, which string) string {
	best := e.bestIntent(probs)
	pb := probs[e.model.Label(best)]
	if pb >= thenClear {
		return best
	}
	notNow, p := intentViolence, pd
	if which == understand.IntentSelfHarm {
		notNow, p = intentFeelings, ps
	}
	if best == notNow && pb+p >= thenClear {
		return best
	}
	return ""
}

// textLang returns the language the text is clearly written in, or "". A language's
// name alone names it; a word of language.words.xx anywhere tells xx (Quechua, which
// the language model does not know); es, en and pt are told by the language model for
// texts long enough, and a shorter text by a word of language.short.xx ("oi", "você").
func (e *Engine) textLang(tokens []string) string {
	if len(tokens) == 1 {
		if l, ok := e.aliasLang[tokens[0]]; ok {
			return l // a language's name alone: "português", "runasimi"
		}
	}
	for _, tok := range tokens {
		if l, ok := e.langWords[tok]; ok {
			return l
		}
	}
	if len(tokens) < langMinWords {
		for _, tok := range tokens {
			if l, ok := e.shortWords[tok]; ok {
				return l
			}
		}
		return ""
	}
	lang, margin := e.model.Lang(tokens)
	if margin < langMargin {
		return ""
	}
	return lang
}

// yesNo tells whether the whole text is a yes or a no ("si", "ok dale", "no gracias").
func (e *Engine) yesNo(t *text) string {
	switch {
	case t.anyEquals(e.yes):
		return "yes"
	case t.anyEquals(e.no):
		return "no"
	}
	return ""
}

// Understand reads one message as the engine would at the main menu, for evaluation:
// the intent, whether danger was asked about rather than answered, the language of
// the text, and the slots said.
func (e *Engine) Understand(raw string) understand.Prediction {
	r := e.readText(raw, nil)
	p := understand.Prediction{Intent: r.intent, Ask: r.ask, Lang: r.lang, Numbers: r.intent == intentCannotCall}
	if r.unknownPlace() {
		p.Intent = "place" // where she is, in words the directory does not know: the place question (topic)
	}
	if r.ask {
		p.Then = r.thenIntent
	}
	if r.lang == "" {
		p.Lang, _ = e.model.Lang(tokensOf(Normalize(raw)))
	}
	if r.name != "" || r.place != "" || r.number >= 0 {
		p.Slots = map[string]string{}
		if r.name != "" {
			p.Slots["name"] = r.name
		}
		if r.place != "" {
			p.Slots["place"] = r.place
			if len(r.places) > 0 {
				p.PlaceCode = r.places[0].Code
			}
		}
		if r.number >= 0 {
			p.Slots["number"] = strconv.Itoa(r.number)
		}
	}
	return p
}

// PlaceCode returns the code of the first place found for a typed place (again
// without its article when that finds nothing), "" none: how a labelled place is
// looked up to compare with the one read (understand.EvaluatePlaces).
func (e *Engine) PlaceCode(place string) string {
	if ps := e.locateTyped(place); len(ps) > 0 {
		return ps[0].Code
	}
	return ""
}

// locateTyped looks a place said after an anchor up, again without its article when
// that finds nothing.
func (e *Engine) locateTyped(place string) []Place {
	found := e.dir.Locate(place)
	if bare := understand.WithoutArticle(place); len(found) == 0 && bare != place {
		found = e.dir.Locate(bare)
	}
	return found
}

// Explain tells how a message is understood: the decision, the rule or the model's
// probabilities and the features that weighed most, the language and the slots.
func (e *Engine) Explain(raw string) string {
	var b strings.Builder
	r := e.readText(raw, &b)
	var head strings.Builder
	fmt.Fprintf(&head, "text:     %q\nwords:    %s\n", raw, Normalize(raw))
	ask := ""
	if r.ask {
		ask = " (likely, not certain: asks «are you in danger now?» once)"
	}
	fmt.Fprintf(&head, "intent:   %s%s\nscore:    %.2f\ndecided:  %s\n", r.intent, ask, r.prob, r.rule)
	lang := r.lang
	if lang == "" {
		lang = "unclear (the session's language is kept)"
	}
	fmt.Fprintf(&head, "language: %s\n", lang)
	if r.name != "" {
		fmt.Fprintf(&head, "name:     %s\n", r.name)
	}
	if r.place != "" {
		names := make([]string, len(r.places))
		for i, p := range r.places {
			names[i] = placeLabel(p)
		}
		fmt.Fprintf(&head, "place:    %s -> %s\n", r.place, strings.Join(names, "; "))
	}
	if r.number >= 0 {
		fmt.Fprintf(&head, "number:   %d\n", r.number)
	}
	if r.note != "" {
		fmt.Fprintf(&head, "note:     %s\n", r.note)
	}
	return head.String() + b.String()
}

// readText normalizes and reads a message.
func (e *Engine) readText(raw string, explain *strings.Builder) reading {
	tokens, t, scan, full := e.analyzeText(new(scratch), raw)
	return e.read(raw, tokens, t, scan, full, explain)
}

func (e *Engine) explainModel(b *strings.Builder, tokens []string, neg []bool, ctx understand.Context, probs []float32) {
	labels := e.model.Labels()
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			if probs[order[j]] > probs[order[i]] {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	b.WriteString("model:   ")
	for _, i := range order[:min(5, len(order))] {
		fmt.Fprintf(b, " %s %.2f", labels[i], probs[i])
	}
	b.WriteString("\n")
	var negated []string
	for i, n := range neg {
		if n {
			negated = append(negated, tokens[i])
		}
	}
	if len(negated) > 0 {
		fmt.Fprintf(b, "negated:  %s\n", strings.Join(negated, " "))
	}
	fmt.Fprintf(b, "features for %s:\n", labels[order[0]])
	for _, c := range e.model.Explain(tokens, neg, ctx, order[0], 8) {
		fmt.Fprintf(b, "  %+.3f  %s\n", c.Weight, c.Feature)
	}
	if order[0] != e.iDanger {
		fmt.Fprintf(b, "features for danger (%.2f):\n", probs[e.iDanger])
		for _, c := range e.model.Explain(tokens, neg, ctx, e.iDanger, 5) {
			fmt.Fprintf(b, "  %+.3f  %s\n", c.Weight, c.Feature)
		}
	}
}
