// Package console is the operator console: the web pages where the operators of a
// partner organization see who waits, take a chat, answer, send a service card in the
// person's language, and close it. Server-rendered html/template pages whose every
// action is a form that POSTs and redirects (they work without JavaScript), one small
// script for live updates by Server-Sent Events fed by handoff.Store.Subscribe (Redis
// pub/sub, so they cross replicas), accounts and sessions in Redis, CSRF tokens on
// every form, a strict Content-Security-Policy and an audit log of what operators did,
// never what they wrote. Operators see a pseudonym, never the person's address or key.
package console

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/outreach"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Tickets is what the console needs of the ticket store; *handoff.Store implements it.
type Tickets interface {
	Queue(ctx context.Context) ([]handoff.Summary, error)
	Get(ctx context.Context, user string) (handoff.Summary, error)
	Transcript(ctx context.Context, user string) ([]handoff.Entry, error)
	Claim(ctx context.Context, user, id, operator string) error
	Release(ctx context.Context, user, id, operator string) error
	Transfer(ctx context.Context, user, id, from, to string) error
	Reply(ctx context.Context, out handoff.Outbound, user, id, operator, msgID, text string) error
	Send(ctx context.Context, out handoff.Outbound, user, id, operator, msgID string, m bot.Outbound) error
	Note(ctx context.Context, user, id, operator, text string) error
	Close(ctx context.Context, out handoff.Outbound, user, id, operator, outcome string, bye *bot.Outbound) error
	Block(ctx context.Context, user, operator string) error
	Window(ctx context.Context, out handoff.Outbound, user string) (applies, open bool, until time.Time, err error)
	Subscribe(ctx context.Context) (<-chan handoff.Change, error)
	Heartbeat(ctx context.Context, operator string) error
	Offline(ctx context.Context, operator string) error
}

var _ Tickets = (*handoff.Store)(nil)

// Config configures the console. Tickets, Hub, Redis, Texts and Directory are required.
type Config struct {
	// Tickets is the ticket store (*handoff.Store).
	Tickets Tickets
	// Hub carries replies to the person (*bot.Hub), in order with the bot's own.
	Hub handoff.Outbound
	// Redis keeps accounts, sessions, login limits and the audit log.
	Redis redis.UniversalClient
	// Prefix of the console's Redis keys ("" is store.Prefix).
	Prefix string
	// Accounts is the account store (nil: NewAccounts(Redis, Prefix)).
	Accounts *Accounts
	// Texts is the person-facing catalog (content.Texts): service cards and the closing
	// message are rendered with it, in the person's language.
	Texts flows.Localizer
	// Directory answers the operator's service search (content.Directory).
	Directory flows.Directory
	// Engine gives the closing message (flows.Engine.HandoffClosedReply); may be nil.
	Engine *flows.Engine
	// UI is the console's own catalog (nil: locales.Console()): its pages, and the
	// canned answers in the person's language.
	UI *locales.Catalog
	// Base is the path the console is mounted at (default "/operator").
	Base string
	// Secure marks cookies Secure and names them __Host-; false only for plain-http
	// local use (faro demo on localhost).
	Secure bool
	// Location is the time zone times are shown in (default America/Lima).
	Location *time.Location
	// Heartbeat is how often an open console tells the store its operator is online
	// (default 20 s).
	Heartbeat time.Duration
	// Outreach makes the community organizations' links, QR codes and flyers that
	// coordinators download from the outreach page (nil: the page says what to
	// configure); Orgs are the organizations (directory.Directory.Orgs).
	Outreach *outreach.Maker
	Orgs     []directory.Org
	// Logger receives errors; never a message, an address or a name.
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Stats is read by the coordinators' statistics page (*stats.Recorder; nil: the
	// page says there are none).
	Stats Stats
	// StatsOpenMonth shows the month in progress too, and says so on the page: for
	// `faro demo` only, whose conversations are the tester's own. A month in progress
	// changes from one day to the next, so two readings of it can be subtracted:
	// `faro serve` never sets it.
	StatsOpenMonth bool
	// Feedback is the community's reports the coordinators read and mark handled
	// (*feedback.Store; nil: the page says there are none); Entries names the entry
	// each is about (nil: Directory, when it can, as *directory.Directory does).
	Feedback Feedback
	Entries  Entries
	// TrustedProxies are the reverse proxies in front of the console (Caddy, an
	// Ingress controller): only on a connection from one of them is the client's
	// address read from X-Forwarded-For, for the per-address login limit (see
	// clientAddr). nil trusts none: the connection's own address counts.
	TrustedProxies []netip.Prefix
}

// Console is the operator console. Mount Handler at Base.
type Console struct {
	cfg      Config
	rdb      redis.UniversalClient
	tickets  Tickets
	accounts *Accounts
	ui       *locales.Catalog
	uiLangs  []string // the languages of the console's pages (locales.ConsoleUI)
	prefix   string
	log      *slog.Logger
	now      func() time.Time
	tmpl     *template.Template
	static   fs.FS
	version  string // of the static files, in their URLs: cached long, never stale
	mux      *http.ServeMux

	closeOnce sync.Once
	done      chan struct{} // closed by Close: the event streams end
}

// New builds the console from cfg. It contacts nothing. Mounting it, as faro serve
// and faro demo do:
//
//	c, err := console.New(console.Config{Tickets: tickets, Hub: hub, Redis: rdb,
//		Texts: ct.Texts, Directory: ct.Directory, Engine: ct.Engine, Secure: false, Logger: log})
//	mux.Handle("/operator", c.Handler())
//	mux.Handle("/operator/", c.Handler())
//	srv.RegisterOnShutdown(c.Close)
//	password, err := c.Accounts().Add(ctx, "demo", console.RoleCoordinator, "") // "" = generated
func New(cfg Config) (*Console, error) {
	switch {
	case cfg.Tickets == nil:
		return nil, errors.New("console: no ticket store")
	case cfg.Hub == nil:
		return nil, errors.New("console: no hub")
	case cfg.Redis == nil:
		return nil, errors.New("console: no redis")
	case cfg.Texts == nil:
		return nil, errors.New("console: no texts")
	case cfg.Directory == nil:
		return nil, errors.New("console: no directory")
	}
	c := &Console{cfg: cfg, rdb: cfg.Redis, tickets: cfg.Tickets, prefix: cfg.Prefix, log: cfg.Logger, now: cfg.Now, done: make(chan struct{})}
	if c.prefix == "" {
		c.prefix = store.Prefix
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.cfg.Base == "" {
		c.cfg.Base = "/operator"
	}
	c.cfg.Base = "/" + strings.Trim(c.cfg.Base, "/")
	if c.cfg.Location == nil {
		loc, err := time.LoadLocation("America/Lima")
		if err != nil {
			loc = time.FixedZone("PET", -5*3600)
		}
		c.cfg.Location = loc
	}
	if c.cfg.Heartbeat <= 0 {
		c.cfg.Heartbeat = 20 * time.Second
	}
	c.accounts = cfg.Accounts
	if c.accounts == nil {
		c.accounts = NewAccounts(cfg.Redis, c.prefix)
	}
	c.ui = cfg.UI
	if c.ui == nil {
		ui, err := locales.Console()
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		c.ui = ui
	}
	c.uiLangs = locales.ConsoleUI(c.ui)
	tmpl, err := template.New("console").Funcs(template.FuncMap{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	c.tmpl = tmpl
	c.static, _ = fs.Sub(staticFS, "static")
	h := sha256.New()
	_ = fs.WalkDir(c.static, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(c.static, name)
			h.Write([]byte(name))
			h.Write(b)
		}
		return nil
	})
	c.version = hex.EncodeToString(h.Sum(nil)[:6])
	c.routes()
	return c, nil
}

// Accounts returns the account store, to create an operator (faro demo, faro operator).
func (c *Console) Accounts() *Accounts { return c.accounts }

// Base returns the path the console is mounted at ("/operator").
func (c *Console) Base() string { return c.cfg.Base }

// Handler serves the console under Base: mount it for Base and Base+"/".
func (c *Console) Handler() http.Handler { return c.mux }

// Close ends the open event streams (their browsers reconnect to another replica or
// after the restart), so that http.Server.Shutdown does not wait for them: register it
// with RegisterOnShutdown. The pages keep working.
func (c *Console) Close() {
	c.closeOnce.Do(func() { close(c.done) })
}

func (c *Console) routes() {
	b := c.cfg.Base
	m := http.NewServeMux()
	m.HandleFunc("GET "+b, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, b+"/", http.StatusSeeOther) })
	m.Handle("GET "+b+"/static/", c.secure(http.StripPrefix(b+"/static/", c.staticHandler()), false))
	m.Handle("GET "+b+"/login", c.secure(http.HandlerFunc(c.loginPage), true))
	m.Handle("POST "+b+"/login", c.secure(http.HandlerFunc(c.login), true))
	m.Handle("POST "+b+"/logout", c.secure(c.auth(c.logout, false), true))
	m.Handle("GET "+b+"/{$}", c.secure(c.auth(c.queuePage, false), true))
	m.Handle("GET "+b+"/queue", c.secure(c.auth(c.queueFragment, false), true))
	m.Handle("GET "+b+"/events", c.secure(c.auth(c.events, false), true))
	m.Handle("GET "+b+"/chat/{user}", c.secure(c.auth(c.chatPage, false), true))
	m.Handle("GET "+b+"/chat/{user}/live", c.secure(c.auth(c.chatFragment, false), true))
	m.Handle("POST "+b+"/chat/{user}/{action}", c.secure(c.auth(c.chatAction, false), true))
	m.Handle("GET "+b+"/audit", c.secure(c.auth(c.auditPage, true), true))
	m.Handle("GET "+b+"/accounts", c.secure(c.auth(c.accountsPage, true), true))
	m.Handle("GET "+b+"/stats", c.secure(c.auth(c.statsPage, true), true))
	m.Handle("GET "+b+"/stats.csv", c.secure(c.auth(c.statsCSV, true), true))
	m.Handle("POST "+b+"/accounts/{id}/disable", c.secure(c.auth(c.disableAccount, true), true))
	m.Handle("GET "+b+"/outreach", c.secure(c.auth(c.outreachPage, true), true))
	m.Handle("GET "+b+"/outreach/{org}/{file}", c.secure(c.auth(c.outreachFile, true), true))
	m.Handle("GET "+b+"/feedback", c.secure(c.auth(c.feedbackPage, true), true))
	m.Handle("POST "+b+"/feedback/{id}/handled", c.secure(c.auth(c.feedbackHandled, true), true))
	c.mux = m
}

// csp allows the console's own files only: no inline script or style, no frames.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// secure sets the security headers of every response; noStore also forbids caching
// (every page with a ticket on it).
func (c *Console) secure(h http.Handler, noStore bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if c.cfg.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if noStore {
			hd.Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

func (c *Console) staticHandler() http.Handler {
	files := http.FileServerFS(c.static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// URLs carry the files' version (?v=): a new build is a new URL.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// request is a logged-in operator's request.
type request struct {
	sess session
	me   Account
	lang string
}

// auth runs h for a logged-in operator with an enabled account (a coordinator when
// coordinator is set). A POST must carry the session's CSRF token: 403 otherwise.
// Without a session, a page redirects to the login and anything else is 401.
func (c *Console) auth(h func(http.ResponseWriter, *http.Request, *request), coordinator bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		lang := c.uiLang(r)
		s, err := c.loadSession(ctx, r)
		var me Account
		if err == nil {
			me, err = c.accounts.Get(ctx, s.Operator)
			if err == nil && me.Disabled {
				_ = c.endSession(ctx, s.Token)
				err = ErrDisabled
			}
		}
		if err != nil {
			if !errors.Is(err, errNoSession) && !errors.Is(err, ErrNoAccount) && !errors.Is(err, ErrDisabled) {
				c.fail(w, r, lang, err)
				return
			}
			if r.Method == http.MethodGet && r.Header.Get("Accept") != "text/event-stream" && r.Header.Get("X-Fragment") == "" {
				http.Redirect(w, r, c.cfg.Base+"/login", http.StatusSeeOther)
				return
			}
			http.Error(w, c.ui.Text(lang, "error.session", nil), http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if !validCSRF(r, s.CSRF) {
				http.Error(w, c.ui.Text(lang, "error.csrf", nil), http.StatusForbidden)
				return
			}
		}
		if coordinator && me.Role != RoleCoordinator {
			http.Error(w, c.ui.Text(lang, "error.forbidden", nil), http.StatusForbidden)
			return
		}
		h(w, r, &request{sess: s, me: me, lang: lang})
	})
}

// uiLang is the console's language for this operator: the first of her browser's
// languages the console has, else Spanish.
func (c *Console) uiLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if len(tag) >= 2 {
			base := strings.ToLower(tag[:2])
			for _, l := range c.uiLangs {
				if l == base {
					return l
				}
			}
		}
	}
	return locales.Reference
}

// fail answers 500 with a kind sentence and logs the error (never a text or address).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	c.log.ErrorContext(r.Context(), "operator console", "route", r.Pattern, "error", err.Error()) // the pattern, not the path: no store key
	http.Error(w, c.ui.Text(lang, "error.internal", nil), http.StatusInternalServerError)
}

// render executes the template name with p.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	var b strings.Builder
	if err := c.tmpl.ExecuteTemplate(&b, name, p); err != nil {
		c.fail(w, r, p.lang, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
