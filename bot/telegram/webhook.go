package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/faro-chat/faro/bot"
)

// SecretHeader carries the webhook secret on every call from Telegram.
// see https://core.telegram.org/bots/api#setwebhook
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

func hashSecret(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// ServeHTTP is the webhook ingress. In order: POST only; the secret header compared in
// constant time (401 when wrong or missing); the body capped (413); the update parsed
// (400); ignored kinds answered 200 at once; otherwise the Handler runs, which records
// the update_id for dedupe and saves the session, and the replies are queued, all
// before the 200. A non-2xx answer makes Telegram deliver the update again, so a
// failure before the Handler finished loses nothing, and a replay is deduped.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := hashSecret(r.Header.Get(SecretHeader))
	if c.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare(got[:], c.secret[:]) != 1 {
		c.obs.Received(bot.ChannelTelegram, "unauthorized")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.obs.Received(bot.ChannelTelegram, "too_large")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		c.obs.Received(bot.ChannelTelegram, "bad_request")
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil {
		c.obs.Received(bot.ChannelTelegram, "bad_request")
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	status := c.handle(r.Context(), &u)
	w.WriteHeader(status)
}

// handle parses and dispatches one update and returns the HTTP status to answer.
func (c *Channel) handle(ctx context.Context, u *models.Update) int {
	p := ParseUpdate(u, time.Now())
	if p.CallbackID != "" {
		c.answerCallback(p.CallbackID)
	}
	if !p.OK {
		c.obs.Received(bot.ChannelTelegram, "ignored")
		return http.StatusOK
	}
	if c.inbox.Busy(c.Name()) {
		c.obs.Received(bot.ChannelTelegram, "busy")
		return http.StatusServiceUnavailable
	}
	if err := c.inbox.Dispatch(ctx, p.In); err != nil {
		c.obs.Received(bot.ChannelTelegram, "error")
		return http.StatusInternalServerError
	}
	c.obs.Received(bot.ChannelTelegram, "accepted")
	return http.StatusOK
}

// answerCallback stops the spinner on the pressed button, in the background so the
// webhook answers without waiting for it.
// see https://core.telegram.org/bots/api#answercallbackquery
func (c *Channel) answerCallback(id string) {
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		box := &statusBox{}
		_, err := c.api.AnswerCallbackQuery(withStatusBox(ctx, box), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id})
		c.obs.Attempt(bot.ChannelTelegram+"_callback", bot.Reason(classify(err, box.status)))
	}()
}
