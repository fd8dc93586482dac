package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/metrics"
)

// startHTTP serves h with newHTTPServer (the production constructor) on loopback.
func startHTTP(t *testing.T, h http.Handler, log *slog.Logger, to httpTimeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, log, to)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// streamEvents is an SSE handler behind metrics.Instrument, as routes are mounted: n
// events gap apart, extending its write deadline by extend before each (0: never).
func streamEvents(n int, gap, extend time.Duration, problems chan<- string) http.Handler {
	return metrics.New().Instrument("events", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range n {
			if extend > 0 {
				if err := extendStream(w, extend); err != nil {
					problems <- "extend: " + err.Error()
					return
				}
			}
			if err := r.Context().Err(); err != nil {
				problems <- fmt.Sprintf("event %d: request context: %v", i, err)
				return
			}
			if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
				return // connection cut
			}
			if err := http.NewResponseController(w).Flush(); err != nil {
				return
			}
			time.Sleep(gap)
		}
	}))
}

// readEvents reads "data:" lines until the stream ends or breaks.
func readEvents(t *testing.T, url string) (events int, err error) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			events++
		}
	}
	return events, sc.Err()
}

// TestServeStreamOutlivesWriteTimeout: a stream that extends its own deadline runs for
// several times the server's read and write timeouts; one that does not is cut, so
// ordinary requests keep their deadline.
func TestServeStreamOutlivesWriteTimeout(t *testing.T) {
	to := httpTimeouts{ReadHeader: time.Second, Read: 250 * time.Millisecond, Write: 250 * time.Millisecond, Idle: time.Second}
	log := slog.New(slog.DiscardHandler)
	const n, gap = 8, 100 * time.Millisecond // 800 ms > 3 × 250 ms

	problems := make(chan string, n)
	url := startHTTP(t, streamEvents(n, gap, 250*time.Millisecond, problems), log, to)
	start := time.Now()
	got, err := readEvents(t, url)
	if err != nil || got != n {
		t.Fatalf("extending stream: %d of %d events, err %v", got, n, err)
	}
	if d := time.Since(start); d < 2*to.Write {
		t.Fatalf("stream lasted %s only; the test proves nothing", d)
	}
	select {
	case p := <-problems:
		t.Fatal(p)
	default:
	}

	url = startHTTP(t, streamEvents(n, gap, 0, problems), log, to)
	if got, _ := readEvents(t, url); got >= n {
		t.Errorf("a stream that does not extend its deadline got all %d events past the write timeout", got)
	}
}

// TestServeHTTPErrorLogIsJSON: net/http's own messages reach the JSON log as warnings.
func TestServeHTTPErrorLogIsJSON(t *testing.T) {
	buf := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(buf, nil))
	url := startHTTP(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		w.WriteHeader(http.StatusOK) // net/http: "superfluous response.WriteHeader call"
	}), log, serveTimeouts)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	out := strings.TrimSpace(buf.String())
	if !strings.Contains(out, "superfluous") {
		t.Fatalf("net/http's message not in the log: %q", out)
	}
	for line := range strings.SplitSeq(out, "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if rec["level"] != "WARN" {
			t.Errorf("level %v: %s", rec["level"], line)
		}
	}
}

// TestServeConfigLogLine: `faro serve` writes only JSON lines to stderr, the
// configuration among them as one line with secrets and the sender number masked, even
// when the configuration is invalid.
func TestServeConfigLogLine(t *testing.T) {
	for _, o := range config.Options {
		t.Setenv(o.Name, "")
		t.Setenv(o.Name+"_FILE", "")
	}
	const secret, from = "config-log-test-secret-0123", "whatsapp:+14155238886"
	t.Setenv("FARO_HMAC_SECRET", secret)
	t.Setenv("FARO_TWILIO_WHATSAPP_FROM", from) // no SID nor token: no channel, invalid
	var stderr strings.Builder
	code := runServe(context.Background(), nil, nil, io.Discard, &stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2 (no channel)", code)
	}
	out := strings.TrimSpace(stderr.String())
	for _, p := range []string{secret, "14155238886"} {
		if strings.Contains(out, p) {
			t.Errorf("stderr shows %q:\n%s", p, out)
		}
	}
	var cfgLine map[string]any
	msgs := []string{}
	for line := range strings.SplitSeq(out, "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		msgs = append(msgs, fmt.Sprint(rec["msg"]))
		if rec["msg"] == "configuration" {
			cfgLine = rec
		}
	}
	if len(msgs) != 2 || msgs[1] != "configuration invalid" {
		t.Errorf("lines %q, want configuration, configuration invalid", msgs)
	}
	if cfgLine == nil {
		t.Fatalf("no configuration line:\n%s", out)
	}
	c, _ := cfgLine["config"].(map[string]any)
	if c["FARO_LISTEN"] != ":8080 (default)" || c["FARO_HMAC_SECRET"] != "********" || c["FARO_TWILIO_WHATSAPP_FROM"] != "whatsapp:********" {
		t.Errorf("config %v", c)
	}
}
