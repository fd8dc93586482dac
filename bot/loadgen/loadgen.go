// Package loadgen is Faro's load generator (`faro load`): it serves fake Telegram and
// Twilio APIs, waits for the target to be ready, learns the replies to a short script
// from one user per channel, then sends correctly signed webhooks from many simulated
// users at a fixed rate, and counts for every user the replies that reached the fake
// APIs against those expected: lost, duplicated and mismatched (wrong text or order).
// With RedisURL it then measures redis-benchmark with the conversation's command mix on
// the same server.
//
// The target must run with FARO_TELEGRAM_API_URL and FARO_TWILIO_API_URL pointing at
// FakeTelegram and FakeTwilio, and share the secrets.
package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/telegram"
	"github.com/faro-chat/faro/bot/whatsapp"
	"github.com/faro-chat/faro/flows"
)

// Options configure one run.
type Options struct {
	Target        string        // base URL of the running faro serve
	Rate          int           // messages per second, both channels together
	Duration      time.Duration // how long to send
	Users         int           // simulated users
	TelegramShare float64       // share of users on Telegram, the rest on WhatsApp
	Workers       int           // concurrent webhook requests at most
	FakeTelegram  string        // listen address of the fake Bot API
	FakeTwilio    string        // listen address of the fake Twilio API
	Script        []string      // messages each user sends in turn, cyclically
	Settle        time.Duration // calibration: quiet time after which a message's replies are complete
	Drain         time.Duration // how long to wait for late replies after the last message
	RedisURL      string        // if set, run redis-benchmark on this server after the load
	BenchClients  int           // redis-benchmark -c
	BenchRequests int           // redis-benchmark -n

	TelegramSecret, TwilioToken, PublicURL string         // the target's webhook secrets and public URL
	CPUPIDs                                map[string]int // name -> PID of local processes to measure
}

// simUser is one simulated user: its expected and received replies.
type simUser struct {
	// sending is held from taking the user's next step until the webhook of that step
	// is answered, so a user's messages reach the target one after the other, as a
	// platform delivers a chat's messages. Without it, a webhook answered later than the
	// user's next message is due (users/rate; a slow or busy target, -race) lets two
	// messages of one user race for the target's user lock, and their replies come in
	// another order than calibrated: mismatches the target did not cause. Waiting here
	// is send lag, counted in the latencies like any late send.
	sending  sync.Mutex
	mu       sync.Mutex
	step     int            // next script step to send
	pending  []pendingReply // messages whose replies are still expected, in order
	expected int
	received int
	extra    int // replies beyond those expected: duplicates
	mismatch int // replies with another text than calibrated
}

type pendingReply struct {
	sent      time.Time
	texts     []string // the calibrated replies still to come
	firstSeen bool
}

// Test is one run of the load generator.
type Test struct {
	o       Options
	runID   uint64
	client  *http.Client // readiness checks only
	addr    string       // host:port of the target
	servers []*rawServer
	users   []*simUser
	nTG     int
	calib   map[string][][]string // per channel, per step: reply texts
	calibMu sync.Mutex
	calibIn map[string]*[]string // channel -> replies seen during calibration

	updateSeq atomic.Int64
	replyLat  latencies
	firstLat  latencies
}

type latencies struct {
	mu sync.Mutex
	v  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.v = append(l.v, d); l.mu.Unlock() }

func (l *latencies) pct(p float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.v) == 0 {
		return 0
	}
	slices.Sort(l.v)
	i := min(int(float64(len(l.v))*p), len(l.v)-1)
	return float64(l.v[i].Microseconds()) / 1000
}

// New listens on the fake APIs' addresses and prepares the simulated users.
func New(o Options) (*Test, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	lt := &Test{
		o:       o,
		runID:   binary.BigEndian.Uint64(b[:]) % 100000,
		calib:   map[string][][]string{},
		calibIn: map[string]*[]string{"telegram": {}, "whatsapp": {}},
	}
	lt.client = &http.Client{Timeout: 5 * time.Second}
	lt.nTG = int(float64(o.Users) * o.TelegramShare)
	lt.users = make([]*simUser, o.Users+2) // the last two calibrate
	for i := range lt.users {
		lt.users[i] = &simUser{}
	}
	u, err := url.Parse(o.Target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("-target must be an http:// URL")
	}
	lt.addr = u.Host
	for _, s := range []struct {
		addr string
		h    func(string, []byte) (int, []byte)
	}{{o.FakeTelegram, lt.fakeTelegram}, {o.FakeTwilio, lt.fakeTwilio}} {
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			lt.Close()
			return nil, fmt.Errorf("fake API: %w", err)
		}
		lt.servers = append(lt.servers, serveRaw(ln, s.h))
	}
	return lt, nil
}

// Close stops the fake APIs.
func (lt *Test) Close() {
	for _, s := range lt.servers {
		s.close()
	}
}

// Users 0..nTG-1 are on Telegram, nTG..users-1 on WhatsApp; users[users] and
// users[users+1] calibrate Telegram and WhatsApp. Addresses embed the run id so that
// a rerun against the same Redis starts fresh sessions.
func (lt *Test) isTelegram(i int) bool {
	if i >= lt.o.Users {
		return i == lt.o.Users
	}
	return i < lt.nTG
}

func (lt *Test) chatID(i int) int64 { return 7_000_000_000 + int64(lt.runID)*1_000_000 + int64(i) }

func (lt *Test) phone(i int) string {
	return "+519" + fmt.Sprintf("%05d%06d", lt.runID%100000, i)
}

func (lt *Test) userOfChat(s string) int {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return int(n - lt.chatID(0))
}

func (lt *Test) userOfPhone(s string) int {
	s = strings.TrimPrefix(s, "whatsapp:")
	want := "+519" + fmt.Sprintf("%05d", lt.runID%100000)
	if !strings.HasPrefix(s, want) {
		return -1
	}
	n, err := strconv.Atoi(s[len(want):])
	if err != nil {
		return -1
	}
	return n
}

// fakeTelegram imitates the Bot API: sendMessage (JSON, as bot/telegram sends it) is a
// reply; anything else is true.
func (lt *Test) fakeTelegram(path string, body []byte) (int, []byte) {
	if !strings.HasSuffix(path, "/sendMessage") {
		return 200, []byte(`{"ok":true,"result":true}`)
	}
	chat, text, ok := sendMessageFields(body)
	if !ok {
		return 400, []byte(`{"ok":false,"error_code":400,"description":"bad request"}`)
	}
	lt.reply("telegram", lt.userOfChat(chat), text)
	return 200, []byte(`{"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":` + chat + `,"type":"private"}}}`)
}

// sendMessageFields reads chat_id and text from a sendMessage body. The generator
// shares the server's cores, so it avoids decoding the whole keyboard: it decodes only
// the two values, found by their keys, and falls back to a full decode when the body
// is not laid out as bot/telegram writes it.
func sendMessageFields(body []byte) (chat, text string, ok bool) {
	var m struct {
		ChatID json.Number `json:"chat_id"`
		Text   string      `json:"text"`
	}
	if rest, found := bytes.CutPrefix(body, []byte(`{"chat_id":`)); found {
		if i := bytes.IndexByte(rest, ','); i > 0 {
			chat = string(rest[:i])
			if rest, found = bytes.CutPrefix(rest[i+1:], []byte(`"text":`)); found {
				if n := jsonStringLen(rest); n > 0 && json.Unmarshal(rest[:n], &text) == nil {
					return chat, text, true
				}
			}
		}
	}
	if json.Unmarshal(body, &m) != nil {
		return "", "", false
	}
	return m.ChatID.String(), m.Text, true
}

// jsonStringLen returns the length of the JSON string at the start of b, quotes
// included, or 0.
func jsonStringLen(b []byte) int {
	if len(b) == 0 || b[0] != '"' {
		return 0
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// fakeTwilio imitates the Messages resource.
func (lt *Test) fakeTwilio(path string, body []byte) (int, []byte) {
	f, err := url.ParseQuery(string(body))
	if err != nil || !strings.HasSuffix(path, "/Messages.json") {
		return 400, []byte(`{"code":21601,"message":"bad request","status":400}`)
	}
	lt.reply("whatsapp", lt.userOfPhone(f.Get("To")), f.Get("Body"))
	return 201, []byte(`{"sid":"SM00000000000000000000000000000000","status":"queued"}`)
}

// reply accounts one reply that reached a fake API.
func (lt *Test) reply(channel string, i int, text string) {
	now := time.Now()
	if i < 0 || i >= len(lt.users) {
		return
	}
	if i >= lt.o.Users { // calibration user
		lt.calibMu.Lock()
		*lt.calibIn[channel] = append(*lt.calibIn[channel], text)
		lt.calibMu.Unlock()
		return
	}
	u := lt.users[i]
	u.mu.Lock()
	defer u.mu.Unlock()
	u.received++
	if len(u.pending) == 0 {
		u.extra++
		return
	}
	p := &u.pending[0]
	if !p.firstSeen {
		p.firstSeen = true
		lt.firstLat.add(now.Sub(p.sent))
	}
	lt.replyLat.add(now.Sub(p.sent))
	if p.texts[0] != text {
		u.mismatch++
	}
	p.texts = p.texts[1:]
	if len(p.texts) == 0 {
		u.pending = u.pending[1:]
	}
}

// send posts user i's next message as a signed webhook on rc and returns the answer's
// status.
func (lt *Test) send(rc *rawConn, i int, text string) (int, error) {
	var path string
	var headers []string
	var body []byte
	if lt.isTelegram(i) {
		id := lt.updateSeq.Add(1) + int64(lt.runID)*10_000_000_000
		chat := strconv.FormatInt(lt.chatID(i), 10)
		tb, _ := json.Marshal(text)
		body = []byte(`{"update_id":` + strconv.FormatInt(id, 10) + `,"message":{"message_id":1,"date":1767225600,` +
			`"from":{"id":` + chat + `,"is_bot":false,"first_name":"L","language_code":"es"},` +
			`"chat":{"id":` + chat + `,"type":"private"},"text":` + string(tb) + `}}`)
		path = telegram.WebhookPath
		headers = []string{"Content-Type: application/json", telegram.SecretHeader + ": " + lt.o.TelegramSecret}
	} else {
		var sid [16]byte
		_, _ = rand.Read(sid[:])
		f := url.Values{
			"MessageSid": {"SM" + hex.EncodeToString(sid[:])}, "AccountSid": {"ACload"},
			"From": {"whatsapp:" + lt.phone(i)}, "To": {"whatsapp:+14155238886"},
			"Body": {text}, "NumMedia": {"0"}, "ProfileName": {"L"},
		}
		sig := whatsapp.Sign(lt.o.TwilioToken, lt.o.PublicURL+whatsapp.WebhookPath, f)
		body = []byte(f.Encode())
		path = whatsapp.WebhookPath
		headers = []string{"Content-Type: application/x-www-form-urlencoded", whatsapp.SignatureHeader + ": " + sig}
	}
	return rc.post(path, headers, body)
}

// perUser is how many messages each user sends in the run.
func (lt *Test) perUser() int {
	total := int(lt.o.Duration / (time.Second / time.Duration(lt.o.Rate)))
	return (total + lt.o.Users - 1) / lt.o.Users
}

// calibrate sends, from one user per channel, the messages each simulated user will
// send (the script, cyclically), waiting for each one's replies to settle, and keeps
// them as the expected replies: the conversation is deterministic, so every user must
// get exactly these, in this order.
func (lt *Test) calibrate(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for k, ch := range []string{"telegram", "whatsapp"} {
		i := lt.o.Users + k
		if (ch == "telegram" && lt.nTG == 0) || (ch == "whatsapp" && lt.nTG == lt.o.Users) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc := &rawConn{addr: lt.addr}
			defer rc.close()
			for step := range lt.perUser() {
				text := lt.o.Script[step%len(lt.o.Script)]
				lt.calibMu.Lock()
				*lt.calibIn[ch] = nil
				lt.calibMu.Unlock()
				code, err := lt.send(rc, i, text)
				if err != nil || code != 200 {
					errs[k] = fmt.Errorf("calibration %s step %d: status %d: %v", ch, step, code, err)
					return
				}
				// The quiet time runs from the step's latest reply, and only once one
				// came (waiting up to -drain for it): counted from the webhook's answer,
				// a first reply later than -settle (a slow or busy target, -race) would
				// be recorded as no reply, then taken for the next step's.
				n, quiet, sent := 0, time.Now(), time.Now()
				for {
					time.Sleep(20 * time.Millisecond)
					lt.calibMu.Lock()
					if m := len(*lt.calibIn[ch]); m != n {
						n, quiet = m, time.Now()
					}
					lt.calibMu.Unlock()
					if n > 0 && time.Since(quiet) >= lt.o.Settle || n == 0 && time.Since(sent) >= max(lt.o.Drain, lt.o.Settle) {
						break
					}
				}
				lt.calibMu.Lock()
				lt.calib[ch] = append(lt.calib[ch], slices.Clone(*lt.calibIn[ch]))
				lt.calibMu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Report is the result of a run: latencies, replies expected, lost, duplicated and
// mismatched, CPU per message, and redis-benchmark's figure when asked.
type Report struct {
	Target     string         `json:"target"`
	Users      int            `json:"users"`
	TargetRate int            `json:"target_rate"`
	Duration   float64        `json:"duration_s"`
	Sent       int64          `json:"sent"`
	Statuses   map[string]int `json:"statuses"`
	Errors     int64          `json:"errors"`
	Throughput float64        `json:"throughput_msgs_per_s"`
	WebhookP50 float64        `json:"webhook_p50_ms"`
	WebhookP99 float64        `json:"webhook_p99_ms"`
	WebhookMax float64        `json:"webhook_max_ms"`
	// SendLagP99 is how late the generator sent, due time to the first byte written
	// (p99); it is included in the webhook and reply latencies.
	SendLagP99 float64 `json:"send_lag_p99_ms"`
	// WebhookP99By10s is the p99 of each 10 s of the run, to tell warm-up from steady state.
	WebhookP99By10s []float64        `json:"webhook_p99_by_10s_ms"`
	FirstReplyP50   float64          `json:"first_reply_p50_ms"`
	FirstReplyP99   float64          `json:"first_reply_p99_ms"`
	ReplyP99        float64          `json:"reply_p99_ms"`
	ExpectedReplies int              `json:"expected_replies"`
	Received        int              `json:"received_replies"`
	Lost            int              `json:"lost"`
	Duplicated      int              `json:"duplicated"`
	Mismatched      int              `json:"mismatched"`
	RepliesPerStep  map[string][]int `json:"replies_per_step"`
	// CPUPerMessage is the CPU time each process spent per message sent during the
	// load phase, in microseconds ("load" is this process, "machine" all CPUs: what it
	// has beyond the others was used by processes outside the test).
	CPUPerMessage map[string]float64 `json:"cpu_us_per_message"`
	// PeakMemoryMB is the peak resident memory (VmHWM) of each -cpu-pids process and of
	// this one at the end of the run, in MB.
	PeakMemoryMB map[string]float64 `json:"peak_rss_mb,omitempty"`
	Redis        *benchReport       `json:"redis_benchmark,omitempty"`
}

// Run waits for the target to be ready, calibrates the replies to the script, sends the
// load and counts the replies; progress receives a few lines while it runs.
func (lt *Test) Run(ctx context.Context, progress io.Writer) (*Report, error) {
	if err := lt.waitReady(ctx); err != nil {
		return nil, err
	}
	if err := lt.calibrate(ctx); err != nil {
		return nil, err
	}
	rep := &Report{Target: lt.o.Target, Users: lt.o.Users, TargetRate: lt.o.Rate, Statuses: map[string]int{},
		RepliesPerStep: map[string][]int{}}
	for ch, steps := range lt.calib {
		for _, s := range steps {
			rep.RepliesPerStep[ch] = append(rep.RepliesPerStep[ch], len(s))
		}
	}
	fmt.Fprintf(progress, "calibrated replies per step: %v\n", rep.RepliesPerStep)

	// Latencies count from the moment a message was due, not from when a worker got
	// to send it: a late send (the generator itself short of CPU, every worker busy)
	// is waiting the server caused or shared, so it is counted, not hidden.
	type job struct {
		user int
		due  time.Time
	}
	start := time.Now()
	jobs := make(chan job, lt.o.Workers*4)
	var sent, errCount atomic.Int64
	var statusMu sync.Mutex
	var hook, lag latencies
	windows := make([]latencies, int(lt.o.Duration/(10*time.Second))+2) // per 10 s of the run
	var wg sync.WaitGroup
	for range lt.o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc := &rawConn{addr: lt.addr}
			defer rc.close()
			for j := range jobs {
				u := lt.users[j.user]
				ch := "whatsapp"
				if lt.isTelegram(j.user) {
					ch = "telegram"
				}
				u.sending.Lock()
				u.mu.Lock()
				step := u.step
				u.step++
				texts := slices.Clone(lt.calib[ch][step])
				if len(texts) > 0 {
					u.pending = append(u.pending, pendingReply{sent: j.due, texts: texts})
					u.expected += len(texts)
				}
				u.mu.Unlock()
				lag.add(time.Since(j.due))
				code, err := lt.send(rc, j.user, lt.o.Script[step%len(lt.o.Script)])
				u.sending.Unlock()
				d := time.Since(j.due)
				sent.Add(1)
				if err != nil {
					errCount.Add(1)
					continue
				}
				hook.add(d)
				if w := int(time.Since(start) / (10 * time.Second)); w < len(windows) {
					windows[w].add(d)
				}
				statusMu.Lock()
				rep.Statuses[strconv.Itoa(code)]++
				statusMu.Unlock()
			}
		}()
	}
	// Open loop: one message every 1/rate, from the users in turn.
	cpu0 := lt.cpuTimes()
	interval := time.Second / time.Duration(lt.o.Rate)
	total := int(lt.o.Duration / interval)
	next := 0
	lastReport := start
	for k := 0; k < total && ctx.Err() == nil; k++ {
		due := start.Add(time.Duration(k) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		jobs <- job{user: next, due: due}
		next = (next + 1) % lt.o.Users
		if time.Since(lastReport) > 10*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(progress, "%4.0fs sent %d\n", time.Since(start).Seconds(), sent.Load())
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := lt.cpuTimes()
	rep.CPUPerMessage = map[string]float64{}
	for name, t := range cpu1 {
		if sent.Load() > 0 {
			rep.CPUPerMessage[name] = float64((t - cpu0[name]).Microseconds()) / float64(sent.Load())
		}
	}
	// Wait for the replies still on their way.
	deadline := time.Now().Add(lt.o.Drain)
	for time.Now().Before(deadline) && lt.outstanding() > 0 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // late duplicates
	rep.PeakMemoryMB = lt.peakMemory()
	rep.Duration = elapsed.Seconds()
	rep.Sent = sent.Load()
	rep.Errors = errCount.Load()
	rep.Throughput = float64(rep.Statuses["200"]) / elapsed.Seconds()
	rep.WebhookP50, rep.WebhookP99, rep.WebhookMax = hook.pct(0.50), hook.pct(0.99), hook.pct(1)
	rep.SendLagP99 = lag.pct(0.99)
	for i := range windows {
		if len(windows[i].v) > 0 {
			rep.WebhookP99By10s = append(rep.WebhookP99By10s, windows[i].pct(0.99))
		}
	}
	rep.FirstReplyP50, rep.FirstReplyP99 = lt.firstLat.pct(0.50), lt.firstLat.pct(0.99)
	rep.ReplyP99 = lt.replyLat.pct(0.99)
	for _, u := range lt.users[:lt.o.Users] {
		u.mu.Lock()
		rep.ExpectedReplies += u.expected
		rep.Received += u.received
		rep.Duplicated += u.extra
		rep.Mismatched += u.mismatch
		for _, p := range u.pending {
			rep.Lost += len(p.texts)
		}
		u.mu.Unlock()
	}
	if lt.o.RedisURL != "" && ctx.Err() == nil {
		b, err := redisBenchmark(ctx, lt.o.RedisURL, lt.o.BenchClients, lt.o.BenchRequests)
		if err != nil {
			return nil, err
		}
		b.MessageRatio = rep.Throughput / b.MessagesPerSecond
		rep.Redis = b
	}
	return rep, nil
}

func (lt *Test) outstanding() int {
	n := 0
	for _, u := range lt.users[:lt.o.Users] {
		u.mu.Lock()
		n += len(u.pending)
		u.mu.Unlock()
	}
	return n
}

func (lt *Test) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lt.o.Target+"/readyz", nil)
		resp, err := lt.client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("target %s not ready", lt.o.Target)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cpuTimes returns the user+system CPU time of this process and of -cpu-pids, read
// from /proc (Linux; missing entries are skipped).
func (lt *Test) cpuTimes() map[string]time.Duration {
	pids := map[string]string{"load": "self"}
	for name, pid := range lt.o.CPUPIDs {
		pids[name] = strconv.Itoa(pid)
	}
	out := map[string]time.Duration{}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		// First line: cpu user nice system idle iowait irq softirq steal ...
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		var busy int64
		for i, v := range f[1:] {
			if i == 3 || i == 4 || i >= 8 { // idle, iowait, guest
				continue
			}
			n, _ := strconv.ParseInt(v, 10, 64)
			busy += n
		}
		out["machine"] = time.Duration(busy) * time.Second / 100
	}
	for name, pid := range pids {
		b, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may hold spaces.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[name] = time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
	}
	return out
}

// peakMemory returns the peak resident memory (VmHWM, in MB) of this process and of
// -cpu-pids, read from /proc (Linux; missing entries are skipped).
func (lt *Test) peakMemory() map[string]float64 {
	pids := map[string]string{"load": "self"}
	for name, pid := range lt.o.CPUPIDs {
		pids[name] = strconv.Itoa(pid)
	}
	out := map[string]float64{}
	for name, pid := range pids {
		b, err := os.ReadFile("/proc/" + pid + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				if f := strings.Fields(v); len(f) == 2 && f[1] == "kB" {
					kb, _ := strconv.ParseFloat(f[0], 64)
					out[name] = kb / 1024
				}
			}
		}
	}
	return out
}

// Print writes the report for a terminal.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "target            %s\n", r.Target)
	fmt.Fprintf(w, "users             %d, target rate %d msg/s, %.1f s\n", r.Users, r.TargetRate, r.Duration)
	fmt.Fprintf(w, "sent              %d (errors %d), answers %v\n", r.Sent, r.Errors, r.Statuses)
	fmt.Fprintf(w, "throughput        %.0f msg/s (webhooks answered 200)\n", r.Throughput)
	fmt.Fprintf(w, "webhook answer    p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", r.WebhookP50, r.WebhookP99, r.WebhookMax)
	fmt.Fprintf(w, "webhook p99/10 s  %v ms\n", r.WebhookP99By10s)
	fmt.Fprintf(w, "send lag          p99 %.2f ms (generator late; counted in the latencies, which run from each message's due time)\n", r.SendLagP99)
	fmt.Fprintf(w, "reply at fake API p50 %.2f ms  p99 %.2f ms (first reply); p99 %.2f ms (every reply)\n", r.FirstReplyP50, r.FirstReplyP99, r.ReplyP99)
	fmt.Fprintf(w, "replies           expected %d, received %d: lost %d, duplicated %d, mismatched %d\n",
		r.ExpectedReplies, r.Received, r.Lost, r.Duplicated, r.Mismatched)
	if len(r.CPUPerMessage) > 0 {
		fmt.Fprintf(w, "CPU per message   %v (µs)\n", roundMap(r.CPUPerMessage))
	}
	if len(r.PeakMemoryMB) > 0 {
		fmt.Fprintf(w, "peak memory       %v (MB resident, VmHWM)\n", roundMap(r.PeakMemoryMB))
	}
	if b := r.Redis; b != nil {
		fmt.Fprintf(w, "redis-benchmark   -c %d, Faro's command per message (EVALSHA of the commit script) = %.0f msg/s\n", b.Clients, b.MessagesPerSecond)
		fmt.Fprintf(w, "ratio             faro %.0f / redis-benchmark %.0f = %.2f\n", r.Throughput, b.MessagesPerSecond, b.MessageRatio)
	}
}

// benchReport is redis-benchmark's result for the conversation's command.
type benchReport struct {
	Clients           int                `json:"clients"`
	Commands          map[string]float64 `json:"commands_per_s"`
	MessagesPerSecond float64            `json:"messages_per_s"`
	MessageRatio      float64            `json:"faro_to_redis_ratio"`
}

var rpsRE = regexp.MustCompile(`([0-9.]+) requests per second`)

// redisBenchmark runs redis-benchmark with the one command faro serve sends Redis per
// message (the commit script of bot/session, by its SHA) on random keys of a spare
// database: the messages per second Redis alone could serve.
func redisBenchmark(ctx context.Context, redisURL string, clients, n int) (*benchReport, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, errors.New("redis-benchmark: bad -redis-url")
	}
	host, port, _ := net.SplitHostPort(opt.Addr)
	const db = 15
	opt.DB = db
	c := redis.NewClient(opt)
	defer c.Close()
	defer func() { _ = c.FlushDB(context.WithoutCancel(ctx)).Err() }()
	// The command faro serve sends for each message: the commit script, for a new user
	// (a fresh key each time, so the whole script runs: dedupe check, read, compare,
	// dedupe mark, save).
	st := session.NewRedis(c, session.Options{Prefix: "faro:bench:"})
	if err := st.LoadScript(ctx); err != nil {
		return nil, fmt.Errorf("redis-benchmark: %w", err)
	}
	commit, err := st.CommitCommand("__rand_int__", session.Change{MsgID: "__rand_int__",
		Next: flows.Session{Lang: "es", Node: "home", Stack: []string{"start"}}}, time.Now())
	if err != nil {
		return nil, fmt.Errorf("redis-benchmark: %w", err)
	}
	b := &benchReport{Clients: clients, Commands: map[string]float64{}}
	args := []string{"-h", host, "-p", port, "--dbnum", strconv.Itoa(db), "-c", strconv.Itoa(clients),
		"-n", strconv.Itoa(n), "-r", "1000000000", "-q"}
	if opt.Password != "" {
		args = append(args, "-a", opt.Password)
	}
	cmd := exec.CommandContext(ctx, "redis-benchmark", append(args, commit...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("redis-benchmark: %w", err)
	}
	var rps float64
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(out.String(), "\r", "\n")))
	for sc.Scan() {
		if m := rpsRE.FindStringSubmatch(sc.Text()); m != nil {
			rps, _ = strconv.ParseFloat(m[1], 64)
		}
	}
	if rps == 0 {
		return nil, fmt.Errorf("redis-benchmark: no result in %q", out.String())
	}
	b.Commands["EVALSHA commit"] = rps
	b.MessagesPerSecond = rps
	return b, nil
}

func roundMap(m map[string]float64) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = int(v + 0.5)
	}
	return out
}
