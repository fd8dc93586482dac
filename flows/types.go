package flows

import (
	"time"

	"github.com/faro-chat/faro/flows/understand"
)

// SchemaVersion is the version of the flow file format this engine reads.
// A flow file names it in its `schema` field; any other value is rejected at load.
//
// Schema 2 added the offline branch of handoff nodes (Node.Offline), handoff nodes that
// queue a message left for later (Node.Queue), events counted on entering a node
// (Node.Event), the rating offered when an operator closes a chat (Flow.Rate), and the
// community's feedback (entries and feedback nodes, Node.Report, Node.Helped); schema 1
// flows still load, as they were.
const SchemaVersion = 2

// MinSchemaVersion is the oldest flow file format this engine still reads.
const MinSchemaVersion = 1

// Node kinds. Each kind has its own file in this package.
const (
	KindMessage  = "message"  // says its messages, then moves to Next without waiting
	KindMenu     = "menu"     // says its messages and numbered Options, waits for a choice
	KindAsk      = "ask"      // says a prompt, waits for free text or a location, stores it in Var
	KindLines    = "lines"    // says its messages and the phone lines tagged Tags, then moves to Next
	KindServices = "services" // says the nearest services of Category around the session's place
	KindHandoff  = "handoff"  // asks for a human operator (an Effect), says its messages, moves to Next
	KindLanguage = "language" // offers the available languages, sets the session's language
	KindErase    = "erase"    // asks to confirm, then erases everything about the user (an Effect)
	KindConfirm  = "confirm"  // asks a yes/no question: yes goes to Next, no goes on
)

// Flow is a whole conversation: named nodes, global intents and the node to start from.
// It is loaded from YAML (see Load) and validated before use.
type Flow struct {
	Schema int `yaml:"schema"`
	// Start is the node a new session begins at (usually a welcome message).
	Start string `yaml:"start"`
	// Home is the node global "menu" commands go to (the main menu).
	Home string `yaml:"home"`
	// Emergency is the node the emergency interrupt and "ayuda/help" go to. It must be a
	// lines node, so that the interrupt can be answered from the directory alone.
	Emergency string `yaml:"emergency"`
	// Crisis is the node words of self-harm go to ("me quiero morir"): a lines node, an
	// interrupt like Emergency and checked with it. Optional.
	Crisis string `yaml:"crisis"`
	// Operator, Language and Erase are the nodes of the global commands of the same name.
	Operator string `yaml:"operator"`
	Language string `yaml:"language"`
	Erase    string `yaml:"erase"`
	// Help is where a bare call for guidance ("ayuda", "info") goes: the menu with the
	// emergency option first. Optional: without it "ayuda" goes to Emergency.
	Help string `yaml:"help"`
	// DangerCheck and CrisisCheck are confirm nodes asked when danger or self-harm is
	// likely but not certain ("¿Estás en peligro ahora?"): yes leads to the numbers,
	// no goes on with what the message was about. Optional: without them, likely is
	// treated as certain.
	DangerCheck string `yaml:"danger_check"`
	CrisisCheck string `yaml:"crisis_check"`
	// CannotCall is the lines node for someone who cannot call («no puedo llamar», «no
	// tengo saldo», «me pueden escuchar») or whose call is not answered: what she can do
	// instead, then the numbers. Danger said with it goes there rather than to
	// Emergency. Optional.
	CannotCall string `yaml:"cannot_call"`
	// Nearby is where a location pin leads when the flow did not ask for one (usually
	// the menu of service categories). Optional: without it the pin only sets the place.
	Nearby string `yaml:"nearby"`
	// Rate is the menu offered, in one tap, when an operator closes a chat: how the help
	// was (schema 2, optional). Its buttons work from any state; see
	// Engine.HandoffClosedReply.
	Rate string `yaml:"rate"`
	// Intents route free text typed anywhere (when it picks no option) to a topic node.
	Intents []Intent `yaml:"intents"`
	// Nodes by name.
	Nodes map[string]*Node `yaml:"nodes"`
}

// Intent sends free text understood as a topic (a label of the understanding model,
// see flows/understand/corpus/README.md) to a node.
type Intent struct {
	Intent string `yaml:"intent"`
	Goto   string `yaml:"goto"`
	// Category is the kind of service the topic looks for, when the message also says
	// a place ("necesito un centro de salud en comas"): the services there, at once.
	// On an entry with Words, the kind of service its page looks for.
	Category string `yaml:"category"`
	// Words, if set, is a locale key of phrases: a message understood as this intent
	// that says one of them goes to Goto, a page of the topic («se rompió el condón»:
	// PEP, which cannot wait), rather than to the intent's entry without Words.
	Words string `yaml:"words"`
}

// Node is one step of a flow. Which fields apply depends on Kind.
type Node struct {
	Name string `yaml:"-"`
	Kind string `yaml:"kind"`
	// Say lists locale keys, said in order as one reply. The first line of the first
	// message must be neutral: lock screens show it to whoever holds the phone.
	Say []string `yaml:"say"`
	// Next is the node to move to after a message, ask, lines, services or handoff node.
	Next string `yaml:"next"`
	// Options of a menu node (at most 10; labels at most 24 characters, WhatsApp's limit).
	Options []Option `yaml:"options"`
	// Input of an ask node: "text" or "location" (a pin, or a place name typed).
	Input string `yaml:"input"`
	// Var is the session variable an ask node stores its answer in.
	Var string `yaml:"var"`
	// SkipIf skips an ask node when this session variable is already set.
	SkipIf string `yaml:"skip_if"`
	// Tags of a lines node: phone lines carrying any of these tags, in directory order.
	// Of a handoff node: the lines given when nobody can answer (default: the
	// emergency node's).
	Tags []string `yaml:"tags"`
	// Category of a services node; "$var" reads it from a session variable.
	Category string `yaml:"category"`
	// Topic of a handoff node, passed to the operator queue (no user text).
	Topic string `yaml:"topic"`
	// Offline is where a handoff node goes when no operator is online (schema 2). When
	// empty, the node says handoff.offline with the emergency lines and moves to Next.
	Offline string `yaml:"offline"`
	// Queue makes a handoff node open its ticket even when nobody can answer now: a
	// message left for when someone is back (schema 2). The topic is the one of the
	// handoff node that offered it.
	Queue bool `yaml:"queue"`
	// Event is counted (EffectEvent, no user data) when a message node is entered
	// (schema 2): lower-case letters and "_".
	Event string `yaml:"event"`
	// Report is the kind of report a feedback node sends (schema 2): lower-case
	// letters and "_" (wrong_number, closed, other, suggest).
	Report string `yaml:"report"`
	// Helped, on a message node, counts in one tap whether the information helped
	// (schema 2): "yes" or "no" (EventHelped).
	Helped string `yaml:"helped"`
	// Confirm and Cancel are the option labels of an erase or confirm node; Done is
	// said after erasing. On a feedback node, Confirm sends the report without text.
	Confirm string `yaml:"confirm"`
	Cancel  string `yaml:"cancel"`
	Done    string `yaml:"done"`
	// Answers, on a menu node that follows a services node, names that services node:
	// a question about the places it just listed («¿es gratis?», «¿atienden de
	// noche?», «¿piden DNI?») is answered place by place from the same cards, then
	// the menu is offered again (schema 2).
	Answers string `yaml:"answers"`
}

// Option is one numbered choice of a menu node.
type Option struct {
	// Label is a locale key; the button text, and words the user may type to pick it.
	Label string `yaml:"label"`
	// Words is an optional locale key of "|"-separated extra words that pick this option.
	Words string `yaml:"words"`
	// Goto is the node this option leads to.
	Goto string `yaml:"goto"`
	// Set assigns session variables when the option is picked ("" clears a variable).
	Set map[string]string `yaml:"set"`
	// More asks a services node for its next page of results.
	More bool `yaml:"more"`
	// OpenNow asks a services node again for places open now only. Any other option
	// drops the filter.
	OpenNow bool `yaml:"open_now"`
}

// Session is the whole per-user state the engine needs. It is small on purpose: it is
// loaded and saved once per message, and erased on request.
type Session struct {
	Lang  string            `json:"l,omitempty"`
	Node  string            `json:"n,omitempty"`
	Stack []string          `json:"s,omitempty"` // back stack, most recent last, bounded
	Vars  map[string]string `json:"v,omitempty"` // e.g. name (social name), place (ubigeo), category
	// Ticket is the open handoff ticket id, if any: while it is set the session is in
	// handoff mode (text goes to the operator; danger, help and commands still work).
	Ticket string `json:"t,omitempty"`
	// Org is the code of the community organization whose link brought the user.
	Org string `json:"o,omitempty"`
	// Day is the statistics day (YYYYMMDD, the deployment's time zone) on which this
	// person's conversation was last counted as new. The caller (bot) sets it; the
	// engine only carries it. It lives and dies with the session, so no count is ever
	// stored beside a person's key.
	Day string `json:"d,omitempty"`
}

// InputKind tells what the user sent.
type InputKind int

// Input kinds.
const (
	InputText     InputKind = iota // typed text, or a button payload
	InputLocation                  // a location pin
	InputMedia                     // voice note, photo, sticker, document: the bot reads text only
	InputStart                     // a fresh start (/start, a deep link)
)

// Input is one user message as the engine sees it: no address, no channel.
type Input struct {
	Kind InputKind
	// Text the user typed.
	Text string
	// Payload of a pressed button (an option's payload as rendered by the engine).
	Payload string
	// Lat and Lon of a location pin. They are used for this reply and never stored; the
	// session keeps only a ~1 km cell of them while the search lasts.
	Lat, Lon float64
	// Now is the time of the message, for "open now"; it keeps Step deterministic.
	Now time.Time
	// OperatorsOnline tells a handoff node whether a person can answer now.
	OperatorsOnline bool
	// OutOfHours says the operators' office hours are over (a holiday, the night):
	// nobody answers until Back, whoever is online.
	OutOfHours bool
	// Back is when the office hours open again, for "someone is back on Monday at
	// 9:00" (zero: unknown, not said).
	Back time.Time
	// Blocked says no ticket may be opened: an operator blocked the person for abusing
	// the service, or the deployment keeps no tickets (faro chat). A handoff node then
	// answers as if nobody could take the chat, without the offer to leave a message
	// (nobody would read it). Safety answers are not affected.
	Blocked bool
	// TicketClosed says the operator closed the session's open ticket: the session
	// leaves handoff mode and this message is answered by the flow again, at the
	// flow's Rate menu (its closing message offered it: a number picks from it) or,
	// for anything else, at the main menu.
	TicketClosed bool
}

// Reply is one message of the bot, still in locale keys: Render turns it into text.
type Reply struct {
	// Keys are said in order, each rendered with Vars.
	Keys []string
	// Vars are template data for the keys (the social name, counts, ...).
	Vars map[string]any
	// Cards are directory results (phone lines or services) said after the keys.
	Cards []Card
	// Options are the numbered choices offered with this reply.
	Options []ReplyOption
	// AskLocation offers a "share my location" button where the channel has one.
	AskLocation bool
	// Footer is a locale key said last (navigation hints).
	Footer string
	// Ask, when set, says the cards as the answer to these questions about them: one
	// line a card, its name and what its source says about each.
	Ask understand.ServiceAsk
}

// ReplyOption is a choice offered to the user.
type ReplyOption struct {
	// Label is a locale key, or literal text when Literal is set (place names).
	Label   string
	Literal bool
	// Payload is what a button press sends back; typing the option's number works too.
	Payload string
}

// EffectKind names a side effect Step asks its caller to carry out.
type EffectKind int

// Effects.
const (
	EffectHandoff  EffectKind = iota + 1 // open a ticket for a human operator (Topic)
	EffectErase                          // delete every key of this user
	EffectRelay                          // pass the user's message to the operator of the open ticket (Text or Media)
	EffectClose                          // the user left the open ticket (a command, /start)
	EffectEvent                          // count an event (Topic: "emergency", "crisis", "handoff_offline", "topic:<node>", ...); no user data
	EffectFeedback                       // keep a report of the community (Topic: its kind; Entry; Text), with nothing about the person
)

// Effect is a side effect for the caller: the engine itself does no I/O. The caller
// carries effects out after the session is committed, and only for a message that was
// not a duplicate.
type Effect struct {
	Kind  EffectKind
	Topic string
	// Text is the user's words for EffectRelay: personal data, never logged.
	Text string
	// Media is the kind of a non-text message relayed (voice, photo, ...).
	Media string
	// Urgent marks a relayed message that was a call for help (danger, self-harm):
	// its ticket goes to the head of the queue.
	Urgent bool
	// Entry is the directory id of the service an EffectFeedback is about ("" for a
	// suggestion, or none picked).
	Entry string
}
