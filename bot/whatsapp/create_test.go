package whatsapp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/faro-chat/faro/bot"
)

// TestCreateMatchesTwilioGo: the request Deliver posts is the one twilio-go's
// CreateMessage posts for the same message (path, form, auth and headers), texts with
// what a form must escape included, so that moving the hot path off the library
// changed nothing Twilio sees.
func TestCreateMatchesTwilioGo(t *testing.T) {
	type seen struct {
		path, body string
		form       url.Values
		header     http.Header
	}
	var (
		mu   sync.Mutex
		reqs []seen
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f, _ := url.ParseQuery(string(b))
		h := r.Header.Clone()
		h.Del("Accept-Encoding")
		mu.Lock()
		reqs = append(reqs, seen{path: r.URL.Path, body: string(b), form: f, header: h})
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"sid":"SM0123","status":"queued"}`)
	}))
	defer srv.Close()
	win := NewMemoryWindow()
	var sids []string
	ch, err := New(Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, PublicURL: testPublic,
		APIURL: srv.URL, Window: win, StatusCallbacks: true,
		KeepCopy: func(_, sid string) { sids = append(sids, sid) }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_ = win.Touch(ctx, testPhone, "", time.Now())
	for _, text := range []string{
		"Hola, ¿cómo estás? 🙂",
		"a&b=c+d %20 #1\n\n1. Menú\r\n2. Línea 100 / 105",
	} {
		reqs = nil
		if err := ch.Deliver(ctx, bot.Outbound{Address: testPhone, Text: text}); err != nil {
			t.Fatalf("deliver: %v", err)
		}
		p := &openapi.CreateMessageParams{}
		p.SetTo(addressPrefix + testPhone)
		p.SetFrom(testFrom)
		p.SetBody(text)
		p.SetStatusCallback(testPublic + StatusPath)
		box := &callBox{}
		cl := &client.Client{
			Credentials: client.NewCredentials(testSID, testToken),
			HTTPClient:  &http.Client{Transport: &callTransport{ctx: ctx, base: http.DefaultTransport, box: box, c: ch}},
		}
		cl.SetAccountSid(testSID)
		if _, err := openapi.NewApiServiceWithClient(cl).CreateMessage(p); err != nil {
			t.Fatalf("twilio-go: %v", err)
		}
		if len(reqs) != 2 {
			t.Fatalf("%d requests", len(reqs))
		}
		ours, lib := reqs[0], reqs[1]
		if ours.path != lib.path || ours.body != lib.body || !reflect.DeepEqual(ours.form, lib.form) {
			t.Errorf("%q:\nours %s %q\nlib  %s %q", text, ours.path, ours.body, lib.path, lib.body)
		}
		if ours.form.Get("Body") != text {
			t.Errorf("body %q, want %q", ours.form.Get("Body"), text)
		}
		if !reflect.DeepEqual(ours.header, lib.header) {
			t.Errorf("headers:\nours %v\nlib  %v", ours.header, lib.header)
		}
	}
	if len(sids) != 2 || sids[0] != "SM0123" {
		t.Errorf("sids kept %v", sids)
	}
}
