package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server starts a private redis-server for the test with extra arguments (after the
// port, the loopback bind and no persistence) and returns its address. It is killed
// when the test ends. Like URL, it skips without redis-server, except under CI=true.
// The port and the port 10000 above it (a Cluster node's bus) are both free.
func Server(t testing.TB, args ...string) string {
	t.Helper()
	bin := binary(t, "redis-server")
	port := freePortPair(t)
	dir := t.TempDir()
	all := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir}, args...)
	run(t, bin, all...)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitFor(t, "redis-server "+addr, func(ctx context.Context) error {
		c := redis.NewClient(&redis.Options{Addr: addr})
		defer c.Close()
		return c.Ping(ctx).Err()
	})
	return addr
}

// Sentinel starts a master and one Sentinel watching it under name, and returns the
// Sentinel's address and the master's.
func Sentinel(t testing.TB, name string) (sentinel, master string) {
	t.Helper()
	master = Server(t)
	_, mport, _ := net.SplitHostPort(master)
	port := freePortPair(t)
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor %s 127.0.0.1 %s 1\n", port, name, mport)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, binary(t, "redis-server"), conf, "--sentinel")
	sentinel = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitFor(t, "sentinel "+sentinel, func(ctx context.Context) error {
		c := redis.NewSentinelClient(&redis.Options{Addr: sentinel})
		defer c.Close()
		addr, err := c.GetMasterAddrByName(ctx, name).Result()
		if err == nil && net.JoinHostPort(addr[0], addr[1]) != master {
			err = fmt.Errorf("sentinel names %v as master", addr)
		}
		return err
	})
	return sentinel, master
}

// Cluster starts a Redis Cluster of n masters (no replicas) and returns their
// addresses once every slot is served.
func Cluster(t testing.TB, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = Server(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "2000")
	}
	cli := binary(t, "redis-cli")
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range addrs {
		waitFor(t, "cluster node "+a, func(ctx context.Context) error {
			c := redis.NewClient(&redis.Options{Addr: a})
			defer c.Close()
			info, err := c.ClusterInfo(ctx).Result()
			if err == nil && !strings.Contains(info, "cluster_state:ok") {
				err = fmt.Errorf("cluster not ready")
			}
			return err
		})
	}
	return addrs
}

func binary(t testing.TB, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI=true: %v", name, err)
		}
		t.Skipf("no %s (install redis-server or run make test)", name)
	}
	return bin
}

func run(t testing.TB, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", filepath.Base(bin), err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
}

func waitFor(t testing.TB, what string, ready func(context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := ready(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after 10 s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePortPair returns a loopback port p such that p and p+10000 are free.
func freePortPair(t testing.TB) int {
	t.Helper()
	for range 200 {
		p := 20000 + rand.IntN(25000)
		if free(p) && free(p+10000) {
			return p
		}
	}
	t.Fatal("no free pair of loopback ports")
	return 0
}

func free(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}
