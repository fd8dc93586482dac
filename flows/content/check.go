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
		for _, k := range c.Keys(ref) {
			if !c.Has(l, k) {
				add(Error, l, k, "missing (it is in %s.toml)", ref)
			} else if strings.TrimSpace(c.Raw(l, k)) == "" {
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
	ps = append(ps, neutralFirstLines(f, c)...)
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

func neutralFirstLines(f *flows.Flow, c *locales.Catalog) []Problem {
	var ps []Problem
	keys := map[string]string{}
	for _, name := range sortedNodes(f) {
		if n := f.Nodes[name]; len(n.Say) > 0 {
			keys[n.Say[0]] = "first message of node " + name
		}
		if n := f.Nodes[name]; n.Done != "" {
			keys[n.Done] = "message of node " + name
		}
	}
	for _, k := range flows.ReplyStartKeys {
		keys[k] = "can open a reply"
	}
	for _, l := range c.Langs() {
		for _, k := range sortedKeys(keys) {
			s, err := c.Render(l, k, sampleData)
			if err != nil {
				continue
			}
			first, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
			if w := sensitiveWord(first); w != "" {
				ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + k,
					fmt.Sprintf("first line %q says %q: a lock screen shows the first line (%s); make it neutral", first, w, keys[k])})
			}
		}
	}
	return ps
}

// sensitiveWord returns the first sensitive stem found in text, or "".
func sensitiveWord(text string) string {
	tokens := strings.Fields(flows.Normalize(text))
	norm := " " + strings.Join(tokens, " ") + " "
	for _, stem := range sensitive {
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
	if f != nil && texts != nil {
		ps = append(ps, Texts(f, texts)...)
	}
	dirFS := directory.Embedded()
	where := "directory/data"
	if src.DirectoryDir != "" {
		dirFS, where = os.DirFS(src.DirectoryDir), src.DirectoryDir
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
