package erasejob_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/erasejob"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows/flowstest"
)

// platform is a Telegram whose deleteMessages either hangs until the caller gives up
// (a platform that stalls while the process dies) or deletes, refusing for good the
// ids in refuse, once gate (if any) lets it; it records what it deleted and what it
// was given to send.
type platform struct {
	hang   bool
	refuse []string
	gate   chan struct{}

	mu      sync.Mutex
	calls   int
	deleted []string
	sent    []bot.Outbound
}

func (p *platform) Name() string                { return bot.ChannelTelegram }
func (p *platform) Routes() []bot.Route         { return nil }
func (p *platform) Close(context.Context) error { return nil }
func (p *platform) Outlet() bot.Outlet {
	return bot.Outlet{Deliverer: bot.DelivererFunc(func(_ context.Context, m bot.Outbound) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.sent = append(p.sent, m)
		return nil
	})}
}

func (p *platform) DeleteCopies(ctx context.Context, _ string, ids []string) ([]string, error) {
	p.mu.Lock()
	p.calls++
	hang := p.hang
	p.mu.Unlock()
	if hang {
		<-ctx.Done()
		return ids, bot.Retryable("connection", ctx.Err())
	}
	if p.gate != nil {
		<-p.gate
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var left []string
	for _, id := range ids {
		if slices.Contains(p.refuse, id) {
			left = append(left, id)
			continue
		}
		p.deleted = append(p.deleted, id)
	}
	if len(left) > 0 {
		return left, bot.Permanent("refused", errors.New("400 message can't be deleted"))
	}
	return nil, nil
}

func (p *platform) state() (calls int, deleted []string, sent []bot.Outbound) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls, slices.Clone(p.deleted), slices.Clone(p.sent)
}

type keyTexts struct{}

func (keyTexts) Text(lang, key string, _ any) string { return lang + ":" + key }

type counts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counts) Event(name string)        { c.mu.Lock(); c.n[name]++; c.mu.Unlock() }
func (c *counts) EffectFailed(name string) { c.mu.Lock(); c.n["failed:"+name]++; c.mu.Unlock() }
func (c *counts) get(name string) int      { c.mu.Lock(); defer c.mu.Unlock(); return c.n[name] }

// process is one `faro serve` as far as erases go: its jobs, its Forgetter (running
// until stop or kill) and its platform.
type process struct {
	jobs     *erasejob.Store
	f        *bot.Forgetter
	hub      *bot.Hub
	platform *platform
	events   *counts
	stopRun  context.CancelFunc
}

var retry = bot.RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxElapsed: time.Minute, Timeout: time.Minute}

func start(t *testing.T, c redis.UniversalClient, secret []byte, instance string, grace time.Duration, p *platform) *process {
	return startWith(t, c, secret, instance, grace, p, func(j bot.EraseJobs) bot.EraseJobs { return j })
}

// startWith starts a process whose Forgetter reaches its jobs through wrap.
func startWith(t *testing.T, c redis.UniversalClient, secret []byte, instance string, grace time.Duration, p *platform, wrap func(bot.EraseJobs) bot.EraseJobs) *process {
	t.Helper()
	jobs, err := erasejob.New(c, secret, instance, erasejob.Options{Grace: grace})
	if err != nil {
		t.Fatal(err)
	}
	hub := bot.NewHub(bot.HubConfig{})
	if err := hub.Add(p); err != nil {
		t.Fatal(err)
	}
	ev := &counts{n: map[string]int{}}
	f := bot.NewForgetter(bot.ForgetterConfig{Hub: hub, Texts: keyTexts{}, Retry: retry, Events: ev, Jobs: wrap(jobs), Beat: grace / 3, Claim: grace})
	ctx, cancel := context.WithCancel(context.Background())
	go f.Run(ctx)
	pr := &process{jobs: jobs, f: f, hub: hub, platform: p, events: ev, stopRun: cancel}
	t.Cleanup(pr.close)
	return pr
}

// kill ends the process as SIGKILL would, as far as Redis can tell: no more
// renewals, no release, nothing said; the call in flight stays stuck (until the test
// ends).
func (p *process) kill() { p.stopRun() }

// close stops what is left of the process when the test ends.
func (p *process) close() {
	p.stopRun()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_ = p.f.Close(ctx)
	_ = p.hub.Close(context.Background())
}

// erase has a person on Telegram write, and erase her data, through conv, with the
// bot's replies' ids kept as faro serve keeps them on delivery; it returns her key and
// the platform ids of her conversation up to the erase.
func erase(t *testing.T, conv *bot.Conversation, sessions *session.Redis, secret []byte, chat string) (string, []string) {
	t.Helper()
	user := store.UserKey(secret, bot.ChannelTelegram, chat)
	var ids []string
	for i, text := range []string{"hola", "borrar", "1"} {
		mid := strconv.Itoa(100 + i)
		out, err := conv.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, Address: chat, MessageID: "u" + mid, ChatMessageID: mid, Text: text})
		if err != nil || len(out) == 0 {
			t.Fatalf("%q: %v, %v", text, out, err)
		}
		ids = append(ids, mid)
		if text != "1" { // the erase's reply is sent after it, and not kept
			reply := strconv.Itoa(900 + i)
			sessions.KeepCopy(user, reply, bot.CopyKeep(bot.ChannelTelegram), time.Now())
			if i == 0 { // a reply resent (from the outbox, after a crash) is kept twice, sealed twice
				sessions.KeepCopy(user, reply, bot.CopyKeep(bot.ChannelTelegram), time.Now())
			}
			ids = append(ids, reply)
		}
	}
	slices.Sort(ids)
	return user, ids
}

func newConversation(t *testing.T, sessions *session.Redis, secret []byte, f *bot.Forgetter) *bot.Conversation {
	t.Helper()
	e, texts := flowstest.Engine(t, flowstest.NewDirectory())
	conv, err := bot.NewConversation(bot.Config{Engine: e, Texts: texts, Store: sessions, Secret: secret,
		Forget: f.Forget, EraseJob: f.Prepare})
	if err != nil {
		t.Fatal(err)
	}
	return conv
}

func freshSecret(t *testing.T) []byte {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return []byte("erasejob-test-" + hex.EncodeToString(b[:]))
}

// left returns what remains of user in Redis beyond her erase's tombstone and marker,
// and whether the index of jobs still names her.
func left(t *testing.T, c *redis.Client, user string) ([]string, bool) {
	ctx := context.Background()
	keys, err := c.Keys(ctx, "*"+user+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ZScore(ctx, store.ErasingIndex, user).Result()
	return storetest.Left(ctx, c, keys), err == nil
}

// TestErasedWhileKilled: a process commits her erase and starts deleting at the
// platform, which stalls; the process is killed before it answers. Another process
// claims the job once the lease runs out and deletes exactly her conversation's
// copies (hers and the bot's, nothing else), tells her, in her language, that one the
// platform refused remains, and counts it; nothing of her is left in Redis but the
// tombstone and the marker, and the index of jobs no longer names her. Restarted under
// the same name, a process takes its previous run's jobs at once, without waiting for
// the lease.
func TestErasedWhileKilled(t *testing.T) {
	for _, tc := range []struct {
		name, second string
		grace        time.Duration
	}{
		{"another replica, after the lease", "b", 300 * time.Millisecond},
		{"the same instance restarted, at once", "a", time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := storetest.Start(t)
			secret := freshSecret(t)
			batch := store.NewBatcher(c, 0, 0)
			sessions := session.NewRedis(c, session.Options{Secret: secret, Batcher: batch})
			a := start(t, c, secret, "a", tc.grace, &platform{hang: true})
			conv := newConversation(t, sessions, secret, a.f)
			user, ids := erase(t, conv, sessions, secret, "4242")
			channeltest.Eventually(t, 5*time.Second, func() bool { n, _, _ := a.platform.state(); return n > 0 }, "a deletion under way")
			a.kill()
			if _, _, sent := a.platform.state(); len(sent) != 0 {
				t.Fatalf("the killed process said %+v", sent)
			}
			if l, _ := left(t, c, user); len(l) == 0 {
				t.Fatal("nothing of her erase's job is in Redis after the kill: it died with the process")
			}

			refused := ids[0]
			b := start(t, c, secret, tc.second, tc.grace, &platform{refuse: []string{refused}})
			channeltest.Eventually(t, 10*time.Second, func() bool { _, _, sent := b.platform.state(); return len(sent) > 0 }, "her told what remains")
			_, deleted, sent := b.platform.state()
			slices.Sort(deleted)
			if want := ids[1:]; !slices.Equal(deleted, want) {
				t.Errorf("deleted %v, want %v (her conversation but the one refused)", deleted, want)
			}
			if len(sent) != 1 || sent[0].Address != "4242" || sent[0].Text != "es:erase.failed.telegram" {
				t.Errorf("told %+v; want the failed text in her language, once, to her", sent)
			}
			if n := b.events.get("failed:" + bot.EffectEraseCopies); n != 1 {
				t.Errorf("counted %d copies not deleted, want 1", n)
			}
			channeltest.Eventually(t, 5*time.Second, func() bool { l, indexed := left(t, c, user); return len(l) == 0 && !indexed }, "nothing of her left")
		})
	}
}

// TestStoppedJobIsLeftToTheNext: a process stopped in order (a deploy) while a
// deletion waits for a retry gives up nothing and tells her nothing: the job stays,
// its lease ended, and the next process deletes it all at once.
func TestStoppedJobIsLeftToTheNext(t *testing.T) {
	c := storetest.Start(t)
	secret := freshSecret(t)
	sessions := session.NewRedis(c, session.Options{Secret: secret})
	a := start(t, c, secret, "a", time.Hour, &platform{hang: true})
	conv := newConversation(t, sessions, secret, a.f)
	user, ids := erase(t, conv, sessions, secret, "4343")
	channeltest.Eventually(t, 5*time.Second, func() bool { n, _, _ := a.platform.state(); return n > 0 }, "a deletion under way")
	a.stopRun()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	if err := a.f.Close(ctx); err == nil {
		t.Error("Close did not have to cut the stalled call: the test proves nothing")
	}
	cancel()
	if _, _, sent := a.platform.state(); len(sent) != 0 {
		t.Fatalf("the stopped process said %+v", sent)
	}
	if n := a.events.get("failed:" + bot.EffectEraseCopies); n != 0 {
		t.Errorf("the stopped process counted %d copies as not deleted", n)
	}
	b := start(t, c, secret, "b", time.Hour, &platform{})
	channeltest.Eventually(t, 5*time.Second, func() bool { _, d, _ := b.platform.state(); return len(d) == len(ids) }, "the job taken over")
	_, deleted, sent := b.platform.state()
	slices.Sort(deleted)
	if !slices.Equal(deleted, ids) || len(sent) != 0 {
		t.Errorf("deleted %v, said %+v; want %v and nothing said", deleted, sent, ids)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool { l, indexed := left(t, c, user); return len(l) == 0 && !indexed }, "nothing of her left")
}

// TestJobDoneThroughAPause: Redis freezes just as the platform has deleted her
// conversation, so the job's removal times out (and, the second time, may run without
// its answer arriving). The process tries again once Redis is back: the job and her
// entry in the index go at once, not half a minute later when another claim would
// delete it all again and tell her something failed.
func TestJobDoneThroughAPause(t *testing.T) {
	for _, tc := range []struct {
		name   string
		freeze time.Duration
	}{{"frozen", 700 * time.Millisecond}, {"frozen past an attempt", 1500 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := storetest.Own(t)
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ReadTimeout: 150 * time.Millisecond, WriteTimeout: 150 * time.Millisecond, MaxRetries: -1})
			t.Cleanup(func() { _ = c.Close() })
			secret := freshSecret(t)
			sessions := session.NewRedis(c, session.Options{Secret: secret})
			p := &platform{gate: make(chan struct{})}
			a := start(t, c, secret, "a", time.Hour, p) // no claim within the test
			conv := newConversation(t, sessions, secret, a.f)
			user, ids := erase(t, conv, sessions, secret, "4545")
			channeltest.Eventually(t, 5*time.Second, func() bool { n, _, _ := p.state(); return n > 0 }, "a deletion under way")
			srv.Pause()
			close(p.gate)
			time.Sleep(tc.freeze)
			srv.Resume()
			check := srv.Client()
			channeltest.Eventually(t, 5*time.Second, func() bool { l, indexed := left(t, check, user); return len(l) == 0 && !indexed }, "nothing of her left")
			calls, deleted, sent := p.state()
			slices.Sort(deleted)
			if calls != 1 || !slices.Equal(deleted, ids) || len(sent) != 0 {
				t.Errorf("%d calls deleted %v and said %+v; want one call deleting %v, nothing said", calls, deleted, sent, ids)
			}
		})
	}
}

// TestDoneKeepsALaterErase: Done of a job that is gone takes her out of the index
// only if she entered it for that job (or before): a later erase of hers, whose
// commit may be under way, keeps her there for the replicas to find.
func TestDoneKeepsALaterErase(t *testing.T) {
	c := storetest.Start(t)
	ctx := context.Background()
	jobs, err := erasejob.New(c, freshSecret(t), "a", erasejob.Options{})
	if err != nil {
		t.Fatal(err)
	}
	user, at := "u-later", time.Now()
	c.ZAdd(ctx, store.ErasingIndex, redis.Z{Score: float64(at.Unix() + 60), Member: user})
	t.Cleanup(func() { c.ZRem(ctx, store.ErasingIndex, user) })
	if err := jobs.Done(ctx, user, nil, at); err != nil {
		t.Fatal(err)
	}
	if _, indexed := left(t, c, user); !indexed {
		t.Fatal("Done of an earlier job took out her later erase's entry")
	}
	if err := jobs.Done(ctx, user, nil, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, indexed := left(t, c, user); indexed {
		t.Fatal("Done of her job (gone already) left her in the index")
	}
}

// unreadOnce is jobs whose first Load fails, as a Redis that froze right after the
// erase's commit makes it.
type unreadOnce struct {
	bot.EraseJobs
	failed atomic.Bool
}

func (u *unreadOnce) Load(ctx context.Context, user string) (bot.StoredJob, bool, error) {
	if !u.failed.Swap(true) {
		return bot.StoredJob{}, false, errors.New("i/o timeout")
	}
	return u.EraseJobs.Load(ctx, user)
}

// TestJobNotReadAtFirst: the job cannot be read when the erase is committed, so the
// process deletes from what the commit answered; at the end it reads the job again to
// strike off what it did, and removes it and her entry in the index at once.
func TestJobNotReadAtFirst(t *testing.T) {
	c := storetest.Start(t)
	secret := freshSecret(t)
	sessions := session.NewRedis(c, session.Options{Secret: secret})
	p := &platform{}
	a := startWith(t, c, secret, "a", time.Hour, p, func(j bot.EraseJobs) bot.EraseJobs { return &unreadOnce{EraseJobs: j} })
	conv := newConversation(t, sessions, secret, a.f)
	user, ids := erase(t, conv, sessions, secret, "4646")
	channeltest.Eventually(t, 5*time.Second, func() bool { l, indexed := left(t, c, user); return len(l) == 0 && !indexed }, "nothing of her left")
	calls, deleted, sent := p.state()
	slices.Sort(deleted)
	if calls != 1 || !slices.Equal(deleted, ids) || len(sent) != 0 {
		t.Errorf("%d calls deleted %v and said %+v; want one call deleting %v, nothing said", calls, deleted, sent, ids)
	}
}
