package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/flows/content"
)

// mountConsole mounts the operator console at /operator on mux, on the server's Redis,
// ticket store and hub. Its cookies are Secure unless FARO_PUBLIC_URL is plain http.
// The console's event stream is mounted without the metrics wrapper and extends its own
// write deadline (see serveTimeouts).
func (s *server) mountConsole(mux *http.ServeMux) error {
	ct, err := content.Load(content.Sources{FlowsDir: s.cfg.FlowsDir, LocalesDir: s.cfg.LocalesDir, DirectoryDir: s.cfg.DirectoryDir})
	if err != nil {
		return fmt.Errorf("console: load content: %w", err)
	}
	c, err := console.New(console.Config{
		Tickets: s.tickets, Hub: s.hub, Redis: s.rdb,
		Texts: ct.Texts, Directory: ct.Directory, Engine: ct.Engine,
		Secure: !strings.HasPrefix(s.cfg.PublicURL, "http://"), Logger: s.log,
	})
	if err != nil {
		return err
	}
	mux.Handle(c.Base(), c.Handler())
	mux.Handle(c.Base()+"/", c.Handler())
	return nil
}
