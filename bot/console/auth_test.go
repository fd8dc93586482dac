package console

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot"
)

func TestLoginAndHeaders(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	b := f.browser()
	page := b.do(http.MethodGet, "/operator/login", nil)
	for name, want := range map[string]string{
		"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := page.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	csp := page.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if strings.Contains(page.body, "<script>") || strings.Contains(page.body, " style=") || strings.Contains(page.body, " onclick") {
		t.Error("the login page has inline script or style")
	}
	r := b.post("/operator/login", "account", "ana", "password", pw)
	if r.status != http.StatusSeeOther || location(r) != "/operator/" {
		t.Fatalf("login: %d %q", r.status, location(r))
	}
	var cookie string
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "faro_operator=") {
			cookie = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie on plain http with Secure off: %q", cookie)
	}
	q := b.do(http.MethodGet, "/operator/", nil)
	if q.status != http.StatusOK || !strings.Contains(q.body, "Personas en espera") {
		t.Fatalf("queue: %d\n%s", q.status, q.body)
	}
	if q.header.Get("Cache-Control") != "no-store" {
		t.Error("queue page cacheable")
	}
	if !strings.Contains(q.body, `<script src="/operator/static/console.js?v=`+f.console.version+`" defer></script>`) {
		t.Error("the queue page does not load the console script")
	}
	// The session keeps the operator online.
	if on, err := f.tickets.Operators(context.Background()); err != nil || len(on) != 1 || on[0] != "ana" {
		t.Errorf("operators online after login: %v %v", on, err)
	}
	// Logout ends the session and the presence.
	r = b.post("/operator/logout")
	if r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	if r := b.do(http.MethodGet, "/operator/", nil); r.status != http.StatusSeeOther || location(r) != "/operator/login" {
		t.Errorf("queue after logout: %d %q", r.status, location(r))
	}
	if on, _ := f.tickets.Operators(context.Background()); len(on) != 0 {
		t.Errorf("operators online after logout: %v", on)
	}
	entries, _ := f.console.Audit(context.Background(), 10)
	if len(entries) != 2 || entries[0].Action != "logout" || entries[1].Action != "login" || entries[1].Operator != "ana" {
		t.Errorf("audit: %+v", entries)
	}
}

func TestSecureCookies(t *testing.T) {
	f := newFixture(t)
	f.console.cfg.Secure = true
	pw := f.account("ana", RoleOperator)
	b := f.browser()
	r := b.do(http.MethodGet, "/operator/login", nil)
	r = b.post("/operator/login", "account", "ana", "password", pw)
	found := false
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "__Host-faro_operator=") {
			found = true
			for _, want := range []string{"HttpOnly", "Secure", "SameSite=Strict", "Path=/"} {
				if !strings.Contains(c, want) {
					t.Errorf("cookie %q lacks %s", c, want)
				}
			}
		}
	}
	if !found {
		t.Errorf("no __Host- session cookie: %v", r.header.Values("Set-Cookie"))
	}
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS when Secure")
	}
}

func TestWrongPasswordAndRateLimit(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	b := f.browser()
	for i := range limitPerAccount {
		r := b.login("ana", "not-the-password")
		if r.status != http.StatusUnauthorized || !strings.Contains(text(r.body), "Cuenta o contraseña incorrecta") {
			t.Fatalf("wrong password %d: %d", i, r.status)
		}
		if _, ok := b.cookies["faro_operator"]; ok {
			t.Fatal("a session after a wrong password")
		}
	}
	// The limit holds even for the right password now.
	r := b.login("ana", pw)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Demasiados intentos") {
		t.Fatalf("after %d failures: %d, want 429", limitPerAccount, r.status)
	}
	// Another account from the same address is not locked out by ana's failures,
	// until the address itself has failed too often.
	pw2 := f.account("bea", RoleOperator)
	if r := f.browser().login("bea", pw2); r.status != http.StatusSeeOther {
		t.Fatalf("another account: %d", r.status)
	}
	for i := range limitPerIP - limitPerAccount {
		f.browser().login("nobody"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x")
	}
	if r := f.browser().login("bea", pw2); r.status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures from one address: %d, want 429", limitPerIP, r.status)
	}
	// The counters live in Redis with a TTL: another replica sees them, and they lapse.
	keys, _ := f.rdb.Keys(context.Background(), f.prefix+"operator:fail:*").Result()
	if len(keys) == 0 {
		t.Fatal("no failure counters in Redis")
	}
	for _, k := range keys {
		if ttl := f.rdb.TTL(context.Background(), k).Val(); ttl <= 0 || ttl > limitWindow {
			t.Errorf("%s TTL %v", k, ttl)
		}
	}
}

func TestDisabledAccount(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	coordPW := f.account("coord", RoleCoordinator)
	ana := f.browser()
	ana.mustLogin("ana", pw)
	// An operator cannot disable anyone, nor read the audit log.
	if r := ana.post("/operator/accounts/coord/disable"); r.status != http.StatusForbidden {
		t.Errorf("operator disabling: %d, want 403", r.status)
	}
	if r := ana.do(http.MethodGet, "/operator/audit", nil); r.status != http.StatusForbidden {
		t.Errorf("operator reading the audit log: %d, want 403", r.status)
	}
	coord := f.browser()
	coord.mustLogin("coord", coordPW)
	if r := coord.do(http.MethodGet, "/operator/accounts", nil); r.status != http.StatusOK || !strings.Contains(r.body, "ana") {
		t.Fatalf("accounts page: %d", r.status)
	}
	if r := coord.post("/operator/accounts/ana/disable"); r.status != http.StatusSeeOther || !strings.Contains(location(r), "m=disabled") {
		t.Fatalf("disable: %d %q", r.status, location(r))
	}
	// Her open session ends at its next request; she cannot log in again.
	if r := ana.do(http.MethodGet, "/operator/", nil); r.status != http.StatusSeeOther || location(r) != "/operator/login" {
		t.Errorf("disabled operator's session: %d %q", r.status, location(r))
	}
	if r := f.browser().login("ana", pw); r.status != http.StatusForbidden || !strings.Contains(r.body, "desactivada") {
		t.Errorf("disabled login: %d", r.status)
	}
	a := coord.do(http.MethodGet, "/operator/audit", nil)
	if a.status != http.StatusOK || !strings.Contains(a.body, "desactivó una cuenta") {
		t.Errorf("audit page: %d\n%s", a.status, a.body)
	}
}

func TestCSRFRejected(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	user, id := f.open(bot.ChannelTelegram, "1001", "es", "general")
	b := f.browser()
	// The login form needs the token of its own page.
	b.do(http.MethodGet, "/operator/login", nil)
	if r := b.do(http.MethodPost, "/operator/login", url.Values{"account": {"ana"}, "password": {pw}}); r.status != http.StatusForbidden {
		t.Errorf("login without token: %d, want 403", r.status)
	}
	b.mustLogin("ana", pw)
	for _, form := range []url.Values{
		{"id": {id}},
		{"id": {id}, "csrf": {"0000000000000000000000000000000000000000000000000000000000000000"}},
		{"id": {id}, "csrf": {""}},
	} {
		if r := b.do(http.MethodPost, "/operator/chat/"+user+"/claim", form); r.status != http.StatusForbidden {
			t.Errorf("claim with csrf %q: %d, want 403", form.Get("csrf"), r.status)
		}
	}
	if got, _ := f.tickets.Get(context.Background(), user); got.State != "waiting" {
		t.Errorf("a rejected form changed the ticket: %+v", got)
	}
	if r := b.do(http.MethodPost, "/operator/logout", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("logout without token: %d, want 403", r.status)
	}
	// With the token it works.
	if r := b.post("/operator/chat/"+user+"/claim", "id", id); r.status != http.StatusSeeOther {
		t.Errorf("claim with token: %d", r.status)
	}
}

// TestConsoleLanguage: the console speaks the operator's browser language when it has
// it, Spanish otherwise.
func TestConsoleLanguage(t *testing.T) {
	f := newFixture(t)
	for accept, want := range map[string]string{
		"en-GB,en;q=0.9": "Log in to the console", "pt-BR,en;q=0.5": "Log in to the console",
		"": "Entrar a la consola", "fr": "Entrar a la consola", "es-PE": "Entrar a la consola",
	} {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/operator/login", nil)
		req.Header.Set("Accept-Language", accept)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		_, _ = io.Copy(b, res.Body)
		res.Body.Close()
		if !strings.Contains(b.String(), want) {
			t.Errorf("Accept-Language %q: want %q", accept, want)
		}
	}
}

// TestAccountsHashAtTheDefaultCost: passwords are hashed at bcrypt cost 12 unless a
// test lowers it (the tests of `faro operator` and serve do, for the race detector).
func TestAccountsHashAtTheDefaultCost(t *testing.T) {
	if c := NewAccounts(nil, "").cost; c != bcryptCost || bcryptCost < 12 {
		t.Errorf("NewAccounts hashes at cost %d (bcryptCost %d), want 12 or more", c, bcryptCost)
	}
}
