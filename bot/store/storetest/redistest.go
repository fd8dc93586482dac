// Package redistest starts a real redis-server for integration tests.
//
// Tests call Start(t). It uses FARO_TEST_REDIS_URL when set (make test sets it to the
// server it started); otherwise it starts a private redis-server on a free loopback port
// for the test binary. Without a server it skips the test, except under CI=true, where a
// missing Redis is a failure: CI must prove the Redis code paths.
package storetest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

var (
	once    sync.Once
	url     string
	initErr error
)

// URL returns the address of a real redis-server for tests (see the package doc).
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { url, initErr = start() })
	if initErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is required under CI=true: %v", initErr)
		}
		t.Skipf("no redis-server (install it or run make test): %v", initErr)
	}
	return url
}

// Start returns a client on a fresh logical database of a real redis-server, flushed
// before the test and closed after it.
func Start(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(URL(t))
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	ctx := context.Background()
	opt.DB = nextDB(ctx, t, opt)
	c := redis.NewClient(opt)
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("flush redis db %d: %v", opt.DB, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var (
	dbOnce  sync.Once
	dbCount int64 = 16
)

// nextDB hands out the server's databases but 0 round robin, counted in the server
// itself (a counter in database 0), so that tests never share keys: neither tests of
// one binary nor those of the package binaries go test runs side by side against the
// same server (each flushes its database when it starts). scripts/test.sh starts its
// server with 1,024 databases, so that a long test keeps its own while others cycle.
func nextDB(ctx context.Context, t testing.TB, opt *redis.Options) int {
	t.Helper()
	o := *opt
	o.DB = 0
	c := redis.NewClient(&o)
	defer c.Close()
	dbOnce.Do(func() {
		if v, err := c.ConfigGet(ctx, "databases").Result(); err == nil {
			if n, err := strconv.ParseInt(v["databases"], 10, 64); err == nil && n > 1 {
				dbCount = n
			}
		}
	})
	n, err := c.Incr(ctx, "storetest:next-db").Result()
	if err != nil {
		t.Fatalf("pick a redis database: %v", err)
	}
	c.Expire(ctx, "storetest:next-db", time.Hour)
	return int((n-1)%(dbCount-1)) + 1
}

func start() (string, error) {
	if u := os.Getenv("FARO_TEST_REDIS_URL"); u != "" {
		return u, ping(u)
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", fmt.Errorf("look up redis-server: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	dir, err := os.MkdirTemp("", "faro-redis-")
	if err != nil {
		return "", fmt.Errorf("temp dir: %w", err)
	}
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir, "--daemonize", "no")
	// Killed when the test binary exits, so no server outlives the tests.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start redis-server: %w", err)
	}
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err = ping(u); err == nil {
			return u, nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return "", fmt.Errorf("redis-server did not answer: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ping(u string) error {
	opt, err := redis.ParseURL(u)
	if err != nil {
		return fmt.Errorf("parse %q: %w", strings.SplitN(u, "@", 2)[len(strings.SplitN(u, "@", 2))-1], err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}
