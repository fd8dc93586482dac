package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// consoleFS holds the operator console's own texts: its pages, in the operator's
// language, and its canned answers, in the person's. A file set of its own, so the
// conversation's catalog (and `faro check`'s rules for it) stays the bot's.
//
// The console's own pages exist in the languages that have every key (ConsoleUI);
// the texts sent to the person (ConsolePerson: canned answers, the closing message)
// exist in every language the bot speaks, with review records as the bot's
// (console/review/<lang>.toml, `faro locale-review --dir locales/console`).
//
//go:embed console/*.toml console/review/*.toml
var consoleFS embed.FS

// ConsolePerson are the prefixes of the console's keys that are sent to the person,
// in her language: what an enabled language must have (faro check).
var ConsolePerson = []string{"canned.", "person."}

// IsConsolePerson tells whether key is sent to the person (ConsolePerson).
func IsConsolePerson(key string) bool {
	for _, p := range ConsolePerson {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// ConsoleUI lists the languages of c (the console's catalog) that have every key of
// the reference: the languages the console's pages can be shown in. The others only
// carry the texts sent to the person.
func ConsoleUI(c *Catalog) []string {
	var out []string
	for _, l := range c.Langs() {
		all := true
		for _, k := range c.Keys(Reference) {
			if !c.Has(l, k) {
				all = false
				break
			}
		}
		if all {
			out = append(out, l)
		}
	}
	return out
}

// ConsoleFS returns the console's locale files compiled into the binary.
func ConsoleFS() fs.FS {
	sub, _ := fs.Sub(consoleFS, "console")
	return sub
}

// Console loads the operator console's catalog (es is the reference, as for the bot).
func Console() (*Catalog, error) {
	c, err := Load(ConsoleFS())
	if err != nil {
		return nil, fmt.Errorf("console locales: %w", err)
	}
	return c, nil
}
