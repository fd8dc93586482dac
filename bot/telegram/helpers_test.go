package telegram

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
)

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func post(t *testing.T, f *fixture, payload string, want int) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", payload))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, WebhookPath, bytes.NewReader(body))
	r.Header.Set(SecretHeader, testSecret)
	w := httptest.NewRecorder()
	f.ch.ServeHTTP(w, r)
	if w.Code != want {
		t.Fatalf("%s: status %d, want %d", payload, w.Code, want)
	}
}

func (f *fixture) drain(t *testing.T) {
	t.Helper()
	channeltest.Eventually(t, 10*time.Second, func() bool { return f.hub.Queued(bot.ChannelTelegram) == 0 }, "queue drained")
}

func readTestdata(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }
