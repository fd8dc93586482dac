package content

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/faro-chat/faro/locales"
)

//go:embed wording/*.toml
var wordingFS embed.FS

// WordingRule is one pattern of wording Faro's texts must not use, with the principle
// of the guidelines it breaks. Rules are data, one file per language (wording/<lang>.toml).
type WordingRule struct {
	Name      string `toml:"name"`
	Principle string `toml:"principle"`
	Pattern   string `toml:"pattern"`
	// Unless, when it matches the same sentence, clears it ("no es tu culpa").
	Unless string `toml:"unless"`
	// Keys are key prefixes where the wording is allowed (a legal definition).
	Keys []string `toml:"keys"`
	Why  string   `toml:"why"`

	re, unless *regexp.Regexp
}

// WordingRules reads the rules of every language from fsys (wording/<lang>.toml),
// compiling each pattern case-insensitively.
func WordingRules(fsys fs.FS) (map[string][]WordingRule, error) {
	names, err := fs.Glob(fsys, "wording/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list wording rules: %w", err)
	}
	out := map[string][]WordingRule{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		var f struct {
			Rule []WordingRule `toml:"rule"`
		}
		md, err := toml.Decode(string(data), &f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if un := md.Undecoded(); len(un) > 0 {
			return nil, fmt.Errorf("%s: unknown field %s", name, un[0])
		}
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "wording/"), ".toml")
		for i, r := range f.Rule {
			if r.Name == "" || r.Principle == "" || r.Pattern == "" || r.Why == "" {
				return nil, fmt.Errorf("%s: rule %d: name, principle, pattern and why are required", name, i+1)
			}
			if r.re, err = regexp.Compile("(?i)" + r.Pattern); err != nil {
				return nil, fmt.Errorf("%s: rule %q: %w", name, r.Name, err)
			}
			if r.Unless != "" {
				if r.unless, err = regexp.Compile("(?i)" + r.Unless); err != nil {
					return nil, fmt.Errorf("%s: rule %q: unless: %w", name, r.Name, err)
				}
			}
			f.Rule[i] = r
		}
		out[lang] = f.Rule
	}
	return out, nil
}

// Wording checks every text of every locale against its language's rules: a sentence
// that matches a rule's pattern (and not its unless) is an error naming the principle.
// Word lists (cmd., answer.) are what people type, not what Faro says: not checked. A
// locale with no rules is a warning.
func Wording(c *locales.Catalog, rules map[string][]WordingRule) []Problem {
	return wordingIn(c, rules, "locales/", nil)
}

// wordingIn is Wording of a catalog in folder dir, for the keys keep keeps (nil: all).
func wordingIn(c *locales.Catalog, rules map[string][]WordingRule, dir string, keep func(string) bool) []Problem {
	var ps []Problem
	for _, l := range c.All() {
		rs, ok := rules[l]
		if !ok {
			ps = append(ps, Problem{Warning, "flows/content/wording/" + l + ".toml", "no wording rules for this language: its texts are not reviewed for judging wording"})
			continue
		}
		for _, k := range c.Keys(l) {
			if strings.HasPrefix(k, "cmd.") || strings.HasPrefix(k, "answer.") || strings.HasPrefix(k, "language.") || (keep != nil && !keep(k)) {
				continue
			}
			for _, r := range rs {
				if allowedIn(k, r.Keys) {
					continue
				}
				for _, s := range Sentences(c.Raw(l, k)) {
					m := r.re.FindString(s)
					if m == "" || (r.unless != nil && r.unless.MatchString(s)) {
						continue
					}
					ps = append(ps, Problem{Error, dir + l + ".toml key " + k,
						fmt.Sprintf("%q %s, against %s: %s", m, r.Name, r.Principle, r.Why)})
					break
				}
			}
		}
	}
	return ps
}

func allowedIn(key string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// WordingFS returns the shipped wording rules (wording/<lang>.toml).
func WordingFS() fs.FS { return wordingFS }
