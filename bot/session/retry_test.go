package session_test

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// slowProxy forwards TCP to a Redis server; when slow is set, it holds the next answer
// for delay before passing it on (the server has already executed the command), as a
// server or network that stalls for a moment would.
type slowProxy struct {
	ln    net.Listener
	slow  atomic.Bool
	delay time.Duration
	evals atomic.Int32 // commit scripts sent through, retries included
	wg    sync.WaitGroup
}

func newSlowProxy(t *testing.T, target string, delay time.Duration) *slowProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{ln: ln, delay: delay}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.wg.Add(2)
			go func() {
				defer p.wg.Done()
				defer s.Close()
				buf := make([]byte, 32<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						p.evals.Add(int32(bytes.Count(bytes.ToLower(buf[:n]), []byte("evalsha"))))
						if _, werr := s.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
			go func() {
				defer p.wg.Done()
				defer c.Close()
				buf := make([]byte, 32<<10)
				for {
					n, err := s.Read(buf)
					if n > 0 {
						if p.slow.CompareAndSwap(true, false) {
							time.Sleep(p.delay)
						}
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return p
}

// TestSlowAnswerIsNotADuplicate: when Redis answers a commit later than the client
// waits, the client sends it again; the second run finds the message id that the
// first one recorded. It must recognise its own attempt and report the message as
// saved, so the person gets her reply: before, it reported a duplicate and she got
// nothing, emergency numbers included. A real redelivery is still a duplicate.
func TestSlowAnswerIsNotADuplicate(t *testing.T) {
	ctx := context.Background()
	direct := storetest.Start(t)
	proxy := newSlowProxy(t, direct.Options().Addr, 300*time.Millisecond)
	opts := *direct.Options()
	opts.Addr = proxy.ln.Addr().String()
	opts.ReadTimeout = 100 * time.Millisecond
	opts.MaxRetries = 3
	opts.MinRetryBackoff, opts.MaxRetryBackoff = time.Millisecond, 5*time.Millisecond
	c := redis.NewClient(&opts)
	t.Cleanup(func() { _ = c.Close() })
	st := session.NewRedis(c, session.Options{})
	if err := st.LoadScript(ctx); err != nil {
		t.Fatal(err)
	}
	key := store.UserKey(secret, "telegram", "4242")
	// a first commit opens the connection, so the stall hits a commit's answer
	if _, err := st.Commit(ctx, store.UserKey(secret, "telegram", "1"), session.Change{MsgID: "w", Next: flows.Session{Lang: "es"}}); err != nil {
		t.Fatal(err)
	}

	proxy.slow.Store(true)
	sent := proxy.evals.Load()
	res, err := st.Commit(ctx, key, session.Change{MsgID: "u1", Next: flows.Session{Lang: "es", Node: "emergency"}})
	if n := proxy.evals.Load() - sent; n < 2 {
		t.Fatalf("the client sent the commit %d time(s): the fault was not reproduced (%+v, %v)", n, res, err)
	}
	if err != nil || res.Dup || len(res.Saved) == 0 {
		t.Fatalf("Commit retried after a slow answer = %+v, %v; want saved, not a duplicate", res, err)
	}
	if got := direct.Get(ctx, store.KeysOf("", key).Session()).Val(); got == "" {
		t.Fatal("nothing stored")
	}
	res, err = st.Commit(ctx, key, session.Change{MsgID: "u1", Prev: res.Saved, Next: flows.Session{Lang: "es", Node: "home"}})
	if err != nil || !res.Dup {
		t.Fatalf("the platform's redelivery = %+v, %v; want a duplicate", res, err)
	}
}
