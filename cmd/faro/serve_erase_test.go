package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

// platformLog numbers the messages the fake platform APIs take, per chat, as the
// platforms do (a message_id, a sid), and records them: what an erase must delete.
type platformLog struct {
	mu   sync.Mutex
	next int
	sent map[string][]string // chat id or phone -> ids of the bot's messages
	// fail answers deleteMessages and DELETE with these, one each, before taking them.
	tgFail, twFail []channeltest.Response
}

func newPlatformLog() *platformLog { return &platformLog{next: 9000, sent: map[string][]string{}} }

// telegram answers sendMessage with a message_id of its own, and deleteMessages with
// the next queued failure.
func (p *platformLog) telegram(q channeltest.Request) (channeltest.Response, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch q.Method {
	case "sendMessage":
		p.next++
		chat := q.Form["chat_id"]
		p.sent[chat] = append(p.sent[chat], strconv.Itoa(p.next))
		return channeltest.Response{Status: 200, Body: fmt.Sprintf(`{"ok":true,"result":{"message_id":%d,"date":1,"chat":{"id":%s,"type":"private"}}}`, p.next, chat)}, true
	case "deleteMessages":
		if len(p.tgFail) > 0 {
			r := p.tgFail[0]
			p.tgFail = p.tgFail[1:]
			return r, true
		}
	}
	return channeltest.Response{}, false
}

// twilio answers a created message with a sid of its own, and a DELETE with the next
// queued failure.
func (p *platformLog) twilio(q channeltest.Request) (channeltest.Response, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case q.Method == "Messages.json" && q.Verb == http.MethodPost:
		p.next++
		sid := channeltest.TwilioSid(int64(p.next))
		to := strings.TrimPrefix(q.Form["To"], "whatsapp:")
		p.sent[to] = append(p.sent[to], sid)
		return channeltest.Response{Status: 201, Body: `{"sid":"` + sid + `","status":"queued"}`}, true
	case q.Verb == http.MethodDelete && len(p.twFail) > 0:
		r := p.twFail[0]
		p.twFail = p.twFail[1:]
		return r, true
	}
	return channeltest.Response{}, false
}

func (p *platformLog) sentTo(chat string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sent[chat])
}

// eraseRun is one person on each channel who erases, one on each who does not.
type eraseRun struct {
	t   *testing.T
	s   *served
	log *platformLog
	// the messages each sent, by platform id
	tgIn, twIn map[string][]string
}

func startErase(t *testing.T, log *platformLog) *eraseRun {
	s := startServeWith(t, storetest.URL(t), []serveOption{withEraseRetry(bot.RetryPolicy{
		BaseDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond, MaxElapsed: 10 * time.Second, Timeout: 2 * time.Second})})
	s.tg.SetFault(log.telegram)
	s.tw.SetFault(log.twilio)
	return &eraseRun{t: t, s: s, log: log, tgIn: map[string][]string{}, twIn: map[string][]string{}}
}

// tgSay sends text as message messageID of chat, and waits for its reply.
func (r *eraseRun) tgSay(chat string, updateID, messageID int, text string) {
	t := r.t
	t.Helper()
	before := len(r.log.sentTo(chat))
	body := `{"update_id":` + itoa(updateID) + `,"message":{"message_id":` + itoa(messageID) + `,"date":1767225600,"from":{"id":` + chat +
		`,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":` + chat + `,"type":"private"},"text":"` + text + `"}}`
	req, _ := http.NewRequest(http.MethodPost, r.s.base+telegram.WebhookPath, strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, srvTGSecret)
	if code := do(t, req); code != 200 {
		t.Fatalf("telegram webhook: %d", code)
	}
	r.tgIn[chat] = append(r.tgIn[chat], itoa(messageID))
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(r.log.sentTo(chat)) > before }, "a reply to "+text)
}

// twSay sends text from phone as message sid, and waits for its reply.
func (r *eraseRun) twSay(phone, sid, text string) {
	t := r.t
	t.Helper()
	before := len(r.log.sentTo(phone))
	f := url.Values{"MessageSid": {sid}, "From": {"whatsapp:" + phone}, "To": {"whatsapp:+14155238886"}, "Body": {text}, "NumMedia": {"0"}}
	req, _ := http.NewRequest(http.MethodPost, r.s.base+whatsapp.WebhookPath, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(srvTWToken, srvPublic+whatsapp.WebhookPath, f))
	if code := do(t, req); code != 200 {
		t.Fatalf("whatsapp webhook: %d", code)
	}
	r.twIn[phone] = append(r.twIn[phone], sid)
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(r.log.sentTo(phone)) > before }, "a reply to "+text)
}

// converse has each person write; the first of each channel erases her data.
func (r *eraseRun) converse() {
	r.tgSay("700100", 1, 501, "hola")
	r.tgSay("700200", 2, 601, "hola")
	r.twSay("+51900100100", "SMerase00000000000000000000000501", "hola")
	r.twSay("+51900200200", "SMerase00000000000000000000000601", "hola")
	r.tgSay("700100", 3, 502, "borrar")
	r.twSay("+51900100100", "SMerase00000000000000000000000502", "borrar")
	r.tgSay("700100", 4, 503, "1")
	r.twSay("+51900100100", "SMerase00000000000000000000000503", "1")
}

// tgDeleted returns the message ids deleteMessages took for chat (answered 2xx).
func tgDeleted(t *testing.T, s *served, chat string) []string {
	var out []string
	for _, q := range s.tg.Delivered("deleteMessages") {
		if q.Form["chat_id"] != chat {
			continue
		}
		var ids []int
		if err := json.Unmarshal([]byte(q.Form["message_ids"]), &ids); err != nil {
			t.Fatalf("deleteMessages ids %q: %v", q.Form["message_ids"], err)
		}
		for _, id := range ids {
			out = append(out, itoa(id))
		}
	}
	slices.Sort(out)
	return out
}

// copiesOf is what an erase must delete of a chat: her messages and the bot's, up to
// the reply to the confirmation (sent after the erase, and so not kept).
func (r *eraseRun) copiesOf(in []string, chat string) []string {
	sent := r.log.sentTo(chat)
	out := append(slices.Clone(in), sent[:len(sent)-1]...)
	slices.Sort(out)
	return out
}

// TestServeEraseDeletesThePlatformCopies: a person on Telegram and one on WhatsApp
// erase their data. Exactly the messages of their conversations are deleted at the
// fake platforms (her messages by their platform ids, the bot's by the ids the
// platform gave them), nothing of the people who did not erase; the reply tells her
// what was deleted and how to delete the chat on the phone.
func TestServeEraseDeletesThePlatformCopies(t *testing.T) {
	r := startErase(t, newPlatformLog())
	r.converse()
	wantTG := r.copiesOf(r.tgIn["700100"], "700100")
	wantTW := r.copiesOf(r.twIn["+51900100100"], "+51900100100")
	channeltest.Eventually(t, 5*time.Second, func() bool {
		return len(tgDeleted(t, r.s, "700100")) >= len(wantTG) && len(r.s.tw.TwilioDeleted()) >= len(wantTW)
	}, "the platform copies deleted")
	time.Sleep(200 * time.Millisecond) // nothing more is deleted
	if got := tgDeleted(t, r.s, "700100"); !slices.Equal(got, wantTG) {
		t.Errorf("telegram deleted %v, want %v (her 3 messages and the bot's replies before the erase)", got, wantTG)
	}
	if got := tgDeleted(t, r.s, "700200"); len(got) != 0 {
		t.Errorf("telegram deleted %v of a person who did not erase", got)
	}
	got := r.s.tw.TwilioDeleted()
	slices.Sort(got)
	if !slices.Equal(got, wantTW) {
		t.Errorf("twilio deleted %v, want %v", got, wantTW)
	}
	for _, q := range r.s.tw.Delivered("") {
		if q.Verb == http.MethodDelete && !strings.HasPrefix(q.Path, "/2010-04-01/Accounts/ACserve/Messages/") {
			t.Errorf("DELETE %s: not a Message resource of the account", q.Path)
		}
	}
	last := func(chat string) string {
		var texts []string
		for _, q := range r.s.tg.Delivered("sendMessage") {
			if q.Form["chat_id"] == chat {
				texts = append(texts, q.Form["text"])
			}
		}
		for _, q := range r.s.tw.Delivered("Messages.json") {
			if q.Form["To"] == "whatsapp:"+chat {
				texts = append(texts, q.Form["Body"])
			}
		}
		return texts[len(texts)-1]
	}
	for chat, want := range map[string][]string{
		"700100":       {"borré todo", "48 horas", "mantén presionado este chat", "«Eliminar»"},
		"+51900100100": {"borré todo", "Twilio", "mantén presionado este chat", "«Eliminar chat»", "«Vaciar chat»"},
	} {
		text := last(chat)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("the erase reply on %s lacks %q:\n%s", chat, w, text)
			}
		}
		if strings.Contains(text, "No pude") {
			t.Errorf("the erase reply on %s says something could not be deleted:\n%s", chat, text)
		}
	}
	r.s.stop(t)
	channeltest.AssertRedacted(t, r.s.logs, "700100", "700200", "900100100", "900200200", "SMerase", `"borrar"`)
}

// TestServeEraseRetriesAndTellsWhatRemains: Telegram answers deleteMessages with 429,
// 500 and a hang, Twilio a DELETE with 20009 (not finished yet), 503 and a reset: each
// is retried until it is taken. Then a Telegram that refuses for good (400): the copies are counted as
// not deleted, and the person is told, in her language, what remains and how to delete
// it herself.
func TestServeEraseRetriesAndTellsWhatRemains(t *testing.T) {
	t.Run("retried until taken", func(t *testing.T) {
		log := newPlatformLog()
		log.tgFail = []channeltest.Response{channeltest.TelegramError(429, 1), channeltest.TelegramError(500, 0), {Hang: true}}
		log.twFail = []channeltest.Response{channeltest.TwilioError(400, 20009), channeltest.TwilioError(503, 20500), {Reset: true}}
		r := startErase(t, log)
		r.converse()
		wantTG := r.copiesOf(r.tgIn["700100"], "700100")
		wantTW := r.copiesOf(r.twIn["+51900100100"], "+51900100100")
		channeltest.Eventually(t, 10*time.Second, func() bool {
			return slices.Equal(tgDeleted(t, r.s, "700100"), wantTG) && len(r.s.tw.TwilioDeleted()) == len(wantTW)
		}, "the platform copies deleted after the retries")
		if n := len(r.s.tg.Requests("deleteMessages")); n != 4 {
			t.Errorf("%d deleteMessages calls, want 4 (429, 500, a hang, then taken)", n)
		}
		got := r.s.tw.TwilioDeleted()
		slices.Sort(got)
		if !slices.Equal(got, wantTW) {
			t.Errorf("twilio deleted %v, want %v", got, wantTW)
		}
		for _, q := range r.s.tg.Delivered("sendMessage") {
			if strings.Contains(q.Form["text"], "No pude borrar") {
				t.Errorf("told that something remains although all was deleted: %q", q.Form["text"])
			}
		}
	})
	t.Run("refused for good", func(t *testing.T) {
		log := newPlatformLog()
		log.tgFail = []channeltest.Response{{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: message can't be deleted"}`}}
		r := startErase(t, log)
		r.converse()
		copies := r.copiesOf(r.tgIn["700100"], "700100")
		channeltest.Eventually(t, 10*time.Second, func() bool {
			for _, q := range r.s.tg.Delivered("sendMessage") {
				if q.Form["chat_id"] == "700100" && strings.HasPrefix(q.Form["text"], "No pude borrar algunos mensajes de este chat.") {
					return true
				}
			}
			return false
		}, "the person told that some messages remain")
		if n := len(r.s.tg.Requests("deleteMessages")); n != 1 {
			t.Errorf("%d deleteMessages calls, want 1 (a 400 is not retried)", n)
		}
		_, metrics := get(t, r.s.metrics+"/metrics")
		want := fmt.Sprintf(`faro_effect_errors_total{effect="erase_copies"} %d`, len(copies))
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
		r.s.stop(t)
		channeltest.AssertRedacted(t, r.s.logs, "700100", "900100100", "SMerase")
	})
}
