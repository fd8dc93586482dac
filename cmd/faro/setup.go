package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/locales"
)

// runSetup is `faro setup telegram|whatsapp`: the one-time registration with each
// platform, from the same FARO_* configuration as `faro serve`.
func runSetup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return runSetupEnv(ctx, args, stdout, stderr, os.Getenv)
}

func setupUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: faro setup telegram [-timeout 10s]   register the webhook (setWebhook, then getWebhookInfo), the command menu and the description in each enabled language")
	fmt.Fprintln(w, "       faro setup whatsapp [-timeout 10s]   print the URLs to paste into the Twilio console and check the credentials")
	fmt.Fprintln(w, "configured by the FARO_* variables of faro serve (faro serve -h); one line a step, and exit 1 when one failed")
}

func runSetupEnv(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || (args[0] != "telegram" && args[0] != "whatsapp") {
		setupUsage(stderr)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	platform := args[0]
	fs := flag.NewFlagSet("setup "+platform, flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for each API call")
	fs.Usage = func() { setupUsage(stderr); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := config.Parse(getenv, os.ReadFile)
	r := newReport(stdout, cfg, getenv)
	if err != nil {
		r.configErrors(err)
		fmt.Fprintln(stdout, "fix the configuration first (faro serve -h lists every variable); nothing was sent")
		return 1
	}
	hc := &http.Client{Timeout: *timeout}
	if platform == "telegram" {
		setupTelegram(ctx, r, cfg, hc)
	} else {
		setupWhatsApp(ctx, stdout, r, cfg, hc)
	}
	if r.failed {
		return 1
	}
	return 0
}

// Telegram's limits on the bot's profile and command menu.
// see https://core.telegram.org/bots/api#setmydescription
// see https://core.telegram.org/bots/api#botcommand
const (
	tgMaxDescription      = 512
	tgMaxShortDescription = 120
	tgMaxCommandAbout     = 256
)

var tgCommandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// Locale keys of the bot's Telegram profile and command menu. Each command's name is a
// word the conversation understands (one of its cmd.* list), so that /ayuda does what
// «ayuda» does.
const (
	keyTGProfile      = "setup.telegram.profile"
	keyTGProfileShort = "setup.telegram.profile_short"
	keyTGCommand      = "setup.telegram.command."
)

// tgMenu is the command menu, in order, with the list of words each name must be in.
var tgMenu = []struct{ id, words string }{
	{"menu", "cmd.menu"}, {"help", "cmd.help"}, {"operator", "cmd.operator"},
	{"language", "cmd.language"}, {"erase", "cmd.erase"},
}

// tgCommand is one entry of setMyCommands.
type tgCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// tgProfile is what one language's users see of the bot: its menu and descriptions.
type tgProfile struct {
	commands           []tgCommand
	description, short string
}

// telegramProfile reads one language's profile from the locales and checks it against
// Telegram's limits and the conversation's words.
// A key a draft lacks is taken from Spanish, as the conversation does.
func telegramProfile(c *locales.Catalog, lang string) (tgProfile, error) {
	raw := func(key string) (text, from string) {
		if c.Has(lang, key) {
			return c.Raw(lang, key), lang
		}
		return c.Raw(locales.Reference, key), locales.Reference
	}
	desc, _ := raw(keyTGProfile)
	short, _ := raw(keyTGProfileShort)
	p := tgProfile{description: desc, short: short}
	file := "locales/" + lang + ".toml"
	switch {
	case p.description == "" || p.short == "":
		return p, fmt.Errorf("%s has no %s or %s", file, keyTGProfile, keyTGProfileShort)
	case utf8.RuneCountInString(p.description) > tgMaxDescription:
		return p, fmt.Errorf("%s key %s: over Telegram's %d characters", file, keyTGProfile, tgMaxDescription)
	case utf8.RuneCountInString(p.short) > tgMaxShortDescription:
		return p, fmt.Errorf("%s key %s: over Telegram's %d characters", file, keyTGProfileShort, tgMaxShortDescription)
	}
	for _, m := range tgMenu {
		name, from := raw(keyTGCommand + m.id)
		about, _ := raw(keyTGCommand + m.id + ".about")
		file := "locales/" + from + ".toml"
		if !tgCommandName.MatchString(name) {
			return p, fmt.Errorf("%s key %s%s: %q is not a Telegram command (1 to 32 of a-z 0-9 _)", file, keyTGCommand, m.id, name)
		}
		if !hasWord(c.Raw(from, m.words), name) {
			return p, fmt.Errorf("%s key %s%s: %q is not one of the words of %s, so the bot would not understand it", file, keyTGCommand, m.id, name, m.words)
		}
		if n := utf8.RuneCountInString(about); n == 0 || n > tgMaxCommandAbout {
			return p, fmt.Errorf("%s key %s%s.about: 1 to %d characters", file, keyTGCommand, m.id, tgMaxCommandAbout)
		}
		p.commands = append(p.commands, tgCommand{Command: name, Description: about})
	}
	return p, nil
}

func hasWord(list, w string) bool {
	for _, x := range strings.Split(list, "|") {
		if strings.TrimSpace(x) == w {
			return true
		}
	}
	return false
}

// enabledLocales loads the locales serve would offer (the reviewed ones and
// FARO_LOCALES_ENABLED).
func enabledLocales(cfg *config.Config) (*locales.Catalog, error) {
	src := content.Sources{LocalesDir: cfg.LocalesDir, Enabled: cfg.LocalesEnabled}
	c, err := locales.Load(src.LocalesFS())
	if err != nil {
		return nil, err
	}
	return c.Enabled(cfg.LocalesEnabled)
}

// webhookURL is where Telegram must deliver updates.
func webhookURL(cfg *config.Config) string { return cfg.PublicURL + telegram.WebhookPath }

// setupTelegram registers the webhook and verifies it, then sets the command menu and
// descriptions of each enabled language (Spanish, the reference, as the default for
// every language Faro does not speak).
func setupTelegram(ctx context.Context, r *report, cfg *config.Config, hc *http.Client) {
	if !cfg.Telegram() {
		r.fail("telegram", "FARO_TELEGRAM_TOKEN is not set: create the bot with @BotFather (/newbot) and set its token")
		return
	}
	api := newTGAPI(cfg, hc)
	if cfg.TelegramMode != "webhook" {
		r.skip("setWebhook", "FARO_TELEGRAM_MODE is %s: no webhook to register", cfg.TelegramMode)
		if !checkNoWebhook(ctx, r, api, "getWebhookInfo") {
			return
		}
	} else if cfg.PublicURL == "" {
		r.fail("setWebhook", "FARO_PUBLIC_URL is not set: set it to the https address where faro serve is reached, e.g. https://faro.example.org")
	} else if problem := webhookAddressProblem(cfg.PublicURL); problem != "" {
		r.fail("setWebhook", "%s", problem)
		return
	} else {
		want := webhookURL(cfg)
		since := time.Now().Add(-time.Minute) // clocks differ: a minute of margin
		err := api.call(ctx, "setWebhook", map[string]any{
			"url": want, "secret_token": cfg.TelegramWebhookSecret,
			"allowed_updates": telegram.AllowedUpdates, "drop_pending_updates": false, "max_connections": 40,
		}, nil)
		if err != nil {
			r.fail("setWebhook", "%s", tgProblem(err))
			return // nothing else would work with this token
		}
		r.ok("setWebhook", "%s (with the secret of FARO_TELEGRAM_WEBHOOK_SECRET)", want)
		if !checkWebhook(ctx, r, api, want, "getWebhookInfo", since) {
			r.line("", "hint", "run faro doctor to check that the public URL reaches faro serve")
		}
	}
	texts, err := enabledLocales(cfg)
	if err != nil {
		r.fail("locales", "%v", err)
		return
	}
	enabled := map[string]bool{}
	for _, lang := range texts.Langs() {
		enabled[lang] = true
	}
	for _, lang := range texts.All() {
		if !enabled[lang] && lang != locales.Reference {
			clearTelegramProfile(ctx, r, api, lang)
		}
	}
	for _, lang := range texts.Langs() {
		p, err := telegramProfile(texts, lang)
		if err != nil {
			r.fail("profile "+lang, "%v", err)
			continue
		}
		code, label := lang, lang
		if lang == locales.Reference {
			code, label = "", lang+", the default"
		}
		names := make([]string, len(p.commands))
		for i, c := range p.commands {
			names[i] = "/" + c.Command
		}
		steps := []struct {
			method string
			params map[string]any
			done   string
		}{
			{"setMyCommands", map[string]any{"commands": p.commands}, strings.Join(names, " ")},
			{"setMyDescription", map[string]any{"description": p.description}, fmt.Sprintf("%d characters", utf8.RuneCountInString(p.description))},
			{"setMyShortDescription", map[string]any{"short_description": p.short}, fmt.Sprintf("%d characters", utf8.RuneCountInString(p.short))},
		}
		for _, s := range steps {
			if code != "" {
				s.params["language_code"] = code
			}
			step := s.method + " (" + label + ")"
			if err := api.call(ctx, s.method, s.params, nil); err != nil {
				r.fail(step, "%s", tgProblem(err))
				continue
			}
			r.ok(step, "%s", s.done)
		}
	}
}

// webhookAddressProblem says why Telegram would refuse to deliver to publicURL ("": it
// would not): only HTTPS, on ports 443, 80, 88 or 8443.
// see https://core.telegram.org/bots/api#setwebhook
func webhookAddressProblem(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return "FARO_PUBLIC_URL is not a URL"
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("FARO_PUBLIC_URL is %s: Telegram delivers webhooks only over HTTPS; put faro serve behind a TLS proxy (Caddy) and set the https address", publicURL)
	}
	switch u.Port() {
	case "", "443", "80", "88", "8443":
		return ""
	}
	return fmt.Sprintf("FARO_PUBLIC_URL is on port %s: Telegram delivers webhooks only to ports 443, 80, 88 or 8443", u.Port())
}

// clearTelegramProfile removes the menu and descriptions of a language that is not
// enabled (a draft turned off), so that its users get the default (Spanish) ones
// instead of commands the bot no longer understands.
func clearTelegramProfile(ctx context.Context, r *report, api *tgAPI, lang string) {
	for _, s := range []struct {
		method string
		params map[string]any
	}{
		{"deleteMyCommands", map[string]any{"language_code": lang}},
		{"setMyDescription", map[string]any{"description": "", "language_code": lang}},
		{"setMyShortDescription", map[string]any{"short_description": "", "language_code": lang}},
	} {
		step := s.method + " (" + lang + ", not enabled)"
		if err := api.call(ctx, s.method, s.params, nil); err != nil {
			r.fail(step, "%s", tgProblem(err))
			continue
		}
		r.ok(step, "removed: its users see the default")
	}
}

// checkNoWebhook verifies, in polling mode, that no webhook is registered: while one
// is, getUpdates receives nothing. It does not delete one, which may be another
// deployment's.
func checkNoWebhook(ctx context.Context, r *report, api *tgAPI, step string) bool {
	var info tgWebhookInfo
	if err := api.call(ctx, "getWebhookInfo", nil, &info); err != nil {
		r.fail(step, "%s", tgProblem(err))
		return false
	}
	if info.URL != "" {
		r.fail(step, "a webhook is registered at %s, so polling receives nothing: if no deployment serves it any more, remove it (deleteWebhook), or use FARO_TELEGRAM_MODE=webhook", info.URL)
		return false
	}
	r.ok(step, "no webhook registered, as polling needs")
	return true
}

// checkWebhook verifies with getWebhookInfo that Telegram delivers to want and that its
// last delivery did not fail; a failure before since (an earlier setup) is only noted.
// It reports under step and returns whether all is well.
func checkWebhook(ctx context.Context, r *report, api *tgAPI, want, step string, since time.Time) bool {
	var info tgWebhookInfo
	if err := api.call(ctx, "getWebhookInfo", nil, &info); err != nil {
		r.fail(step, "%s", tgProblem(err))
		return false
	}
	switch {
	case info.URL == "":
		r.fail(step, "no webhook is registered, so Telegram delivers nothing to %s: run faro setup telegram", want)
		return false
	case info.URL != want:
		r.fail(step, "the webhook is %s, not %s: another deployment or an old address holds this bot; run faro setup telegram from this one", info.URL, want)
		return false
	case info.LastErrorMessage != "" && info.LastErrorDate < since.Unix():
		at := time.Unix(info.LastErrorDate, 0).UTC().Format(time.RFC3339)
		r.ok(step, "Telegram delivers to %s (its last error, %q at %s, is older than this check)", want, info.LastErrorMessage, at)
		return true
	case info.LastErrorMessage != "":
		at := time.Unix(info.LastErrorDate, 0).UTC().Format(time.RFC3339)
		r.fail(step, "the last delivery to %s failed at %s: %q (%d updates waiting): check that the public URL reaches faro serve, and that it runs with this FARO_TELEGRAM_WEBHOOK_SECRET", want, at, info.LastErrorMessage, info.PendingUpdateCount)
		return false
	}
	r.ok(step, "Telegram delivers to %s, no delivery error (%d updates waiting)", want, info.PendingUpdateCount)
	return true
}

// setupWhatsApp prints what to paste into the Twilio console and checks the
// credentials with one authenticated GET that changes nothing.
func setupWhatsApp(ctx context.Context, w io.Writer, r *report, cfg *config.Config, hc *http.Client) {
	if !cfg.WhatsApp() {
		r.fail("whatsapp", "set FARO_TWILIO_ACCOUNT_SID, FARO_TWILIO_AUTH_TOKEN and FARO_TWILIO_WHATSAPP_FROM (Twilio console: Account info, and your WhatsApp sender)")
		return
	}
	if _, err := config.WhatsAppDigits(cfg.TwilioFrom); err != nil {
		r.fail("FARO_TWILIO_WHATSAPP_FROM", "not a WhatsApp number in international format: write it as whatsapp:+51987654321")
	}
	if problem := cleartextProblem(cfg.PublicURL); problem != "" {
		r.fail("FARO_PUBLIC_URL", "%s", problem)
	}
	fmt.Fprintln(w, "In the Twilio console, open your WhatsApp sender (Messaging > Senders > WhatsApp senders;")
	fmt.Fprintln(w, "for the sandbox: Messaging > Try it out > Send a WhatsApp message > Sandbox settings) and paste:")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  Webhook URL for incoming messages (\"A message comes in\"):  %s   method: HTTP POST\n", cfg.PublicURL+whatsapp.WebhookPath)
	fmt.Fprintf(w, "  Status callback URL:                                      %s   method: HTTP POST\n", cfg.PublicURL+whatsapp.StatusPath)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Paste them exactly: Twilio signs each request with the URL it calls, and faro serve checks")
	fmt.Fprintln(w, "the signature against FARO_PUBLIC_URL. Leave the fallback URL empty.")
	if !cfg.TwilioStatusCallbacks {
		fmt.Fprintln(w, "FARO_TWILIO_STATUS_CALLBACKS is false: the status callback URL may be left empty.")
	}
	fmt.Fprintln(w)
	status, err := twilioAccount(ctx, cfg, hc)
	if err != nil {
		r.fail("twilio credentials", "%v", err)
		return
	}
	r.ok("twilio credentials", "account %s accepted them (status %s)", maskSID(cfg.TwilioAccountSID), orUnknown(status))
}

func orUnknown(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}
