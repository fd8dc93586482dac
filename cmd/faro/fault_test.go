package main

// The fault suite (issue 12, item 8): the real `faro serve` (newServer and run, as in
// startServe) on a redis-server process each test owns, with fake platform APIs,
// while many people write at once and something breaks: Redis frozen (SIGSTOP) or
// killed and restarted, the platform answering 429, 5xx, hanging, resetting
// connections or down for a long outage, the CPU scarce. Each test then asserts what
// a person must be able to count on:
//
//   - no silent drop: every message the webhook answered 200 got a reply delivered to
//     that chat (its real reply, or the apology with the emergency numbers);
//   - no duplicate: no chat got more real replies than it had messages accepted (a
//     replay of a message that got the apology may be answered again);
//   - a message that asked for help got the emergency numbers;
//   - WhatsApp never answered 5xx (Twilio does not deliver it again);
//   - privacy: every Redis key has a TTL; the canary a person typed (her name) is in
//     no key, no value and no log line, nor is any chat id or phone number; nothing
//     remains of a person who erased her data (her erase's job, and her name in the index
//     of jobs, included); the outbox is empty once drained.
//
// Telegram is played as Telegram behaves: an update answered with anything but 200
// (or not answered) is delivered again, with the same update_id.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
)

// faultRun is one fault test: its Redis, its server, its people.
type faultRun struct {
	t      *testing.T
	redis  *storetest.Proc
	srv    *served
	secret string
	// canary is what each person types as her name: unique to the test, it must
	// never be found in Redis or in the logs.
	canary string
	people []*person
	client *http.Client
	nextID atomic.Int64
	// replays is the share of messages the platform delivers a second time after
	// their 200.
	replays float64
	// replayErase delivers every erase confirmation a second time.
	replayErase bool
}

// person is one simulated user and what happened to her messages.
type person struct {
	channel string
	addr    string // Telegram chat id, or WhatsApp number (+51…)
	script  []string
	erases  bool

	mu       sync.Mutex
	accepted []string // the texts answered 200, in order
	ids      []string // their platform message ids
	lost5xx  int      // WhatsApp messages answered 5xx (Twilio does not resend)
	gaveUp   int      // Telegram updates never answered 200 after many deliveries
	resent   int      // Telegram deliveries again after an answer other than 200
	replayed int      // messages delivered again after their 200 (must get no reply)
	// replayFailed counts replays answered other than 200 (a replay is a duplicate:
	// it must be taken and dropped)
	replayFailed int
	maxWait      time.Duration
}

// faultOptions shape a run.
type faultOptions struct {
	perChannel int             // people on each channel
	retry      bot.RetryPolicy // send retries (zero: the defaults)
	env        []string        // more FARO_* settings
	erasers    int             // people on each channel who erase their data at the end
	replays    float64         // share of messages delivered again after their 200
	// replayErase delivers every erase confirmation again after its 200.
	replayErase bool
}

// startFault starts a Redis the test owns and `faro serve` on it.
func startFault(t *testing.T, o faultOptions) *faultRun {
	t.Helper()
	r := &faultRun{t: t, redis: storetest.Own(t), secret: freshSecret(t), canary: canaryName(t),
		client: &http.Client{Timeout: 30 * time.Second}, replays: o.replays, replayErase: o.replayErase}
	var opts []serveOption
	if o.retry != (bot.RetryPolicy{}) {
		opts = append(opts, withRetry(o.retry))
	}
	env := append([]string{"FARO_HMAC_SECRET", r.secret, "FARO_SHUTDOWN_TIMEOUT", "20s"}, o.env...)
	r.srv = startServeWith(t, r.redis.URL(), opts, env...)
	// go-redis's own messages (failed dials) go to the run's log, as in runServe, so
	// the audit reads them too.
	redis.SetLogger(redisLog{slog.New(slog.NewJSONHandler(r.srv.logs, nil))})
	t.Cleanup(func() { redis.SetLogger(stderrRedisLog{log.New(os.Stderr, "redis: ", log.LstdFlags)}) })
	base := 70000000 + mrand.IntN(1000000)*100
	for i := range 2 * o.perChannel {
		p := &person{channel: bot.ChannelTelegram, addr: strconv.Itoa(base + i)}
		if i%2 == 1 {
			p.channel, p.addr = bot.ChannelWhatsApp, "+519"+strconv.Itoa(base+i)
		}
		// A call for help; the menu and its emergency numbers; then Más opciones → name
		// → her name (the canary), late in the script so that it is taken after the
		// faults of the first half (a Redis restarted empty forgets where she was).
		p.script = []string{"hola", "auxilio", "menu", "1", "menu", "10", "2", r.canary}
		if i/2 < o.erasers {
			p.erases = true
			p.script = append(p.script, "borrar", "1")
		}
		r.people = append(r.people, p)
	}
	return r
}

// stderrRedisLog is go-redis's default logger again (plain lines on stderr), for the
// tests after a fault test.
type stderrRedisLog struct{ l *log.Logger }

// Printf implements go-redis's logging interface.
func (s stderrRedisLog) Printf(_ context.Context, format string, v ...any) { s.l.Printf(format, v...) }

// canaryName returns a name nobody else types: letters only, so the flow takes it.
func canaryName(t *testing.T) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	s := "Kanari"
	for _, c := range b {
		s += string(rune('a' + int(c)%26))
	}
	return s
}

// burst has every person play her script at once, one message after the other's
// answer, with a short pause between; it returns when all are done.
func (r *faultRun) burst(pause time.Duration) { r.burstPart(pause, 0, -1) }

// burstPart is burst of the messages from index from to index to (-1: the end) of
// each script: a test plays the first part while something breaks, the rest once it
// has recovered.
func (r *faultRun) burstPart(pause time.Duration, from, to int) {
	var wg sync.WaitGroup
	for _, p := range r.people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(mrand.Int64N(int64(pause) + 1)))
			part := p.script[from:]
			if to >= 0 {
				part = p.script[from:to]
			}
			for _, text := range part {
				r.send(p, text)
				time.Sleep(pause/2 + time.Duration(mrand.Int64N(int64(pause)+1)))
			}
		}()
	}
	wg.Wait()
}

// send delivers one message as the platform would, and records its fate.
func (r *faultRun) send(p *person, text string) {
	id := r.nextID.Add(1)
	start := time.Now()
	var build func() *http.Request
	msgID := strconv.FormatInt(id, 10)
	if p.channel == bot.ChannelTelegram {
		chat, _ := strconv.ParseInt(p.addr, 10, 64)
		body, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
			"message_id": id, "date": time.Now().Unix(), "text": text,
			"from": map[string]any{"id": chat, "is_bot": false, "first_name": "A", "language_code": "es"},
			"chat": map[string]any{"id": chat, "type": "private"}}})
		build = func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, r.srv.base+telegram.WebhookPath, bytes.NewReader(body))
			req.Header.Set(telegram.SecretHeader, srvTGSecret)
			return req
		}
	} else {
		msgID = fmt.Sprintf("SM%032d", id)
		f := url.Values{"MessageSid": {msgID}, "From": {"whatsapp:" + p.addr},
			"To": {"whatsapp:+14155238886"}, "Body": {text}, "NumMedia": {"0"}}
		build = func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, r.srv.base+whatsapp.WebhookPath, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(whatsapp.SignatureHeader, whatsapp.Sign(srvTWToken, srvPublic+whatsapp.WebhookPath, f))
			return req
		}
	}
	for attempt := 1; ; attempt++ {
		if r.post(build()) == http.StatusOK {
			p.record(text, msgID, start)
			break
		}
		p.mu.Lock()
		if p.channel == bot.ChannelWhatsApp { // Twilio does not deliver it again
			p.lost5xx++
			p.mu.Unlock()
			return
		}
		p.resent++
		if attempt == 30 {
			p.gaveUp++
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
	}
	// A platform sometimes delivers a message again although it was answered (its
	// own timeout, a retry after a network error): the replay must get no reply. (Not
	// the confirmation of an erase: see TestFaultReplayedErase.)
	p.mu.Lock()
	confirm := p.erases && len(p.accepted) == len(p.script)
	p.mu.Unlock()
	if confirm && r.replayErase || !confirm && mrand.Float64() < r.replays {
		status := r.post(build())
		p.mu.Lock()
		p.replayed++
		if status != http.StatusOK {
			p.replayFailed++
		}
		p.mu.Unlock()
	}
}

// post sends a webhook and returns its status (0 when it got no answer).
func (r *faultRun) post(req *http.Request) int {
	resp, err := r.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func (p *person) record(text, id string, start time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accepted = append(p.accepted, text)
	p.ids = append(p.ids, id)
	p.maxWait = max(p.maxWait, time.Since(start))
}

// replies returns the replies the fake platform APIs took for p, in order.
func (r *faultRun) replies(p *person) []string {
	var out []string
	if p.channel == bot.ChannelTelegram {
		for _, q := range r.srv.tg.Delivered("sendMessage") {
			if q.Form["chat_id"] == p.addr {
				out = append(out, q.Form["text"])
			}
		}
		return out
	}
	for _, q := range r.srv.tw.Delivered("Messages.json") {
		if q.Form["To"] == "whatsapp:"+p.addr {
			out = append(out, q.Form["Body"])
		}
	}
	return out
}

// settle waits until every person has as many replies as accepted messages (or
// within), then a little more for duplicates, then stops the server (which drains).
func (r *faultRun) settle(within time.Duration) {
	deadline := time.Now().Add(within)
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
		time.Sleep(50 * time.Millisecond)
	}
	waited := within - time.Until(deadline)
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	r.srv.stop(r.t)
	r.t.Logf("replies settled in %s, server stopped (drained) in %s", waited.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// apology is a piece of the reply given when the conversation could not be saved (or
// its saving not confirmed in time: it promises nothing either way).
const apology = "no pude responder"

// degraded tells the replies given when the store failed: the apology, or, for a call
// for help, the emergency numbers alone (without the emergency page's menu).
func degraded(text string) bool {
	return strings.Contains(text, apology) || strings.Contains(text, "Aquí tienes los números") && !strings.Contains(text, "0 = Menú")
}

// tally is what a run's people got.
type tally struct {
	accepted, replies, silent, dup, extra, apologies, lost5xx, gaveUp, resent, replayed, replayFailed, noNumbers int
	maxWait                                                                                                      time.Duration
}

// check asserts the delivery guarantees and returns the numbers.
func (r *faultRun) check() tally {
	t := r.t
	t.Helper()
	var n tally
	for _, p := range r.people {
		got := r.replies(p)
		n.accepted += len(p.accepted)
		n.replies += len(got)
		n.lost5xx += p.lost5xx
		n.gaveUp += p.gaveUp
		n.resent += p.resent
		n.replayed += p.replayed
		n.replayFailed += p.replayFailed
		n.maxWait = max(n.maxWait, p.maxWait)
		real := 0
		for _, text := range got {
			if !degraded(text) {
				real++
			}
		}
		// A replay of a message that got the apology (perhaps not saved), or the numbers alone
		// for a call for help, is handled again and gets a reply: that is an extra
		// reply of the store's failure, not a duplicate. Two real replies to one
		// message are.
		n.silent += max(0, len(p.accepted)-len(got))
		n.dup += max(0, real-len(p.accepted))
		n.extra += max(0, len(got)-len(p.accepted)) - max(0, real-len(p.accepted))
		for i, text := range got {
			if strings.Contains(text, apology) {
				n.apologies++
			}
			// Replies come in the order of the messages; where none is missing or
			// doubled, the reply to a call for help must carry the numbers.
			if len(got) == len(p.accepted) && p.accepted[i] == "auxilio" && !strings.Contains(text, "105") {
				n.noNumbers++
			}
		}
	}
	t.Logf("people %d, messages accepted %d, replies %d (apologies %d); silent drops %d, duplicates %d (and %d replies to replays of an apology), "+
		"whatsapp 5xx %d, telegram redeliveries %d and never accepted %d, replays %d (answered other than 200: %d), "+
		"help without numbers %d; slowest webhook (with redeliveries) %s",
		len(r.people), n.accepted, n.replies, n.apologies, n.silent, n.dup, n.extra, n.lost5xx, n.resent, n.gaveUp, n.replayed, n.replayFailed, n.noNumbers, n.maxWait.Round(time.Millisecond))
	if n.silent != 0 {
		t.Errorf("%d messages answered 200 never got a reply (silent drops); the server's failed sends: %s",
			n.silent, logLines(r.srv.logs, `"msg":"send failed"`))
	}
	if n.dup != 0 {
		t.Errorf("%d replies too many (duplicates)", n.dup)
	}
	if n.lost5xx != 0 {
		t.Errorf("%d WhatsApp messages answered 5xx: Twilio does not deliver them again", n.lost5xx)
	}
	if n.gaveUp != 0 {
		t.Errorf("%d Telegram updates not accepted after 30 deliveries", n.gaveUp)
	}
	if n.replayFailed != 0 {
		t.Errorf("%d replays of answered messages were not answered 200", n.replayFailed)
	}
	if n.noNumbers != 0 {
		t.Errorf("%d calls for help answered without the emergency numbers", n.noNumbers)
	}
	return n
}

// audit is the privacy audit of what Redis and the logs keep after the run.
func (r *faultRun) audit() {
	t := r.t
	t.Helper()
	ctx := context.Background()
	c := r.redis.Client()
	private := []string{r.canary}
	for _, p := range r.people {
		private = append(private, p.addr, strings.TrimPrefix(p.addr, "+"))
	}
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatalf("audit: list keys: %v", err)
	}
	var noTTL []string
	for _, k := range keys {
		if ttl := c.PTTL(ctx, k).Val(); ttl < 0 {
			noTTL = append(noTTL, shape(k))
		}
		blob := k + "\x00" + dumpValue(ctx, c, k)
		for _, s := range private {
			if strings.Contains(blob, s) {
				t.Errorf("audit: key %s holds a private value (canary, chat id or phone number)", shape(k))
				break
			}
		}
	}
	if len(noTTL) > 0 {
		t.Errorf("audit: %d keys without a TTL: %v", len(noTTL), noTTL)
	}
	// The canary must have reached the sessions (the bot calls her by it), or its
	// absence from Redis would prove nothing.
	named := 0
	for _, p := range r.people {
		if slices.ContainsFunc(r.replies(p), func(s string) bool { return strings.Contains(s, r.canary) }) {
			named++
		}
	}
	if named == 0 {
		t.Error("audit: nobody's name (the canary) was taken: the privacy audit would be vacuous")
	}
	erased, kept, tombs := 0, 0, 0
	keptShapes := map[string]int{}
	for _, p := range r.people {
		if !p.erases || !slices.ContainsFunc(r.replies(p), func(s string) bool { return strings.Contains(s, "borré todo") }) {
			continue // the erase itself met the fault: she got the apology
		}
		erased++
		user := store.UserKey([]byte(r.secret), p.channel, p.addr)
		for _, k := range keys {
			if !strings.Contains(k, user) {
				continue
			}
			if k == store.KeysOf("", user).Tombstone() && r.tombstoneOnly(k) {
				tombs++
				continue
			}
			if k == store.KeysOf("", user).Copies() && len(storetest.Left(ctx, c, []string{k})) == 0 {
				continue // the string "erased" that refuses a late reply's id
			}
			kept++
			keptShapes[shape(k)]++
		}
		// her name in the index of erase jobs goes with her job
		if c.ZScore(ctx, store.ErasingIndex, user).Err() != redis.Nil {
			kept++
			keptShapes[store.ErasingIndex+" member"]++
		}
	}
	if kept > 0 {
		t.Errorf("audit: %d keys of people who erased their data remain: %v", kept, keptShapes)
	}
	outbox := 0
	for _, k := range keys {
		if strings.Contains(k, "outbox") && c.Type(ctx, k).Val() == "hash" {
			outbox += int(c.HLen(ctx, k).Val())
		}
	}
	if outbox != 0 {
		t.Errorf("audit: %d replies left in the outbox after the drain", outbox)
	}
	if f := os.Getenv("FARO_FAULT_LOGS"); f != "" { // the server's log, for a closer look
		_ = os.WriteFile(f+"."+strings.ReplaceAll(r.t.Name(), "/", "_"), []byte(r.srv.logs.String()), 0o600)
	}
	t.Logf("log: %d lines, %d bytes", strings.Count(r.srv.logs.String(), "\n"), len(r.srv.logs.String()))
	t.Logf("audit: %d keys, %d without TTL; canary taken as the name of %d people; %d people erased, %d of their keys left (and %d tombstones); outbox items left %d",
		len(keys), len(noTTL), named, erased, kept, tombs, outbox)
	channeltest.AssertRedacted(t, r.srv.logs, append(private, srvTGToken, srvTWToken, r.secret, `"auxilio"`, `"borrar"`)...)
}

// tombstoneRE is what a tombstone may hold: message ids named by an HMAC (24 hex
// digits), alone or with an attempt token (the process's random prefix and a counter).
var tombstoneRE = regexp.MustCompile(`^[0-9a-f]{24}(\x00[0-9a-f]{16}[0-9a-z]+)?$`)

// tombstoneOnly tells whether key k is an erase's tombstone as it must be: a set of
// HMAC-named message ids and attempt tokens, nothing else, expiring within the dedupe
// window (48 h).
func (r *faultRun) tombstoneOnly(k string) bool {
	ctx := context.Background()
	c := r.redis.Client()
	if c.Type(ctx, k).Val() != "set" {
		return false
	}
	if ttl := c.TTL(ctx, k).Val(); ttl <= 0 || ttl > 48*time.Hour {
		return false
	}
	for _, m := range c.SMembers(ctx, k).Val() {
		if !tombstoneRE.MatchString(m) {
			return false
		}
	}
	return true
}

// logLines returns the log lines that contain what, at most ten, and their number.
func logLines(logs *channeltest.Logs, what string) string {
	var out []string
	n := 0
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, what) {
			if n++; n <= 10 {
				out = append(out, l)
			}
		}
	}
	return fmt.Sprintf("%d lines:\n%s", n, strings.Join(out, "\n"))
}

// saidNotSaved counts the apologies given for messages that Redis did save (which is
// why the apology says it could not answer, not that the message was lost): the commit reached a frozen server, the conversation stopped
// waiting after its store timeout and apologised, and the server ran the commit when
// it woke. It reads the dedupe record, whose ids are named by an HMAC as in
// session.Redis; the real replies found there show that the naming is the same.
// Only people who did not erase, and whose replies match their messages one to one.
func (r *faultRun) saidNotSaved() {
	t := r.t
	ctx := context.Background()
	c := r.redis.Client()
	m := hmac.New(sha256.New, []byte(r.secret))
	m.Write([]byte("faro message ids v1"))
	key := m.Sum(nil)
	var realSeen, realAll, sorrySeen, sorryAll int
	for _, p := range r.people {
		got := r.replies(p)
		if p.erases || len(got) != len(p.accepted) {
			continue
		}
		seen := store.KeysOf("", store.UserKey([]byte(r.secret), p.channel, p.addr)).Seen()
		for i, text := range got {
			h := hmac.New(sha256.New, key)
			h.Write([]byte(p.ids[i]))
			saved := c.ZScore(ctx, seen, hex.EncodeToString(h.Sum(nil)[:12])).Err() == nil
			if strings.Contains(text, apology) {
				sorryAll++
				if saved {
					sorrySeen++
				}
			} else {
				realAll++
				if saved {
					realSeen++
				}
			}
		}
	}
	t.Logf("apologies for messages Redis did save: %d of %d (real replies found saved: %d of %d)",
		sorrySeen, sorryAll, realSeen, realAll)
}

// shape names a key without the person in it: faro:{…}:s.
func shape(k string) string {
	if i, j := strings.Index(k, "{"), strings.Index(k, "}"); i >= 0 && j > i {
		return k[:i+1] + "…" + k[j:]
	}
	return k
}

// dumpValue returns everything a key holds, as text.
func dumpValue(ctx context.Context, c *redis.Client, k string) string {
	var parts []string
	switch c.Type(ctx, k).Val() {
	case "string":
		parts = append(parts, c.Get(ctx, k).Val())
	case "hash":
		for f, v := range c.HGetAll(ctx, k).Val() {
			parts = append(parts, f, v)
		}
	case "zset":
		parts = append(parts, c.ZRange(ctx, k, 0, -1).Val()...)
	case "list":
		parts = append(parts, c.LRange(ctx, k, 0, -1).Val()...)
	case "set":
		parts = append(parts, c.SMembers(ctx, k).Val()...)
	case "stream":
		for _, m := range c.XRange(ctx, k, "-", "+").Val() {
			for f, v := range m.Values {
				parts = append(parts, f, fmt.Sprint(v))
			}
		}
	}
	return strings.Join(parts, "\x00")
}

// during runs fault in a loop until stop is closed.
func during(stop <-chan struct{}, fault func()) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				fault()
			}
		}
	}()
	return &wg
}

// sleepOr sleeps d or until stop is closed.
func sleepOr(stop <-chan struct{}, d time.Duration) {
	select {
	case <-stop:
	case <-time.After(d):
	}
}

// TestFaultRedisPaused: Redis frozen with SIGSTOP for 0.2–1 s again and again while
// people write; a message meets a Redis that answers late or not at all.
func TestFaultRedisPaused(t *testing.T) { withOutbox(t, testFaultRedisPaused) }

// withOutbox runs a fault test with the outbox (FARO_OUTBOX, the default), whose
// writes meet the same fault, and without it.
func withOutbox(t *testing.T, test func(t *testing.T, env ...string)) {
	t.Run("memory", func(t *testing.T) { test(t, "FARO_OUTBOX", "false") })
	t.Run("outbox", func(t *testing.T) { test(t) })
}

func testFaultRedisPaused(t *testing.T, env ...string) {
	r := startFault(t, faultOptions{perChannel: 30, erasers: 10, env: env, replays: 0.1})
	stop := make(chan struct{})
	pauses := 0
	var total time.Duration
	wg := during(stop, func() {
		sleepOr(stop, time.Duration(200+mrand.IntN(500))*time.Millisecond)
		d := time.Duration(200+mrand.IntN(800)) * time.Millisecond
		r.redis.Pause()
		time.Sleep(d)
		r.redis.Resume()
		pauses++
		total += d
	})
	r.burst(250 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("Redis paused %d times, %s in all", pauses, total.Round(time.Millisecond))
	r.settle(20 * time.Second)
	r.check()
	r.saidNotSaved()
	r.audit()
}

// TestFaultRedisKilled: Redis killed (SIGKILL) and started again, empty, twice in the
// first half of a burst: connections break, the sessions and the commit script are
// gone from the new server. The second half runs on the new server (erasures
// included), so the audit has something to read.
func TestFaultRedisKilled(t *testing.T) { withOutbox(t, testFaultRedisKilled) }

func testFaultRedisKilled(t *testing.T, env ...string) {
	r := startFault(t, faultOptions{perChannel: 30, erasers: 10, env: env})
	var restarts []time.Time
	var faults sync.WaitGroup
	faults.Add(1)
	go func() {
		defer faults.Done()
		for range 2 {
			time.Sleep(time.Duration(300+mrand.IntN(400)) * time.Millisecond)
			r.redis.Kill()
			time.Sleep(time.Duration(100+mrand.IntN(300)) * time.Millisecond)
			r.redis.Restart()
			restarts = append(restarts, time.Now())
		}
	}()
	// The first half while Redis dies twice; the rest once it is back (go-redis dials
	// again within a second or two), so that names are taken and erasures done on
	// the new server, for the audit.
	r.burstPart(300*time.Millisecond, 0, 4)
	faults.Wait()
	time.Sleep(2 * time.Second)
	r.burstPart(300*time.Millisecond, 4, -1)
	r.settle(20 * time.Second)
	// How long after each restart messages still met a Redis error.
	var lag []string
	for _, at := range restarts {
		last := at
		for _, l := range strings.Split(r.srv.logs.String(), "\n") {
			var e struct {
				Time time.Time `json:"time"`
				Msg  string    `json:"msg"`
			}
			if json.Unmarshal([]byte(l), &e) == nil && e.Msg == "handler failed" && e.Time.After(last) && e.Time.Sub(at) < 3*time.Second {
				last = e.Time
			}
		}
		lag = append(lag, last.Sub(at).Round(time.Millisecond).String())
	}
	t.Logf("Redis killed and restarted %d times; the last apology came %v after each restart", len(restarts), lag)
	r.check()
	r.audit()
}

// flaky answers a share of the platform calls with a fault: 429 with a retry-after of
// one second, 5xx, a hang, a reset; the rest are taken.
func flaky(telegram bool, counts *sync.Map) func(channeltest.Request) (channeltest.Response, bool) {
	return func(q channeltest.Request) (channeltest.Response, bool) {
		if q.Method != "sendMessage" && q.Method != "Messages.json" {
			return channeltest.Response{}, false
		}
		var resp channeltest.Response
		name := ""
		switch x := mrand.IntN(100); {
		case x < 10:
			name = "429"
			if telegram {
				resp = channeltest.TelegramError(429, 1)
			} else {
				resp = channeltest.TwilioError(429, 20429)
				resp.Header = map[string]string{"Retry-After": "1"}
			}
		case x < 20:
			name = "5xx"
			resp = channeltest.Response{Status: 500 + 2*mrand.IntN(2), Body: `{"ok":false,"error_code":500,"description":"Internal Server Error"}`}
		case x < 27:
			name, resp = "hang", channeltest.Response{Hang: true}
		case x < 35:
			name, resp = "reset", channeltest.Response{Reset: true}
		default:
			return channeltest.Response{}, false
		}
		v, _ := counts.LoadOrStore(name, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		return resp, true
	}
}

// TestFaultPlatformFlaky: both platform APIs answer about a third of the sends with
// 429 (retry_after / Retry-After), 500/502, a hang or a reset. Sends are retried
// with a short policy (a hang is given up after a second) so the test is quick.
func TestFaultPlatformFlaky(t *testing.T) {
	r := startFault(t, faultOptions{perChannel: 30, erasers: 10, replays: 0.1,
		retry: bot.RetryPolicy{BaseDelay: 20 * time.Millisecond, MaxDelay: 500 * time.Millisecond, Timeout: time.Second}})
	var tg, tw sync.Map
	r.srv.tg.SetFault(flaky(true, &tg))
	r.srv.tw.SetFault(flaky(false, &tw))
	r.burst(100 * time.Millisecond)
	// Telegram paces a chat to a message a second, and every fault costs up to a second more.
	r.settle(45 * time.Second)
	t.Logf("faults injected: telegram %s; whatsapp %s", countsOf(&tg), countsOf(&tw))
	r.check()
	r.audit()
}

func countsOf(m *sync.Map) string {
	var out []string
	m.Range(func(k, v any) bool {
		out = append(out, fmt.Sprintf("%s=%d", k, v.(*atomic.Int64).Load()))
		return true
	})
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestFaultPlatformOutage: both platform APIs answer 503 for a while, at a clock that
// runs fast: the send retry policy (0.5 s doubling to 30 s, retried for 2 hours, by
// default) is divided by speed, and so is the outage. Every reply queued meanwhile
// must go out once the platform is back, and the log must not grow with each retry.
func TestFaultPlatformOutage(t *testing.T) {
	// The minute without the outbox (the queue in memory only), the hour with it (the
	// default): the retries are the same.
	t.Run("minute", func(t *testing.T) { testOutage(t, 100, time.Minute, "FARO_OUTBOX", "false") })
	// Before (issue 12, item 2): the sender gave up after 12 attempts (about 2-3
	// minutes), and an hour at 1000x left 106 of 172 accepted messages without a
	// reply, with 1096 log lines (157 KB) for 172 messages.
	t.Run("hour", func(t *testing.T) { testOutage(t, 1000, time.Hour) })
}

// testOutage runs an outage of length (at the test's clock, speed times faster).
func testOutage(t *testing.T, speed time.Duration, length time.Duration, env ...string) {
	r := startFault(t, faultOptions{perChannel: 10, erasers: 3, env: env,
		retry: bot.RetryPolicy{BaseDelay: 500 * time.Millisecond / speed, MaxDelay: 30 * time.Second / speed,
			MaxElapsed: bot.DefaultMaxElapsed / speed, Timeout: time.Second}})
	var failed atomic.Int64
	down := func(q channeltest.Request) (channeltest.Response, bool) {
		if q.Method != "sendMessage" && q.Method != "Messages.json" {
			return channeltest.Response{}, false
		}
		failed.Add(1)
		return channeltest.Response{Status: 503, Body: `{"ok":false,"error_code":503,"description":"Service Unavailable"}`}, true
	}
	r.srv.tg.SetFault(down)
	r.srv.tw.SetFault(down)
	start := time.Now()
	r.burst(50 * time.Millisecond)
	time.Sleep(length/speed - time.Since(start))
	r.srv.tg.SetFault(nil)
	r.srv.tw.SetFault(nil)
	outage := time.Since(start)
	t.Logf("platforms down %s (%s at the test's clock), %d sends failed", outage.Round(time.Millisecond), length, failed.Load())
	r.settle(30 * time.Second)
	n := r.check()
	if n.accepted == 0 || length >= time.Hour && failed.Load() < int64(12*len(r.people)) {
		t.Errorf("the outage did not outlast the old 12 attempts per reply (%d failed sends for %d people): it proves nothing",
			failed.Load(), len(r.people))
	}
	// The log says it is retrying at most once every 10 s per channel (with how many
	// retries it did not log), not once per retry.
	retries := strings.Count(r.srv.logs.String(), `"msg":"send retry"`)
	if most := 2 * (1 + int(outage/(10*time.Second))); retries > most {
		t.Errorf("%d \"send retry\" lines for %d failed sends in %s: the outage's log is not rate-limited (at most %d)",
			retries, failed.Load(), outage.Round(time.Second), most)
	}
	r.audit()
}

// TestFaultCPUContention: one P for the whole process (server, Redis client, fake
// APIs and the people) and two goroutines that burn it: every round trip waits for
// the CPU, as on a loaded node.
func TestFaultCPUContention(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	r := startFault(t, faultOptions{perChannel: 30, erasers: 10, replays: 0.1})
	stop := make(chan struct{})
	var burners sync.WaitGroup
	for range 2 {
		burners.Add(1)
		go func() {
			defer burners.Done()
			x := 0
			for {
				select {
				case <-stop:
					return
				default:
				}
				for i := range 1_000_000 {
					x += i
				}
			}
		}()
	}
	r.burst(50 * time.Millisecond)
	close(stop)
	burners.Wait()
	r.settle(20 * time.Second)
	r.check()
	r.audit()
}

// TestFaultReplayedErase: the confirmation of an erase delivered a second time (the
// platform's retry) must bring nothing back: no reply, no session, no key of hers (the
// erase's tombstone of HMAC-named message ids, which makes the replay a duplicate,
// is all that remains, and it expires with the dedupe window).
func TestFaultReplayedErase(t *testing.T) {
	r := startFault(t, faultOptions{perChannel: 10, erasers: 10, replayErase: true})
	r.burst(50 * time.Millisecond)
	r.settle(20 * time.Second)
	r.check()
	r.audit()
}
