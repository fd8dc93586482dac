// Package config is the only reader of Faro's FARO_* environment variables: one table of
// them, each secret also readable from a file named by FARO_*_FILE (Docker and Kubernetes
// secrets), logged at start with secrets masked (Attrs). `faro serve` parses the whole
// table; the other commands read single rows with Lookup.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot/handoff"
)

// Config is the parsed configuration.
type Config struct {
	Listen          string
	PublicURL       string
	RedisURL        string
	RedisMode       string // single, sentinel, cluster
	HMACSecret      string
	LogLevel        string
	ShutdownTimeout time.Duration

	// HMACSecretPrevious is the secret before a rotation (FARO_HMAC_SECRET_PREVIOUS):
	// what was named and sealed under it stays readable, and is carried over, until it
	// is removed ("" = no rotation under way).
	HMACSecretPrevious string

	// Instance names this process for its outbox and its erase jobs: a restart under
	// the same name resends the replies the last run left queued, and takes over the
	// deletions at the platforms it left ("" = the host name).
	Instance string
	// Outbox keeps queued replies in Redis (sealed) so a crash does not lose them.
	Outbox bool
	// SessionCache bounds the sessions kept in memory (people who wrote in the last
	// 15 minutes): about 600 bytes each.
	SessionCache int

	TelegramToken         string
	TelegramWebhookSecret string
	TelegramMode          string // webhook, polling
	TelegramSetWebhook    bool
	TelegramAPIURL        string
	// TelegramBotUsername is the bot's @username without the @, for the deep links of
	// `faro links` (https://t.me/<username>?start=<code>).
	TelegramBotUsername string

	TwilioAccountSID      string
	TwilioAuthToken       string
	TwilioFrom            string
	TwilioAPIURL          string
	TwilioStatusCallbacks bool

	FlowsDir, LocalesDir, DirectoryDir string
	// LocalesEnabled names the draft locales to offer besides the reviewed ones
	// ("pt", "qu"; "all" for every locale).
	LocalesEnabled []string

	PprofAddr string
	// MetricsAddr serves /metrics apart from the webhooks ("" or "off": not served).
	MetricsAddr string
	// TrustedProxies are the reverse proxies in front (FARO_TRUSTED_PROXIES): on a
	// connection from one of them, the client's address is read from X-Forwarded-For
	// (the console's per-address login limit). Empty: none is trusted.
	TrustedProxies []netip.Prefix

	// HandoffHours, HandoffHolidays and HandoffTZ are the operators' office hours (see
	// OfficeHours); HandoffRemind is how long someone waits before she is told again
	// that she is in line.
	HandoffHours    string
	HandoffHolidays []string
	HandoffTZ       string
	HandoffRemind   time.Duration
	// OperatorNotifyChat is a Telegram group told "a chat is waiting" when a ticket
	// opens (0: off).
	OperatorNotifyChat int64
}

// OfficeHours returns the operators' office hours (nil: always open).
func (c *Config) OfficeHours() (*handoff.Hours, error) {
	return handoff.NewHours(c.HandoffHours, c.HandoffHolidays, c.HandoffTZ)
}

// Telegram reports whether the Telegram channel has its credentials.
func (c *Config) Telegram() bool { return c.TelegramToken != "" }

// WhatsApp reports whether the WhatsApp channel has its credentials.
func (c *Config) WhatsApp() bool {
	return c.TwilioAccountSID != "" && c.TwilioAuthToken != "" && c.TwilioFrom != ""
}

// Option is one row of the table.
type Option struct {
	Name    string
	Default string
	Help    string
	// Secret options are masked when logged and may be read from Name+"_FILE".
	Secret bool
	// File options may be read from Name+"_FILE" too (a URL with a password).
	File bool
	set  func(c *Config, v string) error
	// show prints a value that is not secret but may hold one (a password in a URL).
	show func(v string) string
}

// Options is the table of every variable `faro serve` reads.
var Options = []Option{
	{Name: "FARO_LISTEN", Default: ":8080", Help: "address the HTTP server listens on",
		set: func(c *Config, v string) error { c.Listen = v; return nil }},
	{Name: "FARO_PUBLIC_URL", Help: "base URL the platforms call, e.g. https://faro.example.org (needed for WhatsApp signatures and setWebhook)",
		set: func(c *Config, v string) error { c.PublicURL = strings.TrimRight(v, "/"); return checkURL(v) }},
	{Name: "FARO_REDIS_URL", Default: "redis://127.0.0.1:6379/0", Help: "Redis URL; for sentinel redis://host:26379?master_name=m&addr=h2:26379, for cluster redis://h1:6379?addr=h2:6379 (also from FARO_REDIS_URL_FILE, as it may hold a password)",
		File: true, set: func(c *Config, v string) error { c.RedisURL = v; return nil }, show: RedactURL},
	{Name: "FARO_REDIS_MODE", Default: "single", Help: "single, sentinel or cluster",
		set: func(c *Config, v string) error { c.RedisMode = v; return oneOf(v, "single", "sentinel", "cluster") }},
	{Name: "FARO_HMAC_SECRET", Secret: true, Help: "secret that keys the HMAC naming users in Redis and the sealing of what Redis keeps; required, strong (at least 32 characters of varied kinds: `faro secret` prints one)",
		set: func(c *Config, v string) error { c.HMACSecret = v; return checkStrong(v, 32) }},
	{Name: "FARO_HMAC_SECRET_PREVIOUS", Secret: true, Help: "during a rotation of FARO_HMAC_SECRET only: the secret it replaces, so that sessions, queued replies and tickets stored under it stay readable and move to the new one; remove it once the rotation window is over (deploy/README.md, \"Rotating secrets\")",
		set: func(c *Config, v string) error { c.HMACSecretPrevious = v; return checkStrong(v, 32) }},
	{Name: "FARO_LOG_LEVEL", Default: "info", Help: "debug, info, warn or error",
		set: func(c *Config, v string) error { c.LogLevel = v; return oneOf(v, "debug", "info", "warn", "error") }},
	{Name: "FARO_SHUTDOWN_TIMEOUT", Default: "25s", Help: "time to finish in-flight messages and drain queues on SIGTERM",
		set: func(c *Config, v string) (err error) { c.ShutdownTimeout, err = time.ParseDuration(v); return err }},
	{Name: "FARO_OUTBOX", Default: "true", Help: "keep queued replies in Redis, sealed, until sent, so a crash, a restart or a long platform outage does not lose them; false keeps them in memory only (a crash loses what is queued)",
		set: func(c *Config, v string) (err error) { c.Outbox, err = strconv.ParseBool(v); return err }},
	{Name: "FARO_SESSION_CACHE", Default: "100000", Help: "sessions kept in memory to save a Redis read per message, about 600 bytes each (100000: about 60 MB); a person not in it costs one more round trip",
		set: func(c *Config, v string) (err error) {
			if c.SessionCache, err = strconv.Atoi(v); err == nil && c.SessionCache < 1 {
				err = fmt.Errorf("must be at least 1")
			}
			return err
		}},
	{Name: "FARO_INSTANCE", Help: "stable name of this process for its outbox of queued replies and its erase jobs; a restart under the same name resends what was left and takes over the deletions it left (default: the host name)",
		set: func(c *Config, v string) error { c.Instance = v; return nil }},
	{Name: "FARO_TELEGRAM_TOKEN", Secret: true, Help: "bot token from @BotFather; enables Telegram",
		set: func(c *Config, v string) error { c.TelegramToken = v; return nil }},
	{Name: "FARO_TELEGRAM_WEBHOOK_SECRET", Secret: true, Help: "secret_token for setWebhook, 24-256 of A-Z a-z 0-9 _ - (webhook mode; `faro secret` prints one)",
		set: func(c *Config, v string) error {
			c.TelegramWebhookSecret = v
			if err := checkTelegramSecret(v); err != nil {
				return err
			}
			return checkStrong(v, 24)
		}},
	{Name: "FARO_TELEGRAM_MODE", Default: "webhook", Help: "webhook, or polling for a laptop without a public URL",
		set: func(c *Config, v string) error { c.TelegramMode = v; return oneOf(v, "webhook", "polling") }},
	{Name: "FARO_TELEGRAM_SET_WEBHOOK", Default: "false", Help: "call setWebhook with FARO_PUBLIC_URL at start",
		set: func(c *Config, v string) (err error) { c.TelegramSetWebhook, err = strconv.ParseBool(v); return err }},
	{Name: "FARO_TELEGRAM_API_URL", Help: "Bot API base URL (default https://api.telegram.org; tests and faro load set a fake)",
		set: func(c *Config, v string) error { c.TelegramAPIURL = v; return checkURL(v) }},
	{Name: "FARO_TELEGRAM_BOT_USERNAME", Help: "the bot's @username (without @), for the deep links, QR codes and flyers of `faro links`",
		set: func(c *Config, v string) error {
			c.TelegramBotUsername = strings.TrimPrefix(v, "@")
			return CheckBotUsername(c.TelegramBotUsername)
		}},
	{Name: "FARO_TWILIO_ACCOUNT_SID", Help: "Twilio account SID; with the token and number, enables WhatsApp",
		set: func(c *Config, v string) error { c.TwilioAccountSID = v; return nil }},
	{Name: "FARO_TWILIO_AUTH_TOKEN", Secret: true, Help: "Twilio auth token (also checks webhook signatures)",
		set: func(c *Config, v string) error { c.TwilioAuthToken = v; return nil }},
	{Name: "FARO_TWILIO_WHATSAPP_FROM", Help: "WhatsApp sender number, whatsapp:+14155238886",
		set: func(c *Config, v string) error { c.TwilioFrom = v; return nil }, show: maskNumber},
	{Name: "FARO_TWILIO_API_URL", Help: "Twilio API base URL (default https://api.twilio.com; tests and faro load set a fake)",
		set: func(c *Config, v string) error { c.TwilioAPIURL = v; return checkURL(v) }},
	{Name: "FARO_TWILIO_STATUS_CALLBACKS", Default: "true", Help: "ask Twilio for delivery status callbacks",
		set: func(c *Config, v string) (err error) { c.TwilioStatusCallbacks, err = strconv.ParseBool(v); return err }},
	{Name: "FARO_FLOWS_DIR", Help: "folder with main.yaml to use instead of the embedded flow",
		set: func(c *Config, v string) error { c.FlowsDir = v; return nil }},
	{Name: "FARO_LOCALES_DIR", Help: "folder with <lang>.toml files to use instead of the embedded ones",
		set: func(c *Config, v string) error { c.LocalesDir = v; return nil }},
	{Name: "FARO_LOCALES_ENABLED", Help: "draft locales to offer besides the reviewed ones, comma-separated (pt,qu), or all; a draft is not reviewed by a native speaker (see README)",
		set: func(c *Config, v string) error {
			langs, err := ParseLangs(v)
			c.LocalesEnabled = langs
			return err
		}},
	{Name: "FARO_DIRECTORY_DIR", Help: "folder with directory data to use instead of the embedded data",
		set: func(c *Config, v string) error { c.DirectoryDir = v; return nil }},
	{Name: "FARO_HANDOFF_HOURS", Help: "operators' weekly office hours, in the directory's opening-hours syntax, e.g. \"Mo-Fr 09:00-18:00; Sa 09:00-13:00\" (unset: always open)",
		set: func(c *Config, v string) error { c.HandoffHours = v; return nil }},
	{Name: "FARO_HANDOFF_HOLIDAYS", Help: "dates nobody answers, comma-separated YYYY-MM-DD (a PH rule in FARO_HANDOFF_HOURS gives them hours instead)",
		set: func(c *Config, v string) error {
			for _, d := range strings.Split(v, ",") {
				if d = strings.TrimSpace(d); d != "" {
					c.HandoffHolidays = append(c.HandoffHolidays, d)
				}
			}
			return nil
		}},
	{Name: "FARO_HANDOFF_TZ", Default: "America/Lima", Help: "time zone of the office hours",
		set: func(c *Config, v string) error { c.HandoffTZ = v; return nil }},
	{Name: "FARO_HANDOFF_REMIND", Default: "10m", Help: "someone waiting this long for an operator is told again, kindly, that she is in line (0: never)",
		set: func(c *Config, v string) (err error) {
			c.HandoffRemind, err = time.ParseDuration(v)
			if err == nil && c.HandoffRemind < 0 {
				err = errors.New("must not be negative")
			}
			return err
		}},
	{Name: "FARO_OPERATOR_NOTIFY_CHAT", Help: "Telegram group chat id told \"a chat is waiting\" (nothing more) when a ticket opens; needs FARO_TELEGRAM_TOKEN (unset: off)",
		set: func(c *Config, v string) (err error) {
			c.OperatorNotifyChat, err = strconv.ParseInt(v, 10, 64)
			if err != nil {
				return errors.New("must be a Telegram chat id (a number, negative for a group)")
			}
			return nil
		}, show: func(string) string { return "********" }},
	{Name: "FARO_PPROF_ADDR", Help: "loopback address for Go's profiler, only in builds with -tags pprof",
		set: func(c *Config, v string) error { c.PprofAddr = v; return checkLoopback(v) }},
	{Name: "FARO_METRICS_ADDR", Default: "127.0.0.1:9090", Help: "address serving /metrics, apart from the webhooks (live counts tell when people write): loopback unless a scraper needs more; off to disable",
		set: func(c *Config, v string) error {
			if v == "off" {
				return nil
			}
			c.MetricsAddr = v
			_, _, err := net.SplitHostPort(v)
			return err
		}},
	{Name: "FARO_TRUSTED_PROXIES", Default: "loopback", Help: "reverse proxies in front (Caddy, the Ingress controller) whose X-Forwarded-For names the client, for the console's login limit per address: comma-separated addresses or CIDRs, loopback (a proxy on this host), private (10/8, 172.16/12, 192.168/16, fc00::/7: a cluster network that only the Ingress reaches), or none",
		set: func(c *Config, v string) (err error) { c.TrustedProxies, err = ParseProxies(v); return err }},
}

// ParseProxies reads FARO_TRUSTED_PROXIES: comma-separated addresses and CIDRs, and
// the words loopback and private; none (alone) trusts no proxy.
func ParseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	none := false
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "":
			continue
		case "none":
			none = true
			continue
		case "loopback":
			out = append(out, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
			continue
		case "private":
			for _, p := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"} {
				out = append(out, netip.MustParsePrefix(p))
			}
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			if p != p.Masked() {
				return nil, fmt.Errorf("%q has bits set past its prefix length (did you mean %s?)", f, p.Masked())
			}
			out = append(out, p)
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not an address, a CIDR, loopback, private or none", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	if none && len(out) > 0 {
		return nil, errors.New("none cannot be combined with addresses")
	}
	return out, nil
}

// botUsername is a Telegram bot's username: 5 to 32 of A-Z a-z 0-9 _, ending in "bot".
// see https://core.telegram.org/bots/features#botfather
var botUsername = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$`)

// CheckBotUsername tells whether name (without @) can be a Telegram bot's username.
func CheckBotUsername(name string) error {
	if !botUsername.MatchString(name) {
		return fmt.Errorf("%q is not a bot username (5 to 32 letters, digits or _, ending in bot)", name)
	}
	return nil
}

// whatsAppNumber is the number of a FARO_TWILIO_WHATSAPP_FROM: "whatsapp:+14155238886".
var whatsAppNumber = regexp.MustCompile(`^(?:whatsapp:)?\+?([1-9][0-9]{6,14})$`)

// WhatsAppDigits returns the digits of a WhatsApp number as a click-to-chat link
// wants them ("whatsapp:+51 987 654 321" gives "51987654321"): the country code and
// the number, no + and no spaces.
// see https://faq.whatsapp.com/5913398998672934
func WhatsAppDigits(number string) (string, error) {
	clean := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(strings.TrimSpace(number))
	m := whatsAppNumber.FindStringSubmatch(clean)
	if m == nil {
		return "", fmt.Errorf("%q is not a WhatsApp number in international format (+51987654321)", number)
	}
	return m[1], nil
}

// ParseLangs reads a comma-separated list of language codes ("pt, qu") or "all".
func ParseLangs(v string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if f != "all" && !langCode.MatchString(f) {
			return nil, fmt.Errorf("%q is not a language code (two or three letters, e.g. pt, qu)", f)
		}
		out = append(out, f)
	}
	return out, nil
}

var langCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// Lookup returns one variable of the table as Parse would read it (a secret may come from
// its _FILE), without its default: "" when it is unset or its file cannot be read, so the
// caller keeps its own default (faro chat's Redis is embedded unless one is named). It panics
// on a name that is not in the table, so no FARO_* variable is read that Attrs does not log.
func Lookup(getenv func(string) string, name string) string {
	for _, o := range Options {
		if o.Name != name {
			continue
		}
		v, err := value(o, getenv, os.ReadFile)
		if err != nil {
			return ""
		}
		return v
	}
	panic("config: no option " + name)
}

// Parse reads the configuration with getenv (os.Getenv in production) and readFile
// (os.ReadFile) for *_FILE secrets. Setting both a secret and its _FILE is an error.
func Parse(getenv func(string) string, readFile func(string) ([]byte, error)) (*Config, error) {
	c := &Config{}
	var errs []error
	for _, o := range Options {
		v, err := value(o, getenv, readFile)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if v == "" {
			v = o.Default
		}
		if v == "" {
			continue
		}
		if err := o.set(c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, c.validate()
}

// FromEnv parses the process environment.
func FromEnv() (*Config, error) { return Parse(os.Getenv, os.ReadFile) }

func value(o Option, getenv func(string) string, readFile func(string) ([]byte, error)) (string, error) {
	v := getenv(o.Name)
	if !o.Secret && !o.File {
		return v, nil
	}
	file := getenv(o.Name + "_FILE")
	if file == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set", o.Name, o.Name)
	}
	b, err := readFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: cannot read the file", o.Name) // no path echo needed beyond the name
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func (c *Config) validate() error {
	var errs []error
	if c.HMACSecret == "" {
		errs = append(errs, errors.New("FARO_HMAC_SECRET: required (`faro secret` prints a strong one)"))
	}
	if c.HMACSecretPrevious != "" && c.HMACSecretPrevious == c.HMACSecret {
		errs = append(errs, errors.New("FARO_HMAC_SECRET_PREVIOUS: the same as FARO_HMAC_SECRET: set it to the secret being replaced, or remove it"))
	}
	if !c.Telegram() && !c.WhatsApp() {
		errs = append(errs, errors.New("no channel: set FARO_TELEGRAM_TOKEN, or FARO_TWILIO_ACCOUNT_SID, FARO_TWILIO_AUTH_TOKEN and FARO_TWILIO_WHATSAPP_FROM"))
	}
	if c.Telegram() && c.TelegramMode == "webhook" && c.TelegramWebhookSecret == "" {
		errs = append(errs, errors.New("FARO_TELEGRAM_WEBHOOK_SECRET: required in webhook mode"))
	}
	if c.TelegramSetWebhook && c.PublicURL == "" {
		errs = append(errs, errors.New("FARO_PUBLIC_URL: required with FARO_TELEGRAM_SET_WEBHOOK"))
	}
	if _, err := c.OfficeHours(); err != nil {
		errs = append(errs, fmt.Errorf("FARO_HANDOFF_HOURS, FARO_HANDOFF_HOLIDAYS or FARO_HANDOFF_TZ: %w", err))
	}
	if c.OperatorNotifyChat != 0 && !c.Telegram() {
		errs = append(errs, errors.New("FARO_OPERATOR_NOTIFY_CHAT: needs FARO_TELEGRAM_TOKEN"))
	}
	if c.WhatsApp() && c.PublicURL == "" {
		errs = append(errs, errors.New("FARO_PUBLIC_URL: required for WhatsApp (signatures are checked against it)"))
	}
	return errors.Join(errs...)
}

// Attrs returns the values in effect, one attribute per variable, for one structured
// log line at start: secrets masked, passwords in URLs redacted, the sender number
// hidden; defaults are marked "(default)" and unset variables "(unset)".
func Attrs(getenv func(string) string) []slog.Attr {
	attrs := make([]slog.Attr, 0, len(Options))
	for _, o := range Options {
		attrs = append(attrs, slog.String(o.Name, display(o, getenv)))
	}
	return attrs
}

func display(o Option, getenv func(string) string) string {
	v := getenv(o.Name)
	src := ""
	if (o.Secret || o.File) && getenv(o.Name+"_FILE") != "" {
		if !o.Secret {
			return "(from file)"
		}
		v, src = "x", " (from file)"
	}
	switch {
	case v == "" && o.Default == "":
		return "(unset)"
	case v == "":
		return o.Default + " (default)"
	case o.Secret:
		return "********" + src
	case o.show != nil:
		return o.show(v)
	}
	return v
}

// maskNumber hides a phone number (logs never hold one), keeping its "whatsapp:" form.
func maskNumber(v string) string {
	if i := strings.IndexByte(v, ':'); i >= 0 {
		return v[:i+1] + "********"
	}
	return "********"
}

// RedactURL hides the passwords of a Redis URL: the one before the host, and those a
// Sentinel URL carries in its query (go-redis reads the master's from "password"). An
// unparseable URL is not shown at all.
func RedactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		return "(unparseable)"
	}
	if q := u.Query(); len(q) > 0 {
		hidden := false
		for k := range q {
			if strings.Contains(strings.ToLower(k), "pass") || strings.Contains(strings.ToLower(k), "secret") || strings.Contains(strings.ToLower(k), "token") {
				q.Set(k, "xxxxx")
				hidden = true
			}
		}
		if hidden {
			u.RawQuery = q.Encode()
		}
	}
	return u.Redacted()
}

func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an http(s) URL")
	}
	return nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

// NewSecret returns a strong random secret, usable for every secret of the table
// (base64url of 32 random bytes: 43 characters of A-Z a-z 0-9 _ -).
func NewSecret() string {
	for {
		var b [32]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		s := base64.RawURLEncoding.EncodeToString(b[:])
		if checkStrong(s, 32) == nil { // all but never: a draw of one kind only
			return s
		}
	}
}

// checkStrong refuses a secret a person could guess or type by mistake: shorter than
// min, or with little variety (fewer than 10 distinct characters, or one kind of
// character only). A random one from `faro secret` always passes.
func checkStrong(v string, min int) error {
	if len(v) < min {
		return fmt.Errorf("too short: at least %d characters (`faro secret` prints a strong one)", min)
	}
	distinct := map[rune]bool{}
	var lower, upper, digit, other bool
	for _, r := range v {
		distinct[r] = true
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit, other} {
		if k {
			kinds++
		}
	}
	if len(distinct) < 10 || kinds < 2 {
		return errors.New("too weak: use a random secret of varied characters (`faro secret` prints one)")
	}
	return nil
}

// checkLoopback refuses an address that is not on loopback (the profiler shows the
// process's memory).
func checkLoopback(v string) error {
	host, _, err := net.SplitHostPort(v)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("must be a loopback address, e.g. 127.0.0.1:6060")
	}
	return nil
}

func checkTelegramSecret(v string) error {
	if len(v) > 256 {
		return errors.New("at most 256 characters")
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return errors.New("only A-Z a-z 0-9 _ - are allowed")
		}
	}
	return nil
}

// Default returns the default of option name ("" when it has none). It panics on a
// name that is not in the table.
func Default(name string) string {
	for _, o := range Options {
		if o.Name == name {
			return o.Default
		}
	}
	panic("config: no option " + name)
}
