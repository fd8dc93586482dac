package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

// TestReplicaKilledWhileErasing: a person on Telegram and one on WhatsApp (whose chat
// at Twilio holds 250 older messages besides, more than the store keeps) erase their
// data on a `faro serve` process; the platforms stall on every deletion, and the
// process is killed (SIGKILL) before they answer. Started again under its name, the
// process takes over the erase jobs the killed one left, at once: Telegram is asked to
// delete exactly her conversation's messages (hers and the bot's), refuses, and she is
// told, in her language, that some remain; at Twilio every record of the other's
// conversation is deleted, both ways, and nothing of a person who did not erase.
// Nothing of either is left in Redis but the tombstone and the "erased" marker, and
// nothing of them reached the log.
func TestReplicaKilledWhileErasing(t *testing.T) {
	bin := buildFaro(t)
	redisURL := storetest.URL(t)
	c := newCluster(t, bin, redisURL)
	c.tw.ServeTwilioList()
	log := newPlatformLog()
	var killed atomic.Bool
	stall := func(platform func(channeltest.Request) (channeltest.Response, bool)) func(channeltest.Request) (channeltest.Response, bool) {
		return func(q channeltest.Request) (channeltest.Response, bool) {
			deletion := q.Method == "deleteMessages" || q.Verb == http.MethodDelete
			switch {
			case deletion && !killed.Load():
				return channeltest.Response{Hang: true}, true
			case q.Method == "deleteMessages":
				return channeltest.Response{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: message can't be deleted"}`}, true
			}
			return platform(q)
		}
	}
	c.tg.SetFault(stall(log.telegram))
	c.tw.SetFault(stall(log.twilio))

	const ours = "whatsapp:+14155238886"
	chat, phone := "700300", "+51900300300"
	history := append(c.tw.AddTwilioMessages("whatsapp:"+phone, ours, 125), c.tw.AddTwilioMessages(ours, "whatsapp:"+phone, 125)...)
	hers := c.tw.AddTwilioMessages("whatsapp:"+phone, ours, 3) // the sids of what she will write
	bystander := c.tw.AddTwilioMessages("whatsapp:+51900400400", ours, 5)

	a := c.start("a")
	var tgIn []string
	for i, text := range []string{"hola", "borrar", "1"} {
		killTGSay(t, a.base, log, chat, 100+i, 800+i, text)
		tgIn = append(tgIn, strconv.Itoa(800+i))
		killTWSay(t, a.base, log, phone, hers[i], text)
	}
	killTWSay(t, a.base, log, "+51900400400", bystander[0], "hola")
	sent := log.sentTo(chat)
	wantTG := append(slices.Clone(tgIn), sent[:len(sent)-1]...) // the erase's reply is not kept
	slices.Sort(wantTG)

	channeltest.Eventually(t, 10*time.Second, func() bool {
		return len(c.tg.Requests("deleteMessages")) > 0 && slices.ContainsFunc(c.tw.Requests(""), func(q channeltest.Request) bool { return q.Verb == http.MethodDelete })
	}, "deletions under way at both platforms")
	if n := len(c.tg.Delivered("deleteMessages")) + len(c.tw.TwilioDeleted()); n != 0 {
		t.Fatalf("%d deletions answered before the kill", n)
	}
	a.kill()
	killed.Store(true)
	restartedAt := time.Now()
	c.start("a") // the same FARO_INSTANCE: its previous run's jobs are taken at once

	told := func() bool {
		for _, q := range c.tg.Delivered("sendMessage") {
			if q.Form["chat_id"] == chat && strings.HasPrefix(q.Form["text"], "No pude borrar algunos mensajes de este chat.") {
				return true
			}
		}
		return false
	}
	channeltest.Eventually(t, 20*time.Second, func() bool {
		return told() && len(c.tw.TwilioKept("whatsapp:"+phone, ours)) == 0
	}, "her told what remains on Telegram, and the WhatsApp conversation deleted at Twilio")

	var asked []string
	for _, q := range c.tg.Requests("deleteMessages") {
		if q.At.Before(restartedAt) {
			continue
		}
		if q.Form["chat_id"] != chat {
			t.Errorf("deleteMessages in chat %s, which was not erased", q.Form["chat_id"])
		}
		var ids []int
		if err := json.Unmarshal([]byte(q.Form["message_ids"]), &ids); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			asked = append(asked, strconv.Itoa(id))
		}
	}
	slices.Sort(asked)
	if !slices.Equal(asked, wantTG) {
		t.Errorf("after the restart telegram was asked to delete %v, want %v (her conversation)", asked, wantTG)
	}
	deleted := c.tw.TwilioDeleted()
	for _, sid := range append(slices.Clone(history), hers...) {
		if !slices.Contains(deleted, sid) {
			t.Errorf("%s of her conversation not deleted at Twilio", sid)
			break
		}
	}
	for _, sid := range log.sentTo(phone) {
		if !slices.Contains(deleted, sid) {
			t.Errorf("the bot's %s to her not deleted at Twilio", sid)
		}
	}
	if n := len(c.tw.TwilioKept("whatsapp:+51900400400", ours)); n != len(bystander)+len(log.sentTo("+51900400400")) {
		t.Errorf("%d records of a person who did not erase remain at Twilio, want %d", n, len(bystander)+len(log.sentTo("+51900400400")))
	}

	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opt)
	defer rc.Close()
	ctx := context.Background()
	for _, user := range []string{store.UserKey([]byte(c.secret), bot.ChannelTelegram, chat), store.UserKey([]byte(c.secret), bot.ChannelWhatsApp, phone)} {
		channeltest.Eventually(t, 10*time.Second, func() bool {
			keys := rc.Keys(ctx, "*"+user+"*").Val()
			return len(storetest.Left(ctx, rc, keys)) == 0 && rc.ZScore(ctx, store.ErasingIndex, user).Err() == redis.Nil
		}, "nothing of her left in Redis")
	}
	channeltest.AssertRedacted(t, c.logs, chat, "900300300", "900400400")
}

// killTGSay sends text as message messageID of chat to base, and waits for a reply.
func killTGSay(t *testing.T, base string, log *platformLog, chat string, updateID, messageID int, text string) {
	t.Helper()
	before := len(log.sentTo(chat))
	body := `{"update_id":` + itoa(updateID) + `,"message":{"message_id":` + itoa(messageID) + `,"date":` + strconv.FormatInt(time.Now().Unix(), 10) +
		`,"from":{"id":` + chat + `,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":` + chat + `,"type":"private"},"text":"` + text + `"}}`
	req, _ := http.NewRequest(http.MethodPost, base+telegram.WebhookPath, strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, srvTGSecret)
	if code := do(t, req); code != 200 {
		t.Fatalf("telegram webhook: %d", code)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(log.sentTo(chat)) > before }, "a reply to "+text)
}

// killTWSay sends text from phone as message sid to base, and waits for a reply.
func killTWSay(t *testing.T, base string, log *platformLog, phone, sid, text string) {
	t.Helper()
	before := len(log.sentTo(phone))
	f := url.Values{"MessageSid": {sid}, "From": {"whatsapp:" + phone}, "To": {"whatsapp:+14155238886"}, "Body": {text}, "NumMedia": {"0"}}
	req, _ := http.NewRequest(http.MethodPost, base+whatsapp.WebhookPath, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(srvTWToken, srvPublic+whatsapp.WebhookPath, f))
	if code := do(t, req); code != 200 {
		t.Fatalf("whatsapp webhook: %d", code)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool { return len(log.sentTo(phone)) > before }, "a reply to "+text)
}
