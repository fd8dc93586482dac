// Package outreach makes what community organizations hand out: for each organization
// of the directory, its Telegram deep link and WhatsApp click-to-chat links (both
// carrying its code), their QR codes (PNG and SVG) and a printable flyer of A6 cards in
// each language of the flyer's locales, whose outside says nothing of what the
// service is about. `faro links` writes them to a folder.
package outreach

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/locales"
)

// Options are the bot's addresses on each app; at least one is needed.
type Options struct {
	// TelegramBot is the bot's username, without the @ (FARO_TELEGRAM_BOT_USERNAME).
	TelegramBot string
	// WhatsAppNumber is the bot's WhatsApp number in international format
	// (FARO_TWILIO_WHATSAPP_FROM: "whatsapp:+14155238886").
	WhatsAppNumber string
}

// Links are one organization's links.
type Links struct {
	Org directory.Org
	// Telegram is https://t.me/<bot>?start=<code> ("" without a bot username).
	// see https://core.telegram.org/bots/features#deep-linking
	Telegram string
	// WhatsApp is https://wa.me/<number>?text=<greeting (ref code)> by language of the
	// flyer's locales (empty without a number): the greeting is each language's.
	// see https://faq.whatsapp.com/5913398998672934
	WhatsApp map[string]string
	// TelegramShort and WhatsAppShort are what a person can type without a camera:
	// t.me/<bot>?start=<code> and wa.me/<number>.
	TelegramShort, WhatsAppShort string
}

// Maker makes the links, QR codes and flyers; New checks its options once.
type Maker struct {
	bot    string
	number string // digits only
	texts  *locales.Catalog
}

// New checks opts and loads the flyer's texts.
func New(opts Options) (*Maker, error) {
	m := &Maker{bot: strings.TrimPrefix(strings.TrimSpace(opts.TelegramBot), "@")}
	if m.bot == "" && opts.WhatsAppNumber == "" {
		return nil, errors.New("outreach: no bot username and no WhatsApp number: links need at least one")
	}
	if m.bot != "" {
		if err := config.CheckBotUsername(m.bot); err != nil {
			return nil, fmt.Errorf("outreach: telegram: %w", err)
		}
	}
	if opts.WhatsAppNumber != "" {
		n, err := config.WhatsAppDigits(opts.WhatsAppNumber)
		if err != nil {
			return nil, fmt.Errorf("outreach: whatsapp: %w", err)
		}
		m.number = n
	}
	texts, err := locales.Flyer()
	if err != nil {
		return nil, fmt.Errorf("outreach: %w", err)
	}
	m.texts = texts
	return m, nil
}

// Langs are the languages of the flyers and WhatsApp greetings (es first).
func (m *Maker) Langs() []string { return m.texts.Langs() }

// Links returns o's links.
func (m *Maker) Links(o directory.Org) (Links, error) {
	if !directory.ValidOrgCode(o.Code) {
		return Links{}, fmt.Errorf("outreach: organization %s: code %q cannot be in a link", o.ID, o.Code)
	}
	l := Links{Org: o, WhatsApp: map[string]string{}}
	if m.bot != "" {
		l.TelegramShort = "t.me/" + m.bot + "?start=" + o.Code
		l.Telegram = "https://" + l.TelegramShort
	}
	if m.number != "" {
		l.WhatsAppShort = "wa.me/" + m.number
		for _, lang := range m.Langs() {
			text := bot.ReferralText(m.texts.Raw(lang, "whatsapp.greeting"), o.Code)
			l.WhatsApp[lang] = "https://" + l.WhatsAppShort + "?text=" + escapeQuery(text)
		}
	}
	return l, nil
}

// escapeQuery escapes a query value with %20 for spaces, as WhatsApp's own links
// write them (a + could be taken for itself).
func escapeQuery(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
