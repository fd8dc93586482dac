package main

// The deployment proof (issue 15, item 4): real `faro serve` processes, built from
// this package, on one Redis behind a small round-robin reverse proxy, as on
// Kubernetes (a Service or an Ingress in front of a Deployment) or on two VPS behind
// Caddy, with fake Telegram and Twilio APIs shared by every replica (one platform).
// Processes, not in-process servers, because the point is SIGKILL: nothing of the
// killed replica runs on, no deferred function, no drain.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

// buildFaro builds the faro binary of this package into a temporary folder, with the
// race detector when the test binary has it (the packages are then in the build
// cache already, and a data race in a replica shows in its log).
func buildFaro(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build faro: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "faro")
	args := []string{"build", "-o", bin}
	if raceBuild() {
		args = append(args, "-race")
	}
	start := time.Now()
	out, err := exec.Command(goBin, append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built faro (race detector %v) in %s", raceBuild(), time.Since(start).Round(time.Millisecond))
	return bin
}

// raceBuild reports whether this test binary was built with -race.
func raceBuild() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// replica is one `faro serve` process.
type replica struct {
	name string // its FARO_INSTANCE
	base string // http://127.0.0.1:port
	cmd  *exec.Cmd
	// exited is closed when the process is gone; err is then its exit
	exited chan struct{}
	err    error
}

// cluster is Redis, the fake platforms and the replicas of one test, behind a proxy.
type cluster struct {
	t        *testing.T
	bin      string
	redisURL string
	secret   string
	tg, tw   *channeltest.FakeAPI
	logs     *channeltest.Logs // every replica's stderr
	proxy    *rrProxy
	front    *httptest.Server // the proxy, as the platforms and operators reach it
	run      string           // unique to the test: instance names
	mu       sync.Mutex
	replicas []*replica
}

// newCluster starts the fake platforms and the proxy (no replica yet) on redisURL.
func newCluster(t *testing.T, bin, redisURL string) *cluster {
	c := &cluster{t: t, bin: bin, redisURL: redisURL, secret: freshSecret(t), logs: &channeltest.Logs{},
		tg: channeltest.NewFakeAPI(t, channeltest.TelegramOK), tw: channeltest.NewFakeAPI(t, channeltest.TwilioOK),
		proxy: &rrProxy{}, run: canaryName(t)[6:]}
	c.front = httptest.NewServer(c.proxy)
	t.Cleanup(c.front.Close)
	t.Cleanup(func() {
		if strings.Contains(c.logs.String(), "DATA RACE") {
			t.Errorf("a replica reported a data race:\n%s", logLines(c.logs, "DATA RACE"))
		}
	})
	return c
}

// start runs a replica named instance (FARO_INSTANCE) with the outbox on, waits until
// it is ready, and puts it behind the proxy.
func (c *cluster) start(instance string) *replica {
	t := c.t
	t.Helper()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"FARO_LISTEN=127.0.0.1:0", "FARO_PUBLIC_URL=" + srvPublic, "FARO_REDIS_URL=" + c.redisURL,
		"FARO_HMAC_SECRET=" + c.secret, "FARO_SHUTDOWN_TIMEOUT=20s", "FARO_METRICS_ADDR=off",
		"FARO_TELEGRAM_TOKEN=" + srvTGToken, "FARO_TELEGRAM_WEBHOOK_SECRET=" + srvTGSecret, "FARO_TELEGRAM_API_URL=" + c.tg.URL,
		"FARO_TWILIO_ACCOUNT_SID=ACserve", "FARO_TWILIO_AUTH_TOKEN=" + srvTWToken,
		"FARO_TWILIO_WHATSAPP_FROM=whatsapp:+14155238886", "FARO_TWILIO_API_URL=" + c.tw.URL,
		// explicitly: another change makes it the default, this test must hold either way
		"FARO_OUTBOX=true", "FARO_INSTANCE=" + instance + "-" + c.run,
	}
	cmd := exec.Command(c.bin, "serve")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start faro serve: %v", err)
	}
	r := &replica{name: instance, cmd: cmd, exited: make(chan struct{})}
	addr := make(chan string, 1)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			_, _ = c.logs.Write(append(slices.Clip(line), '\n')) // a copy: line is the scanner's
			var e struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(line, &e) == nil && e.Msg == "faro serve started" {
				select {
				case addr <- e.Addr:
				default:
				}
			}
		}
	}()
	go func() { <-copied; r.err = cmd.Wait(); close(r.exited) }()
	t.Cleanup(func() { _ = r.stop(t) })
	select {
	case a := <-addr:
		r.base = "http://" + a
	case <-r.exited:
		t.Fatalf("faro serve %s exited at start: %v\n%s", instance, r.err, c.logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("faro serve %s did not start", instance)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool {
		res, err := http.Get(r.base + "/readyz")
		if err != nil {
			return false
		}
		_ = res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, "replica "+instance+" ready")
	c.mu.Lock()
	c.replicas = append(c.replicas, r)
	c.mu.Unlock()
	c.proxy.add(r.base)
	return r
}

// kill kills the replica with SIGKILL and waits for it to be gone; the proxy keeps
// its address (as a Service does until its endpoint is removed) and meets a refused
// connection there.
func (r *replica) kill() {
	_ = r.cmd.Process.Kill() // an error: it is gone already
	<-r.exited
}

// stop ends the replica as an orchestrator does (SIGTERM: it drains its queues) and
// returns its exit (nil for a clean stop; that of its death if it was killed).
func (r *replica) stop(t *testing.T) error {
	t.Helper()
	select {
	case <-r.exited:
		return r.err
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
		return r.err
	case <-time.After(40 * time.Second):
		t.Errorf("replica %s did not stop within 40 s of SIGTERM", r.name)
		r.kill()
		return errors.New("did not stop")
	}
}

// rrProxy is a round-robin reverse proxy like a Kubernetes Service or Caddy's
// reverse_proxy with several upstreams: each request goes to the next replica; a
// replica that refuses the connection (dead) is skipped, the request tried on the
// next one, as Caddy and nginx do (the request never reached it); a request that a
// replica took and never answered (killed in the middle) is answered 502, and the
// platform decides whether to deliver it again. It sets X-Forwarded-For.
type rrProxy struct {
	mu       sync.Mutex
	backends []*url.URL
	next     int
	// failedOver counts requests moved to another replica after a refused
	// connection; lost counts requests answered 502 after a replica took them, by
	// replica and path.
	failedOver atomic.Int64
	lost       map[string]int
	transport  http.RoundTripper
	once       sync.Once
}

// lostAt returns how many requests for path (all: "") the replica at base took and
// never answered.
func (p *rrProxy) lostAt(base, path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, v := range p.lost {
		b, pa, _ := strings.Cut(k, " ")
		if b == base && (path == "" || pa == path) {
			n += v
		}
	}
	return n
}

// lostTotal is lostAt summed over every replica.
func (p *rrProxy) lostTotal() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, v := range p.lost {
		n += v
	}
	return n
}

func (p *rrProxy) add(base string) {
	u, _ := url.Parse(base)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.backends = append(p.backends, u)
}

// remove takes base out of the rotation (an endpoint removed from the Service).
func (p *rrProxy) remove(base string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, u := range p.backends {
		if "http://"+u.Host == base {
			p.backends = append(p.backends[:i], p.backends[i+1:]...)
			return
		}
	}
}

// pick returns the replicas in the order to try them: the next one in turn first.
func (p *rrProxy) pick() []*url.URL {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.backends)
	out := make([]*url.URL, 0, n)
	for i := range n {
		out = append(out, p.backends[(p.next+i)%n])
	}
	p.next++
	return out
}

func (p *rrProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.once.Do(func() {
		p.transport = &http.Transport{DialContext: (&net.Dialer{Timeout: time.Second}).DialContext, MaxIdleConnsPerHost: 64}
	})
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	for _, target := range p.pick() {
		refused := false
		rp := &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				pr.SetXForwarded()
				pr.Out.Host = pr.In.Host
			},
			Transport: p.transport,
			ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
				var op *net.OpError
				if errors.As(err, &op) && op.Op == "dial" {
					refused = true
					return
				}
				p.mu.Lock()
				if p.lost == nil {
					p.lost = map[string]int{}
				}
				p.lost["http://"+target.Host+" "+r.URL.Path]++
				p.mu.Unlock()
				w.WriteHeader(http.StatusBadGateway)
			},
		}
		in := r.Clone(r.Context())
		in.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(w, in)
		if !refused {
			return
		}
		p.failedOver.Add(1)
	}
	p.mu.Lock()
	if p.lost == nil {
		p.lost = map[string]int{}
	}
	p.lost["none "+r.URL.Path]++ // counted against no replica: a test failure
	p.mu.Unlock()
	http.Error(w, "no replica answers", http.StatusBadGateway)
}

// TestReplicasBehindAProxy is the proof of issue 15: two `faro serve` processes on one
// Redis behind a round-robin proxy, with the outbox on. A webhook delivered to both is
// answered once; a handoff opened through one replica is answered from the console
// of the other; a replica killed with SIGKILL under load loses no message it accepted
// (restarted under its name, or replaced under another).
func TestReplicasBehindAProxy(t *testing.T) {
	bin := buildFaro(t)
	t.Run("shared", func(t *testing.T) {
		c := newCluster(t, bin, storetest.URL(t))
		a, b := c.start("a"), c.start("b")
		t.Run("same webhook to both replicas is answered once", func(t *testing.T) { testSameWebhookTwice(t, c, a, b) })
		t.Run("handoff through the proxy", func(t *testing.T) { testHandoffThroughProxy(t, c) })
	})
	t.Run("killed under load", func(t *testing.T) {
		t.Run("restarted under its name", func(t *testing.T) { t.Parallel(); testReplicaKilled(t, bin, false) })
		t.Run("replaced under another name", func(t *testing.T) { t.Parallel(); testReplicaKilled(t, bin, true) })
	})
}

// testSameWebhookTwice delivers one Telegram update and one Twilio message to both
// replicas at once, then again through the proxy (so to each in turn): one reply each.
// Telegram delivers an update again until it is answered 200, as the platform does.
func testSameWebhookTwice(t *testing.T, c *cluster, a, b *replica) {
	chat := strconv.Itoa(71000000 + mrand.IntN(1000000))
	phone := "+519" + strconv.Itoa(71000000+mrand.IntN(1000000))
	update := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":7,"date":%d,"from":{"id":%s,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":%s,"type":"private"},"text":"hola"}}`,
		mrand.IntN(1<<30), time.Now().Unix(), chat, chat)
	form := url.Values{"MessageSid": {fmt.Sprintf("SMtwice%025d", mrand.IntN(1<<30))}, "From": {"whatsapp:" + phone},
		"To": {"whatsapp:+14155238886"}, "Body": {"hola"}, "NumMedia": {"0"}}
	deliver := func(base string) (int, int) {
		// as Telegram does, an update answered with anything but 200 comes again: a
		// replica that finds it committed by the other, its replies maybe still on the
		// way, asks for that (bot.ErrOwedPending)
		tgCode := 0
		for try := 0; try < 30 && tgCode != http.StatusOK; try++ {
			if try > 0 {
				time.Sleep(200 * time.Millisecond)
			}
			req, _ := http.NewRequest(http.MethodPost, base+telegram.WebhookPath, strings.NewReader(update))
			req.Header.Set(telegram.SecretHeader, srvTGSecret)
			tgCode = do(t, req)
		}
		req, _ := http.NewRequest(http.MethodPost, base+whatsapp.WebhookPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(srvTWToken, srvPublic+whatsapp.WebhookPath, form))
		return tgCode, do(t, req)
	}
	var wg sync.WaitGroup
	codes := make([][2]int, 4)
	for i, base := range []string{a.base, b.base} { // at the same moment
		wg.Add(1)
		go func() { defer wg.Done(); codes[i][0], codes[i][1] = deliver(base) }()
	}
	wg.Wait()
	for i := 2; i < 4; i++ { // the platform's redeliveries, one to each replica in turn
		codes[i][0], codes[i][1] = deliver(c.front.URL)
	}
	for i, cc := range codes {
		if cc != [2]int{200, 200} {
			t.Errorf("delivery %d answered %v (telegram, whatsapp); want 200 for a replay too", i+1, cc)
		}
	}
	count := func() (int, int) {
		n, m := 0, 0
		for _, q := range c.tg.Delivered("sendMessage") {
			if q.Form["chat_id"] == chat {
				n++
			}
		}
		for _, q := range c.tw.Delivered("Messages.json") {
			if q.Form["To"] == "whatsapp:"+phone {
				m++
			}
		}
		return n, m
	}
	channeltest.Eventually(t, 10*time.Second, func() bool { n, m := count(); return n >= 1 && m >= 1 }, "a reply on each channel")
	time.Sleep(1500 * time.Millisecond) // time for a second reply, from either replica
	if n, m := count(); n != 1 || m != 1 {
		t.Errorf("replies to one message delivered four times to two replicas: telegram %d, whatsapp %d; want 1 each", n, m)
	}
}

// testHandoffThroughProxy: the person asks for a person; an operator, whose every
// request the proxy sends to the other replica than the last, sees the chat in the
// queue, takes it, answers; the answer reaches the person; her next message reaches
// the operator's live stream and chat page.
func testHandoffThroughProxy(t *testing.T, c *cluster) {
	rdb, err := store.Dial(c.redisURL, "single")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	id := "ope-" + c.run
	if _, err := console.NewAccounts(rdb, "").WithCost(4).Add(context.Background(), id, console.RoleOperator, "una-clave-larga-"+id); err != nil {
		t.Fatal(err)
	}
	op := &operatorClient{t: t, base: c.front.URL, cookies: map[string]string{}}
	op.do(http.MethodGet, "/operator/login", nil)
	if code, _ := op.post("/operator/login", "account", id, "password", "una-clave-larga-"+id); code != http.StatusSeeOther {
		t.Fatalf("login through the proxy: %d", code)
	}
	if code, _ := op.do(http.MethodGet, "/operator/", nil); code != http.StatusOK {
		t.Fatalf("queue through the proxy: %d", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := op.events(ctx)

	chat := strconv.Itoa(72000000 + mrand.IntN(1000000))
	say := func(text string) {
		t.Helper()
		body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":%d,"from":{"id":%s,"is_bot":false,"first_name":"A","language_code":"es"},"chat":{"id":%s,"type":"private"},"text":%q}}`,
			mrand.IntN(1<<30), time.Now().Unix(), chat, chat, text)
		req, _ := http.NewRequest(http.MethodPost, c.front.URL+telegram.WebhookPath, strings.NewReader(body))
		req.Header.Set(telegram.SecretHeader, srvTGSecret)
		if code := do(t, req); code != http.StatusOK {
			t.Fatalf("webhook through the proxy: %d", code)
		}
	}
	heard := func(what string) {
		t.Helper()
		select {
		case <-live:
		case <-time.After(10 * time.Second):
			t.Fatalf("the operator's live stream heard nothing of %s", what)
		}
	}
	say("quiero hablar con una persona")
	heard("the chat opened")
	user := store.UserKey([]byte(c.secret), bot.ChannelTelegram, chat)
	claim := regexp.MustCompile(`action="/operator/chat/` + user + `/claim".*?name="id" value="([0-9a-f]+)"`)
	var m []string
	channeltest.Eventually(t, 5*time.Second, func() bool {
		_, queue := op.do(http.MethodGet, "/operator/", nil)
		m = claim.FindStringSubmatch(queue)
		return m != nil
	}, "the chat in the queue")
	if code, _ := op.post("/operator/chat/"+user+"/claim", "id", m[1]); code != http.StatusSeeOther {
		t.Fatalf("take the chat: %d", code)
	}
	op.do(http.MethodGet, "/operator/chat/"+user, nil) // the page's CSRF token, on the other replica
	if code, _ := op.post("/operator/chat/"+user+"/reply", "id", m[1], "text", "Hola, te leo. ¿Estás a salvo?"); code != http.StatusSeeOther {
		t.Fatalf("reply: %d", code)
	}
	channeltest.Eventually(t, 10*time.Second, func() bool {
		for _, q := range c.tg.Delivered("sendMessage") {
			if q.Form["chat_id"] == chat && strings.Contains(q.Form["text"], "te leo") {
				return true
			}
		}
		return false
	}, "the operator's reply delivered to the person")
	for len(live) > 0 {
		<-live
	}
	say("sí, gracias, es por un papel")
	heard("her next message")
	for range 2 { // both replicas, in turn, show it
		if _, page := op.do(http.MethodGet, "/operator/chat/"+user, nil); !strings.Contains(page, "es por un papel") {
			t.Errorf("the chat page lacks her message")
		}
	}
}

// testReplicaKilled: many people write through the proxy to replicas a and b; b is
// killed with SIGKILL a second and a half into the run; the platforms deliver again
// what b took and never answered (Telegram does; Twilio does not, and such a message
// is counted apart: it was never accepted). Then b is either started again under its
// name (systemd's Restart=, kubelet restarting the container), which resends what its
// outbox held, or replaced by c under another name (a pod rescheduled), and a or c
// claims b's outbox once b has missed its heartbeats (bot/outbox: Grace). Every
// message answered 200 must get its reply, or the apology with the emergency numbers;
// a reply may come twice only if it was resent from b's outbox (b had sent it, and
// died before its deletion was written).
func testReplicaKilled(t *testing.T, bin string, replaced bool) {
	redis := storetest.Own(t)
	c := newCluster(t, bin, redis.URL())
	c.start("a")
	b := c.start("b")
	r := &faultRun{t: t, redis: redis, srv: &served{base: c.front.URL, tg: c.tg, tw: c.tw, logs: c.logs},
		secret: c.secret, canary: canaryName(t), client: &http.Client{Timeout: 30 * time.Second}}
	base := 73000000 + mrand.IntN(1000000)*100
	const perChannel = 20
	for i := range 2 * perChannel {
		p := &person{channel: bot.ChannelTelegram, addr: strconv.Itoa(base + i)}
		if i%2 == 1 {
			p.channel, p.addr = bot.ChannelWhatsApp, "+519"+strconv.Itoa(base+i)
		}
		p.script = []string{"hola", "auxilio", "menu", "1", "menu", "10", "2", r.canary}
		r.people = append(r.people, p)
	}
	ctx := context.Background()
	rc := redis.Client()
	outboxItems := func() int {
		n := 0
		keys, _ := rc.Keys(ctx, "*outbox*").Result()
		for _, k := range keys {
			if rc.Type(ctx, k).Val() == "hash" {
				n += int(rc.HLen(ctx, k).Val())
			}
		}
		return n
	}
	// The people write for some four seconds. A second and a half in, b hangs (SIGSTOP,
	// as a process stalled on a full node, or one the liveness probe is about to
	// kill): what the proxy sends it meanwhile waits, some of it half handled; half a
	// second later b is killed (SIGKILL) with those requests unanswered.
	//
	// For the second and a half before the kill the platforms answer every send 429
	// (retry after a second), so that b surely dies with replies in its outbox, not
	// yet delivered: without it, most runs leave it (nearly) empty and prove nothing
	// about it.
	burst := make(chan struct{})
	go func() { defer close(burst); r.burst(300 * time.Millisecond) }()
	time.Sleep(500 * time.Millisecond)
	busy := func(q channeltest.Request) (channeltest.Response, bool) {
		switch q.Method {
		case "sendMessage":
			return channeltest.TelegramError(429, 1), true
		case "Messages.json":
			resp := channeltest.TwilioError(429, 20429)
			resp.Header = map[string]string{"Retry-After": "1"}
			return resp, true
		}
		return channeltest.Response{}, false
	}
	c.tg.SetFault(busy)
	c.tw.SetFault(busy)
	time.Sleep(time.Second)
	_ = b.cmd.Process.Signal(syscall.SIGSTOP)
	time.Sleep(500 * time.Millisecond)
	b.kill()
	killedAt := time.Now()
	c.tg.SetFault(nil)
	c.tw.SetFault(nil)
	// What the outboxes hold as b dies (a's included), for the log.
	atKill := outboxItems()
	if replaced {
		c.proxy.remove(b.base) // the endpoint leaves the Service
		c.start("c")
	} else {
		time.Sleep(time.Second)
		c.proxy.remove(b.base)
		c.start("b") // same FARO_INSTANCE
	}
	<-burst
	// Replies: a replaced replica's outbox is claimed after bot/outbox's Grace (30 s)
	// and a beat or two more.
	deadline := time.Now().Add(75 * time.Second)
	for time.Now().Before(deadline) {
		missing := 0
		for _, p := range r.people {
			if len(r.replies(p)) < len(p.accepted) {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("every accepted message had a reply %s after the kill", time.Since(killedAt).Round(100*time.Millisecond))
	time.Sleep(time.Second) // duplicates, if any, are paced a second apart
	c.mu.Lock()
	all := append([]*replica(nil), c.replicas...)
	c.mu.Unlock()
	for _, rep := range all {
		if rep == b {
			continue
		}
		if err := rep.stop(t); err != nil {
			t.Errorf("replica %s stopped with %v", rep.name, err)
		}
	}

	resumed := 0
	for _, l := range strings.Split(c.logs.String(), "\n") {
		var e struct {
			Msg   string `json:"msg"`
			Count int    `json:"count"`
		}
		if json.Unmarshal([]byte(l), &e) == nil && strings.HasPrefix(e.Msg, "resumed replies") {
			resumed += e.Count
		}
	}
	var accepted, replies, silent, extra, whatsapp5xx, gaveUp, resent, noNumbers int
	for _, p := range r.people {
		got := r.replies(p)
		accepted += len(p.accepted)
		replies += len(got)
		silent += max(0, len(p.accepted)-len(got))
		extra += max(0, len(got)-len(p.accepted))
		whatsapp5xx += p.lost5xx
		gaveUp += p.gaveUp
		resent += p.resent
		if slices.Contains(p.accepted, "auxilio") && !strings.Contains(strings.Join(got, "\n"), "105") {
			noNumbers++
		}
	}
	t.Logf("people %d, messages accepted %d, replies %d; silent drops %d, replies beyond one a message %d (outbox items at the kill %d, resumed or claimed %d); "+
		"telegram redeliveries %d; whatsapp answered 5xx (in flight at the kill, not accepted) %d; proxy: failed over %d, answered 502 %d",
		len(r.people), accepted, replies, silent, extra, atKill, resumed, resent, whatsapp5xx, c.proxy.failedOver.Load(), c.proxy.lostTotal())
	// b may have saved a message as handled (the commit reached Redis, perhaps while b
	// was frozen) and died before its reply reached the outbox: the commit left the
	// reply owed, and the platform's redelivery is answered again (not dropped).
	owed := strings.Count(c.logs.String(), `"msg":"redelivered message answered again`)
	t.Logf("redeliveries answered again from an owed record: %d", owed)
	if silent != 0 {
		var who []string
		for _, p := range r.people {
			if got := r.replies(p); len(got) < len(p.accepted) {
				who = append(who, fmt.Sprintf("%s: %d accepted, %d replies", p.channel, len(p.accepted), len(got)))
			}
		}
		t.Errorf("%d messages answered 200 never got a reply (%s); failed sends: %s; redeliveries dropped as duplicates: %s",
			silent, strings.Join(who, "; "), logLines(c.logs, `"msg":"send failed"`), logLines(c.logs, `"msg":"duplicate message dropped"`))
	}
	if extra > resumed+owed {
		t.Errorf("%d replies too many, more than the %d resent from the killed replica's outbox and the %d answered again", extra, resumed, owed)
	}
	if resumed == 0 {
		t.Error("no reply of the killed replica was resumed or claimed: the test proved nothing about its outbox")
	}
	if gaveUp != 0 {
		t.Errorf("%d Telegram updates never accepted after 30 deliveries", gaveUp)
	}
	// Every request lost was in the killed replica's hands; Faro itself never
	// answered a WhatsApp message 5xx (Twilio would not deliver it again).
	if n := c.proxy.lostTotal() - c.proxy.lostAt(b.base, ""); n != 0 {
		t.Errorf("%d requests lost by the proxy at replicas that were not killed, or with no replica to take them", n)
	}
	if inB := c.proxy.lostAt(b.base, whatsapp.WebhookPath); whatsapp5xx > inB {
		t.Errorf("%d WhatsApp messages answered 5xx, %d of them lost in the killed replica: the others were answered 5xx by Faro", whatsapp5xx, inB)
	}
	if noNumbers != 0 {
		t.Errorf("%d people who asked for help got no emergency numbers", noNumbers)
	}
	for _, p := range r.people {
		p.lost5xx = 0 // counted above; audit does not read them
	}
	r.audit()
}
