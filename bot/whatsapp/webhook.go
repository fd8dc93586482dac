package whatsapp

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot"
)

// emptyTwiML answers a message webhook: replies go through the REST API, not TwiML.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// readSigned reads and checks a Twilio webhook: POST, body capped, form parsed, each
// parameter at most once, and the signature valid for the public URL of path (with or
// without the scheme's default port). It writes the error answer itself and returns
// ok=false on any failure.
func (c *Channel) readSigned(w http.ResponseWriter, r *http.Request, path string) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.obs.Received(bot.ChannelWhatsApp, "too_large")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		c.obs.Received(bot.ChannelWhatsApp, "bad_request")
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		c.obs.Received(bot.ChannelWhatsApp, "bad_request")
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	// The URL Twilio signed is the public one it was configured with; only the query
	// string is taken from the request, exactly as sent. Twilio has signed it both
	// with and without the default port, so both are accepted (as twilio-go does);
	// the second HMAC is computed only when the first does not match.
	query := ""
	if r.URL.RawQuery != "" {
		query = "?" + r.URL.RawQuery
	}
	sig := r.Header.Get(SignatureHeader)
	if !validSignature(c.cfg.AuthToken, c.cfg.PublicURL+path+query, form, sig) &&
		(c.publicAlt == "" || !validSignature(c.cfg.AuthToken, c.publicAlt+path+query, form, sig)) {
		c.obs.Received(bot.ChannelWhatsApp, "unauthorized")
		http.Error(w, "invalid signature", http.StatusForbidden)
		return nil, false
	}
	for _, v := range form {
		if len(v) > 1 { // Twilio sends each parameter once
			c.obs.Received(bot.ChannelWhatsApp, "bad_request")
			http.Error(w, "repeated parameter", http.StatusBadRequest)
			return nil, false
		}
	}
	return form, true
}

// ServeHTTP is the incoming-message webhook. The signature is checked first (403 when
// wrong or missing); then the Handler runs, deduping on MessageSid and saving the
// session, and the replies are queued, all before the 200 with empty TwiML. A signed
// message is never answered 5xx (Twilio would not deliver it again): not even when
// the outbound queue is full or the message could not be handled. The user's
// ProfileName is never read.
// see https://www.twilio.com/docs/messaging/guides/webhook-request
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	form, ok := c.readSigned(w, r, WebhookPath)
	if !ok {
		return
	}
	in, ok := ParseForm(form, c.now())
	if !ok {
		c.obs.Received(bot.ChannelWhatsApp, "ignored")
		writeTwiML(w, http.StatusOK)
		return
	}
	if in.MessageID == "" {
		c.obs.Received(bot.ChannelWhatsApp, "bad_request")
		http.Error(w, "missing MessageSid", http.StatusBadRequest)
		return
	}
	// From here on the message is Twilio's signed word and is answered 200 whatever
	// happens: Twilio does not deliver a message again after a 5xx, so a 5xx would
	// lose it for sure. A full outbound queue is the Telegram webhook's reason to
	// answer 503 (Telegram delivers again later); here the message is handled anyway,
	// its replies queued beyond the bound (and kept in the outbox, in Redis).
	if c.inbox.Busy(c.Name()) {
		c.obs.Received(bot.ChannelWhatsApp, "busy")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
	if err := c.cfg.Window.Touch(ctx, in.Address, in.MessageID, in.ReceivedAt); err != nil {
		// Replies to this message still go out: the local copy knows the time.
		c.log.Warn("window store unavailable")
	}
	cancel()
	if err := c.inbox.Dispatch(r.Context(), in); err != nil {
		// Not handled, no reply queued (the conversation answers even with Redis
		// down, so this is a stopping process or a broken configuration): counted
		// and logged, and still 200, since Twilio would not deliver it again.
		c.obs.Received(bot.ChannelWhatsApp, "error")
		c.log.Error("message accepted but not handled") // the error may hold anything: not logged
		writeTwiML(w, http.StatusOK)
		return
	}
	c.obs.Received(bot.ChannelWhatsApp, "accepted")
	writeTwiML(w, http.StatusOK)
}

func writeTwiML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, emptyTwiML)
}

// ParseForm turns the form of an incoming WhatsApp message into an Inbound. ok is false
// for anything that is not a WhatsApp message to us (an SMS on the same number).
// Location pins give Latitude/Longitude; media (NumMedia > 0) become Inbound.Media;
// a quick-reply button gives ButtonPayload (or only ButtonText). The greeting of an
// organization's click-to-chat link gives its code as StartCode (see bot.ParseReferral)
// and the greeting alone as Text.
// see https://www.twilio.com/docs/messaging/guides/webhook-request
func ParseForm(f url.Values, now time.Time) (bot.Inbound, bool) {
	from := f.Get("From")
	if !strings.HasPrefix(from, addressPrefix) || len(from) == len(addressPrefix) {
		return bot.Inbound{}, false
	}
	in := bot.Inbound{
		Channel:    bot.ChannelWhatsApp,
		Address:    strings.TrimPrefix(from, addressPrefix),
		MessageID:  f.Get("MessageSid"),
		ReceivedAt: now,
	}
	in.ChatMessageID = in.MessageID // the record Twilio keeps of it
	in.LangHint = LangOfNumber(in.Address)
	lat, latErr := strconv.ParseFloat(f.Get("Latitude"), 64)
	lon, lonErr := strconv.ParseFloat(f.Get("Longitude"), 64)
	n, _ := strconv.Atoi(f.Get("NumMedia"))
	switch {
	case latErr == nil && lonErr == nil && validCoord(lat, lon):
		in.Location = &bot.Location{Lat: lat, Lon: lon}
	case n > 0:
		in.Media = mediaKind(f.Get("MediaContentType0"))
	case f.Get("ButtonPayload") != "":
		in.Payload = f.Get("ButtonPayload")
	case f.Get("ButtonText") != "":
		in.Text = f.Get("ButtonText")
	default:
		// The greeting of an organization's link, "Hola (ref sjm)": the code is kept
		// as a Telegram deep link's is, and only the greeting goes on.
		in.Text = f.Get("Body")
		in = bot.TakeReferral(in)
	}
	return in, true
}

// portuguese are the calling codes of countries whose official language is Portuguese:
// Brazil, Portugal, Angola, Mozambique, Cape Verde, Guinea-Bissau, São Tomé and
// Príncipe, East Timor.
var portuguese = []string{"+55", "+351", "+244", "+258", "+238", "+245", "+239", "+670"}

// LangOfNumber guesses the language of a WhatsApp number from its country calling code:
// "pt" for a Portuguese-speaking country (+55 Brazil), "" otherwise (the engine's
// default, Spanish, fits Peru, Venezuela and Colombia; +1 is too mixed to guess). It is
// only a first guess: the language of the text and the person's choice win.
func LangOfNumber(number string) string {
	for _, cc := range portuguese {
		if strings.HasPrefix(number, cc) {
			return "pt"
		}
	}
	return ""
}

func validCoord(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// mediaKind maps a MIME type to a bot.Media* kind. WhatsApp stickers arrive as WebP.
func mediaKind(ct string) string {
	switch {
	case ct == "image/webp":
		return bot.MediaSticker
	case strings.HasPrefix(ct, "audio/"):
		return bot.MediaVoice
	case strings.HasPrefix(ct, "image/"):
		return bot.MediaPhoto
	case strings.HasPrefix(ct, "video/"):
		return bot.MediaVideo
	case strings.HasPrefix(ct, "application/"), strings.HasPrefix(ct, "text/"):
		return bot.MediaDocument
	default:
		return bot.MediaOther
	}
}

// ServeStatus is the status callback: it counts each message's fate by status, and logs
// failures by Twilio error code only (no address, no message id).
// see https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
func (c *Channel) ServeStatus(w http.ResponseWriter, r *http.Request) {
	form, ok := c.readSigned(w, r, StatusPath)
	if !ok {
		return
	}
	status := form.Get("MessageStatus")
	switch status {
	case "queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "accepted", "scheduled", "canceled":
	default:
		status = "other"
	}
	c.obs.Status(bot.ChannelWhatsApp, status)
	if status == "failed" || status == "undelivered" {
		code, _ := strconv.Atoi(form.Get("ErrorCode"))
		c.log.Warn("message not delivered", "status", status, "error_code", code)
	}
	w.WriteHeader(http.StatusNoContent)
}
