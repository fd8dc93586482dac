package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/erasejob"
	"github.com/faro-chat/faro/bot/feedback"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/metrics"
	"github.com/faro-chat/faro/bot/outbox"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/content"
)

// runServe is `faro serve`, the production entry point: the channels whose credentials
// are set, their webhooks, /healthz, /readyz and the console on one HTTP server,
// /metrics on another (FARO_METRICS_ADDR, loopback by default), and a
// graceful shutdown on SIGINT/SIGTERM that finishes the messages in flight and drains
// the outbound queues. Configuration comes from the environment only (see -h).
func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: faro serve   (configured by environment variables; secrets also from NAME_FILE)")
		fmt.Fprintln(stderr)
		for _, o := range config.Options {
			def := ""
			if o.Default != "" {
				def = " (default " + o.Default + ")"
			}
			secret := ""
			if o.Secret {
				secret = " [secret: also NAME_FILE]"
			}
			fmt.Fprintf(stderr, "  %-30s %s%s%s\n", o.Name, o.Help, def, secret)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, cfgErr := config.FromEnv()
	level := slog.LevelInfo
	if cfgErr == nil {
		level = logLevel(cfg.LogLevel)
	}
	// Everything `faro serve` writes to stderr is one JSON object a line, so that a log
	// collector can parse the whole stream: the configuration in effect is one
	// structured line (not a plain-text table), which keeps it where it is needed most,
	// in a container's logs, where stderr is not a terminal. Secrets are masked.
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	log.LogAttrs(ctx, slog.LevelInfo, "configuration", slog.Attr{Key: "config", Value: slog.GroupValue(config.Attrs(os.Getenv)...)})
	if cfgErr != nil {
		log.Error("configuration invalid", "error", cfgErr.Error())
		return 2
	}
	redis.SetLogger(redisLog{log})
	s, err := newServer(cfg, log, nil)
	if err != nil {
		log.Error("start failed", "error", err.Error())
		return 1
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		log.Error("listen failed", "error", err.Error())
		return 1
	}
	if err := s.run(ctx, ln); err != nil {
		log.Error("serve", "error", err.Error())
		return 1
	}
	return 0
}

// redisLog sends go-redis's own messages (failed dials, dropped connections: never a
// key or a value) to the JSON log as warnings instead of plain lines on stderr.
type redisLog struct{ log *slog.Logger }

// Printf implements go-redis's logging interface.
func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}

func logLevel(s string) slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(s))
	return l
}

// server is everything `faro serve` runs.
type server struct {
	cfg     *config.Config
	log     *slog.Logger
	rdb     redis.UniversalClient
	metrics *metrics.Metrics
	// stats adds up the statistics in memory; run flushes them every 10 s and at
	// shutdown.
	stats   *stats.Recorder
	hub     *bot.Hub
	tickets *handoff.Store
	// feedback keeps the community's reports (sealed, 7 days, no key of a person)
	feedback *feedback.Store
	tg       *telegram.Channel
	http     *http.Server
	outbox   *outbox.Store
	batch    *store.Batcher // the one batched writer
	// sessions are the people's sessions; they also keep the platform's ids of the
	// recent messages, which forgetter deletes at the platform after an erase.
	sessions  *session.Redis
	forgetter *bot.Forgetter
	// eraseJobs keep the forgetter's work in Redis, so that a crash does not lose it
	eraseJobs *erasejob.Store
	// metricsHTTP serves /metrics on cfg.MetricsAddr (nil: off); metricsLn is its
	// listener once listenMetrics ran.
	metricsHTTP *http.Server
	metricsLn   net.Listener
	// redisState is 0 before the first check, 1 reachable, 2 not (noteRedis).
	redisState atomic.Int32

	// content is what the conversation runs on (the reminder is rendered from it).
	content *content.Content
	// hours are the operators' office hours (nil: always open); notifier tells the
	// operators' Telegram group that a chat waits (nil: off).
	hours    *handoff.Hours
	notifier *handoff.Notifier
}

// newServer assembles the server from cfg: Redis, content, the hub that owns every
// outbound message, the conversation (with its tickets and counters) behind one
// dispatcher, the channels with credentials, and the HTTP routes. hc sends platform
// API requests (nil: apiHTTPClient); opts are for tests. It contacts nothing.
func newServer(cfg *config.Config, log *slog.Logger, hc *http.Client, opts ...serveOption) (*server, error) {
	var o serveOptions
	for _, opt := range opts {
		opt(&o)
	}
	rdb, err := store.Dial(cfg.RedisURL, cfg.RedisMode)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	secret := []byte(cfg.HMACSecret)
	// one batched writer for the process: session commits and reply-window writes of
	// every user share its pipelines
	s := &server{cfg: cfg, log: log, rdb: rdb, metrics: metrics.New(), batch: store.NewBatcher(rdb, 256, 500*time.Millisecond)}
	// the statistics ride on the same pipelines every 10 s
	s.stats = stats.New(rdb, stats.Options{Logger: log, Batcher: s.batch})
	if s.tickets, err = handoff.New(rdb, secret, handoff.Options{Stats: s.stats}); err != nil {
		return nil, err
	}
	if s.feedback, err = feedback.New(rdb, secret, feedback.Options{}); err != nil {
		return nil, err
	}
	if s.hours, err = cfg.OfficeHours(); err != nil {
		return nil, err
	}
	s.sessions = session.NewRedis(rdb, session.Options{Secret: secret, Batcher: s.batch})
	instance := cfg.Instance
	if instance == "" {
		instance, _ = os.Hostname()
	}
	if instance == "" {
		instance = "faro"
	}
	// the erase jobs: written by the erase's commit, claimed by another replica (or
	// this instance's next run) when the process working on one dies
	if s.eraseJobs, err = erasejob.New(rdb, secret, instance, erasejob.Options{}); err != nil {
		return nil, err
	}
	// the forgetter needs the hub, which comes after the conversation
	forget := func(f bot.Forgotten) { s.forgetter.Forget(f) }
	eraseJob := func(ctx context.Context, user string, f bot.Forgotten) (*session.Job, error) {
		return s.forgetter.Prepare(ctx, user, f)
	}
	conv, ct, err := newConversation(cfg, s.sessions, s.tickets, s.feedback, s.metrics, s.stats, log, s.hours, s.ticketOpened, forget, eraseJob)
	if err != nil {
		return nil, err
	}
	s.content = ct
	hubCfg := bot.HubConfig{Observer: s.metrics, Logger: log}
	if cfg.Outbox {
		if s.outbox, err = outbox.New(rdb, secret, instance, 0, s.batch); err != nil {
			return nil, err
		}
		hubCfg.Outbox = s.outbox
	}
	s.hub = bot.NewHub(hubCfg)
	if err := s.rotate(conv); err != nil {
		return nil, err
	}
	s.forgetter = bot.NewForgetter(bot.ForgetterConfig{Hub: s.hub, Texts: ct.Texts, Retry: o.eraseRetry, Events: s.metrics, Logger: log,
		Jobs: s.eraseJobs})
	keepCopy := func(channel string) func(addr, id string) {
		return func(addr, id string) {
			s.sessions.KeepCopy(store.UserKey(secret, channel, addr), id, bot.CopyKeep(channel), time.Now())
		}
	}
	if cfg.OperatorNotifyChat != 0 {
		text := ct.Texts.Text(ct.Engine.Langs()[0], "operator.notify", nil)
		s.notifier = handoff.NewNotifier(s.hub, cfg.OperatorNotifyChat, text, log)
	}
	inbox := bot.NewDispatcher(conv, s.hub, s.metrics, log, 0)
	if hc == nil {
		hc = apiHTTPClient()
	}
	if cfg.Telegram() {
		webhookSecret := cfg.TelegramWebhookSecret
		if cfg.TelegramMode == "polling" {
			webhookSecret = "" // no webhook route while polling
		}
		tg, err := telegram.New(telegram.Config{
			Token: cfg.TelegramToken, WebhookSecret: webhookSecret, APIURL: cfg.TelegramAPIURL, HTTPClient: hc,
			Retry: o.retry, Observer: s.metrics, Logger: log, KeepCopy: keepCopy(bot.ChannelTelegram),
		}, inbox)
		if err != nil {
			return nil, err
		}
		if err := s.hub.Add(tg); err != nil {
			return nil, err
		}
		s.tg = tg
	}
	if cfg.WhatsApp() {
		win := whatsapp.NewRedisWindow(rdb, func(addr string) string {
			return store.KeysOf("", store.UserKey(secret, bot.ChannelWhatsApp, addr)).Window()
		}, s.batch)
		win.OnError = func(err error) {
			log.Warn("whatsapp window not shared with other replicas", "error", err.Error())
		}
		if prev := s.cfg.HMACSecretPrevious; prev != "" { // a rotation: see rotate
			win.Previous = func(addr string) string {
				return store.KeysOf("", store.UserKey([]byte(prev), bot.ChannelWhatsApp, addr)).Window()
			}
		}
		win.Erased = func(addr, msgID string) (string, string) {
			return s.sessions.Tombstone(store.UserKey(secret, bot.ChannelWhatsApp, addr), msgID)
		}
		wa, err := whatsapp.New(whatsapp.Config{
			AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken, From: cfg.TwilioFrom,
			PublicURL: cfg.PublicURL, APIURL: cfg.TwilioAPIURL, HTTPClient: hc, Window: win,
			StatusCallbacks: cfg.TwilioStatusCallbacks, Retry: o.retry, Observer: s.metrics, Logger: log,
			KeepCopy: keepCopy(bot.ChannelWhatsApp),
		}, inbox)
		if err != nil {
			return nil, err
		}
		if err := s.hub.Add(wa); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	for _, ch := range s.hub.Channels() {
		for _, r := range ch.Routes() {
			route := strings.ReplaceAll(strings.Trim(r.Path, "/"), "/", "_")
			mux.Handle(r.Method+" "+r.Path, s.metrics.Instrument(route, r.Handler))
		}
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", s.ready)
	if cfg.MetricsAddr != "" {
		// Apart from the webhooks, on loopback by default: live counts tell when people
		// write, and nobody outside needs them.
		mm := http.NewServeMux()
		mm.Handle("GET /metrics", s.metrics.Handler())
		s.metricsHTTP = newHTTPServer(mm, log, serveTimeouts)
	}
	closeConsole, err := s.mountConsole(mux)
	if err != nil {
		return nil, err
	}
	s.http = newHTTPServer(mux, log, serveTimeouts)
	s.http.RegisterOnShutdown(closeConsole)
	return s, nil
}

// serveOptions are settings of newServer that no deployment changes: the fault tests
// shorten the send retries so that an hour's outage fits in seconds.
type serveOptions struct {
	retry      bot.RetryPolicy // zero: the channels' defaults
	eraseRetry bot.RetryPolicy // zero: bot.EraseRetry
}

// serveOption sets one of serveOptions.
type serveOption func(*serveOptions)

// withRetry sets the send retry policy of every channel.
func withRetry(p bot.RetryPolicy) serveOption {
	return func(o *serveOptions) { o.retry = p }
}

// withEraseRetry sets the retry policy of deletions at the platforms after an erase.
func withEraseRetry(p bot.RetryPolicy) serveOption {
	return func(o *serveOptions) { o.eraseRetry = p }
}

// httpTimeouts are the http.Server's connection deadlines.
type httpTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// serveTimeouts are `faro serve`'s. Read and Write stay server-wide, so that every
// ordinary request (a webhook, /metrics) has a deadline and a slow or stuck client
// cannot hold a connection. A long response such as a Server-Sent Events stream
// extends its own write deadline instead: before each event (or on a ticker) it calls
// extendStream, that is http.ResponseController.SetWriteDeadline on its connection.
// We chose this over per-handler deadlines (no server WriteTimeout and a deadline set
// in every handler) because a handler that forgets is then still bounded; only a
// stream opts out, and only for as long as it keeps extending. ReadTimeout does not
// cut a stream: net/http clears the read deadline once the request body is read. The
// wrappers between the server and a handler (metrics.Instrument) must implement
// Unwrap so the controller reaches the connection; they do.
var serveTimeouts = httpTimeouts{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 30 * time.Second, Idle: 120 * time.Second}

// newHTTPServer returns the server for h. net/http's own messages (TLS handshake
// errors, panics in handlers, superfluous WriteHeader calls) go to log as JSON
// warnings, not as plain lines on stderr.
func newHTTPServer(h http.Handler, log *slog.Logger, t httpTimeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// extendStream moves the write deadline of w's connection to d from now, for a
// handler that streams (Server-Sent Events) past the server's WriteTimeout: call it
// before each write. It fails with http.ErrNotSupported when a wrapper of w hides the
// connection (no Unwrap).
func extendStream(w http.ResponseWriter, d time.Duration) error {
	return http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}

// newConversation builds the conversation loop (bot.Conversation) on Redis sessions,
// with the ticket store for handoffs (its blocked list asked only of someone asking for
// a person), the store of the community's reports, the office hours, a hook for each ticket this replica opens,
// the metrics for its events, and what deletes the platform's copies after an erase.
// It returns the content it loaded too.
func newConversation(cfg *config.Config, sessions *session.Redis, tickets *handoff.Store, fb bot.Feedback, m *metrics.Metrics, st *stats.Recorder, log *slog.Logger,
	hours *handoff.Hours, opened func(context.Context), forget func(bot.Forgotten),
	eraseJob func(context.Context, string, bot.Forgotten) (*session.Job, error)) (*bot.Conversation, *content.Content, error) {
	src := content.Sources{FlowsDir: cfg.FlowsDir, LocalesDir: cfg.LocalesDir, DirectoryDir: cfg.DirectoryDir, Enabled: cfg.LocalesEnabled}
	if err := checkContent(src); err != nil {
		return nil, nil, err
	}
	ct, err := content.Load(src)
	if err != nil {
		return nil, nil, fmt.Errorf("load content: %w", err)
	}
	var settle func(user, msgID string)
	if cfg.Outbox {
		// a reply is owed from the commit until it is in the outbox (bot.Config.Settle)
		settle = sessions.Settle
	}
	conv, err := bot.NewConversation(bot.Config{
		Engine: ct.Engine, Texts: ct.Texts, Store: sessions, Forget: forget, EraseJob: eraseJob, Settle: settle,
		Secret: []byte(cfg.HMACSecret), Logger: log,
		Tickets: tickets, OperatorsOnline: tickets.Online, Events: m, Stats: st, Feedback: fb,
		OfficeHours: hours.At, Blocked: tickets.Blocked, TicketOpened: opened,
		OrgCode: ct.Directory.OrgCode, CacheSize: cfg.SessionCache,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("conversation: %w", err)
	}
	return conv, ct, nil
}

// ticketOpened tells the operators' group that a chat waits, when it is configured.
func (s *server) ticketOpened(ctx context.Context) {
	if s.notifier != nil {
		s.notifier.TicketOpened(ctx)
	}
}

// remind runs the reminders to people waiting long for an operator until ctx ends
// (FARO_HANDOFF_REMIND; 0 turns them off).
func (s *server) remind(ctx context.Context) {
	if s.cfg.HandoffRemind <= 0 {
		return
	}
	e, texts := s.content.Engine, s.content.Texts
	r := &handoff.Reminder{Store: s.tickets, Out: s.hub, After: s.cfg.HandoffRemind, Hours: s.hours, Logger: s.log,
		Message: func(lang string) bot.Outbound {
			m := flows.Render(texts, lang, e.HandoffWaitingReply(lang))
			return bot.Outbound{Text: m.Text, Buttons: m.Options}
		}}
	if err := r.Run(ctx); err != nil {
		s.log.Error("handoff reminders stopped", "error", err.Error())
	}
}

// checkContent refuses content from folders (FARO_FLOWS_DIR, FARO_LOCALES_DIR,
// FARO_DIRECTORY_DIR) that `faro check` rejects: a person would meet a raw key, a
// broken menu or an unsourced claim. The embedded content passed the same check in
// the build's tests, so it is not checked again at each start.
func checkContent(src content.Sources) error {
	if src.FlowsDir == "" && src.LocalesDir == "" && src.DirectoryDir == "" {
		return nil
	}
	problems := content.Check(src, time.Now())
	if n := content.Errors(problems); n > 0 {
		var first []string
		for _, p := range problems {
			if p.Severity == content.Error && len(first) < 5 {
				first = append(first, p.String())
			}
		}
		return fmt.Errorf("content: faro check finds %d errors (run it for all): %s", n, strings.Join(first, "; "))
	}
	return nil
}

// ready answers 200 when Redis answers a PING within 500 ms. A change between ready
// and not ready is logged once, with its cause.
func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
	defer cancel()
	err := s.rdb.Ping(ctx).Err()
	s.noteRedis(err)
	if err != nil {
		http.Error(w, "redis unreachable", http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ready\n")
}

// checkRedis pings Redis once at start, so that a wrong password or address is in the
// log at once with its cause, not only as failing requests.
func (s *server) checkRedis(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	s.noteRedis(s.rdb.Ping(ctx).Err())
}

// noteRedis logs a change of Redis's state (reachable or not) with the cause, once per
// change: an error from Redis names no password, only what failed.
func (s *server) noteRedis(err error) {
	state := int32(1)
	if err != nil {
		state = 2
	}
	if s.redisState.Swap(state) == state {
		return
	}
	if err == nil {
		s.log.Info("redis reachable")
		return
	}
	s.log.Error("redis unreachable", "error", err.Error(), "hint", redisHint(err))
}

// redisHint says what to check for the usual causes of a Redis error.
func redisHint(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "WRONGPASS"), strings.Contains(msg, "NOAUTH"), strings.Contains(msg, "invalid password"):
		return "authentication failed: check the user and password of FARO_REDIS_URL (or FARO_REDIS_URL_FILE) against the server's ACL or requirepass"
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"), strings.Contains(msg, "i/o timeout"),
		errors.Is(err, context.DeadlineExceeded):
		return "no answer: check the host and port of FARO_REDIS_URL and that redis-server runs and is reachable from here"
	case strings.Contains(msg, "tls"), strings.Contains(msg, "x509"):
		return "TLS failed: check rediss:// and the server's certificate"
	}
	return "see the error"
}

// resume queues the replies that the last run of this instance left in the outbox (a
// crash, or a shutdown that ran out of time). Without Redis it starts anyway.
func (s *server) resume(ctx context.Context) {
	if s.outbox == nil {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	pending, err := s.outbox.Pending(rctx)
	if err != nil {
		s.log.Warn("outbox not read: replies left by the last run are not resent", "error", err.Error())
		return
	}
	if len(pending) == 0 {
		return
	}
	n, err := s.hub.Resume(pending)
	if err != nil {
		s.log.Warn("some replies left by the last run were not resumed", "error", err.Error())
	}
	s.log.Info("resumed replies left by the last run", "count", n)
}

// listenMetrics binds the metrics address (once). A port in use is an error at start,
// not a silent absence of metrics.
func (s *server) listenMetrics() error {
	if s.metricsHTTP == nil || s.metricsLn != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("metrics listen: %w", err)
	}
	s.metricsLn = ln
	return nil
}

// run serves on ln until ctx ends, then shuts down: stop taking requests and let those
// in flight finish (their replies are queued), stop polling, drain every outbound queue.
func (s *server) run(ctx context.Context, ln net.Listener) error {
	var names []string
	for _, ch := range s.hub.Channels() {
		names = append(names, ch.Name())
	}
	s.resume(ctx)
	presenceCtx, stopPresence := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPresence()
	go s.keepPresence(presenceCtx)
	if s.outbox != nil {
		// beat, and take over the outboxes of replicas that died (a pod replaced under
		// another name never resumes its own)
		go s.outbox.Run(presenceCtx, func(items []bot.Stored) {
			n, err := s.hub.Resume(items)
			if err != nil {
				s.log.Warn("some replies of a stopped replica were not resumed", "error", err.Error())
			}
			s.log.Info("resumed replies a stopped replica left", "count", n)
		})
	}
	// renew the leases of the erase jobs at work, and take over those of processes
	// that died (at once: those this instance's previous run left)
	go s.forgetter.Run(presenceCtx)
	go s.remind(ctx) // stops when shutdown starts, before the hub closes
	statsCtx, stopStats := context.WithCancel(context.WithoutCancel(ctx))
	statsDone := make(chan struct{})
	go func() { s.stats.Run(statsCtx); close(statsDone) }()
	flushStats := func() { stopStats(); <-statsDone } // the last counts reach Redis
	defer flushStats()
	s.log.Info("faro serve started", "addr", ln.Addr().String(), "channels", names)
	go s.checkRedis(ctx)
	if s.tg != nil && s.cfg.TelegramSetWebhook && s.cfg.TelegramMode == "webhook" {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := s.tg.SetWebhook(sctx, s.cfg.PublicURL); err != nil {
			s.log.Error("setWebhook failed", "error", err.Error())
		}
		cancel()
	}
	if err := s.listenMetrics(); err != nil {
		return err
	}
	errc := make(chan error, 2)
	go func() { errc <- s.http.Serve(ln) }()
	if s.metricsLn != nil {
		go func() {
			if err := s.metricsHTTP.Serve(s.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("metrics server stopped", "error", err.Error())
			}
		}()
	}
	var polling sync.WaitGroup
	pollCtx, stopPolling := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPolling()
	if s.tg != nil && s.cfg.TelegramMode == "polling" {
		polling.Add(1)
		go func() {
			defer polling.Done()
			if err := s.tg.Poll(pollCtx); err != nil {
				s.log.Error("polling stopped", "error", err.Error())
			}
		}()
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	errs := []error{serveErr}
	if err := s.http.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	if s.metricsLn != nil {
		_ = s.metricsHTTP.Shutdown(sctx)
	}
	stopPolling()
	polling.Wait()
	// deletions at the platforms first: what could not be deleted is said through the hub
	if err := s.forgetter.Close(sctx); err != nil {
		errs = append(errs, err)
	}
	if err := s.hub.Close(sctx); err != nil {
		errs = append(errs, err)
	}
	if s.outbox != nil {
		s.outbox.Close() // the last writes (sent replies forgotten) reach Redis
	}
	flushStats()
	_ = s.batch.Flush(sctx) // and the last reply-window times
	if err := s.rdb.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close redis: %w", err))
	}
	err := errors.Join(errs...)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	s.log.Info("stopped", "clean", err == nil)
	return err
}

// keepPresence keeps the operators' presence in memory (handoff.Store.Run), so that
// no message pays a Redis call to learn whether someone can take a chat; when the
// subscription breaks (Redis restarted), it starts again after a pause, and meanwhile
// the store asks Redis, cached.
func (s *server) keepPresence(ctx context.Context) {
	for ctx.Err() == nil {
		if err := s.tickets.Run(ctx); err != nil {
			s.log.Warn("operator presence from Redis pub/sub interrupted", "error", err.Error())
		}
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

// apiHTTPClient is the client for platform APIs: keep-alive connections, enough of them
// per host for bursts, and bounded waits.
func apiHTTPClient() *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 70 * time.Second, // getUpdates long polls for 50 s
	}
	return &http.Client{Transport: t, Timeout: 70 * time.Second}
}
