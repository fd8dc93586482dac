package locales

import (
	"embed"
	"fmt"
	"io/fs"
)

// consoleFS holds the operator console's own texts: its pages, in the operator's
// language, and its canned answers, in the person's. A file set of its own, so the
// conversation's catalog (and `faro check`'s rules for it) stays the bot's.
//
//go:embed console/*.toml
var consoleFS embed.FS

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
