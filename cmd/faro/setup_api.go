package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/faro-chat/faro/bot/config"
)

// This file holds what faro setup and faro doctor share: the report they print (one
// line a step, secrets scrubbed) and the two small platform API clients they call.
// Neither client prints a request URL: the Bot API's holds the token.

// report prints one line a step: "ok", "FAIL" or "skip", the step, and what was seen
// or what is wrong and how to fix it. Every line is scrubbed of the secrets.
type report struct {
	w       io.Writer
	secrets []string
	failed  bool
}

func newReport(w io.Writer, cfg *config.Config, getenv func(string) string) *report {
	r := &report{w: w}
	for _, name := range []string{"FARO_TELEGRAM_TOKEN", "FARO_TELEGRAM_WEBHOOK_SECRET", "FARO_TWILIO_AUTH_TOKEN", "FARO_HMAC_SECRET"} {
		r.secret(config.Lookup(getenv, name))
	}
	if cfg != nil {
		r.secret(cfg.TelegramToken)
		r.secret(cfg.TelegramWebhookSecret)
		r.secret(cfg.TwilioAuthToken)
		r.secret(cfg.HMACSecret)
		if u, err := url.Parse(cfg.RedisURL); err == nil {
			if p, ok := u.User.Password(); ok {
				r.secret(p)
			}
			for k, vs := range u.Query() {
				if strings.Contains(strings.ToLower(k), "pass") {
					for _, v := range vs {
						r.secret(v)
					}
				}
			}
		}
	}
	return r
}

func (r *report) secret(s string) {
	if len(s) >= 4 { // a shorter one would mask ordinary words
		r.secrets = append(r.secrets, s)
	}
}

func (r *report) line(status, step, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	for _, s := range r.secrets {
		msg = strings.ReplaceAll(msg, s, "********")
		step = strings.ReplaceAll(step, s, "********")
	}
	fmt.Fprintf(r.w, "%-5s %s: %s\n", status, step, msg)
}

func (r *report) ok(step, format string, a ...any)   { r.line("ok", step, format, a...) }
func (r *report) skip(step, format string, a ...any) { r.line("skip", step, format, a...) }
func (r *report) fail(step, format string, a ...any) {
	r.failed = true
	r.line("FAIL", step, format, a...)
}

// configErrors reports a configuration error, one line for each of its parts.
func (r *report) configErrors(err error) {
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			r.fail("config", "%s", l)
		}
	}
}

// transportError says why a request got no answer, without its URL (the Bot API's
// holds the token).
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return err.Error()
}

// tgAPI calls the Telegram Bot API with JSON requests.
// see https://core.telegram.org/bots/api#making-requests
type tgAPI struct {
	base, token string
	hc          *http.Client
}

func newTGAPI(cfg *config.Config, hc *http.Client) *tgAPI {
	base := "https://api.telegram.org"
	if cfg.TelegramAPIURL != "" {
		base = strings.TrimRight(cfg.TelegramAPIURL, "/")
	}
	return &tgAPI{base: base, token: cfg.TelegramToken, hc: hc}
}

// tgError is an answer of the Bot API that is not ok.
type tgError struct {
	Status      int
	Description string
}

func (e *tgError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("%d %s", e.Status, e.Description)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// call sends method with params and decodes the result into result (nil: ignored).
func (a *tgAPI) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/bot"+a.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return errors.New("bad Bot API URL (FARO_TELEGRAM_API_URL)")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the Bot API at %s: %s", a.base, transportError(err))
	}
	defer resp.Body.Close()
	var ans struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans); err != nil || !ans.OK {
		return &tgError{Status: resp.StatusCode, Description: ans.Description}
	}
	if result != nil {
		if err := json.Unmarshal(ans.Result, result); err != nil {
			return fmt.Errorf("unexpected answer to %s", method)
		}
	}
	return nil
}

// tgProblem says what a failed Bot API call means and how to fix it.
func tgProblem(err error) string {
	var te *tgError
	if errors.As(err, &te) {
		switch te.Status {
		case http.StatusUnauthorized, http.StatusNotFound:
			return fmt.Sprintf("Telegram refused the token (%s): copy the bot's token from @BotFather (/mybots, API Token) into FARO_TELEGRAM_TOKEN", te)
		case http.StatusTooManyRequests:
			return fmt.Sprintf("Telegram asks to slow down (%s): wait a minute and run this again", te)
		}
		return fmt.Sprintf("Telegram answered %s", te)
	}
	return err.Error()
}

// tgWebhookInfo is the part of getWebhookInfo that is checked.
// see https://core.telegram.org/bots/api#webhookinfo
type tgWebhookInfo struct {
	URL                string   `json:"url"`
	PendingUpdateCount int      `json:"pending_update_count"`
	LastErrorDate      int64    `json:"last_error_date"`
	LastErrorMessage   string   `json:"last_error_message"`
	AllowedUpdates     []string `json:"allowed_updates"`
}

// twilioAccount fetches the account of the credentials: an authenticated GET that
// changes nothing. It returns the account's status ("active", "suspended", "closed").
// see https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource
func twilioAccount(ctx context.Context, cfg *config.Config, hc *http.Client) (string, error) {
	base := "https://api.twilio.com"
	if cfg.TwilioAPIURL != "" {
		base = strings.TrimRight(cfg.TwilioAPIURL, "/")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/2010-04-01/Accounts/"+url.PathEscape(cfg.TwilioAccountSID)+".json", nil)
	if err != nil {
		return "", errors.New("bad Twilio API URL (FARO_TWILIO_API_URL)")
	}
	req.SetBasicAuth(cfg.TwilioAccountSID, cfg.TwilioAuthToken)
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("cannot reach the Twilio API at %s: %s", base, transportError(err))
	}
	defer resp.Body.Close()
	var ans struct {
		Status string `json:"status"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "", errors.New("credentials refused by Twilio (401): copy the Account SID and Auth Token from the Twilio console (Account info) into FARO_TWILIO_ACCOUNT_SID and FARO_TWILIO_AUTH_TOKEN")
	case resp.StatusCode == http.StatusNotFound:
		return "", errors.New("no such Twilio account (404): check FARO_TWILIO_ACCOUNT_SID (it starts with AC)")
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return "", fmt.Errorf("the Twilio API answered HTTP %d: try again later; if it lasts, see status.twilio.com", resp.StatusCode)
	}
	if ans.Status == "suspended" || ans.Status == "closed" {
		return ans.Status, fmt.Errorf("the Twilio account is %s: no message can be sent until it is active again (Twilio console, billing)", ans.Status)
	}
	return ans.Status, nil
}

// maskSID shows an account SID's first and last characters only.
func maskSID(sid string) string {
	if len(sid) < 8 {
		return "********"
	}
	return sid[:2] + "…" + sid[len(sid)-4:]
}
