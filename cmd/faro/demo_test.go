package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/webchat"
)

// TestDemoCommand runs `faro demo` on a free port: it prints the page's address and
// the demo operator's password, serves the page with its security headers, and stops
// cleanly on the signal.
func TestDemoCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
	}()
	re := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/operator\s+user "demo", password (\S+)`)
	var m []string
	for deadline := time.Now().Add(20 * time.Second); m == nil; {
		if m = re.FindStringSubmatch(stdout.String()); m != nil {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("faro demo exited %d: %s %s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address and password printed: %q", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(m[2]) < 10 {
		t.Errorf("weak demo password %q", m[2])
	}
	resp, err := http.Get(m[1] + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != webchat.CSP || !strings.Contains(string(body), `id="composer"`) {
		t.Fatalf("page: %d %v", resp.StatusCode, resp.Header)
	}
	// An open event stream does not keep the demo from stopping.
	req, _ := http.NewRequest(http.MethodGet, m[1]+webchat.EventsPath, nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("faro demo did not stop")
	}
	if strings.Contains(stderr.String(), m[2]) {
		t.Error("the password is in the log")
	}
}
