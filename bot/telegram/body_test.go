package telegram

import (
	"encoding/json"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/faro-chat/faro/bot"
)

// libraryBody is what sendMessageBody replaced: the library's parameters marshalled by
// reflection.
func libraryBody(t testing.TB, chatID int64, text string, m bot.Outbound, label string) []byte {
	body, err := json.Marshal(&tgbot.SendMessageParams{
		ChatID:             chatID,
		Text:               text,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		ReplyMarkup:        Markup(m, label),
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// TestSendMessageBodyIsTheLibrarys: the hand-written sendMessage body is byte for byte
// what json.Marshal makes of go-telegram/bot's SendMessageParams, for texts with every
// character JSON escapes, broken UTF-8, emoji, and each kind of keyboard.
func TestSendMessageBodyIsTheLibrarys(t *testing.T) {
	var ctl strings.Builder
	for c := range 0x20 {
		ctl.WriteByte(byte(c))
	}
	texts := []string{
		"hola",
		"",
		"¿Qué necesitas? 🆘 Línea 100 — gratis, día y noche.\n\n1. Menú",
		`comillas " y barra \ y <b>etiqueta</b> & más`,
		ctl.String() + "\x7f",
		"roto \xff\xfe y \xc3 al final \xe2\x82",
		"separadores \u2028 y \u2029, y \u2027 \u202a",
		strings.Repeat("Puedes llamar gratis a la Línea 100. ", 40),
	}
	buttons := []bot.Button{{Label: "Mis derechos", Payload: "rights"}, {Label: `Otro "raro" <x>`, Payload: strings.Repeat("x", 65)},
		{Label: "sin payload"}, {Label: "emoji 🆘", Payload: "sos\n"}}
	outs := []bot.Outbound{
		{},
		{Buttons: buttons},
		{Buttons: buttons[:1]},
		{AskLocation: true},
		{AskLocation: true, LocationLabel: "📍 Compartir \"ubicación\""},
		{AskLocation: true, Buttons: buttons},
	}
	for _, chat := range []int64{7000001234, -100123, 0} {
		for _, text := range texts {
			for _, m := range outs {
				for _, label := range []string{DefaultLocationLabel, "Enviar <ubicación>"} {
					got := sendMessageBody(nil, chat, text, m, label)
					want := libraryBody(t, chat, text, m, label)
					if string(got) != string(want) {
						t.Fatalf("text %q, markup %+v:\n got %s\nwant %s", text, m, got, want)
					}
				}
			}
		}
	}
}

// BenchmarkSendMessageBody is the body of a reply with four buttons: "hand" as Deliver
// writes it, "library" the library's parameters through json.Marshal, the baseline in
// the same run.
func BenchmarkSendMessageBody(b *testing.B) {
	text := strings.Repeat("Puedes llamar gratis a la Línea 100, día y noche. ", 6)
	m := bot.Outbound{Buttons: []bot.Button{{Label: "Mis derechos", Payload: "rights"}, {Label: "Lugares cerca", Payload: "places"},
		{Label: "Números de emergencia", Payload: "sos"}, {Label: "Hablar con una persona", Payload: "person"}}}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sendMessageBody(make([]byte, 0, 256+len(text)+64*len(m.Buttons)), 7000001234, text, m, DefaultLocationLabel)
		}
	})
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = libraryBody(b, 7000001234, text, m, DefaultLocationLabel)
		}
	})
}
