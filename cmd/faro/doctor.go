package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

// runDoctor is `faro doctor`: it checks a configuration end to end, one line a check,
// and exits 1 when one failed.
func runDoctor(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	redis.SetLogger(quietRedis{}) // the FAIL line says it once; go-redis would repeat it on stderr
	return runDoctorEnv(ctx, args, stdout, stderr, os.Getenv)
}

func runDoctorEnv(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 5*time.Second, "time allowed for each check")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: faro doctor [-timeout 5s]")
		fmt.Fprintln(stderr, "checks the FARO_* configuration of faro serve end to end: the variables, Redis (reachable, writable),")
		fmt.Fprintln(stderr, "the public URL (its /healthz from here), the Telegram and Twilio credentials and the Telegram webhook;")
		fmt.Fprintln(stderr, "one line a check, exit 1 when one failed")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := config.Parse(getenv, os.ReadFile)
	r := newReport(stdout, cfg, getenv)
	if err != nil {
		r.configErrors(err)
		fmt.Fprintln(stdout, "fix the configuration first (faro serve -h lists every variable); the other checks did not run")
		return 1
	}
	r.ok("config", "the FARO_* variables parse and the secrets are strong (%s)", channels(cfg))
	hc := &http.Client{Timeout: *timeout}
	doctorRedis(ctx, r, cfg, *timeout)
	doctorPublicURL(ctx, r, cfg, hc)
	doctorTelegram(ctx, r, cfg, hc)
	doctorTwilio(ctx, r, cfg, hc)
	doctorWebhooks(ctx, r, cfg, hc)
	if r.failed {
		fmt.Fprintln(stdout, "faro doctor: something is wrong (the FAIL lines above)")
		return 1
	}
	fmt.Fprintln(stdout, "faro doctor: all good")
	return 0
}

// quietRedis drops go-redis's own messages (failed dials).
type quietRedis struct{}

// Printf implements go-redis's logging interface.
func (quietRedis) Printf(context.Context, string, ...any) {}

func channels(cfg *config.Config) string {
	switch {
	case cfg.Telegram() && cfg.WhatsApp():
		return "Telegram and WhatsApp"
	case cfg.Telegram():
		return "Telegram only"
	default:
		return "WhatsApp only"
	}
}

// doctorRedis checks that Redis answers and takes a write with a time to live, as
// every session does: SET with EX on a key of the doctor's own, TTL, DEL.
func doctorRedis(ctx context.Context, r *report, cfg *config.Config, timeout time.Duration) {
	where := config.RedactURL(cfg.RedisURL)
	rdb, err := store.Dial(cfg.RedisURL, cfg.RedisMode)
	if err != nil {
		r.fail("redis", "%s: %v: correct FARO_REDIS_URL or FARO_REDIS_MODE", where, err)
		return
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		r.fail("redis", "no answer from %s (%s): start Redis, or correct FARO_REDIS_URL (and its password)", where, redisProblem(err))
		return
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	key := "faro:doctor:" + hex.EncodeToString(b[:])
	if err := rdb.Set(ctx, key, "1", time.Minute).Err(); err != nil {
		r.fail("redis", "%s answers but refuses a write (%s): point FARO_REDIS_URL at the primary, and check maxmemory and the disk", where, redisProblem(err))
		return
	}
	ttl, err := rdb.TTL(ctx, key).Result()
	delErr := rdb.Del(ctx, key).Err()
	switch {
	case err != nil:
		r.fail("redis", "%s: TTL failed (%s)", where, redisProblem(err))
	case ttl <= 0:
		r.fail("redis", "%s keeps no time to live on a key (TTL %v): Faro's sessions would never expire", where, ttl)
	case delErr != nil:
		r.fail("redis", "%s: DEL of %s failed (%s)", where, key, redisProblem(delErr))
	default:
		r.ok("redis", "%s answers PING and takes a write with a time to live", where)
	}
}

func redisProblem(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return err.Error()
}

// doctorPublicURL fetches FARO_PUBLIC_URL + /healthz from here: the platforms call the
// same address. A failure here is a DNS, TLS, proxy or firewall problem, or faro serve
// not running.
func doctorPublicURL(ctx context.Context, r *report, cfg *config.Config, hc *http.Client) {
	if cfg.PublicURL == "" {
		if cfg.Telegram() && cfg.TelegramMode == "webhook" {
			r.fail("public URL", "FARO_PUBLIC_URL is not set: Telegram's webhook needs it (or FARO_TELEGRAM_MODE=polling on a laptop)")
		} else {
			r.skip("public URL", "FARO_PUBLIC_URL is not set (polling mode)")
		}
		return
	}
	if problem := cleartextProblem(cfg.PublicURL); problem != "" {
		r.fail("public URL", "%s", problem)
	}
	u := cfg.PublicURL + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		r.fail("public URL", "%s is not a URL", cfg.PublicURL)
		return
	}
	resp, err := hc.Do(req)
	if err != nil {
		r.fail("public URL", "cannot reach %s (%s): check the DNS name, the TLS certificate and the reverse proxy, and that faro serve is running", u, transportError(err))
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.fail("public URL", "%s answered HTTP %d, not 200: the reverse proxy does not pass it to faro serve", u, resp.StatusCode)
		return
	}
	r.ok("public URL", "%s answers 200 from here", u)
}

// doctorTelegram checks the token (getMe) and the webhook (getWebhookInfo).
func doctorTelegram(ctx context.Context, r *report, cfg *config.Config, hc *http.Client) {
	if !cfg.Telegram() {
		r.skip("telegram", "FARO_TELEGRAM_TOKEN is not set")
		return
	}
	api := newTGAPI(cfg, hc)
	var me struct {
		Username string `json:"username"`
	}
	if err := api.call(ctx, "getMe", nil, &me); err != nil {
		r.fail("telegram token", "%s", tgProblem(err))
		return
	}
	switch {
	case me.Username == "":
		r.ok("telegram token", "accepted by Telegram")
	case cfg.TelegramBotUsername != "" && !strings.EqualFold(me.Username, cfg.TelegramBotUsername):
		r.fail("telegram token", "the token is @%s's, but FARO_TELEGRAM_BOT_USERNAME is %s: the links and flyers would open another bot", me.Username, cfg.TelegramBotUsername)
	default:
		r.ok("telegram token", "accepted: the bot is @%s", me.Username)
	}
	if cfg.TelegramMode != "webhook" {
		checkNoWebhook(ctx, r, api, "telegram webhook")
		return
	}
	if cfg.PublicURL != "" {
		// Telegram keeps the last error after deliveries succeed again: one older than
		// an hour is noted, not a failure.
		checkWebhook(ctx, r, api, webhookURL(cfg), "telegram webhook", time.Now().Add(-time.Hour))
	}
}

// doctorTwilio checks the Twilio credentials with the account fetch.
func doctorTwilio(ctx context.Context, r *report, cfg *config.Config, hc *http.Client) {
	if !cfg.WhatsApp() {
		r.skip("twilio", "WhatsApp is not configured")
		return
	}
	status, err := twilioAccount(ctx, cfg, hc)
	if err != nil {
		r.fail("twilio credentials", "%v", err)
		return
	}
	r.ok("twilio credentials", "account %s accepted them (status %s)", maskSID(cfg.TwilioAccountSID), orUnknown(status))
}

// doctorWebhooks sends faro serve, through the public URL, one request of each
// platform that changes nothing, with this configuration's credentials: a Telegram
// update with no message, with the secret header (answered 200, ignored), and a
// Twilio status callback signed with the auth token for FARO_PUBLIC_URL (answered 204,
// counted as status "other" in the metrics). A refusal means the running server has
// another secret, token or public URL than this configuration.
func doctorWebhooks(ctx context.Context, r *report, cfg *config.Config, hc *http.Client) {
	if cfg.PublicURL == "" {
		return
	}
	if cfg.Telegram() && cfg.TelegramMode == "webhook" {
		u := cfg.PublicURL + telegram.WebhookPath
		code, err := post(ctx, hc, u, "application/json", `{"update_id":0}`, map[string]string{telegram.SecretHeader: cfg.TelegramWebhookSecret})
		switch {
		case err != nil:
			r.fail("telegram secret", "cannot reach %s (%s)", u, err)
		case code == http.StatusUnauthorized:
			r.fail("telegram secret", "faro serve at %s refuses FARO_TELEGRAM_WEBHOOK_SECRET: it runs with another one; restart it with this configuration, then run faro setup telegram", u)
		case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
			r.fail("telegram secret", "%s answered HTTP %d: faro serve runs without Telegram (or in polling mode), or the reverse proxy does not pass this path", u, code)
		case code != http.StatusOK:
			r.fail("telegram secret", "%s answered HTTP %d to an empty update, not 200", u, code)
		default:
			r.ok("telegram secret", "faro serve at %s accepts this configuration's secret", u)
		}
	}
	if cfg.WhatsApp() {
		u := cfg.PublicURL + whatsapp.StatusPath
		form := url.Values{"AccountSid": {cfg.TwilioAccountSID}, "MessageStatus": {"faro-doctor"}}
		sig := whatsapp.Sign(cfg.TwilioAuthToken, u, form)
		code, err := post(ctx, hc, u, "application/x-www-form-urlencoded", form.Encode(), map[string]string{whatsapp.SignatureHeader: sig})
		switch {
		case err != nil:
			r.fail("twilio signature", "cannot reach %s (%s)", u, err)
		case code == http.StatusForbidden:
			r.fail("twilio signature", "faro serve at %s refuses a request signed with FARO_TWILIO_AUTH_TOKEN for FARO_PUBLIC_URL: it runs with another token or public URL; restart it with this configuration", u)
		case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
			r.fail("twilio signature", "%s answered HTTP %d: faro serve runs without WhatsApp, or the reverse proxy does not pass this path", u, code)
		case code < 200 || code > 299:
			r.fail("twilio signature", "%s answered HTTP %d to a signed status callback", u, code)
		default:
			r.ok("twilio signature", "faro serve at %s accepts requests signed for this public URL and token", u)
		}
	}
}

// post sends body to u and returns the answer's status.
func post(ctx context.Context, hc *http.Client, u, contentType, body string, header map[string]string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, errors.New(transportError(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// cleartextProblem refuses a public URL without TLS on any host but this machine: the
// platforms would send what people write across the internet in clear.
func cleartextProblem(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme == "https" {
		return ""
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return ""
	}
	return fmt.Sprintf("FARO_PUBLIC_URL is %s, without TLS: what people write would cross the internet in clear; serve it over https (Caddy gets a certificate by itself)", publicURL)
}
