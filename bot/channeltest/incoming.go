package channeltest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
)

// Setup is one channel under test, fresh for each case.
type Setup struct {
	// Webhook is the channel's ingress and Path the path it is served at.
	Webhook http.Handler
	Path    string
	// Encode turns a testdata payload into a request body and its content type.
	Encode func(t testing.TB, payload []byte) (body []byte, contentType string)
	// Authenticate adds the valid secret or signature to a request.
	Authenticate func(r *http.Request, body []byte)
	Handler      *FakeHandler
	// Sent counts the messages the fake platform API received.
	Sent func() int
	// Drain waits until the channel's outbound queue is empty.
	Drain func()
	Logs  *Logs
	// Private lists values that must never be logged: tokens and secrets.
	Private []string
}

// Auth says how a case's request is authenticated.
type Auth int

// Auth modes of an IncomingCase.
const (
	AuthValid   Auth = iota // the channel's real secret or signature
	AuthMissing             // no header at all
	AuthForged              // a header with a wrong value
)

// IncomingCase is one raw inbound request and what must come of it.
type IncomingCase struct {
	Label string
	// Payload names a file in testdata/; Body is used when it is empty.
	Payload string
	Body    []byte
	Auth    Auth
	// ForgedHeader sets a wrong secret/signature under this header for AuthForged.
	ForgedHeader string
	// Repeat sends the same request this many times (a replay); default once.
	Repeat     int
	WantStatus int
	// WantInbound is the message the Handler must get (ReceivedAt ignored); nil means
	// the Handler must not be called.
	WantInbound *bot.Inbound
	// WantSent is the number of messages the fake API must receive once drained.
	WantSent int
	// Private lists the personal data in the payload (chat id, phone, text) that must
	// not appear in logs.
	Private []string
}

// RunIncoming runs the cases, each against a fresh Setup.
func RunIncoming(t *testing.T, setup func(t *testing.T) *Setup, cases []IncomingCase) {
	for _, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) {
			s := setup(t)
			payload := tc.Body
			if tc.Payload != "" {
				var err error
				payload, err = os.ReadFile(filepath.Join("testdata", tc.Payload))
				if err != nil {
					t.Fatalf("read payload: %v", err)
				}
			}
			body, ctype := payload, "application/json"
			if s.Encode != nil && tc.Payload != "" {
				body, ctype = s.Encode(t, payload)
			}
			n := max(tc.Repeat, 1)
			for i := range n {
				r := httptest.NewRequest(http.MethodPost, "http://internal.invalid:8080"+s.Path, bytes.NewReader(body))
				r.Header.Set("Content-Type", ctype)
				switch tc.Auth {
				case AuthValid:
					s.Authenticate(r, body)
				case AuthForged:
					r.Header.Set(tc.ForgedHeader, "forged-value-0000000000")
				}
				w := httptest.NewRecorder()
				s.Webhook.ServeHTTP(w, r)
				if w.Code != tc.WantStatus {
					t.Fatalf("request %d: status %d, want %d (body %q)", i+1, w.Code, tc.WantStatus, w.Body.String())
				}
			}
			got := s.Handler.Received()
			if tc.WantInbound == nil {
				if len(got) != 0 {
					t.Fatalf("handler called %d times, want never", len(got))
				}
			} else {
				if len(got) != n {
					t.Fatalf("handler called %d times, want %d", len(got), n)
				}
				g := got[0]
				if g.ReceivedAt.IsZero() || time.Since(g.ReceivedAt) > time.Minute {
					t.Errorf("ReceivedAt = %v, want now", g.ReceivedAt)
				}
				g.ReceivedAt = time.Time{}
				if !reflect.DeepEqual(g, *tc.WantInbound) {
					t.Errorf("inbound:\n got %+v\nwant %+v", g, *tc.WantInbound)
				}
			}
			s.Drain()
			if sent := s.Sent(); sent != tc.WantSent {
				t.Errorf("fake API received %d messages, want %d", sent, tc.WantSent)
			}
			AssertRedacted(t, s.Logs, append(s.Private, tc.Private...)...)
		})
	}
}
