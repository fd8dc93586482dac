package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Login limits: failed attempts counted in Redis, so they hold across replicas.
const (
	limitWindow     = 15 * time.Minute
	limitPerAccount = 5  // failures per account per window
	limitPerIP      = 20 // failures per client address per window
)

// sessionTTL is how long a session lives after its last request.
const sessionTTL = 12 * time.Hour

// auditTTL and auditMax bound the audit log.
const (
	auditTTL = 90 * 24 * time.Hour
	auditMax = 10000
)

// hashed returns a hex SHA-256 of s: Redis holds no session token and no client address
// in the clear.
func hashed(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Console) limitKeys(account string, r *http.Request) []string {
	return []string{
		c.prefix + "operator:fail:account:" + hashed(account),
		c.prefix + "operator:fail:ip:" + hashed(clientAddr(r, c.cfg.TrustedProxies)),
	}
}

// clientAddr names the client whose failed logins a request counts against. It is
// the connection's address, unless that is a trusted proxy: then X-Forwarded-For is
// read from the right (each proxy appends the address it was connected from), past
// the trusted proxies, to the first address that is not one. That one was written by
// a trusted proxy; whatever is left of it, the client wrote, and is ignored, so a
// client cannot choose its bucket by sending the header itself. An entry that is not
// an address stops the walk at the proxy that wrote it. An IPv6 client counts by its
// /64, which one subscriber holds whole.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := ap.Addr().Unmap().WithZone("")
	if !isTrusted(addr, trusted) {
		return bucket(addr)
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = hop
		if !isTrusted(hop, trusted) {
			break
		}
	}
	return bucket(addr)
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one entry of X-Forwarded-For: an address, perhaps with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

// bucket is the address as counted: IPv4 whole, IPv6 by its /64.
func bucket(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// limited reports whether the account or the client address has failed too often.
func (c *Console) limited(ctx context.Context, account string, r *http.Request) (bool, error) {
	keys := c.limitKeys(account, r)
	v, err := c.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return false, fmt.Errorf("login limit: %w", err)
	}
	n := func(x any) int {
		s, _ := x.(string)
		var i int
		_, _ = fmt.Sscan(s, &i)
		return i
	}
	return n(v[0]) >= limitPerAccount || n(v[1]) >= limitPerIP, nil
}

// failed counts a failed login for the account and the client address.
func (c *Console) failed(ctx context.Context, account string, r *http.Request) error {
	pipe := c.rdb.Pipeline()
	for _, k := range c.limitKeys(account, r) {
		pipe.Incr(ctx, k)
		pipe.ExpireNX(ctx, k, limitWindow)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("login limit: %w", err)
	}
	return nil
}

// session is a logged-in operator.
type session struct {
	Token    string `json:"-"`
	Operator string `json:"op"`
	CSRF     string `json:"csrf"`
}

func (c *Console) sessionKey(token string) string {
	return c.prefix + "operator:session:" + hashed(token)
}

// newSession stores a session for operator and returns it.
func (c *Console) newSession(ctx context.Context, operator string) (session, error) {
	s := session{Token: randomToken(), Operator: operator, CSRF: randomToken()}
	b, _ := json.Marshal(s)
	if err := c.rdb.Set(ctx, c.sessionKey(s.Token), b, sessionTTL).Err(); err != nil {
		return session{}, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// errNoSession says the request has no valid session.
var errNoSession = errors.New("no session")

// loadSession returns the request's session and renews its TTL.
func (c *Console) loadSession(ctx context.Context, r *http.Request) (session, error) {
	ck, err := r.Cookie(c.cookieName())
	if err != nil || len(ck.Value) != 64 {
		return session{}, errNoSession
	}
	b, err := c.rdb.GetEx(ctx, c.sessionKey(ck.Value), sessionTTL).Bytes()
	if errors.Is(err, redis.Nil) {
		return session{}, errNoSession
	}
	if err != nil {
		return session{}, fmt.Errorf("session: %w", err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		return session{}, fmt.Errorf("session: %w", err)
	}
	s.Token = ck.Value
	return s, nil
}

func (c *Console) endSession(ctx context.Context, token string) error {
	if err := c.rdb.Del(ctx, c.sessionKey(token)).Err(); err != nil {
		return fmt.Errorf("session: %w", err)
	}
	return nil
}

// cookieName is the session cookie's name; "__Host-" binds a Secure cookie to this
// host and path / (browsers refuse it otherwise).
func (c *Console) cookieName() string {
	if c.cfg.Secure {
		return "__Host-faro_operator"
	}
	return "faro_operator"
}

func (c *Console) preCookieName() string {
	if c.cfg.Secure {
		return "__Host-faro_login"
	}
	return "faro_login"
}

func (c *Console) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.cfg.Secure, SameSite: http.SameSiteStrictMode,
	})
}

// validCSRF compares the form's token with want in constant time.
func validCSRF(r *http.Request, want string) bool {
	got := r.PostFormValue("csrf")
	return want != "" && len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// AuditEntry is one line of the audit log: who did what to which ticket, never what
// was written.
type AuditEntry struct {
	At        time.Time `json:"at"`
	Operator  string    `json:"op"`
	Action    string    `json:"action"`
	Pseudonym string    `json:"ticket,omitempty"`
	// Detail is an outcome, the operator a ticket went to, or a disabled account.
	Detail string `json:"detail,omitempty"`
}

func (c *Console) auditKey() string { return c.prefix + "operator:audit" }

// audit appends an entry to the audit log; a failure is logged, never shown.
func (c *Console) audit(ctx context.Context, operator, action, pseudonym, detail string) {
	b, _ := json.Marshal(AuditEntry{At: c.now().UTC(), Operator: operator, Action: action, Pseudonym: pseudonym, Detail: detail})
	pipe := c.rdb.Pipeline()
	pipe.LPush(ctx, c.auditKey(), b)
	pipe.LTrim(ctx, c.auditKey(), 0, auditMax-1)
	pipe.Expire(ctx, c.auditKey(), auditTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		c.log.WarnContext(ctx, "audit log not written", "action", action, "error", err.Error())
	}
}

// Audit returns the newest n entries of the audit log, newest first.
func (c *Console) Audit(ctx context.Context, n int) ([]AuditEntry, error) {
	raw, err := c.rdb.LRange(ctx, c.auditKey(), 0, int64(n-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	out := make([]AuditEntry, 0, len(raw))
	for _, s := range raw {
		var e AuditEntry
		if json.Unmarshal([]byte(s), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}
