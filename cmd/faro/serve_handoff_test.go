package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

const srvGroup = "-1009876543210"

// TestServeHandoffNotifiesAndReminds runs faro serve on a real Redis against a fake
// Telegram Bot API: a person leaves a message for the operators; the operators' group
// is told once that a chat is waiting, and nothing else; the person, still waiting
// after FARO_HANDOFF_REMIND, is told kindly that she is still in line.
func TestServeHandoffNotifiesAndReminds(t *testing.T) {
	redisURL := storetest.URL(t)
	s := startServe(t, redisURL, "FARO_OPERATOR_NOTIFY_CHAT", srvGroup, "FARO_HANDOFF_REMIND", "1s")
	words := "necesito hablar de algo privado"
	for i, text := range []string{"persona", "1", words} { // nobody online: she leaves a message
		if code := s.telegram(t, 7001+i, text); code != 200 {
			t.Fatalf("telegram webhook %d", code)
		}
	}
	to := func(chat string) []channeltest.Request {
		var out []channeltest.Request
		for _, r := range s.tg.Requests("sendMessage") {
			if r.Form["chat_id"] == chat {
				out = append(out, r)
			}
		}
		return out
	}
	channeltest.Eventually(t, 5*time.Second, func() bool { return len(to(srvGroup)) >= 1 }, "the operators' group told")
	// An operator comes online (another replica's heartbeat): the line moves, and the
	// person still waiting is reminded.
	operator(t, redisURL)
	channeltest.Eventually(t, 8*time.Second, func() bool {
		for _, r := range to(srvChat) {
			if strings.Contains(r.Form["text"], "Sigues en la fila") {
				return true
			}
		}
		return false
	}, "the reminder to the person waiting")
	group := to(srvGroup)
	if len(group) != 1 {
		t.Fatalf("the group got %d messages for one ticket", len(group))
	}
	if text := group[0].Form["text"]; text != "Hay un chat esperando. Abre la consola de Faro para atenderlo." {
		t.Errorf("the group was told %q", text)
	}
	for _, r := range group {
		for _, v := range r.Form {
			if strings.Contains(v, words) || strings.Contains(v, srvChat) || strings.Contains(v, "Persona ") {
				t.Errorf("the group's message holds something of the person: %v", r.Form)
			}
		}
	}
	s.stop(t)
	channeltest.AssertRedacted(t, s.logs, srvChat, srvGroup, "9876543210", words)
}

// operator marks an operator online on the Redis at redisURL, as the console does.
func operator(t *testing.T, redisURL string) {
	t.Helper()
	rdb, err := store.Dial(redisURL, "single")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	tickets, err := handoff.New(rdb, []byte("another-replica-secret-0123"), handoff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tickets.Heartbeat(context.Background(), "op-serve-test"); err != nil {
		t.Fatal(err)
	}
}
