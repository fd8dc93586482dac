package browsertest

import (
	"fmt"
	"runtime"
	"testing"
)

// recorder is a testing.TB that records Fatal and Skip instead of ending the test.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.failed, r.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(f string, args ...any) { r.Fatal(fmt.Sprintf(f, args...)) }
func (r *recorder) Skip(args ...any) {
	r.skipped = true
	runtime.Goexit()
}

func start(t *testing.T) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(r)
	}()
	<-done
	return r
}

// TestNoBrowserFails: without Chromium the browser tests fail (CI cannot pass by
// skipping them); only FARO_SKIP_BROWSER=1 skips.
func TestNoBrowserFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("FARO_CHROMIUM", "")
	t.Setenv("FARO_SKIP_BROWSER", "")
	if r := start(t); !r.failed || r.skipped {
		t.Fatalf("no browser: failed=%v skipped=%v", r.failed, r.skipped)
	}
	t.Setenv("FARO_SKIP_BROWSER", "1")
	if r := start(t); !r.skipped || r.failed {
		t.Fatalf("FARO_SKIP_BROWSER=1: failed=%v skipped=%v", r.failed, r.skipped)
	}
}
