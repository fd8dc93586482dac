package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/outreach"
	"github.com/faro-chat/faro/flows/content"
)

// mountConsole mounts the operator console at /operator on mux, on the server's Redis,
// ticket store and hub, and returns what ends its event streams at shutdown (for
// http.Server.RegisterOnShutdown). Its cookies are Secure unless FARO_PUBLIC_URL is
// plain http. The console is mounted without the metrics wrapper; its event stream
// extends its own write deadline (see serveTimeouts).
func (s *server) mountConsole(mux *http.ServeMux) (closeStreams func(), err error) {
	ct, err := content.Load(content.Sources{FlowsDir: s.cfg.FlowsDir, LocalesDir: s.cfg.LocalesDir, DirectoryDir: s.cfg.DirectoryDir})
	if err != nil {
		return nil, fmt.Errorf("console: load content: %w", err)
	}
	maker, err := outreachMaker(s.cfg.TelegramBotUsername, s.cfg.TwilioFrom)
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c, err := console.New(console.Config{
		Tickets: s.tickets, Hub: s.hub, Redis: s.rdb,
		Texts: ct.Texts, Directory: ct.Directory, Engine: ct.Engine,
		Outreach: maker, Orgs: ct.Directory.Orgs(),
		Secure: !strings.HasPrefix(s.cfg.PublicURL, "http://"), Logger: s.log, Stats: s.stats,
		Feedback: s.feedback, TrustedProxies: s.cfg.TrustedProxies,
	})
	if err != nil {
		return nil, err
	}
	mux.Handle(c.Base(), c.Handler())
	mux.Handle(c.Base()+"/", c.Handler())
	return c.Close, nil
}

// outreachMaker is the maker of the console's outreach page for the bot's Telegram
// username and WhatsApp number; nil when neither is configured (the page says so).
func outreachMaker(telegramBot, whatsApp string) (*outreach.Maker, error) {
	if telegramBot == "" && whatsApp == "" {
		return nil, nil
	}
	m, err := outreach.New(outreach.Options{TelegramBot: telegramBot, WhatsAppNumber: whatsApp})
	if err != nil {
		return nil, fmt.Errorf("outreach: %w", err)
	}
	return m, nil
}
