package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/channeltest"
)

// topLevelKeys counts the keys of one JSON object as written, duplicates included
// (decoding into a map would hide them).
func topLevelKeys(t *testing.T, line string) map[string]int {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %q", line)
	}
	keys := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		keys[tok.(string)]++
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
	}
	return keys
}

// The channel's logger carries "channel"; the sender and the dispatcher it hands that
// logger to must not add the key again.
func TestLogChannelKeyOnce(t *testing.T) {
	f := newFixture(t)
	f.h.Fail = context.DeadlineExceeded
	post(t, f, "text.json", http.StatusInternalServerError) // "handler failed"
	f.api.Enqueue("sendMessage", channeltest.TelegramError(500, 0), channeltest.TelegramError(403, 0))
	_ = f.hub.Send(out("hola")) // "send retry", then "send failed" (blocked)
	f.drain(t)
	seen := map[string]bool{}
	for line := range strings.SplitSeq(strings.TrimSpace(f.logs.String()), "\n") {
		keys := topLevelKeys(t, line)
		for k, n := range keys {
			if n != 1 {
				t.Errorf("key %q appears %d times: %s", k, n, line)
			}
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(line), &m)
		msg, _ := m["msg"].(string)
		seen[msg] = true
		if keys["channel"] == 1 && m["channel"] != "telegram" {
			t.Errorf("channel %v: %s", m["channel"], line)
		}
		if msg == "handler failed" || msg == "send retry" || msg == "send failed" {
			if keys["channel"] == 0 {
				t.Errorf("no channel key: %s", line)
			}
		}
	}
	for _, want := range []string{"handler failed", "send retry", "send failed"} {
		if !seen[want] {
			t.Errorf("no %q line in:\n%s", want, f.logs.String())
		}
	}
}
