package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/faro-chat/faro/bot"
)

// maxCallbackData is Telegram's limit on a button's callback_data, in bytes.
// see https://core.telegram.org/bots/api#inlinekeyboardbutton
const maxCallbackData = 64

// Deliver sends one message with sendMessage: buttons as an inline keyboard (one per
// row, numbered, so typing the number works too); AskLocation as a one-time reply
// keyboard with a request_location button, the options then written as numbered text.
// Link previews are off to save data on cheap phones.
//
// This hot path posts JSON itself instead of going through go-telegram/bot, whose
// multipart bodies streamed through a pipe cost a goroutine and several writes per
// message (README, "What moved the numbers"); the parameters are still the library's
// types, and the answer is classified like the library's errors.
// see https://core.telegram.org/bots/api#sendmessage
func (c *Channel) Deliver(ctx context.Context, m bot.Outbound) error {
	chatID, err := strconv.ParseInt(m.Address, 10, 64)
	if err != nil {
		return bot.Permanent("bad_address", errors.New("telegram: chat id is not a number"))
	}
	text := m.Text
	if m.AskLocation && len(m.Buttons) > 0 {
		text = bot.NumberedText(m)
	}
	if text == "" {
		return nil // Telegram rejects empty messages; there is nothing to say.
	}
	body := sendMessageBody(make([]byte, 0, 256+len(text)+64*len(m.Buttons)), chatID, text, m, c.cfg.LocationLabel)
	if c.cfg.KeepCopy == nil {
		return c.post(ctx, "sendMessage", body, nil)
	}
	var sent struct {
		MessageID int64 `json:"message_id"`
	}
	if err := c.post(ctx, "sendMessage", body, &sent); err != nil {
		return err
	}
	if sent.MessageID != 0 {
		c.cfg.KeepCopy(m.Address, strconv.FormatInt(sent.MessageID, 10))
	}
	return nil
}

// sendMessageBody appends to buf the JSON of sendMessage for m with text: what
// json.Marshal makes of the library's SendMessageParams with Markup(m, label) and link
// previews off (TestSendMessageBodyIsTheLibrarys), written by hand because reflection
// was a tenth of the delivery's CPU on the load test's profile.
func sendMessageBody(buf []byte, chatID int64, text string, m bot.Outbound, label string) []byte {
	buf = append(buf, `{"chat_id":`...)
	buf = strconv.AppendInt(buf, chatID, 10)
	buf = append(buf, `,"text":`...)
	buf = appendJSONString(buf, text)
	buf = append(buf, `,"link_preview_options":{"is_disabled":true}`...)
	switch {
	case m.AskLocation:
		if m.LocationLabel != "" {
			label = m.LocationLabel
		}
		buf = append(buf, `,"reply_markup":{"keyboard":[[{"text":`...)
		buf = appendJSONString(buf, label)
		buf = append(buf, `,"request_location":true}]],"resize_keyboard":true,"one_time_keyboard":true}`...)
	case len(m.Buttons) > 0:
		buf = append(buf, `,"reply_markup":{"inline_keyboard":[`...)
		for i, b := range m.Buttons {
			if i > 0 {
				buf = append(buf, ',')
			}
			n := strconv.Itoa(i + 1)
			data := b.Payload
			if data == "" || len(data) > maxCallbackData {
				data = n
			}
			buf = append(buf, `[{"text":`...)
			buf = appendJSONString(buf, n+". "+b.Label)
			buf = append(buf, `,"callback_data":`...)
			buf = appendJSONString(buf, data)
			buf = append(buf, "}]"...)
		}
		buf = append(buf, "]}"...)
	}
	return append(buf, '}')
}

// appendJSONString appends s as a JSON string as encoding/json writes it: invalid
// UTF-8 as U+FFFD, control characters, <, >, &, U+2028 and U+2029 escaped.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// maxDeleteIDs is how many messages one deleteMessages call takes.
// see https://core.telegram.org/bots/api#deletemessages
const maxDeleteIDs = 100

// DeleteCopies implements bot.CopyDeleter with deleteMessages, 100 ids a call: in a
// private chat a bot may delete its own messages and the person's for 48 hours, and
// Telegram skips those it cannot find. It returns the ids of the calls not made or
// refused, with the classified error.
// see https://core.telegram.org/bots/api#deletemessages
func (c *Channel) DeleteCopies(ctx context.Context, address string, ids []string) ([]string, error) {
	chatID, err := strconv.ParseInt(address, 10, 64)
	if err != nil {
		return ids, bot.Permanent("bad_address", errors.New("telegram: chat id is not a number"))
	}
	for i := 0; i < len(ids); i += maxDeleteIDs {
		part := ids[i:min(i+maxDeleteIDs, len(ids))]
		nums := make([]int, 0, len(part))
		for _, id := range part {
			if n, err := strconv.Atoi(id); err == nil {
				nums = append(nums, n)
			}
		}
		if len(nums) == 0 {
			continue
		}
		if err := c.call(ctx, "deleteMessages", &tgbot.DeleteMessagesParams{ChatID: chatID, MessageIDs: nums}, nil); err != nil {
			return ids[i:], err
		}
	}
	return nil, nil
}

// apiResponse is the Bot API's answer envelope.
// see https://core.telegram.org/bots/api#making-requests
type apiResponse struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
	Result json.RawMessage `json:"result"`
}

// apiError is a Bot API error description, kept as the cause of a send error.
type apiError struct {
	Code        int
	Description string
}

// Error implements error; the description is Telegram's, never the URL or token.
func (e *apiError) Error() string { return "telegram: " + strconv.Itoa(e.Code) + " " + e.Description }

// call posts params as JSON to a Bot API method and classifies the answer; result, if
// not nil, receives the answer's result.
func (c *Channel) call(ctx context.Context, method string, params any, result any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return bot.Permanent("encode", fmt.Errorf("telegram: %s: encode: %w", method, err))
	}
	return c.post(ctx, method, body, result)
}

// post sends body (JSON) to a Bot API method and classifies the answer; result, if
// not nil, receives the answer's result. The URL holds the token, so no error it
// returns mentions the URL.
func (c *Channel) post(ctx context.Context, method string, body []byte, result any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.apiBase+"/bot"+c.cfg.Token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return bot.Permanent("encode", fmt.Errorf("telegram: %s: request: %v", method, errors.Unwrap(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error text has the URL, and the URL has the token
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			return fmt.Errorf("telegram: %s: %w", method, ctx.Err())
		}
		// Refused, reset, or no answer within the attempt's time (a Telegram that
		// hangs): it may or may not have the message. Retry, as classify does: a
		// possible duplicate is better than a lost reply.
		return bot.Retryable("connection", fmt.Errorf("telegram: %s: %w", method, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var r apiResponse
	if err == nil {
		err = json.Unmarshal(data, &r)
	}
	switch {
	case err != nil && resp.StatusCode >= 200 && resp.StatusCode < 300:
		// Accepted but unreadable: the message most likely went out; never resend it.
		return bot.Permanent("unparseable", fmt.Errorf("telegram: %s: bad answer", method))
	case err != nil:
		return bot.ClassifyHTTP(resp.StatusCode, 0, 0, &apiError{Code: resp.StatusCode})
	case r.OK:
		if result != nil && len(r.Result) > 0 {
			_ = json.Unmarshal(r.Result, result) // the message went out: an odd result is no failure
		}
		return nil
	}
	code := r.ErrorCode
	if code == 0 {
		code = resp.StatusCode
	}
	return bot.ClassifyHTTP(code, code, bot.ParseRetryAfter(strconv.Itoa(r.Parameters.RetryAfter)),
		&apiError{Code: code, Description: r.Description})
}

// inlineButton is an inline keyboard button with only the fields Faro uses
// (go-telegram/bot's type always serialises an empty copy_text).
type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

// Markup returns the reply_markup for m: a request_location keyboard when it asks for a
// place (labelled m.LocationLabel, or locationLabel), an inline keyboard for its
// buttons, or nil.
// see https://core.telegram.org/bots/api#replykeyboardmarkup
// see https://core.telegram.org/bots/api#inlinekeyboardmarkup
func Markup(m bot.Outbound, locationLabel string) models.ReplyMarkup {
	if m.AskLocation {
		if m.LocationLabel != "" {
			locationLabel = m.LocationLabel
		}
		return &models.ReplyKeyboardMarkup{
			Keyboard:        [][]models.KeyboardButton{{{Text: locationLabel, RequestLocation: true}}},
			ResizeKeyboard:  true,
			OneTimeKeyboard: true,
		}
	}
	if len(m.Buttons) == 0 {
		return nil
	}
	rows := make([][]inlineButton, len(m.Buttons))
	for i, b := range m.Buttons {
		n := strconv.Itoa(i + 1)
		data := b.Payload
		if data == "" || len(data) > maxCallbackData {
			data = n
		}
		rows[i] = []inlineButton{{Text: n + ". " + b.Label, CallbackData: data}}
	}
	return &inlineKeyboard{InlineKeyboard: rows}
}

// classify turns a go-telegram/bot error and the HTTP status seen on the wire into a
// bot send error. The library maps only some statuses to typed errors (5xx are plain
// strings), so the status comes from statusDoer.
func classify(err error, status int) error {
	if err == nil {
		return nil
	}
	var tmr *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tmr):
		return bot.ClassifyHTTP(http.StatusTooManyRequests, 0, bot.ParseRetryAfter(strconv.Itoa(tmr.RetryAfter)), err)
	case errors.Is(err, context.Canceled):
		return err
	case status == 0:
		// No response: refused, reset or timed out. Telegram may or may not have the
		// message; retrying risks a duplicate, not retrying risks a loss. Retry.
		return bot.Retryable("connection", err)
	case status >= 200 && status < 300:
		// Accepted but unreadable: the message most likely went out; never resend it.
		return bot.Permanent("unparseable", err)
	default:
		return bot.ClassifyHTTP(status, status, 0, err)
	}
}

// statusBox receives the HTTP status of one API call.
type statusBox struct {
	mu     sync.Mutex
	status int
}

type statusBoxKey struct{}

func withStatusBox(ctx context.Context, b *statusBox) context.Context {
	return context.WithValue(ctx, statusBoxKey{}, b)
}

// statusDoer is the HTTP client given to go-telegram/bot: it notes each response's
// status in the request's statusBox.
type statusDoer struct{ c *http.Client }

// Do implements tgbot.HttpClient.
func (d statusDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if b, ok := req.Context().Value(statusBoxKey{}).(*statusBox); ok && resp != nil {
		b.mu.Lock()
		b.status = resp.StatusCode
		b.mu.Unlock()
	}
	return resp, err
}
