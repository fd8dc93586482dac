package whatsapp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/faro-chat/faro/bot"
)

// BenchmarkDeliver is one reply sent to a loopback server that answers as the Messages
// resource does (201, a queued message), 16 at a time on two cores, so that ns/op is
// the CPU of both ends: "direct" is Deliver, "twilio-go" the library's CreateMessage
// that Deliver used before, as the baseline in the same run (the server's share is the
// same in both).
func BenchmarkDeliver(b *testing.B) {
	body := `{"account_sid":"ACtest","api_version":"2010-04-01","body":"x","date_created":"Wed, 02 Dec 2026 12:00:00 +0000","direction":"outbound-api","from":"whatsapp:+14155238886","num_segments":"1","sid":"SM00000000000000000000000000000001","status":"queued","to":"whatsapp:+51987654321","uri":"/2010-04-01/Accounts/ACtest/Messages/SM00000000000000000000000000000001.json"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	win := NewMemoryWindow()
	var kept atomic.Int64
	ch, err := New(Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, PublicURL: testPublic,
		APIURL: srv.URL, HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}, Window: win, StatusCallbacks: true,
		KeepCopy: func(string, string) { kept.Add(1) }}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	_ = win.Touch(ctx, testPhone, "", time.Now())
	m := bot.Outbound{Channel: bot.ChannelWhatsApp, Address: testPhone,
		Text: strings.Repeat("Puedes llamar gratis a la Línea 100, día y noche. ", 6) + "\n\n1. Menú\n2. Hablar con una persona"}
	libraryCreate := func(ctx context.Context, m bot.Outbound) error {
		p := &openapi.CreateMessageParams{}
		p.SetTo(addressPrefix + m.Address)
		p.SetFrom(testFrom)
		p.SetBody(m.Text)
		p.SetStatusCallback(testPublic + StatusPath)
		box := &callBox{}
		sent, err := ch.api(ctx, box).CreateMessage(p)
		if err == nil && sent.Sid != nil {
			ch.cfg.KeepCopy(m.Address, *sent.Sid)
		}
		return err
	}
	for _, bc := range []struct {
		name    string
		deliver func(context.Context, bot.Outbound) error
	}{{"direct", ch.Deliver}, {"twilio-go", libraryCreate}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(8) // deliveries in flight at once, as under load: ns/op is then CPU-bound
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.deliver(ctx, m); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
	if kept.Load() == 0 {
		b.Fatal("no sid kept")
	}
}
