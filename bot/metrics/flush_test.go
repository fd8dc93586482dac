package metrics

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A Server-Sent Events handler behind Instrument: the client reads the first flushed
// event while the handler is still waiting to write the second.
func TestMetricsInstrumentFlushes(t *testing.T) {
	m := New()
	gotFirst := make(chan struct{})
	handlerErr := make(chan string, 1)
	h := m.Instrument("events", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			handlerErr <- "writer is not an http.Flusher"
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: one\n\n")
		f.Flush()
		select {
		case <-gotFirst:
		case <-time.After(5 * time.Second):
			handlerErr <- "client did not see the first event before the handler returned"
			return
		}
		_, _ = io.WriteString(w, "data: two\n\n")
		f.Flush()
		handlerErr <- ""
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	readEvent := func() string {
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			b.WriteString(line)
			if err != nil || line == "\n" {
				return b.String()
			}
		}
	}
	if ev := readEvent(); ev != "data: one\n\n" {
		t.Fatalf("first event %q", ev)
	}
	close(gotFirst)
	if ev := readEvent(); ev != "data: two\n\n" {
		t.Errorf("second event %q", ev)
	}
	if msg := <-handlerErr; msg != "" {
		t.Fatal(msg)
	}
}

// http.ResponseController reaches the connection through the wrapper (Unwrap), so a
// streaming handler can flush and extend its write deadline.
func TestMetricsInstrumentResponseController(t *testing.T) {
	m := New()
	errs := make(chan error, 2)
	h := m.Instrument("events", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		_, _ = io.WriteString(w, "ok")
		errs <- rc.Flush()
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("response controller through Instrument: %v", err)
		}
	}
}
