package locales

import (
	"embed"
	"fmt"
	"io/fs"
)

// flyerFS holds the texts of the printable card `faro links` makes (bot/outreach): a
// file set of its own, as the console's, so the conversation's catalog and `faro
// check`'s rules for it stay the bot's. Its outside (front.*) says nothing of what the
// service is about; a test holds it to that.
//
//go:embed flyer/*.toml
var flyerFS embed.FS

// FlyerFS returns the flyer's locale files compiled into the binary.
func FlyerFS() fs.FS {
	sub, _ := fs.Sub(flyerFS, "flyer")
	return sub
}

// Flyer loads the flyer's catalog (es is the reference, as for the bot).
func Flyer() (*Catalog, error) {
	c, err := Load(FlyerFS())
	if err != nil {
		return nil, fmt.Errorf("flyer locales: %w", err)
	}
	return c, nil
}
