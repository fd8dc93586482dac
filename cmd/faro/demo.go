package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/feedback"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/webchat"
	"github.com/faro-chat/faro/flows/content"
)

// demoOperator is the login of the demo operator `faro demo` creates.
const demoOperator = "demo"

// runDemo is `faro demo`: the whole of Faro on one laptop with no token and no Redis
// server: the web chat (a phone simulator) at / and the operator console at /operator,
// on an embedded Redis, with a demo operator whose password is printed at start.
func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := sourceFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (keep it on localhost: the demo has no TLS)")
	verbose := fs.Bool("v", false, "log debug lines too (never a message text or an address)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	d, err := newDemo(demoOptions{Sources: *src, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "faro demo: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		_ = d.Close(context.Background())
		fmt.Fprintf(stderr, "faro demo: %v\n", err)
		return 1
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "Faro demo, no tokens, no Redis server (everything is in memory and gone when it stops).\n\n")
	fmt.Fprintf(stdout, "  the person's phone:   %s/\n", base)
	fmt.Fprintf(stdout, "  operator console:     %s/operator   user %q, password %s\n\n", base, demoOperator, d.password)
	fmt.Fprintf(stdout, "Try «hola», «quiero hablar con una persona» or «me están pegando». Ctrl-C stops.\n")
	if err := d.serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "faro demo: %v\n", err)
		return 1
	}
	return 0
}

// demoOptions configures newDemo.
type demoOptions struct {
	Sources content.Sources
	Logger  *slog.Logger
	// Password of the demo operator ("": a random one).
	Password string
	// Secret keys the store's HMAC and sealing ("": a random one).
	Secret []byte
	// HashCost is the bcrypt cost of the demo operator's password (0: the console's
	// default); tests lower it.
	HashCost int
}

// demo is everything `faro demo` runs: the embedded Redis, the ticket store, the hub
// with the web chat, and one HTTP handler for the page and the console.
type demo struct {
	log        *slog.Logger
	rdb        redis.UniversalClient
	closeRedis func()
	content    *content.Content
	tickets    *handoff.Store
	feedback   *feedback.Store
	stats      *stats.Recorder // flushed every 2 s: the statistics page shows a demo's counts soon
	hub        *bot.Hub
	inbox      *bot.Dispatcher
	webchat    *webchat.Channel
	console    *console.Console
	mux        *http.ServeMux
	password   string
	secret     []byte
	hashCost   int
}

// newDemo assembles the demo, wired like `faro serve` (newServer): the ticket store
// (handoff.New) on the embedded Redis, the conversation with it (newDemoConversation),
// the hub, the dispatcher, the web chat on the hub, its routes, and the console
// (mountConsole). It listens on nothing; Handler serves it.
func newDemo(o demoOptions) (*demo, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	d := &demo{log: o.Logger, password: o.Password, secret: o.Secret, hashCost: o.HashCost}
	if d.password == "" {
		var b [9]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("demo password: %w", err)
		}
		d.password = base64.RawURLEncoding.EncodeToString(b[:])
	}
	if len(d.secret) == 0 {
		d.secret = make([]byte, 32)
		if _, err := rand.Read(d.secret); err != nil {
			return nil, fmt.Errorf("demo secret: %w", err)
		}
	}
	var err error
	if d.rdb, d.closeRedis, err = store.Embedded(); err != nil {
		return nil, err
	}
	fail := func(err error) (*demo, error) {
		d.closeRedis()
		return nil, err
	}
	if d.content, err = content.Load(o.Sources); err != nil {
		return fail(fmt.Errorf("load content: %w", err))
	}
	d.stats = stats.New(d.rdb, stats.Options{Interval: 2 * time.Second, Logger: d.log})
	if d.tickets, err = handoff.New(d.rdb, d.secret, handoff.Options{Stats: d.stats}); err != nil {
		return fail(err)
	}
	if d.feedback, err = feedback.New(d.rdb, d.secret, feedback.Options{}); err != nil {
		return fail(err)
	}
	conv, err := newDemoConversation(d.content, d.rdb, d.tickets, d.feedback, d.stats, d.secret, d.log)
	if err != nil {
		return fail(err)
	}
	d.hub = bot.NewHub(bot.HubConfig{Logger: d.log})
	d.inbox = bot.NewDispatcher(conv, d.hub, nil, d.log, 0)
	if d.webchat, err = webchat.New(webchat.Config{
		Texts: d.content.Texts, Places: webchat.Places(d.content.Directory), Logger: d.log,
	}, d.inbox); err != nil {
		return fail(err)
	}
	if err := d.hub.Add(d.webchat); err != nil {
		return fail(err)
	}
	d.mux = http.NewServeMux()
	for _, r := range d.webchat.Routes() {
		d.mux.Handle(r.Method+" "+r.Path, r.Handler)
	}
	d.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	if err := mountConsole(d.mux, d); err != nil {
		return fail(fmt.Errorf("operator console: %w", err))
	}
	return d, nil
}

// newDemoConversation is newConversation (faro serve) on already loaded content: Redis
// sessions, the ticket store for handoffs, and its presence for "is anyone online".
func newDemoConversation(ct *content.Content, rdb redis.UniversalClient, tickets *handoff.Store, fb bot.Feedback, st *stats.Recorder, secret []byte, log *slog.Logger) (*bot.Conversation, error) {
	conv, err := bot.NewConversation(bot.Config{Stats: st, Feedback: fb,
		Engine: ct.Engine, Texts: ct.Texts, Store: session.NewRedis(rdb, session.Options{Secret: secret}),
		Secret: secret, Logger: log, Tickets: tickets, OperatorsOnline: tickets.Online,
		Blocked: tickets.Blocked, // a person the operator blocks gets the numbers, no ticket
		OrgCode: ct.Directory.OrgCode,
	})
	if err != nil {
		return nil, fmt.Errorf("conversation: %w", err)
	}
	return conv, nil
}

// mountConsole mounts the operator console (bot/console) at /operator, with the demo
// operator (demoOperator, d.password) created in d.rdb as a coordinator; its replies
// go through d.hub with d.tickets. Its event streams end when the server shuts down.
func mountConsole(mux *http.ServeMux, d *demo) error {
	accounts := console.NewAccounts(d.rdb, "")
	if d.hashCost > 0 {
		accounts.WithCost(d.hashCost)
	}
	if _, err := accounts.Add(context.Background(), demoOperator, console.RoleCoordinator, d.password); err != nil {
		return fmt.Errorf("demo operator: %w", err)
	}
	maker, err := outreachMaker(config.Lookup(os.Getenv, "FARO_TELEGRAM_BOT_USERNAME"), config.Lookup(os.Getenv, "FARO_TWILIO_WHATSAPP_FROM"))
	if err != nil {
		return err
	}
	c, err := console.New(console.Config{Tickets: d.tickets, Hub: d.hub, Redis: d.rdb, Accounts: accounts,
		Texts: d.content.Texts, Directory: d.content.Directory, Engine: d.content.Engine,
		Outreach: maker, Orgs: d.content.Directory.Orgs(), Secure: false, Logger: d.log, Stats: d.stats, StatsOpenMonth: true,
		Feedback: d.feedback})
	if err != nil {
		return err
	}
	d.console = c
	mux.Handle(c.Base(), c.Handler())
	mux.Handle(c.Base()+"/", c.Handler())
	return nil
}

// Handler is the demo's HTTP handler: the web chat at /, the console at /operator.
func (d *demo) Handler() http.Handler { return d.mux }

// serve serves on ln until ctx ends, then stops: the event streams first (so the
// server can stop), the server, the hub's queue, Redis.
func (d *demo) serve(ctx context.Context, ln net.Listener) error {
	srv := newHTTPServer(d.mux, d.log, serveTimeouts)
	srv.RegisterOnShutdown(func() { _ = d.webchat.Close(context.Background()) })
	if d.console != nil {
		srv.RegisterOnShutdown(d.console.Close)
	}
	presenceCtx, stopPresence := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPresence()
	go func() { _ = d.tickets.Run(presenceCtx) }() // presence from memory, as in faro serve
	statsDone := make(chan struct{})
	go func() { d.stats.Run(presenceCtx); close(statsDone) }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := []error{serveErr}
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	stopPresence()
	<-statsDone // the last counts reach Redis before it stops
	errs = append(errs, d.Close(sctx))
	err := errors.Join(errs...)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close drains the hub (the web chat with it) and stops the embedded Redis.
func (d *demo) Close(ctx context.Context) error {
	err := d.hub.Close(ctx)
	d.closeRedis()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
