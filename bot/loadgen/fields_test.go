package loadgen

import (
	"encoding/json"
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
