package storetest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Proc is a redis-server process that one test owns, for fault injection: it can be
// frozen (SIGSTOP), thawed, killed (SIGKILL) and started again on the same port. It
// keeps nothing on disk, so a restart comes back empty, as a server without
// persistence does after a crash.
type Proc struct {
	t    testing.TB
	bin  string
	port int
	dir  string

	mu     sync.Mutex
	cmd    *exec.Cmd
	paused bool
}

// Own starts a redis-server for the test on a free loopback port and returns it. It is
// killed when the test ends. Like URL, it skips without redis-server, except under
// CI=true.
func Own(t testing.TB) *Proc {
	t.Helper()
	p := &Proc{t: t, bin: binary(t, "redis-server"), port: freePortPair(t), dir: t.TempDir()}
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.stopLocked()
	})
	return p
}

// Addr is the server's host:port.
func (p *Proc) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)) }

// URL is the server's redis:// URL (database 0).
func (p *Proc) URL() string { return "redis://" + p.Addr() + "/0" }

// Client returns a plain client for inspecting the server, closed when the test ends.
func (p *Proc) Client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: p.Addr()})
	p.t.Cleanup(func() { _ = c.Close() })
	return c
}

func (p *Proc) start() error {
	cmd := exec.Command(p.bin, "--port", strconv.Itoa(p.port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", p.dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	p.mu.Lock()
	p.cmd, p.paused = cmd, false
	p.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	c := redis.NewClient(&redis.Options{Addr: p.Addr()})
	defer c.Close()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server on %s did not answer: %w", p.Addr(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Pause freezes the server (SIGSTOP): connections stay open, nothing is answered.
func (p *Proc) Pause() { p.signal(syscall.SIGSTOP, true) }

// Resume thaws a paused server (SIGCONT).
func (p *Proc) Resume() { p.signal(syscall.SIGCONT, false) }

func (p *Proc) signal(sig syscall.Signal, paused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Errorf("signal redis-server: %v", err)
		return
	}
	p.paused = paused
}

// Kill kills the server (SIGKILL) and waits for it to be gone.
func (p *Proc) Kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
}

func (p *Proc) stopLocked() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd, p.paused = nil, false
}

// Restart starts a killed server again on the same port, empty.
func (p *Proc) Restart() {
	p.t.Helper()
	if err := p.start(); err != nil {
		p.t.Error(err)
	}
}
