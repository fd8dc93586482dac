package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

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
