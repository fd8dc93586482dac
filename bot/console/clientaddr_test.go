package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestClientAddr(t *testing.T) {
	proxies := prefixes(t, "127.0.0.0/8", "::1/128", "10.0.0.0/8")
	cases := []struct {
		name, peer string
		xff        []string
		trusted    []netip.Prefix
		want       string
	}{
		{"no proxy", "203.0.113.7:5123", nil, proxies, "203.0.113.7"},
		{"spoofed by a client that is no proxy", "203.0.113.7:5123", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"nothing trusted", "127.0.0.1:5123", []string{"198.51.100.1"}, nil, "127.0.0.1"},
		{"behind Caddy on this host", "127.0.0.1:5123", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"left of the proxy's entry is the client's own", "127.0.0.1:5123", []string{"6.6.6.6, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"two proxies: CDN-less ingress behind Caddy", "127.0.0.1:5123", []string{"6.6.6.6, 198.51.100.1, 10.1.2.3"}, proxies, "198.51.100.1"},
		{"several header lines", "127.0.0.1:5123", []string{"6.6.6.6", "198.51.100.1,10.1.2.3"}, proxies, "198.51.100.1"},
		{"port in an entry", "127.0.0.1:5123", []string{"198.51.100.1:4711"}, proxies, "198.51.100.1"},
		{"a proxy's header without the client", "127.0.0.1:5123", nil, proxies, "127.0.0.1"},
		{"garbage stops at the proxy", "127.0.0.1:5123", []string{"198.51.100.1, unknown"}, proxies, "127.0.0.1"},
		{"every hop a proxy: the farthest", "127.0.0.1:5123", []string{"10.9.9.9, 10.1.2.3"}, proxies, "10.9.9.9"},
		{"IPv6 by its /64", "[2001:db8:1:2:aaaa::1]:443", nil, proxies, "2001:db8:1:2::/64"},
		{"IPv6 client behind an IPv6 proxy", "[::1]:443", []string{"2001:db8:1:2:bbbb::9"}, proxies, "2001:db8:1:2::/64"},
		{"IPv4-mapped peer", "[::ffff:127.0.0.1]:5123", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodPost, "/operator/login", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddr(r, c.trusted); got != c.want {
			t.Errorf("%s: %q", c.name, got)
		}
	}
}

// loginFrom logs in as id with password, through a proxy that says the client is
// client (X-Forwarded-For; "" sends none), and returns the status of the POST. The
// test server's peer is always 127.0.0.1.
func loginFrom(t *testing.T, f *fixture, client, id, password string) int {
	t.Helper()
	send := func(req *http.Request) *http.Response {
		if client != "" {
			req.Header.Set("X-Forwarded-For", client)
		}
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/operator/login", nil)
	res := send(req)
	page, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	m := csrfField.FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("login page without a CSRF token: %d", res.StatusCode)
	}
	form := url.Values{"csrf": {m[1]}, "account": {id}, "password": {password}}
	req, _ = http.NewRequest(http.MethodPost, f.srv.URL+"/operator/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range res.Cookies() {
		req.AddCookie(ck)
	}
	res = send(req)
	_ = res.Body.Close()
	return res.StatusCode
}

// TestLoginLimitBehindAProxy: behind a trusted proxy every operator has a bucket of
// her own, so whoever guesses passwords from one address locks out that address
// only; a client that is not a trusted proxy cannot pick its bucket with the header.
func TestLoginLimitBehindAProxy(t *testing.T) {
	t.Run("trusted proxy", func(t *testing.T) {
		f := newFixture(t)
		f.console.cfg.TrustedProxies = prefixes(t, "127.0.0.0/8")
		pw := f.account("bea", RoleOperator)
		for i := range limitPerIP {
			if code := loginFrom(t, f, "203.0.113.7", "nadie"+strconv.Itoa(i), "x"); code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i, code)
			}
		}
		if code := loginFrom(t, f, "203.0.113.7", "bea", pw); code != http.StatusTooManyRequests {
			t.Errorf("the guessing address after %d failures: %d, want 429", limitPerIP, code)
		}
		if code := loginFrom(t, f, "198.51.100.1", "bea", pw); code != http.StatusSeeOther {
			t.Errorf("an operator elsewhere, through the same proxy: %d, want 303", code)
		}
	})
	t.Run("spoofed header from a client", func(t *testing.T) {
		f := newFixture(t)
		f.console.cfg.TrustedProxies = prefixes(t, "10.0.0.0/8") // the test's peer, 127.0.0.1, is not one
		pw := f.account("bea", RoleOperator)
		for i := range limitPerIP {
			// a new made-up address each time: it must not buy new attempts
			loginFrom(t, f, "198.51.100."+strconv.Itoa(i+1), "nadie"+strconv.Itoa(i), "x")
		}
		if code := loginFrom(t, f, "198.51.100.250", "bea", pw); code != http.StatusTooManyRequests {
			t.Errorf("after %d failures from one address with spoofed X-Forwarded-For: %d, want 429", limitPerIP, code)
		}
	})
}
