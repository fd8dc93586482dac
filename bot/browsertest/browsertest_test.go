package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// TestStartRetriesAChromiumThatExits: a Chromium that exits as it starts is started
// again; one that never starts fails the test after three tries.
func TestStartRetriesAChromiumThatExits(t *testing.T) {
	if os.Getenv("FARO_SKIP_BROWSER") == "1" {
		t.Skip("FARO_SKIP_BROWSER=1")
	}
	chromium, err := FindChromium()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	script := filepath.Join(dir, "flaky-chromium")
	// the first start exits at once, as the one seen in CI did
	body := "#!/bin/sh\necho x >> " + count + "\nif [ \"$(wc -l < " + count + ")\" -lt 2 ]; then exit 1; fi\nexec " + chromium + " \"$@\"\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FARO_CHROMIUM", script)
	if r := start(t); r.failed {
		t.Fatalf("a Chromium that exits once: %s", r.msg)
	}
	if b, _ := os.ReadFile(count); strings.Count(string(b), "x") != 2 {
		t.Errorf("started %d times, want 2", strings.Count(string(b), "x"))
	}
	t.Setenv("FARO_CHROMIUM", "/bin/false")
	if r := start(t); !r.failed || !strings.Contains(r.msg, "3 tries") {
		t.Errorf("a Chromium that never starts: failed=%v %q", r.failed, r.msg)
	}
}
