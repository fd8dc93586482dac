package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
)

var _ bot.Observer = (*Metrics)(nil)

func TestExposition(t *testing.T) {
	m := New()
	m.Received("telegram", "accepted")
	m.Handled("telegram", "ok", 3*time.Millisecond)
	m.Attempt("whatsapp", "throttled")
	m.Delivered("whatsapp", "delivered", time.Second)
	m.QueueDepth("whatsapp", 7)
	m.Status("whatsapp", "failed")
	h := m.Instrument("telegram_webhook", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/telegram/webhook", nil))

	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	out := string(body)
	for _, want := range []string{
		`faro_inbound_total{channel="telegram",outcome="accepted"} 1`,
		`faro_handle_seconds_count{channel="telegram",outcome="ok"} 1`,
		`faro_send_attempts_total{channel="whatsapp",outcome="throttled"} 1`,
		`faro_outbound_total{channel="whatsapp",outcome="delivered"} 1`,
		`faro_outbound_queued{channel="whatsapp"} 7`,
		`faro_status_callbacks_total{channel="whatsapp",status="failed"} 1`,
		`faro_http_request_seconds_count{code="401",route="telegram_webhook"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
}
