package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/store/storetest"
)

// reserveAddr returns a free loopback address and keeps it taken until release is
// called, so that nothing started meanwhile on port 0 (the server under test) is given
// it: releasing it just before its user binds it leaves no room for a clash.
func reserveAddr(t *testing.T) (addr string, release func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().String(), func() { _ = ln.Close() }
}

// TestLoadAgainstServe runs a short `faro load` against the real server: every reply
// must reach the load generator's fake APIs once, in the calibrated order.
//
// It checks correctness, not throughput, so the rate is one that a 2-core machine
// serves with room to spare even under -race (about 6 ms of CPU per message there)
// and with other test binaries running: an overloaded server answers some messages
// with its apology when a Redis round trip outlasts its store timeout (500 ms), and
// those replies would count as mismatched.
func TestLoadAgainstServe(t *testing.T) {
	tgAddr, releaseTG := reserveAddr(t)
	twAddr, releaseTW := reserveAddr(t)
	s := startServe(t, storetest.URL(t), "FARO_TELEGRAM_API_URL", "http://"+tgAddr, "FARO_TWILIO_API_URL", "http://"+twAddr)
	t.Setenv("FARO_TELEGRAM_WEBHOOK_SECRET", srvTGSecret)
	t.Setenv("FARO_TWILIO_AUTH_TOKEN", srvTWToken)
	t.Setenv("FARO_PUBLIC_URL", srvPublic)
	var out, errOut bytes.Buffer
	releaseTG()
	releaseTW()
	code := runLoad(context.Background(), []string{"-target", s.base, "-rate", "60", "-duration", "2s", "-users", "30",
		"-fake-telegram", tgAddr, "-fake-twilio", twAddr, "-settle", "300ms", "-drain", "5s", "-script", "hola,1,menu"},
		nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("faro load exited %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"answers map[200:120]", "lost 0, duplicated 0, mismatched 0", "webhook answer"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
