package content

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/faro-chat/faro/locales"
)

// ConsoleFS returns the folder the console's texts are read from: <LocalesDir>/console,
// or the embedded copy.
func (s Sources) ConsoleFS() fs.FS {
	if s.LocalesDir != "" {
		return os.DirFS(filepath.Join(s.LocalesDir, "console"))
	}
	return locales.ConsoleFS()
}

// FlyerFS returns the folder the flyer's texts are read from: <LocalesDir>/flyer, or
// the embedded copy.
func (s Sources) FlyerFS() fs.FS {
	if s.LocalesDir != "" {
		return os.DirFS(filepath.Join(s.LocalesDir, "flyer"))
	}
	return locales.FlyerFS()
}

// enabled tells whether the bot offers lang: reviewed, or named in Sources.Enabled.
func (s Sources) enabled(texts *locales.Catalog, lang string) bool {
	return texts.Review(lang).Reviewed() || slices.Contains(s.Enabled, lang) || slices.Contains(s.Enabled, "all")
}

// OtherTexts checks the texts that reach people outside the bot's own catalog, with
// the bot's rules (plain language, wording, the same figures as Spanish, review
// records):
//
//   - the console's texts sent to the person in her language (locales.ConsolePerson:
//     canned answers, the closing message). A language the bot offers that lacks one
//     is an error: the operator would send her Spanish. A draft language that lacks
//     one is a warning. The console's own pages are for the team and not measured.
//   - the printable card's (locales/flyer): every text, outside and inside.
func OtherTexts(src Sources, texts *locales.Catalog, rules map[string][]WordingRule) []Problem {
	var ps []Problem
	console, err := locales.Load(src.ConsoleFS())
	if err != nil {
		ps = append(ps, Problem{Error, "locales/console", err.Error()})
	} else {
		const dir = "locales/console/"
		for _, l := range texts.All() {
			for _, k := range console.Keys(locales.Reference) {
				if !locales.IsConsolePerson(k) || console.Has(l, k) {
					continue
				}
				sev, what := Warning, "a draft language"
				if src.enabled(texts, l) {
					sev, what = Error, "a language the bot offers"
				}
				ps = append(ps, Problem{sev, dir + l + ".toml key " + k,
					fmt.Sprintf("missing in %s: an operator would send her the Spanish text", what)})
			}
		}
		ps = append(ps, consoleSubset(console, dir, rules)...)
	}
	flyer, err := locales.Load(src.FlyerFS())
	if err != nil {
		ps = append(ps, Problem{Error, "locales/flyer", err.Error()})
	} else {
		const dir = "locales/flyer/"
		plain, _ := plainLanguageIn(flyer, dir, nil)
		ps = append(ps, plain...)
		ps = append(ps, wordingIn(flyer, rules, dir, nil)...)
		ps = append(ps, numbersIn(flyer, dir)...)
	}
	return ps
}

// consoleSubset checks the console's texts sent to the person like the bot's.
func consoleSubset(c *locales.Catalog, dir string, rules map[string][]WordingRule) []Problem {
	keep := locales.IsConsolePerson
	plain, _ := plainLanguageIn(c, dir, keep)
	ps := append(plain, wordingIn(c, rules, dir, keep)...)
	ps = append(ps, numbersIn(c, dir)...) // the pages' figures must match too: they are facts
	return append(ps, reviewsIn(c, dir, keep)...)
}
