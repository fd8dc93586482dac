// Package contentcheck validates Faro's content as a whole — the flow, every locale and
// the directory — and reports each problem precisely enough to fix it. `faro check`
// and the tests run it; CI fails on any error.
package content

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// Severity of a problem: errors fail the check, warnings are printed.
const (
	Error   = "error"
	Warning = "warning"
)

// Problem is one thing to fix.
type Problem struct {
	Severity string
	Where    string // "flows/main.yaml node x", "locales/en.toml key y"
	Message  string
}

// String is the problem as faro check prints it.
func (p Problem) String() string { return p.Severity + ": " + p.Where + ": " + p.Message }

// Errors counts the problems that are errors.
func Errors(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

// Flow reports structural problems of the flow (see flows.Flow.Validate).
func Flow(f *flows.Flow, file string) []Problem {
	var ps []Problem
	for _, p := range f.Validate() {
		where := file
		if p.Node != "" {
			where += " node " + p.Node
		}
		ps = append(ps, Problem{Error, where, p.Message})
	}
	return ps
}

// sampleData holds a value for every template field the engine provides, so that a
// template naming any other field is caught.
var sampleData = map[string]any{
	"name": "Ana", "Place": "San Juan de Lurigancho", "Km": "1,2", "Until": "16:15",
	"Opens": "lun 08:00", "Date": "2025-11", "Phone": "100", "WhatsApp": "+51 999 999 999",
	"Web": "https://www.gob.pe", "Address": "Av. Ejemplo 123", "Hours": "24 h",
	"Time":      "9:00", // when the operators are back (handoff.back.*)
	"Languages": "castellano, quechua",
	"Name":      "CEM Comisaría Barranco", "Facts": "Abierto 24 horas · Gratis", // services.ask.item
}

// withoutName is sampleData for a person who gave no social name.
var withoutName = func() map[string]any {
	m := map[string]any{}
	for k, v := range sampleData {
		if k != "name" {
			m[k] = v
		}
	}
	return m
}()

// Texts reports problems of the locales against the flow: keys missing or empty in a
// locale, keys the flow or the engine need that do not exist, templates that fail or
// use fields nobody provides, labels longer than a WhatsApp row, messages longer than a
// WhatsApp message, word lists of the wrong shape, and first lines that would tell a
// lock screen what the chat is about.
func Texts(f *flows.Flow, c *locales.Catalog) []Problem {
	var ps []Problem
	add := func(sev, lang, key, format string, args ...any) {
		where := "locales/" + lang + ".toml"
		if key != "" {
			where += " key " + key
		}
		ps = append(ps, Problem{sev, where, fmt.Sprintf(format, args...)})
	}
	ref := locales.Reference
	langs := c.Langs()
	// completeness against the reference
	for _, l := range langs {
		reviewed := c.Review(l).Reviewed()
		for _, k := range c.Keys(ref) {
			switch {
			case !c.Has(l, k) && reviewed:
				add(Error, l, k, "missing (it is in %s.toml): a reviewed locale must be complete", ref)
			case !c.Has(l, k):
				add(Warning, l, k, "missing in this draft (it is in %s.toml): said in Spanish until translated", ref)
			case strings.TrimSpace(c.Raw(l, k)) == "":
				add(Error, l, k, "empty")
			}
		}
		for _, k := range c.Keys(l) {
			if !c.Has(ref, k) {
				add(Error, l, k, "not in %s.toml: a stray or misspelt key", ref)
			}
		}
	}
	// keys someone needs
	needed := map[string]string{}
	for k, nodes := range f.Keys() {
		needed[k] = "used by node " + strings.Join(nodes, ", ")
	}
	for _, k := range flows.EngineKeys {
		needed[k] = "said by the engine"
	}
	for _, k := range flows.CardKeys {
		needed[k] = "used to show directory cards"
	}
	for _, n := range f.Nodes {
		if n.Answers != "" {
			for _, k := range flows.AskKeys {
				needed[k] = "answers a question about the places listed (node " + n.Name + ")"
			}
		}
	}
	for _, l := range langs {
		needed[flows.KeyLanguageName+l] = "names a language in the language menu"
	}
	for _, k := range sortedKeys(needed) {
		if !c.Has(ref, k) {
			add(Error, ref, k, "does not exist (%s)", needed[k])
		}
	}
	// templates
	for _, l := range langs {
		for _, k := range c.Keys(l) {
			if _, err := c.Render(l, k, sampleData); err != nil {
				add(Error, l, k, "template: %v", err)
				continue
			}
			if !strings.HasPrefix(k, "card.") {
				if _, err := c.Render(l, k, withoutName); err != nil {
					add(Error, l, k, "template fails without a social name (wrap {{.name}} in {{if .name}}…{{end}}): %v", err)
				}
			}
		}
	}
	ps = append(ps, limits(f, c)...)
	ps = append(ps, wordLists(c)...)
	ps = append(ps, neutralReplyStarts(c)...)
	return ps
}

func limits(f *flows.Flow, c *locales.Catalog) []Problem {
	var ps []Problem
	for _, l := range c.Langs() {
		for _, name := range sortedNodes(f) {
			n := f.Nodes[name]
			for _, o := range n.Options {
				label, _ := c.Render(l, o.Label, sampleData)
				if r := utf8.RuneCountInString(label); r > flows.MaxLabelRunes {
					ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + o.Label,
						fmt.Sprintf("label of node %s is %d characters, WhatsApp shows at most %d", name, r, flows.MaxLabelRunes)})
				}
			}
			for _, k := range []string{n.Confirm, n.Cancel} {
				if k == "" {
					continue
				}
				label, _ := c.Render(l, k, sampleData)
				if r := utf8.RuneCountInString(label); r > flows.MaxLabelRunes {
					ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + k,
						fmt.Sprintf("label of node %s is %d characters, WhatsApp shows at most %d", name, r, flows.MaxLabelRunes)})
				}
			}
			total := 0
			for _, k := range n.Say {
				s, _ := c.Render(l, k, sampleData)
				total += utf8.RuneCountInString(s) + 2
			}
			if total > flows.MaxMessageRune {
				ps = append(ps, Problem{Error, "locales/" + l + ".toml node " + name,
					fmt.Sprintf("the node says %d characters, one WhatsApp message holds %d", total, flows.MaxMessageRune)})
			}
		}
	}
	return ps
}

func wordLists(c *locales.Catalog) []Problem {
	var ps []Problem
	for _, l := range c.Langs() {
		if n := len(strings.Split(c.Raw(l, flows.KeyCmdNumbers), "|")); n != 10 {
			ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + flows.KeyCmdNumbers,
				fmt.Sprintf("has %d words, want the ten words for 1 to 10 in order", n)})
		}
		for _, k := range c.Keys(l) {
			if !strings.HasPrefix(k, "cmd.") && !strings.HasPrefix(k, "intent.") && !strings.HasSuffix(k, ".words") {
				continue
			}
			for _, w := range strings.Split(c.Raw(l, k), "|") {
				if flows.Normalize(w) == "" {
					ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + k, "an empty word in the list (check the | separators)"})
					break
				}
			}
		}
	}
	return ps
}

// sensitive are word stems that must not appear in the first line of a reply: a lock
// screen shows that line to whoever holds the phone.
var sensitive = []string{
	"violen", "sexual", "sexo", "trata de personas", "traffick", "explota", "exploit", "polic", "denunc",
	"report", "vih", "hiv", "abus", "golpe", "emergen", "peligr", "danger", "prostitu",
	"proxene", "migra", "papeles", "agresor", "violac", "violad", "rape", "matar", "kill",
	"asesin", "murder", "extors", "amenaz", "threat", "sex", "its", "sti", "trabajo sexual",
}

// neutralReplyStarts checks the engine's own texts that can open a reply (Messages
// checks what the nodes say).
func neutralReplyStarts(c *locales.Catalog) []Problem {
	var ps []Problem
	for _, l := range c.Langs() {
		for _, k := range flows.ReplyStartKeys {
			s, err := c.Render(l, k, sampleData)
			if err != nil {
				continue
			}
			if p := previewProblem(s); p != "" {
				ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + k, p + " (it can open a reply)"})
			}
		}
	}
	return ps
}

// Message limits for a cheap phone and a lock screen.
const (
	// MaxTextRunes is the longest reply, options included, that is not a list of
	// service cards: longer is a wall of text on a small screen.
	MaxTextRunes = 700
	// PreviewRunes is about what a notification preview shows (two lines): it must
	// say nothing of the topic and not the person's name.
	PreviewRunes = 100
)

// PreviewProblem says what is wrong with the first PreviewRunes characters of a
// message as sent: a topic word, or one of names (the social names in use). "" when
// nothing is.
func PreviewProblem(msg string, names ...string) string {
	preview := firstRunes(strings.TrimSpace(msg), PreviewRunes)
	if w := sensitiveWord(preview); w != "" {
		return fmt.Sprintf("the first %d characters %q say %q: a notification preview shows them; make them neutral", PreviewRunes, preview, w)
	}
	for _, name := range names {
		if containsWord(preview, name) {
			return fmt.Sprintf("the first %d characters %q hold the social name: a notification preview shows them", PreviewRunes, preview)
		}
	}
	return ""
}

// previewProblem says what is wrong with the first PreviewRunes characters of a
// message (rendered with sampleData), or "".
func previewProblem(msg string) string {
	preview := firstRunes(strings.TrimSpace(msg), PreviewRunes)
	if w := sensitiveWord(preview); w != "" {
		return fmt.Sprintf("the first %d characters %q say %q: a notification preview shows them; make them neutral", PreviewRunes, preview, w)
	}
	if name := sampleData["name"].(string); containsWord(preview, name) {
		return fmt.Sprintf("the first %d characters %q hold the social name: a notification preview shows them", PreviewRunes, preview)
	}
	return ""
}

func firstRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func containsWord(text, w string) bool {
	for _, t := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if t == w {
			return true
		}
	}
	return false
}

// Messages renders, for every node, the message a person receives on arriving there:
// its texts, the phone lines of a lines node (when d is not nil), the nodes it moves
// on to without waiting, and the question and options of the node that waits, as
// WhatsApp shows them (numbered lines). Each must fit MaxTextRunes (phone lines
// counted only in the urgent replies, the flow's emergency, crisis and cannot-call nodes), and its first
// PreviewRunes characters must be neutral (no topic word, no name), with and without a
// social name. Service results (lists of cards) depend on the place and are not
// rendered here.
func Messages(f *flows.Flow, c *locales.Catalog, d flows.Directory) []Problem {
	var ps []Problem
	urgent := map[string]bool{f.Emergency: true, f.Crisis: true, f.CannotCall: true}
	for _, l := range c.Langs() {
		for _, name := range sortedNodes(f) {
			for _, data := range []map[string]any{sampleData, withoutName} {
				_, whole, _ := arrival(f, c, d, l, name, data)
				where := "locales/" + l + ".toml node " + name
				if p := previewProblem(whole); p != "" {
					ps = append(ps, Problem{Error, where, p})
				}
				if data["name"] != nil {
					continue
				}
				// Phone lines are a list of cards, except in the urgent replies: there the
				// whole message, lines included, must be short.
				what, lines := "texts and options", flows.Directory(nil)
				if urgent[name] {
					what, lines = "texts, phone lines and options", d
				}
				if _, msg, _ := arrival(f, c, lines, l, name, data); utf8.RuneCountInString(msg) > MaxTextRunes {
					ps = append(ps, Problem{Error, where, fmt.Sprintf("the message on arriving is %d characters (%s), at most %d: shorten it, leave out what does not help here, or move part of it behind an option", utf8.RuneCountInString(msg), what, MaxTextRunes)})
				}
			}
		}
	}
	return ps
}

// arrival is the message said on arriving at node name: its text, the whole of it
// with the numbered options as WhatsApp shows them (in its notification preview too),
// and whether it holds phone-line cards.
func arrival(f *flows.Flow, c *locales.Catalog, d flows.Directory, lang, name string, data map[string]any) (string, string, bool) {
	var replies []flows.Reply
	cards := false
	seen := map[string]bool{}
	for name != "" && !seen[name] {
		seen[name] = true
		n := f.Nodes[name]
		if n == nil {
			break
		}
		keys := n.Say
		if name == f.Start {
			// the engine adds a line for every other language on
			var welcomes []string
			for _, l := range c.Langs() {
				if c.Has(locales.Reference, flows.KeyLanguageWelcome+l) {
					welcomes = append(welcomes, flows.KeyLanguageWelcome+l)
				}
			}
			keys = append(append([]string(nil), keys...), flows.WelcomeKeys(welcomes, lang)...)
		}
		r := flows.Reply{Keys: keys, Vars: data}
		if n.Kind == flows.KindLines && d != nil {
			r.Cards = d.Lines(lang, n.Tags, "")
			cards = cards || len(r.Cards) > 0
		}
		moves := n.Kind == flows.KindMessage || n.Kind == flows.KindLines || n.Kind == flows.KindHandoff
		if !moves {
			for _, o := range n.Options {
				r.Options = append(r.Options, flows.ReplyOption{Label: o.Label})
			}
			if n.Confirm != "" {
				r.Options = append(r.Options, flows.ReplyOption{Label: n.Confirm})
			}
			if n.Cancel != "" {
				r.Options = append(r.Options, flows.ReplyOption{Label: n.Cancel})
			}
			if name != f.Home && len(r.Options) > 0 {
				r.Footer = flows.KeyNavFooter
			}
		}
		replies = append(replies, r)
		if !moves {
			break
		}
		name = n.Next
	}
	m := flows.Render(catalogText{c}, lang, replies)
	whole := m.Text
	if len(m.Options) > 0 {
		whole += "\n"
		for i, o := range m.Options {
			whole += fmt.Sprintf("\n%d. %s", i+1, o.Label)
		}
	}
	return m.Text, whole, cards
}

// placeholderMarks end a text the deploying organization must write itself (who runs
// the deployment, in about.who): "(nombre de la organización, por configurar)".
var placeholderMarks = []string{"por configurar)", "to be configured)"}

// Placeholders warns about texts still holding a placeholder. They ship with the
// placeholder on purpose (no organization is hard-coded); a deployment overrides
// them in its own locale files (FARO_LOCALES_DIR).
func Placeholders(c *locales.Catalog) []Problem {
	var ps []Problem
	for _, l := range c.Langs() {
		for _, k := range c.Keys(l) {
			for _, m := range placeholderMarks {
				if strings.Contains(c.Raw(l, k), m) {
					ps = append(ps, Problem{Warning, "locales/" + l + ".toml key " + k,
						"still the placeholder: the organization that runs this deployment writes its own text here (a copy of the locales in FARO_LOCALES_DIR)"})
					break
				}
			}
		}
	}
	return ps
}

// catalogText renders keys for flows.Render.
type catalogText struct{ c *locales.Catalog }

// Text renders key as the bot says it: a key a draft locale lacks is said in the
// reference language (locales.Catalog.Text), so the checks read the message people get,
// not one with a hole where the missing text would be.
func (t catalogText) Text(lang, key string, data any) string {
	if !t.c.Has(lang, key) {
		lang = locales.Reference
	}
	s, _ := t.c.Render(lang, key, data)
	return s
}

// sensitiveWord returns the first sensitive stem found in text, or "".
func sensitiveWord(text string) string {
	tokens := strings.Fields(flows.Normalize(text))
	norm := " " + strings.Join(tokens, " ") + " "
	for _, stem := range sensitive {
		if stem == "its" && !containsWord(text, "ITS") {
			continue // the Spanish acronym (STI), written in capitals; not English "its"
		}
		if strings.Contains(stem, " ") {
			if strings.Contains(norm, " "+stem+" ") {
				return stem
			}
			continue
		}
		for _, t := range tokens {
			if (len(stem) >= 4 && strings.HasPrefix(t, stem)) || t == stem {
				return stem
			}
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedNodes(f *flows.Flow) []string { return sortedKeys(f.Nodes) }

// Check loads and checks every part of the content: the flow, the locales and the
// directory data. It checks each part on its own, so that one broken part does not hide the
// problems of another.
func Check(src Sources, now time.Time) []Problem {
	var ps []Problem
	fail := func(where string, err error) {
		ps = append(ps, Problem{Severity: Error, Where: where, Message: err.Error()})
	}
	flowFile := "flows/" + flows.DefaultFile
	data, err := fs.ReadFile(src.FlowFS(), flows.DefaultFile)
	var f *flows.Flow
	if err != nil {
		fail(flowFile, err)
	} else if f, err = flows.Parse(data); err != nil {
		fail(flowFile, err)
	} else {
		ps = append(ps, Flow(f, flowFile)...)
	}
	texts, err := locales.Load(src.LocalesFS())
	if err != nil {
		fail("locales", err)
	}
	dirFS := directory.Embedded()
	where := "directory/data"
	if src.DirectoryDir != "" {
		dirFS, where = os.DirFS(src.DirectoryDir), src.DirectoryDir
	}
	if f != nil && texts != nil {
		ps = append(ps, Texts(f, texts)...)
		var lines flows.Directory
		if d, err := directory.Load(dirFS); err == nil {
			lines = d
			ps = append(ps, TextClaims(texts, d.Entries(""))...)
		}
		ps = append(ps, Messages(f, texts, lines)...)
		ps = append(ps, Placeholders(texts)...)
	}
	if texts != nil {
		ps = append(ps, Reviews(texts)...)
		ps = append(ps, Numbers(texts)...)
		plain, _ := PlainLanguage(texts)
		ps = append(ps, plain...)
		if rules, err := WordingRules(WordingFS()); err != nil {
			fail("flows/content/wording", err)
		} else {
			ps = append(ps, Wording(texts, rules)...)
			ps = append(ps, OtherTexts(src, texts, rules)...)
		}
	}
	for _, p := range directory.Validate(dirFS, now) {
		sev := Error
		if p.Severity == "warning" {
			sev = Warning
		}
		w := where + "/" + p.File
		if p.Entry != "" {
			w += " entry " + p.Entry
		}
		ps = append(ps, Problem{Severity: sev, Where: w, Message: p.Message})
	}
	return ps
}
