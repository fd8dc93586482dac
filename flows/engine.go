package flows

import (
	"github.com/faro-chat/faro/flows/understand"
	"slices"

	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Texts is what the engine needs of the locales: the languages and the raw (not yet
// rendered) text of a key, for word lists and literal labels.
type Texts interface {
	// Langs lists the available languages, the default first.
	Langs() []string
	// Raw returns the text of key in lang, untemplated, or "" if there is none.
	Raw(lang, key string) string
}

// Keys the engine itself says or reads. Every locale must have them (faro check).
const (
	KeyNavFooter      = "nav.footer"
	KeyInputUnknown   = "input.unknown"
	KeyInputAck       = "input.ack" // a bare yes, no or okay when nothing was asked
	KeyInputMedia     = "input.media"
	KeyInputTooLong   = "input.too_long"
	KeyPlaceUnknown   = "place.unknown"
	KeyPlaceChoose    = "place.choose"
	KeyPlaceAgain     = "place.choose_again" // a need said while places are offered
	KeyPlacePinHint   = "place.ask_pin_hint"
	KeyServicesNone   = "services.none"
	KeyServicesNation = "services.national"
	KeyServicesEnd    = "services.end"
	KeyLanguageChange = "language.changed"
	KeyHandoffOffline = "handoff.offline"
	KeyHandoffNobody  = "handoff.nobody"  // nobody online in office hours: the lines follow, then the offer to leave a message
	KeyHandoffAway    = "handoff.away"    // out of office hours: the lines follow, then when someone is back
	KeyHandoffBack    = "handoff.back."   // + today, tomorrow, or 1-7 (Monday-Sunday): "el lunes a las {{.Time}}"
	KeyHandoffLeft    = "handoff.left"    // the person left the chat with a person (menu, «salir», /start)
	KeyHandoffClosed  = "handoff.closed"  // the operator closed the chat: back at the menu, rate in one tap
	KeyHandoffWaiting = "handoff.waiting" // a reminder to someone waiting long: still in line
	KeyCmdLeave       = "cmd.leave"       // whole messages that leave the chat with a person («salir»)
	KeyErrorStore     = "error.store"
	KeyNameNotNeeded  = "name.not_needed"       // she would rather not give a name: none is kept
	KeyNameWhy        = "name.why"              // she asks why her name is asked for
	KeyShareLocation  = "button.share_location" // label of a "share my location" button
	KeyLanguageName   = "language.name."        // + language code, in that language
	KeyCmdMenu        = "cmd.menu"
	KeyCmdBack        = "cmd.back"
	KeyCmdHelp        = "cmd.help"
	KeyCmdOperator    = "cmd.operator"
	KeyCmdLanguage    = "cmd.language"
	KeyCmdErase       = "cmd.erase"
	KeyCmdEmergency   = "cmd.emergency"
	KeyCmdCrisis      = "cmd.crisis"
	KeyCmdNumbers     = "cmd.numbers"
	KeyCmdAlone       = "cmd.emergency_alone" // danger when the whole message ("emergencia", "help me")
	KeyCmdOrdinals    = "cmd.ordinals"        // "primera|segunda|…": words of each position, space-separated
	KeyCmdFiller      = "cmd.filler"          // words around a number ("la 5 porfa")
	KeyAnswerYes      = "answer.yes"          // whole answers meaning yes
	KeyAnswerNo       = "answer.no"           // whole answers meaning no
	// KeyAnswerGreeting lists greetings ("hola|buenas noches|q tal"); a message of them
	// alone, with words of KeyAnswerGreetingWith ("amiga|disculpa la hora"), is a hello.
	KeyAnswerGreeting     = "answer.greeting"
	KeyAnswerGreetingWith = "answer.greeting_with"
	KeyHelpIntro          = "help.intro"       // said before the menu on a bare "ayuda"
	KeyLanguageOffer      = "language.offer."  // + a language: the offer to write in it, in it       // said after switching to the language of the text
	KeyLanguageNotice     = "language.notice." // + a language Faro cannot write yet, in it
	// KeyLanguageWelcome + a language is the welcome's line, in that language, on how to
	// switch to it ("For English, write «English»."): said for every other language on.
	KeyLanguageWelcome = "language.welcome."
	// KeyLanguageAlias + a language lists the words that name it ("portugues|português"):
	// written alone, they switch to it (or, for a language that is off, say its notice).
	KeyLanguageAlias = "language.alias."
	// KeyLanguageWords + a language lists words found only in it: one of them anywhere
	// in a text tells its language (Quechua greetings and calls for help).
	KeyLanguageWords = "language.words."
	// KeyLanguageShort + a language lists words that tell the language of a message too
	// short for the language model ("oi", "obrigada").
	KeyLanguageShort = "language.short."
	// KeyEraseChat + a channel (telegram, whatsapp) follows the erase's done text
	// there: which of the platform's copies Faro deletes now, and which it cannot.
	KeyEraseChat = "erase.chat."
	// KeyEraseSteps + a channel: the two steps to delete the chat on the phone.
	KeyEraseSteps = "erase.steps."
	// KeyEraseFailed + a channel: some of the platform's copies could not be
	// deleted (said after the erase, alone).
	KeyEraseFailed = "erase.failed."
)

// EraseChannels are the channels whose platform copies an erase deletes: each has
// KeyEraseChat, KeyEraseSteps and KeyEraseFailed.
var EraseChannels = []string{"telegram", "whatsapp"}

// EngineKeys lists the keys above (language names excepted) for completeness checks.
var EngineKeys = []string{
	KeyNavFooter, KeyInputUnknown, KeyInputAck, KeyInputMedia, KeyInputTooLong, KeyPlaceUnknown,
	KeyPlaceChoose, KeyPlaceAgain, KeyPlacePinHint, KeyServicesNone, KeyServicesNation, KeyServicesEnd,
	KeyLanguageChange, KeyHandoffOffline, KeyErrorStore, KeyShareLocation,
	KeyCmdMenu, KeyCmdBack, KeyCmdHelp, KeyCmdOperator, KeyCmdLanguage, KeyCmdErase,
	KeyCmdEmergency, KeyCmdCrisis, KeyCmdNumbers, KeyCmdAlone, KeyCmdOrdinals, KeyCmdFiller, KeyAnswerYes, KeyAnswerNo,
	KeyAnswerGreeting, KeyAnswerGreetingWith,
	KeyHelpIntro, KeyHandoffNobody, KeyHandoffAway, KeyHandoffLeft, KeyHandoffClosed, KeyHandoffWaiting,
	KeyCmdLeave,
	KeyHandoffBack + "today", KeyHandoffBack + "tomorrow", KeyHandoffBack + "1", KeyHandoffBack + "2",
	KeyHandoffBack + "3", KeyHandoffBack + "4", KeyHandoffBack + "5", KeyHandoffBack + "6", KeyHandoffBack + "7",
	KeyEraseChat + "telegram", KeyEraseChat + "whatsapp", KeyEraseSteps + "telegram", KeyEraseSteps + "whatsapp",
	KeyEraseFailed + "telegram", KeyEraseFailed + "whatsapp",
}

// ReplyStartKeys are engine keys that can open a reply: their first line must be
// neutral, like the first message of every node.
var ReplyStartKeys = []string{
	KeyInputUnknown, KeyInputAck, KeyInputMedia, KeyInputTooLong, KeyPlaceUnknown, KeyPlaceChoose,
	KeyPlaceAgain, KeyServicesNone, KeyServicesEnd, KeyLanguageChange, KeyHandoffOffline, KeyErrorStore,
	KeyHandoffNobody, KeyHandoffAway, KeyHandoffLeft, KeyHandoffClosed, KeyHandoffWaiting,
	KeyEraseFailed + "telegram", KeyEraseFailed + "whatsapp",
}

// VarPlace is the session variable holding the chosen district (a ubigeo code). Ask
// nodes with input location store into it and services nodes read it.
const VarPlace = "place"

// VarCategory is the session variable holding the kind of service looked for; menus
// set it and services nodes read it by default.
const VarCategory = "category"

// Internal session variables, never shown and never set by a flow.
const (
	varPage    = "_page"    // page of the services results being shown
	varMore    = "_more"    // "1" when the services node has another page
	varChoices = "_choices" // comma-separated place codes offered for an ambiguous name
	varOpenNow = "_open"    // "1" while the services shown are those open now only
	varThen    = "_then"    // node to go on to when the answer to a danger check is no
	varNoCall  = "_nocall"  // "1" when the message asked about also gave a reason not to call
	varNotice  = "_notice"  // the language whose notice was said (said once)
	varOffer   = "_offer"   // the language offered with the last reply (its number follows the options)
	varTopic   = "_topic"   // the topic of the handoff node whose offer to leave a message is open
	varOffered = "_offered" // the languages already offered from the text (each offered once)
	varChosen  = "_chosen"  // "1" once the person chose a language: no more guessing
)

type command int

const (
	cmdNone command = iota
	cmdMenu
	cmdBack
	cmdHelp
	cmdOperator
	cmdLanguage
	cmdErase
)

// Engine runs a flow. It is immutable after New and safe for concurrent use.
type Engine struct {
	flow        *Flow
	dir         Directory
	vocab       *vocab
	langs       []string
	defaultLang string
	langNames   map[string]string // language code -> its own name
	langByName  map[string]int    // normalized own name -> index in langs

	emergency    map[string]words // danger words per language
	crisisByLang map[string]words // self-harm words per language
	crisis       words            // all of them
	emergencyAll words            // danger words of every language
	// phraseLangs has, for each phrase of emergency and crisisByLang, bit i set when
	// the lists of langs[i] have it (see listLang)
	phraseLangs map[string]uint64
	// danger searches a long story, past what was read as the message, for the danger
	// and self-harm lists alone
	danger       *scanner
	commands     []commandWords
	numbers      map[string]int
	options      map[string][]optionWords // node -> option index -> words
	yes, no      words                    // whole answers to a yes/no question
	dangerAlone  words                    // danger when they are the whole message
	aloneByLang  map[string]words         // the same, per language
	filler       map[string]bool          // words around a number: "la 5 porfa"
	leave        words                    // whole messages that leave the chat with a person
	greetings    *greetings               // messages that are greetings alone
	hivTreatment words                    // HIV treatment named (answer.hiv_treatment): her health

	model              *understand.Model
	iDanger, iSelfHarm int                     // indexes of the safety intents in the model
	intentNodes        map[string]string       // intent label -> node
	intentPages        map[string][]intentPage // intent label -> its pages named by words (Intent.Words)
	intentCategory     map[string]string       // intent label -> kind of service, with a place
	// nodeCategory is the kind of service of a topic's own pages: the node its intent
	// goes to and the messages that lead on from it to its menu (health -> health_menu)
	nodeCategory      map[string]string
	notices           map[string]bool   // languages with a notice (language.notice.xx)
	welcomes          []string          // keys of the welcome's lines on switching language
	aliasLang         map[string]string // normalized name of a language -> the language
	langWords         map[string]string // word found only in a language -> the language
	shortWords        map[string]string // word telling a short message's language -> the language
	nameAsk, placeAsk *Node             // the ask nodes for the social name and the place
}

// nameVar is the session variable of the social name.
func (e *Engine) nameVar() string {
	if e.nameAsk != nil {
		return e.nameAsk.Var
	}
	return "name"
}

type commandWords struct {
	cmd command
	ws  words
}

type optionWords struct {
	labels words // the option's label in every language
	extra  words // its extra words, in every language
}

// maxStack bounds the back stack: enough to retrace a few steps, small to store.
const maxStack = 6

// maxHops bounds how many nodes one step may enter; Validate rejects flows that loop.
const maxHops = 12

// New compiles a validated flow against the texts of every language and a directory.
func New(f *Flow, texts Texts, dir Directory) (*Engine, error) {
	if problems := f.Validate(); len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = p
		}
		return nil, fmt.Errorf("invalid flow: %w", errors.Join(errs...))
	}
	langs := texts.Langs()
	if len(langs) == 0 {
		return nil, errors.New("no languages")
	}
	if dir == nil {
		return nil, errors.New("no directory")
	}
	e := &Engine{
		flow: f, dir: dir, vocab: newVocab(), langs: langs, defaultLang: langs[0],
		langNames: map[string]string{}, langByName: map[string]int{},
		emergency: map[string]words{}, crisisByLang: map[string]words{},
		numbers: map[string]int{},
		options: map[string][]optionWords{},
	}
	all := func(key string) words {
		var ws words
		for _, l := range langs {
			ws = ws.join(e.vocab.compile(texts.Raw(l, key)))
		}
		return ws
	}
	for i, l := range langs {
		e.langNames[l] = texts.Raw(l, KeyLanguageName+l)
		e.langByName[Normalize(e.langNames[l])] = i
		e.emergency[l] = e.vocab.compile(texts.Raw(l, KeyCmdEmergency))
		e.emergencyAll = e.emergencyAll.join(e.emergency[l])
		for i, w := range strings.Split(texts.Raw(l, KeyCmdNumbers), "|") {
			if n := Normalize(w); n != "" && !strings.Contains(n, " ") {
				e.numbers[n] = i + 1
			}
		}
		for i, group := range strings.Split(texts.Raw(l, KeyCmdOrdinals), "|") {
			for _, w := range strings.Fields(Normalize(group)) {
				e.numbers[w] = i + 1
			}
		}
	}
	e.hivTreatment = all(keyHIVTreatment)
	for _, c := range []struct {
		cmd command
		key string
	}{
		{cmdMenu, KeyCmdMenu}, {cmdBack, KeyCmdBack}, {cmdHelp, KeyCmdHelp},
		{cmdOperator, KeyCmdOperator}, {cmdLanguage, KeyCmdLanguage}, {cmdErase, KeyCmdErase},
	} {
		e.commands = append(e.commands, commandWords{c.cmd, all(c.key)})
	}
	model, err := understand.Default()
	if err != nil {
		return nil, fmt.Errorf("understanding model: %w", err)
	}
	e.model = model
	e.iDanger, e.iSelfHarm = model.Label(understand.IntentDanger), model.Label(understand.IntentSelfHarm)
	if e.iDanger < 0 || e.iSelfHarm < 0 {
		return nil, errors.New("understanding model: no danger or self-harm intent")
	}
	e.intentNodes = map[string]string{}
	e.intentCategory = map[string]string{}
	e.intentPages = map[string][]intentPage{}
	for _, in := range f.Intents {
		if model.Label(in.Intent) < 0 {
			return nil, fmt.Errorf("intent %q: the model has no such intent", in.Intent)
		}
		if in.Words != "" {
			e.intentPages[in.Intent] = append(e.intentPages[in.Intent], intentPage{words: all(in.Words), node: in.Goto, category: in.Category})
			continue
		}
		e.intentNodes[in.Intent] = in.Goto
		if in.Category != "" {
			e.intentCategory[in.Intent] = in.Category
		}
	}
	e.nodeCategory = topicCategories(f)
	e.yes, e.no = all(KeyAnswerYes), all(KeyAnswerNo)
	e.dangerAlone = all(KeyCmdAlone)
	e.leave = all(KeyCmdLeave)
	e.aloneByLang = map[string]words{}
	for _, l := range langs {
		e.aloneByLang[l] = e.vocab.compile(texts.Raw(l, KeyCmdAlone))
	}
	e.notices = map[string]bool{}
	e.aliasLang = map[string]string{}
	e.langWords, e.shortWords = map[string]string{}, map[string]string{}
	for _, l := range aliasedLangs(texts, e.defaultLang) {
		for key, m := range map[string]map[string]string{KeyLanguageWords: e.langWords, KeyLanguageShort: e.shortWords} {
			for _, w := range strings.Split(texts.Raw(e.defaultLang, key+l), "|") {
				if n := Normalize(w); n != "" && !strings.Contains(n, " ") {
					m[n] = l
				}
			}
		}
		if _, ok := e.langNames[l]; !ok && texts.Raw(e.defaultLang, KeyLanguageNotice+l) != "" {
			e.notices[l] = true
		}
		for _, src := range langs {
			for _, w := range strings.Split(texts.Raw(src, KeyLanguageAlias+l), "|") {
				if n := Normalize(w); n != "" {
					e.aliasLang[n] = l
				}
			}
		}
	}
	for _, l := range langs {
		if texts.Raw(e.defaultLang, KeyLanguageWelcome+l) != "" {
			e.welcomes = append(e.welcomes, KeyLanguageWelcome+l)
		}
	}
	for _, name := range f.nodeNames() {
		n := f.Nodes[name]
		switch {
		case n.Kind == KindAsk && n.Input == "text" && n.Var == "name" && e.nameAsk == nil:
			e.nameAsk = n
		case n.Kind == KindAsk && n.Input == "location" && e.placeAsk == nil:
			e.placeAsk = n
		}
	}
	e.greetings = newGreetings(texts, langs)
	e.filler = map[string]bool{}
	for _, l := range langs {
		for _, w := range strings.Split(texts.Raw(l, KeyCmdFiller), "|") {
			if n := Normalize(w); n != "" && !strings.Contains(n, " ") {
				e.filler[n] = true
			}
		}
	}
	if f.Crisis != "" {
		for _, l := range langs {
			e.crisisByLang[l] = e.vocab.compile(texts.Raw(l, KeyCmdCrisis))
			e.crisis = e.crisis.join(e.crisisByLang[l])
		}
	}
	for name, n := range f.Nodes {
		var ows []optionWords
		for _, o := range n.Options {
			ow := optionWords{labels: all(o.Label)}
			if o.Words != "" {
				ow.extra = all(o.Words)
			}
			ows = append(ows, ow)
		}
		if n.Kind == KindErase || n.Kind == KindConfirm {
			ows = []optionWords{{labels: all(n.Confirm)}, {labels: all(n.Cancel)}}
		}
		if n.Kind == KindFeedback && n.Confirm != "" {
			ows = append([]optionWords{{labels: all(n.Confirm)}}, ows...)
		}
		if n.Kind == KindLanguage {
			for _, l := range langs {
				ows = append(ows, optionWords{labels: e.vocab.compile(e.langNames[l] + "|" + l)})
			}
		}
		e.options[name] = ows
	}
	lists := []words{e.crisis, e.emergencyAll, e.dangerAlone}
	for _, l := range langs {
		lists = append(lists, e.emergency[l], e.crisisByLang[l], e.aloneByLang[l])
	}
	e.phraseLangs = map[string]uint64{}
	for i, l := range langs {
		for _, ws := range []words{e.emergency[l], e.crisisByLang[l]} {
			for _, p := range ws.list {
				e.phraseLangs[string(p.bytes())] |= 1 << i
			}
		}
	}
	e.vocab.seal()
	e.danger = newScanner(e.vocab, lists...)
	e.crisis, e.emergencyAll = e.crisis.dense(), e.emergencyAll.dense()
	return e, nil
}

// knownLangs are the languages Faro can recognize by name or for which it may have a
// notice, whether their locale is on or off.
var knownLangs = []string{"es", "en", "pt", "qu", "ay"}

// aliasedLangs lists the languages on, then those off that the default language names
// (language.alias.xx) or has a notice for (language.notice.xx).
func aliasedLangs(texts Texts, def string) []string {
	out := append([]string(nil), texts.Langs()...)
	for _, l := range knownLangs {
		if !slices.Contains(out, l) && (texts.Raw(def, KeyLanguageAlias+l) != "" || texts.Raw(def, KeyLanguageNotice+l) != "") {
			out = append(out, l)
		}
	}
	return out
}

// WithModel returns a copy of the engine that understands with another model (for
// cross-validation: `faro eval --cv`).
func (e *Engine) WithModel(m *understand.Model) *Engine {
	c := *e
	c.model = m
	c.iDanger, c.iSelfHarm = m.Label(understand.IntentDanger), m.Label(understand.IntentSelfHarm)
	return &c
}

// Flow returns the flow the engine runs.
func (e *Engine) Flow() *Flow { return e.flow }

// Langs lists the engine's languages, the default first.
func (e *Engine) Langs() []string { return e.langs }

// Lang returns the engine language that best fits a platform's hint ("es-PE", "en"),
// or the default language.
func (e *Engine) Lang(hint string) string {
	if len(hint) >= 2 {
		base := hint[:2]
		for _, l := range e.langs {
			if l == base || l == hint {
				return l
			}
		}
	}
	return e.defaultLang
}

// Interrupt tells whether text calls for help — danger or self-harm, certain or
// likely — and returns the reply for it, in the language of the text when it is
// clear, from the directory alone. It needs no session: the runtime answers with it
// even when the session store is down (then a likely danger gets the numbers too,
// since the question could not be remembered).
func (e *Engine) Interrupt(text string, fallbackLang string) (lang string, replies []Reply, ok bool) {
	r := e.readText(text, nil)
	if !understand.IsSafety(r.intent) {
		return "", nil, false
	}
	lang = fallbackLang
	if _, known := e.langNames[r.lang]; known {
		lang = r.lang
	}
	node := e.flow.Emergency
	if r.intent == understand.IntentSelfHarm && e.flow.Crisis != "" {
		node = e.flow.Crisis
	}
	n := e.flow.Nodes[node]
	return lang, []Reply{{Keys: n.Say, Cards: e.dir.Lines(lang, n.Tags, "")}}, true
}

// StoreErrorReply is what the bot says when it cannot read or save the conversation:
// an apology and the emergency numbers, with no promise it cannot keep.
func (e *Engine) StoreErrorReply(lang string) []Reply {
	n := e.flow.Nodes[e.flow.Emergency]
	return []Reply{{Keys: []string{KeyErrorStore}, Cards: e.dir.Lines(lang, n.Tags, "")}}
}

// HandoffClosedReply is the message an operator's closing of a chat sends the person
// (the console renders it with Render, in her language): thanks, she is back at the
// menu, and, when the flow has a Rate menu, its options as one-tap buttons. A button
// works from any state and counts the rating (an event, nothing about her); typing its
// number right after works too.
func (e *Engine) HandoffClosedReply(lang string) []Reply {
	r := Reply{Keys: []string{KeyHandoffClosed}}
	if n := e.flow.Nodes[e.flow.Rate]; n != nil {
		r.Keys = append(r.Keys, n.Say...)
		for i, o := range n.Options {
			r.Options = append(r.Options, ReplyOption{Label: o.Label, Payload: payloadFor(n.Name, i)})
		}
	}
	return []Reply{r}
}

// HandoffWaitingReply is the reminder for a person waiting long for an operator: she
// is still in line, and where to turn if she is in danger.
func (e *Engine) HandoffWaitingReply(lang string) []Reply {
	return []Reply{{Keys: []string{KeyHandoffWaiting}}}
}

// languageNamed returns the index of the language whose own name, or an alias, is the
// whole text or is asked for in a few words («habla en castellano mana»), or -1.
func (e *Engine) languageNamed(tokens []string) int {
	if len(tokens) == 1 {
		return e.languageIndex(tokens[0])
	}
	if at := understand.LanguageAskedAt(tokens, e.languageIndex); at >= 0 {
		return e.languageIndex(tokens[at]) // «habla en castellano mana»
	}
	return -1
}

// languageIndex returns the index of the language a word names (its name or an
// alias), or -1.
func (e *Engine) languageIndex(w string) int {
	if i, ok := e.langByName[w]; ok {
		return i
	}
	if l, ok := e.aliasLang[w]; ok {
		for i, on := range e.langs {
			if on == l {
				return i
			}
		}
	}
	return -1
}

// number reads "3", "3.", "opción 3", "tres", "la 5 porfa" as 3 (or 5): one number,
// alone or among filler words. Zero means "menu".
func (e *Engine) number(tokens []string) (int, bool) {
	if len(tokens) == 0 || len(tokens) > 5 {
		return 0, false
	}
	n, found := 0, false
	for _, tok := range tokens {
		v, ok := e.numbers[tok]
		if !ok {
			d, err := strconv.Atoi(tok)
			ok = err == nil && d >= 0 && d <= 99 && len(tok) <= 2
			v = d
		}
		switch {
		case ok && !found:
			n, found = v, true
		case ok && v != n:
			return 0, false // two numbers: "1 2", "dos tres"
		case ok: // the same number twice: "the first one"
		case !e.filler[tok]:
			return 0, false
		}
	}
	return n, found
}

// command finds a global command. exact requires the whole input to be the command;
// otherwise the input may carry a few more words ("quiero hablar con una persona").
func (e *Engine) command(t *text, exact bool) command {
	for _, c := range e.commands {
		if exact && t.anyEquals(c.ws) {
			return c.cmd
		}
		if !exact && t.anyNear(c.ws, 3) {
			return c.cmd
		}
	}
	return cmdNone
}

// topicCategories maps the nodes of each topic that has a kind of service (intents:
// category) to it: the node its intent goes to, and the messages that lead on from it
// to the topic's menu. A node two topics of different kinds share has none.
func topicCategories(f *Flow) map[string]string {
	out := map[string]string{}
	shared := map[string]bool{}
	for _, in := range f.Intents {
		if in.Category == "" {
			continue
		}
		name := in.Goto
		for hops := 0; hops < maxHops && name != "" && name != f.Home; hops++ {
			n := f.Nodes[name]
			if n == nil {
				break
			}
			if c, ok := out[name]; ok && c != in.Category {
				shared[name] = true
			}
			out[name] = in.Category
			if n.Kind != KindMessage {
				break // its menu, or a question: the topic's last own page
			}
			name = n.Next
		}
	}
	for name := range shared {
		delete(out, name)
	}
	return out
}

// intentPage is a page of a topic that a message understood as it goes to when it
// says one of its phrases (Intent.Words), and the kind of service it looks for.
type intentPage struct {
	words    words
	node     string
	category string
}

// keyHIVTreatment names the phrases that name HIV treatment: a message with one is
// about her health whatever else the model weighs (see read).
const keyHIVTreatment = "answer.hiv_treatment"

// intentNode returns the node a message understood as intent goes to: the first of
// the intent's pages whose phrases it says (and that page's kind of service, "" none),
// or the intent's own node.
func (e *Engine) intentNode(intent string, t *text) (node, category string) {
	if t != nil {
		for _, p := range e.intentPages[intent] {
			if _, ok := t.findContained(p.words, true, anywhere); ok {
				return p.node, p.category
			}
		}
	}
	return e.intentNodes[intent], ""
}
