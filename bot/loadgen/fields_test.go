package loadgen

import (
	"encoding/json"
	"os"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/telegram"
)

// TestSendMessageFields: the generator's shortcut reads what bot/telegram writes, and
// anything else through the full decoder.
func TestSendMessageFields(t *testing.T) {
	text := "Hola \"tú\"\\ \n1. Mis derechos 😊"
	m := bot.Outbound{Text: text, Buttons: []bot.Button{{Label: "Mis derechos", Payload: "a"}}}
	fast, _ := json.Marshal(&tgbot.SendMessageParams{ChatID: int64(7000001234), Text: text, ReplyMarkup: telegram.Markup(m, "")})
	for name, body := range map[string]string{
		"as bot/telegram writes it": string(fast),
		"other key order":           `{"text":` + string(must(json.Marshal(text))) + `,"reply_markup":{},"chat_id":7000001234}`,
	} {
		chat, got, ok := sendMessageFields([]byte(body))
		if !ok || chat != "7000001234" || got != text {
			t.Errorf("%s: got %q %q %v from %s", name, chat, got, ok, body)
		}
	}
	if _, _, ok := sendMessageFields([]byte(`{"chat_id":1,"text":"unterminated`)); ok {
		t.Error("a broken body must not be read")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestPeakMemory reads the peak resident memory of the processes measured (here this
// one, under two names), which the README's memory figures come from.
func TestPeakMemory(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	lt := &Test{o: Options{CPUPIDs: map[string]int{"serve": os.Getpid(), "gone": 1 << 30}}}
	m := lt.peakMemory()
	if m["load"] <= 1 || m["serve"] < m["load"]*0.9 || m["serve"] > m["load"]*1.1 { // read a moment apart
		t.Errorf("peak memory %v: want this process's, in MB, under both names", m)
	}
	if _, ok := m["gone"]; ok {
		t.Error("a process that does not exist has no figure")
	}
}
