package main

import (
	"bufio"
	"context"
	"golang.org/x/crypto/bcrypt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/console"

	"github.com/faro-chat/faro/bot/store/storetest"
)

// TestServeMountsConsole: `faro serve` serves the operator console at /operator, with
// its security headers, and its event stream refuses a visitor without a session.
func TestServeMountsConsole(t *testing.T) {
	s := startServe(t, storetest.URL(t))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(s.base + "/operator")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/operator/" {
		t.Errorf("/operator: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = client.Get(s.base + "/operator/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="password"`) {
		t.Fatalf("/operator/login: %d", res.StatusCode)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	// FARO_PUBLIC_URL is https in these tests: the cookies are Secure, __Host- bound.
	if c := res.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "__Host-") || !strings.Contains(c, "Secure") {
		t.Errorf("login cookie %q", c)
	}
	req, _ := http.NewRequest(http.MethodGet, s.base+"/operator/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("events without a session: %d", res.StatusCode)
	}
}

// TestServeShutdownEndsConsoleStreams: an operator's open event stream does not hold
// up a graceful shutdown.
func TestServeShutdownEndsConsoleStreams(t *testing.T) {
	id, rdb := operatorEnv(t)
	pw, err := console.NewAccounts(rdb, "").WithCost(bcrypt.MinCost).Add(context.Background(), id, console.RoleOperator, "")
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, storetest.URL(t))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(s.base + "/operator/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	token := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(string(body))
	if token == nil {
		t.Fatal("no csrf token on the login page")
	}
	form := url.Values{"csrf": {token[1]}, "account": {id}, "password": {pw}}
	req, _ := http.NewRequest(http.MethodPost, s.base+"/operator/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, s.base+"/operator/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	for _, c := range res.Cookies() {
		if c.MaxAge >= 0 {
			req.AddCookie(c)
		}
	}
	stream, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", stream.StatusCode)
	}
	lines := bufio.NewScanner(stream.Body)
	for lines.Scan() && lines.Text() != ": ok" {
	}
	start := time.Now()
	s.stop(t)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %s with a console stream open", d)
	}
}
