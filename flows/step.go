package flows

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows/understand"
)

// Step runs one user message through the flow: from a session and an input to the next
// session, the replies to send and the effects for the caller to carry out. It is pure
// and deterministic: no I/O, no clock, no randomness, and the session passed in is not
// modified.
func (e *Engine) Step(s Session, in Input) (Session, []Reply, []Effect) {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	st := stepper{e: e, s: s, in: in, scratch: sc}
	st.run()
	st.endHandoff(s.Ticket != "")
	st.offerLanguage()
	return st.s, st.replies, st.effects
}

// scratch holds the arrays one Step reads a text into: its words and their hits, at
// its start and in the whole story. The next Step reuses them, so a long message
// leaves little for the garbage collector. Nothing of a Step keeps them past its end.
type scratch struct {
	tokens, scanTokens []string
	text, scan         text
	exact              []int32 // the scanner's exact words (see scanner.exactInto)
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// release forgets the words (no message text stays behind in the pool) and gives the
// arrays back.
func (sc *scratch) release() {
	clear(sc.tokens[:cap(sc.tokens)])
	clear(sc.scanTokens[:cap(sc.scanTokens)])
	sc.text.tokens, sc.scan.tokens = nil, nil
	scratchPool.Put(sc)
}

// offerLanguage adds to the reply, in the language the text was written in, a one-tap
// offer to continue in it: a button (or the next number on a numbered menu).
func (st *stepper) offerLanguage() {
	l := st.offer
	if l == "" || l == st.s.Lang || len(st.replies) == 0 {
		return
	}
	idx := -1
	for i, lang := range st.e.langs {
		if lang == l {
			idx = i
		}
	}
	if idx < 0 {
		return
	}
	st.setVar(varOffer, l)
	offered := l
	if prev := st.s.Vars[varOffered]; prev != "" {
		offered = prev + "," + l
	}
	st.setVar(varOffered, offered)
	last := &st.replies[len(st.replies)-1]
	last.Keys = append(last.Keys[:len(last.Keys):len(last.Keys)], KeyLanguageOffer+l)
	last.Options = append(last.Options[:len(last.Options):len(last.Options)],
		ReplyOption{Label: st.e.langNames[l], Literal: true, Payload: payloadFor(st.e.flow.Language, idx)})
}

// stepper holds the state of one Step.
type stepper struct {
	e        *Engine
	s        Session
	in       Input
	replies  []Reply
	effects  []Effect
	pin      *Place // the location sent with this message, never stored
	text     *text  // the text's words, compared with the vocabulary once (nil: no text)
	scratch  *scratch
	intent   string // the intent the text was read as, for the count of misses
	offer    string // a language the text is clearly in, to offer with the reply
	varsCopy bool   // s.Vars is ours to modify
}

func (st *stepper) run() {
	e, f := st.e, st.e.flow
	if _, ok := e.langNames[st.s.Lang]; !ok {
		st.s.Lang = e.defaultLang
	}
	if st.s.Ticket != "" && st.in.TicketClosed {
		// The operator closed the chat and told her she is back at the menu, with the
		// rating's buttons: their numbers pick them too.
		st.s.Ticket, st.s.Stack = "", nil
		st.s.Node = f.Home
		if f.Rate != "" {
			st.s.Node = f.Rate
		}
	}
	var r reading
	var t *text
	var tokens []string
	if st.in.Kind == InputText {
		// A button press is what it says, before any reading of its label.
		if st.in.Payload != "" && st.payload(st.in.Payload) {
			return
		}
		var scan *text
		var full func() *text
		tokens, t, scan, full = e.analyzeText(st.scratch, st.in.Text)
		st.text = t
		r = e.read(st.in.Text, tokens, t, scan, full, nil)
		st.intent = r.intent
		// Danger and self-harm first, from any state, whatever else the message says,
		// even at the end of a long story.
		if understand.IsSafety(r.intent) && st.atSafetyCheck() && strings.HasPrefix(r.rule, "model") &&
			understand.SafeAnswer(tokens) {
			// "no, ya estoy en mi casa", "no im safe" at «¿te hace falta ayuda ahora?»:
			// she said no, in words; the model's guess of danger in them gives way
			r.intent, r.ask, r.prob, r.rule = "no", false, 1, "safe answer at the danger question"
		}
		if understand.IsSafety(r.intent) && strings.HasPrefix(r.rule, "model") && st.placeNamedHere(tokens) {
			// "río negro", "sangarará" at «¿en qué distrito estás?»: a district's name,
			// word for word; the model's guess of danger in words it never saw gives way
			// (the lists' calls for help do not)
			r.intent, r.ask, r.prob, r.rule = "place", false, 1, "a place's name at the place question"
		}
		if understand.IsSafety(r.intent) && !(r.ask && st.feedbackChecked()) {
			st.askAboutReport(&r)
			if st.s.Ticket != "" { // the person waiting or chatting sees it too
				st.effects = append(st.effects, Effect{Kind: EffectRelay, Text: st.in.Text, Urgent: true})
			}
			st.safety(r, tokens)
			return
		}
	}
	if st.s.Ticket != "" && st.relay(t, r) {
		return
	}
	cur := f.Nodes[st.s.Node]
	switch st.in.Kind {
	case InputStart:
		st.s.Stack = nil
		st.enter(f.Start)
		return
	case InputMedia:
		st.say(KeyInputMedia)
		if cur == nil {
			st.enter(f.Start)
		} else {
			st.reprompt(st.orHome(cur))
		}
		return
	case InputLocation:
		st.location(cur)
		return
	}
	if cur == nil {
		st.first(r, tokens)
		return
	}
	st.textLanguage(r, false)
	asking := cur.Kind == KindAsk && st.s.Vars[varChoices] == ""
	if r.number >= 0 && (r.number == 0 || !asking) {
		if r.number == 0 {
			st.command(cmdMenu)
		} else if !st.pick(cur, r.number) {
			st.unknown(st.orHome(cur))
		}
		st.setVar(varOffer, "")
		return
	}
	st.setVar(varOffer, "")
	// A language's own name ("English", "Español") switches to it from anywhere, as
	// the welcome message promises.
	if i := e.languageNamed(tokens); i >= 0 && cur.Kind != KindAsk {
		st.choose(f.Nodes[f.Language], i)
		return
	}
	if st.cannotCall(cur, r, tokens) {
		return
	}
	if c := e.command(t, true); c != cmdNone && !(r.rule == ruleCommandWord && st.placeNamedHere(tokens)) {
		if c == cmdHelp && st.atSafetyCheck() {
			kindOf(cur).choose(st, cur, 0) // "ayuda", "ajuda" at «¿te hace falta ayuda ahora?»: yes
			return
		}
		st.command(c)
		return
	}
	if st.answer(cur, t, r) {
		return
	}
	if st.answerAbout(cur, r, tokens) {
		return
	}
	if c, ok := intentCommand[r.intent]; ok {
		st.command(c)
		return
	}
	if c := e.command(t, false); c != cmdNone {
		if (c == cmdHelp || c == cmdBack || c == cmdMenu) && !helpNotTopic[r.intent] && e.intentNodes[r.intent] != "" && st.topic(r) {
			// «perdí mi pasaporte q hago», «tengo una pregunta sobre la prep», «i need
			// help finding a shelter»: a need beside a plea for guidance (cmd.help) is the
			// need's page, not «how can I help»; «quiero volver a venezuela», «quiero
			// empezar la prep»: the words of going back or to the menu (cmd.back,
			// cmd.menu) said in a need are the need's
			return
		}
		st.command(c)
		return
	}
	if st.topic(r) {
		return
	}
	st.unknown(st.orHome(cur))
}

// helpNotTopic are readings that a plea for guidance, or the words of going back or to
// the menu, said beside them (cmd.help, cmd.back, cmd.menu) do not give way to: a name or a place alone is no need, and «info sobre el cem» asks
// about a service, not about Faro (about).
var helpNotTopic = map[string]bool{"name": true, "place": true, "about": true}

// cannotCall answers a message saying she cannot call for help, with no danger read:
// «no puedo llamar», «no tengo saldo» from anywhere but a report being written;
// «nadie contesta», «no puedo hablar ahorita» only at the danger question or right
// after the numbers, where they can only be about calling for help.
func (st *stepper) cannotCall(cur *Node, r reading, tokens []string) bool {
	f := st.e.flow
	if f.CannotCall == "" || cur != nil && cur.Kind == KindFeedback {
		return false
	}
	if r.intent != intentCannotCall {
		if !st.afterNumbers() && !st.atSafetyCheck() || understand.CallTroubleOf(tokens) == understand.CallFine {
			return false
		}
	}
	st.jump(f.CannotCall, true)
	return true
}

// afterNumbers tells whether she was just given the emergency numbers: she is at the
// menu that follows them.
func (st *stepper) afterNumbers() bool {
	f := st.e.flow
	if st.s.Node == "" {
		return false
	}
	if st.s.Node == f.Nodes[f.Emergency].Next {
		return true
	}
	n := f.Nodes[f.CannotCall]
	return n != nil && st.s.Node == n.Next
}

// atSafetyCheck tells whether she is at «¿te hace falta ayuda ahora?»: the danger or
// the crisis question.
func (st *stepper) atSafetyCheck() bool {
	f := st.e.flow
	return st.s.Node != "" && (st.s.Node == f.DangerCheck || st.s.Node == f.CrisisCheck)
}

// orHome is the node an unexpected message is answered at: the main menu rather than
// the rating offered when a chat closed (she was told she is back at the menu).
func (st *stepper) orHome(n *Node) *Node {
	if f := st.e.flow; n.Name == f.Rate {
		st.s.Node = f.Home
		return f.Nodes[f.Home]
	}
	return n
}

// Events counted through EffectEvent.
const (
	EventEmergency      = "emergency"       // the emergency numbers were given for danger
	EventCrisis         = "crisis"          // the crisis lines were given for self-harm
	EventSafetyAsked    = "safety_asked"    // one yes/no question before the numbers
	EventHandoffOffline = "handoff_offline" // a person was asked for while none could answer (nobody online, out of hours, blocked)
)

// Events for the statistics (bot/stats), with a name after the prefix: flow data
// (node names, categories, intents), never anything the person wrote. Their ":" keeps
// them apart from the events above and from a node's own Event (letters and "_").
const (
	// EventTopic + node: a node was entered (a topic opened).
	EventTopic = "topic:"
	// EventSearch + category + ":found" or ":none": a new search for services (its
	// first page), and whether anything was found.
	EventSearch = "search:"
	// EventMiss + node + ":" + intent ("none" when no intent): the message was not
	// understood (input.unknown) at that node.
	EventMiss = "miss:"
)

// event adds an EffectEvent named name.
func (st *stepper) event(name string) {
	st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: name})
}

// relay handles a message in handoff mode: text goes to the operator, unanswered by
// the flow; a voice note or a photo is said to be unreadable (the operator is told one
// came). The words of the menu, language and erase commands, a button, a pin, /start,
// or a number that picks an option of the menu on screen are handled by the flow as
// always (endHandoff then decides whether the ticket ends); «salir» alone leaves the
// chat for the menu; any other words, "ayuda" too, are for the person. It reports
// whether the message was handled.
func (st *stepper) relay(t *text, r reading) bool {
	switch st.in.Kind {
	case InputMedia:
		st.effects = append(st.effects, Effect{Kind: EffectRelay, Media: "media"})
		st.say(KeyInputMedia)
		return true
	case InputText:
	default:
		return false
	}
	switch st.e.command(t, true) {
	case cmdMenu, cmdLanguage, cmdErase:
		return false
	}
	if t.anyEquals(st.e.leave) {
		st.command(cmdMenu)
		return true
	}
	if cur := st.e.flow.Nodes[st.s.Node]; cur != nil && r.number > 0 && r.number <= len(st.optionsOf(cur)) {
		return false
	}
	st.effects = append(st.effects, Effect{Kind: EffectRelay, Text: st.in.Text})
	return true
}

// endHandoff ends the open ticket when the person left it: /start, the main menu, or
// erasing everything. Leaving for the menu is said in one sentence before it, so she
// knows the person will not read what she writes next.
func (st *stepper) endHandoff(had bool) {
	if !had || st.s.Ticket == "" {
		return
	}
	f := st.e.flow
	left := st.in.Kind == InputStart || st.s.Node == f.Home || st.s.Node == f.Start
	erased := false
	for _, ef := range st.effects {
		erased = erased || ef.Kind == EffectErase
	}
	if !left && !erased {
		return
	}
	st.s.Ticket = ""
	st.effects = append(st.effects, Effect{Kind: EffectClose})
	if !erased {
		st.replies = append([]Reply{{Keys: []string{KeyHandoffLeft}}}, st.replies...)
	}
}

// safety answers danger or self-harm: the numbers at once, or, when only likely, one
// yes/no question before them.
func (st *stepper) safety(r reading, tokens []string) {
	f := st.e.flow
	st.textLanguage(r, true)
	node, check := f.Emergency, f.DangerCheck
	if r.intent == understand.IntentSelfHarm && f.Crisis != "" {
		node, check = f.Crisis, f.CrisisCheck
	}
	if r.distress {
		switch cur := f.Nodes[st.s.Node]; {
		case cur != nil && (cur.Name == f.DangerCheck || cur.Name == f.CrisisCheck):
			// crying at «¿te hace falta ayuda ahora?»: yes
			node, r.ask = st.checkYes(cur), false
		case f.Crisis != "" && cur != nil && (cur.Name == f.Crisis || cur.Name == f.Nodes[f.Crisis].Next):
			// crying right after she said she wants to die: the crisis lines again
			node, r.ask = f.Crisis, false
		}
	}
	if r.ask && st.atSafetyCheck() {
		// likely danger again, in answer to «¿te hace falta ayuda ahora?» ("ya estoy en
		// mi casa pero él sigue afuera"): the numbers, not the same question twice
		r.ask = false
	}
	// «nadie contesta» said alone is about the lines, except in a report on a place
	noAnswer := understand.NoAnswerAlone(tokens)
	if cur := f.Nodes[st.s.Node]; cur != nil && cur.Kind == KindFeedback {
		noAnswer = false
	}
	if f.CannotCall != "" && (node != f.Crisis || r.ask || r.rule == "model" && (st.afterNumbers() || noAnswer)) {
		// «me tiene encerrada y no puedo llamar», «está afuera y nadie contesta»: what she
		// can do instead of calling, then the numbers (self-harm said for sure keeps the
		// crisis lines, unless only the model read it in what she says of the numbers just
		// given, or in «nadie contesta» said alone); danger or self-harm only likely is answered so when she says she cannot
		// call («no puedo hablar, me escuchan»), not for «nadie contesta», which may be
		// about a boyfriend, unless she was just given the numbers
		trouble := understand.CallTroubleOf(tokens)
		if noAnswer && trouble == understand.CallFine {
			trouble = understand.MaybeCannotCall // «liguei e ninguém respondeu»
		}
		switch trouble {
		case understand.CannotCall:
			node, r.ask = f.CannotCall, false
		case understand.MaybeCannotCall:
			if !r.ask || st.afterNumbers() || noAnswer {
				node, r.ask = f.CannotCall, false
			}
		}
	}
	if r.ask && check != "" {
		st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: EventSafetyAsked})
		st.setVar(varThen, r.then)
		noCall := ""
		if f.CannotCall != "" && understand.CallTroubleOf(tokens) != understand.CallFine {
			noCall = "1" // «me ta esperando abajo y yo sin credito»: yes gets what she can do instead
		}
		st.setVar(varNoCall, noCall)
		st.jump(check, true)
		return
	}
	event := EventEmergency
	if node == f.Crisis {
		event = EventCrisis
	}
	st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: event})
	st.jump(node, true)
}

// first answers the first message of a conversation: a command or a topic goes
// straight there; anything else gets the welcome.
func (st *stepper) first(r reading, tokens []string) {
	e, f := st.e, st.e.flow
	st.textLanguage(r, true)
	if i := e.languageNamed(tokens); i >= 0 {
		// "English" as a first message: the welcome in English
		st.s.Lang = e.langs[i]
		st.setVar(varChosen, "1")
		st.enter(f.Start)
		return
	}
	if st.cannotCall(nil, r, tokens) {
		return
	}
	switch c := intentCommand[r.intent]; {
	case c != cmdNone && c != cmdBack && c != cmdMenu:
		st.command(c)
		return
	}
	if c := e.command(st.e.vocab.analyze(tokens), false); c != cmdNone && c != cmdBack && c != cmdMenu {
		st.command(c)
		return
	}
	switch r.intent {
	case "name":
		if r.nameTalk != understand.NotNameTalk && st.topic(r) {
			return // "quiero darte mi nombre" as a first message: the name question
		}
		if r.name != "" && !strings.ContainsAny(r.name, "{}<>") {
			st.setVar(e.nameVar(), r.name)
		}
	case "greet", "thanks", understand.IntentOther, "yes", "no", "pick":
	default:
		if st.topic(r) {
			return
		}
	}
	st.enter(f.Start)
}

// textLanguage follows the language the text is clearly written in: one Faro writes
// becomes the session's (and, but for the first message, it says how to switch back);
// for one it cannot write yet, it says once, in that language, which lines answer in
// which languages.
func (st *stepper) textLanguage(r reading, quiet bool) {
	e := st.e
	l := r.lang
	if l == "" || l == st.s.Lang {
		return
	}
	if _, ok := e.langNames[l]; ok {
		switch {
		case st.s.Vars[varChosen] != "":
			// the person chose a language: never guessed over, never asked again
		case quiet:
			st.s.Lang = l // a first message, or danger: answered in the text's language
		case !slices.Contains(strings.Split(st.s.Vars[varOffered], ","), l):
			st.offer = l // offered once per language
		}
		return
	}
	if e.notices[l] && st.s.Vars[varNotice] != l {
		st.setVar(varNotice, l)
		st.say(KeyLanguageNotice + l)
	}
}

// topic goes to the node of the intent understood, if the flow has one for it.
func (st *stepper) topic(r reading) bool {
	e := st.e
	if r.unknownPlace() && e.placeAsk != nil {
		// «perto do parque kennedy», «cerca al megaplaza»: where she is, in words the
		// directory does not know; she is told so and asked her district
		st.placeUnknown(e.placeAsk)
		return true
	}
	switch r.intent {
	case "name":
		switch r.nameTalk {
		case understand.NameTalkRefuse:
			// "no quiero dar mi nombre": none is needed, and none is kept
			st.setVar(e.nameVar(), "")
			st.say(KeyNameNotNeeded)
			st.jump(e.flow.Home, false)
			return true
		case understand.NameTalkWhy:
			// "xq me preguntas mi nombre": what it is for, and that it is not needed;
			// a name she gave stays
			st.say(KeyNameWhy)
			st.jump(e.flow.Home, false)
			return true
		case understand.NameTalkAsk:
			// "te doy mi nombre", "no me llamo así": the name question
			if n := e.nameAsk; n != nil {
				st.jump(n.Name, true)
				return true
			}
			return false
		}
		if r.name == "" || strings.ContainsAny(r.name, "{}<>") {
			return false
		}
		if n := e.nameAsk; n != nil {
			st.setVar(n.Var, r.name)
			st.jump(n.Next, true)
			return true
		}
		return false
	case "place":
		return st.place(r)
	case "greet":
		st.command(cmdMenu)
		return true
	}
	if len(r.places) > 0 && (r.intent == "services" || r.category != "") {
		return st.place(r)
	}
	if st.keepsPlaceChoice(r) {
		return true
	}
	node, cat := e.intentNode(r.intent, st.text)
	if node == "" {
		return false
	}
	if cat != "" {
		// "necesito un centro de salud cerca": the kind of service is said; where is asked
		st.setVar(VarCategory, cat)
	}
	if len(r.places) == 1 && e.placeAsk != nil {
		// a need said with one place ("no tengo dónde dormir, estoy en comas"): the
		// place is kept, so that services near her are not asked where again
		st.setVar(e.placeAsk.Var, r.places[0].Code)
	}
	st.jump(node, true)
	return true
}

// keepsPlaceChoice answers a need said while several places of one name are offered
// ("estoy en independencia", then "necesito una prueba de vih"): she is looking for a
// service where she is, so the kind is kept and the same places are offered again,
// rather than leaving the question unanswered for the topic's menu. Violence goes to
// its own page (what to do comes before an address), and so does anything that is
// not a need for a service.
func (st *stepper) keepsPlaceChoice(r reading) bool {
	cur := st.e.flow.Nodes[st.s.Node]
	if cur == nil || cur.Kind != KindAsk || st.s.Vars[varChoices] == "" || len(r.places) > 0 || r.sad {
		return false // a sad face is how she feels, not the kind of service she looks for
	}
	cat, topical := st.e.intentCategory[r.intent]
	if r.intent != "services" && (!topical || cat == "violence") {
		return false
	}
	if cat != "" {
		st.setVar(VarCategory, cat)
	}
	st.setVar(varPage, "")
	st.setVar(varOpenNow, "")
	st.replies = append(st.replies, Reply{Keys: []string{KeyPlaceAgain}, Vars: st.vars(), Options: st.optionsOf(cur), Footer: KeyNavFooter})
	return true
}

// place uses a place said anywhere ("estoy en sjl"): with a kind of service already
// chosen, the services there; otherwise the kinds of service, the place kept. A name
// said with it is kept too.
func (st *stepper) place(r reading) bool {
	e, f := st.e, st.e.flow
	if r.name != "" && !strings.ContainsAny(r.name, "{}<>") {
		st.setVar(e.nameVar(), r.name)
	}
	ask := e.placeAsk
	if len(r.places) == 0 || ask == nil {
		return false
	}
	if cat := e.nodeCategory[st.s.Node]; r.category == "" && st.s.Vars[VarCategory] == "" && cat != "" {
		// «estoy en lince» on the health menu: the services of the topic she is reading
		st.setVar(VarCategory, cat)
	}
	st.s.Node = ask.Name
	st.setVar(varPage, "")
	st.setVar(varOpenNow, "")
	if r.category != "" {
		st.setVar(VarCategory, r.category)
	}
	if len(r.places) > 1 {
		st.offerPlaces(ask, st.preferRegion(r.places))
		return true
	}
	st.setVar(ask.Var, r.places[0].Code)
	if st.s.Vars[VarCategory] != "" {
		st.enter(ask.Next)
	} else if f.Nearby != "" {
		st.jump(f.Nearby, true)
	} else {
		st.command(cmdMenu)
	}
	return true
}

// setVar sets a session variable, copying the map first so the caller's stays intact.
// Setting the place forgets the cell of an earlier pin.
func (st *stepper) setVar(k, v string) {
	if k == VarPlace && st.s.Vars[varCell] != "" {
		st.setVar(varCell, "")
	}
	if k == VarPlace && len(v) >= 2 {
		st.setVar(varRegion, v[:2])
	}
	if old, ok := st.s.Vars[k]; old == v && (ok || v == "") {
		return // nothing changes: no copy
	}
	if !st.varsCopy {
		vars := make(map[string]string, len(st.s.Vars)+1)
		for k2, v2 := range st.s.Vars {
			vars[k2] = v2
		}
		st.s.Vars = vars
		st.varsCopy = true
	}
	if v == "" {
		delete(st.s.Vars, k)
	} else {
		st.s.Vars[k] = v
	}
}

func (st *stepper) say(keys ...string) {
	st.replies = append(st.replies, Reply{Keys: keys, Vars: st.vars()})
}

// vars is the template data of the session: its public variables.
func (st *stepper) vars() map[string]any {
	if len(st.s.Vars) == 0 {
		return nil
	}
	m := make(map[string]any, len(st.s.Vars))
	for k, v := range st.s.Vars {
		if !strings.HasPrefix(k, "_") {
			m[k] = v
		}
	}
	return m
}

// push records the node the user is leaving, for "back".
func (st *stepper) push(name string) {
	if name == "" {
		return
	}
	if n := len(st.s.Stack); n > 0 && st.s.Stack[n-1] == name {
		return
	}
	stack := st.s.Stack
	if len(stack) >= maxStack {
		stack = stack[len(stack)-maxStack+1:]
	}
	// full slice expression: never write into the caller's array
	st.s.Stack = append(stack[:len(stack):len(stack)], name)
}

// jump moves to a node because of what the user said, remembering where they were.
func (st *stepper) jump(name string, remember bool) {
	if name == st.e.flow.Home {
		st.s.Stack = nil
	} else if remember && st.s.Node != name {
		st.push(st.s.Node)
	}
	st.enter(name)
}

// enter says a node and follows it until a node that waits for the user.
func (st *stepper) enter(name string) {
	e := st.e
	for hops := 0; hops < maxHops; hops++ {
		n := e.flow.Nodes[name]
		if n == nil {
			n = e.flow.Nodes[e.flow.Home]
		}
		st.setVar(varChoices, "")
		st.setVar(varChecked, "")
		if n.Name != e.flow.DangerCheck && n.Name != e.flow.CrisisCheck {
			st.setVar(varPending, "") // a report waits only for the danger check's answer
		}
		st.event(EventTopic + n.Name)
		if n.Name == e.flow.Home {
			st.setVar(varCell, "")     // the search is over: the pin's cell is forgotten
			st.setVar(VarCategory, "") // and the kind of service it looked for
			st.setVar(varShown, "")    // and the services shown, offered for a report
			st.setVar(varEntry, "")
			st.setVar(varTopic, "") // an offer to leave a message is over
			st.setVar(varThen, "")
			st.setVar(varNoCall, "")
		}
		if next, ok := kindOf(n).pass(st, n); ok {
			name = next
			continue
		}
		st.s.Node = n.Name
		st.prompt(n, n.Say)
		return
	}
	// Validate rejects loops without input; this is a last guard.
	st.s.Node = e.flow.Home
	st.prompt(e.flow.Nodes[e.flow.Home], nil)
}

// prompt says a waiting node's messages (keys) and offers its options.
func (st *stepper) prompt(n *Node, keys []string) {
	r := Reply{Keys: keys, Vars: st.vars(), Options: st.optionsOf(n)}
	if n.Name != st.e.flow.Home {
		r.Footer = KeyNavFooter
	}
	if n.Kind == KindAsk && n.Input == "location" {
		r.AskLocation = true
		r.Keys = append(r.Keys[:len(r.Keys):len(r.Keys)], KeyPlacePinHint)
	}
	st.replies = append(st.replies, r)
}

// reprompt offers the current node's options again, after something it did not expect.
func (st *stepper) reprompt(n *Node) {
	last := len(st.replies) - 1
	st.replies[last].Options = st.optionsOf(n)
	if n.Name != st.e.flow.Home {
		st.replies[last].Footer = KeyNavFooter
	}
	st.replies[last].AskLocation = n.Kind == KindAsk && n.Input == "location"
}

// optionsOf lists the choices a waiting node offers.
func (st *stepper) optionsOf(n *Node) []ReplyOption { return kindOf(n).options(st, n) }

func placeLabel(p Place) string {
	if p.Region == "" {
		return p.Name
	}
	return p.Name + " (" + p.Region + ")"
}

// payloadFor is the button payload of option i of a node: "node#i".
func payloadFor(node string, i int) string {
	return node + "#" + strconv.Itoa(i)
}

// payload handles a pressed button. A button of an older message still works: it
// picks that option of its own node.
func (st *stepper) payload(p string) bool {
	name, idx, ok := strings.Cut(p, "#")
	if !ok {
		return false
	}
	n := st.e.flow.Nodes[name]
	i, err := strconv.Atoi(idx)
	if n == nil || err != nil || i < 0 {
		return false
	}
	if name != st.s.Node {
		if n.Kind == KindAsk {
			return false // stale place choice: its choices are gone
		}
		prev := st.s.Node
		st.s.Node = name
		if !st.choose(n, i) {
			st.s.Node = prev
			return false
		}
		return true
	}
	return st.choose(n, i)
}

// pick handles option number k (1-based, as the user sees it) of the current node.
func (st *stepper) pick(n *Node, k int) bool {
	i := k - 1
	if l := st.s.Vars[varOffer]; l != "" && i == len(st.optionsOf(n)) {
		// the language offered last time, numbered after the options
		for li, lang := range st.e.langs {
			if lang == l {
				return st.choose(st.e.flow.Nodes[st.e.flow.Language], li)
			}
		}
	}
	if n.Kind == KindMenu {
		vis := st.visible(n)
		if i < 0 || i >= len(vis) {
			return false
		}
		i = vis[i]
	}
	return st.choose(n, i)
}

// choose carries out option i (0-based, in the node's own order) of node n.
func (st *stepper) choose(n *Node, i int) bool { return kindOf(n).choose(st, n, i) }

// answer handles text meant for the current node: an option's words, yes or no, a
// name, a place.
func (st *stepper) answer(n *Node, t *text, r reading) bool { return kindOf(n).answer(st, n, t, r) }

// equalsOption returns the option of n whose label is the whole text, or -1.
func (st *stepper) equalsOption(n *Node, t *text) int {
	for i, ow := range st.e.options[n.Name] {
		if len(t.tokens) > 0 && t.anyEquals(ow.labels) {
			return i
		}
	}
	return -1
}

// matchOption finds the option the text names: its label exactly, or its label
// inside the text, or the text inside one label only, or one of its extra words.
// Ties pick nothing.
func (st *stepper) matchOption(n *Node, t *text) int {
	if len(t.tokens) == 0 {
		return -1
	}
	ows := st.e.options[n.Name]
	var vis []int
	if n.Kind == KindMenu {
		vis = st.visible(n)
	} else {
		vis = make([]int, len(ows))
		for i := range vis {
			vis[i] = i
		}
	}
	best, bestScore, tie := -1, 0, false
	for _, i := range vis {
		score := 0
		ow := ows[i]
		switch {
		case t.anyEquals(ow.labels):
			score = 4
		case t.anyContained(ow.labels):
			score = 3
		case t.anyContained(ow.extra):
			score = 2
		case t.anyWithin(ow.labels):
			score = 1
		}
		if score > bestScore {
			best, bestScore, tie = i, score, false
		} else if score > 0 && score == bestScore {
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// locate answers a typed place name in an ask node.
func (st *stepper) locate(n *Node) {
	places := st.preferRegion(st.e.dir.Locate(st.in.Text))
	switch len(places) {
	case 0:
		st.placeUnknown(n)
	case 1:
		st.setVar(n.Var, places[0].Code)
		st.setVar(varPage, "")
		st.enter(n.Next)
	default:
		st.offerPlaces(n, places)
	}
}

// offerPlaces asks which of several places with the same name is meant (at most 5).
func (st *stepper) offerPlaces(n *Node, places []Place) {
	if len(places) > 5 {
		places = places[:5]
	}
	codes := make([]string, len(places))
	for i, p := range places {
		codes[i] = p.Code
	}
	st.setVar(varChoices, strings.Join(codes, ","))
	st.s.Node = n.Name
	st.replies = append(st.replies, Reply{Keys: []string{KeyPlaceChoose}, Vars: st.vars(), Options: st.optionsOf(n), Footer: KeyNavFooter})
}

// placeSure is how sure the model must be that a message says where she is, for a
// place the directory does not know, to bring the place question.
const placeSure = 0.6

// placeUnknown says kindly that the place is unknown, gives the national lines of the
// category being looked for, and asks again.
func (st *stepper) placeUnknown(n *Node) {
	st.replies = append(st.replies, Reply{Keys: []string{KeyPlaceUnknown}, Vars: st.vars(),
		Cards: st.e.dir.Lines(st.s.Lang, categoryTags(st.category("")), ""), Footer: KeyNavFooter})
	st.s.Node = n.Name
	st.reprompt(n)
}

// location handles a pin: it answers the question that asked for it, or, unasked,
// sets the place and offers the services.
func (st *stepper) location(cur *Node) {
	p, ok := st.e.dir.PlaceAt(st.in.Lat, st.in.Lon)
	ask := cur != nil && cur.Kind == KindAsk && cur.Input == "location"
	if !ok {
		if ask {
			st.placeUnknown(cur)
			return
		}
		st.say(KeyPlaceUnknown)
		if cur == nil {
			st.enter(st.e.flow.Start)
		} else {
			st.reprompt(cur)
		}
		return
	}
	st.pin = &Place{Code: p.Code, Name: p.Name, Region: p.Region, Lat: st.in.Lat, Lon: st.in.Lon}
	st.setVar(VarPlace, p.Code)
	st.setVar(varCell, cellOf(st.in.Lat, st.in.Lon))
	st.setVar(varPage, "")
	switch {
	case ask:
		st.enter(cur.Next)
	case st.e.flow.Nearby != "":
		st.jump(st.e.flow.Nearby, true)
	case cur != nil:
		st.enter(cur.Name)
	default:
		st.enter(st.e.flow.Start)
	}
}

// command carries out a global command.
func (st *stepper) command(c command) {
	f := st.e.flow
	switch c {
	case cmdMenu:
		st.jump(f.Home, false)
	case cmdBack:
		if n := len(st.s.Stack); n > 0 {
			prev := st.s.Stack[n-1]
			st.s.Stack = st.s.Stack[: n-1 : n-1]
			st.enter(prev)
		} else {
			st.jump(f.Home, false)
		}
	case cmdHelp:
		if f.Help != "" {
			st.jump(f.Help, true)
		} else {
			st.jump(f.Emergency, true)
		}
	case cmdOperator:
		st.jump(st.operatorHere(), true)
	case cmdLanguage:
		st.jump(f.Language, true)
	case cmdErase:
		st.jump(f.Erase, true)
	}
}

// unknown answers text that fits nothing: a short kind line and the options again,
// or the question again when the node asked one.
func (st *stepper) unknown(n *Node) {
	if n.Kind == KindAsk && st.s.Vars[varChoices] == "" {
		st.prompt(n, n.Say)
		return
	}
	key := KeyInputUnknown
	if st.text != nil && st.e.yesNo(st.text) != "" {
		// "sí", "ok", "no" when nothing was asked: not a misunderstanding
		key = KeyInputAck
	}
	if longerThanRunes(st.in.Text, 300) {
		key = KeyInputTooLong
	} else if key == KeyInputUnknown {
		intent := st.intent
		if intent == "" {
			intent = "none"
		}
		st.event(EventMiss + n.Name + ":" + intent)
	}
	st.say(key)
	st.reprompt(n)
}

// longerThanRunes tells whether s has more than n runes, as utf8.RuneCountInString
// does, reading at most the 4(n+1) bytes they may take.
func longerThanRunes(s string, n int) bool {
	return utf8.RuneCountInString(s[:min(len(s), utf8.UTFMax*(n+1))]) > n
}

// operatorHere is the handoff node for «I want to talk to a person» where she is: the
// one her menu offers (a topic of its own, such as feelings, for the operator to see,
// and its lines when nobody can answer), or at a question with no options (such as
// «¿te hace falta ayuda ahora?») the one of the menu its yes leads to; else the general
// one.
func (st *stepper) operatorHere() string {
	f := st.e.flow
	n := f.Nodes[st.s.Node]
	for hops := 0; n != nil && hops < maxHops; hops++ {
		for _, o := range n.Options {
			if h := f.Nodes[o.Goto]; h != nil && h.Kind == KindHandoff && !h.Queue {
				return h.Name
			}
		}
		if len(n.Options) > 0 || n.Kind == KindHandoff {
			break
		}
		n = f.Nodes[n.Next]
	}
	return f.Operator
}
