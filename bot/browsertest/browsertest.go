// Package browsertest drives real headless Chromium (through chromedp) for Faro's
// end-to-end tests: the person's phone page of `faro demo` and the operator console.
//
// One Browser per test; each Tab has its own browser context (cookies, storage), so a
// person and two operators can be three tabs of one browser without seeing each
// other's cookies:
//
//	b := browsertest.Start(t)
//	person := b.Tab(t, "person", browsertest.Phone)
//	person.Go(srv.URL + "/")
//	person.WaitText("#log .msg.bot", "Faro")
//	person.Click("#quick button:nth-child(2)")
//	person.Screenshot("person-01-welcome")
//	operator := b.Tab(t, "operator", browsertest.Laptop)
//	operator.Go(srv.URL + "/operator")
//
// Chromium is found in $FARO_CHROMIUM or on the PATH (chromium, chromium-browser,
// google-chrome, headless-shell). Without one the test FAILS, so CI cannot pass by
// skipping; FARO_SKIP_BROWSER=1 skips instead, for a machine that cannot run one.
// Screenshots go to $FARO_SCREENSHOTS, or the git-ignored folder screenshots/ at the
// root of the module.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Timeout bounds one step of a tab (a navigation, a wait, a click). Generous: the
// machines that run the tests are small and shared.
var Timeout = 30 * time.Second

// Device is a tab's screen and the languages its browser asks for.
type Device struct {
	Width, Height int64
	Mobile        bool
	// Lang is the Accept-Language the tab sends ("": Chromium's own).
	Lang string
}

// Devices the tests use.
var (
	// Phone is a small Android phone, in portrait, in Peru.
	Phone = Device{Width: 360, Height: 740, Mobile: true, Lang: "es-PE,es;q=0.9"}
	// Laptop is an old laptop's screen, in Peru.
	Laptop = Device{Width: 1280, Height: 800, Lang: "es-PE,es;q=0.9"}
)

// Browser is one headless Chromium, stopped when the test ends.
type Browser struct {
	ctx   context.Context // the allocator's
	shots string
}

// FindChromium returns the Chromium to run: $FARO_CHROMIUM, or the first of the usual
// names on the PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("FARO_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: install Debian's chromium (make test does), set FARO_CHROMIUM, or set FARO_SKIP_BROWSER=1 to skip the browser tests")
}

// Start starts Chromium for t: headless, no sandbox (containers), no GPU, no QUIC, no
// first-run, background networking, component updates or sync (the network may be
// closed), on a fresh profile in a temporary folder. It fails t when there is no
// Chromium, unless FARO_SKIP_BROWSER=1.
func Start(t testing.TB) *Browser {
	t.Helper()
	if os.Getenv("FARO_SKIP_BROWSER") == "1" {
		t.Skip("FARO_SKIP_BROWSER=1: browser tests skipped")
	}
	path, err := FindChromium()
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	// A Chromium that exits as it starts (seen once in a clean-clone run on a busy
	// machine: "chrome failed to start", nothing in its output) is started again, up
	// to three times, each on a fresh profile: starting is not what the tests test.
	var errs []error
	for range 3 {
		run := append(opts[:len(opts):len(opts)], chromedp.UserDataDir(t.TempDir()))
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), run...)
		// The first tab starts the browser; its context must not carry a timeout.
		ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(func(string, ...any) {}), chromedp.WithErrorf(func(string, ...any) {}))
		err := chromedp.Do(ctx)
		if err == nil {
			t.Cleanup(cancelAlloc)
			t.Cleanup(cancel)
			return &Browser{ctx: ctx, shots: screenshotDir()}
		}
		cancel()
		cancelAlloc()
		errs = append(errs, err)
	}
	t.Fatalf("start Chromium (%s), 3 tries: %v", path, errors.Join(errs...))
	return nil
}

// screenshotDir is $FARO_SCREENSHOTS or <module root>/screenshots.
func screenshotDir() string {
	if d := os.Getenv("FARO_SCREENSHOTS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return "screenshots"
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "screenshots")
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join(dir, "screenshots")
		}
		d = parent
	}
}

// Tab is one page of the browser, in its own browser context.
type Tab struct {
	t    testing.TB
	name string
	ctx  context.Context
	b    *Browser

	mu       sync.Mutex
	problems []string
}

// Tab opens a tab named name (it prefixes failures) on the device v, in a browser
// context of its own (its own cookies). It closes when the test ends.
func (b *Browser) Tab(t testing.TB, name string, v Device) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab := &Tab{t: t, name: name, ctx: ctx, b: b}
	opts := []chromedp.EmulateViewportOption{}
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(v.Width, v.Height, opts...)); err != nil {
		t.Fatalf("%s: open a tab: %v", name, err)
	}
	if v.Lang != "" {
		err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			ua, err := chromedp.Evaluate[string]("navigator.userAgent")(ctx, t)
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: v.Lang})
			return err
		}))
		if err != nil {
			t.Fatalf("%s: language: %v", name, err)
		}
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				tab.mu.Lock()
				tab.problems = append(tab.problems, m.String())
				tab.mu.Unlock()
			}
		}
	}()
	return tab
}

// Context is the tab's chromedp context, for a step this package has no helper for:
// run it with chromedp.Run or chromedp.Do under a timeout derived from it.
func (tab *Tab) Context() context.Context { return tab.ctx }

// do runs steps under Timeout, failing the test with what on error.
func (tab *Tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tab.fail("%s: %v", what, err)
	}
}

// fail takes a screenshot for the record and fails the test.
func (tab *Tab) fail(format string, args ...any) {
	tab.t.Helper()
	name := "FAILED-" + regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(tab.t.Name(), "_")
	if path, err := tab.screenshot(name); err == nil {
		args = append(args, path)
		format += " (screenshot %s)"
	}
	tab.t.Fatalf(tab.name+": "+format, args...)
}

// Go opens url and waits for the page to load.
func (tab *Tab) Go(url string) {
	tab.t.Helper()
	tab.do("open "+url, chromedp.Navigate(url))
}

// Reload reloads the page.
func (tab *Tab) Reload() {
	tab.t.Helper()
	tab.do("reload", chromedp.Reload())
}

// Eval evaluates a JavaScript expression in the page and decodes its value into T.
func Eval[T any](tab *Tab, expr string) T {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tab.fail("eval %s: %v", expr, err)
	}
	return v
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// poll evaluates a boolean JavaScript expression until it is true, or fails with what.
func (tab *Tab) poll(what, expr string) {
	tab.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				tab.fail("%s: %v", what, err)
			}
			tab.fail("%s: not within %s", what, Timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// matching is a JavaScript expression: the elements matching sel whose text contains
// text (all of them when text is "").
func matching(sel, text string) string {
	return `Array.from(document.querySelectorAll(` + jsString(sel) + `)).filter(function (e) { return e.textContent.indexOf(` + jsString(text) + `) >= 0 && !e.closest('[hidden]'); })`
}

// WaitText waits until an element matching the CSS selector sel, not hidden, contains
// text ("" for any).
func (tab *Tab) WaitText(sel, text string) {
	tab.t.Helper()
	tab.poll(fmt.Sprintf("wait for %s containing %q", sel, text), matching(sel, text)+`.length > 0`)
}

// WaitCount waits until at least n elements match sel, not hidden.
func (tab *Tab) WaitCount(sel string, n int) {
	tab.t.Helper()
	tab.poll(fmt.Sprintf("wait for %d of %s", n, sel), matching(sel, "")+fmt.Sprintf(`.length >= %d`, n))
}

// WaitGone waits until no element matching sel is visible.
func (tab *Tab) WaitGone(sel string) {
	tab.t.Helper()
	tab.poll("wait for no "+sel, matching(sel, "")+`.length === 0`)
}

// Count returns how many elements match sel, not hidden.
func (tab *Tab) Count(sel string) int {
	tab.t.Helper()
	return Eval[int](tab, matching(sel, "")+`.length`)
}

// Texts returns the text of each element matching sel, not hidden.
func (tab *Tab) Texts(sel string) []string {
	tab.t.Helper()
	return Eval[[]string](tab, matching(sel, "")+`.map(function (e) { return e.textContent; })`)
}

// Click waits for the element matching sel and clicks it (a real mouse click).
func (tab *Tab) Click(sel string) {
	tab.t.Helper()
	tab.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// Submit clicks the submit button matching sel (a real mouse click) and waits until
// the page the form leads to has loaded. A click on the next page's controls before
// that would land on the old page, or at the old page's coordinates on the new one.
func (tab *Tab) Submit(sel string) {
	tab.t.Helper()
	const mark = `window.__browsertestLeaving`
	tab.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	Eval[bool](tab, mark+` = true`)
	tab.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	tab.poll("load after "+sel, mark+` !== true && document.readyState === "complete"`)
}

// ClickText waits for an element matching sel whose text contains text and clicks it
// (the first one), e.g. ClickText("#quick button", "Servicios").
func (tab *Tab) ClickText(sel, text string) {
	tab.t.Helper()
	tab.WaitText(sel, text)
	tab.poll(fmt.Sprintf("click %s containing %q", sel, text),
		`(function () { var e = `+matching(sel, text)+`[0]; if (!e) { return false; } e.scrollIntoView(); e.click(); return true; })()`)
}

// Type types text into the element matching sel (keys, as a person would), then
// Enter when enter is set.
func (tab *Tab) Type(sel, text string, enter bool) {
	tab.t.Helper()
	if enter {
		text += "\r"
	}
	tab.do("type into "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// SetValue sets a form field's value directly (faster than Type for long texts).
func (tab *Tab) SetValue(sel, value string) {
	tab.t.Helper()
	tab.do("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// Cookie returns the value of the page's cookie name, HttpOnly ones included ("" if
// none): tests use it to address the person the page is.
func (tab *Tab) Cookie(name string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	r, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (*network.GetCookiesResult, error) {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{})
		return &res, err
	})
	if err != nil {
		tab.fail("cookies: %v", err)
	}
	for _, c := range r.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// DeleteCookie deletes the page's cookie name for url, as an expired session would.
func (tab *Tab) DeleteCookie(name, url string) {
	tab.t.Helper()
	tab.do("delete cookie "+name, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.DeleteCookies, network.DeleteCookiesParams{Name: name, URL: url})
		return err
	}))
}

// Screenshot writes the tab's page, whole, as <name>.png in the screenshot folder and
// returns its path.
func (tab *Tab) Screenshot(name string) string {
	tab.t.Helper()
	path, err := tab.screenshot(name)
	if err != nil {
		tab.t.Fatalf("%s: screenshot %s: %v", tab.name, name, err)
	}
	return path
}

func (tab *Tab) screenshot(name string) (string, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	// A page still being laid out (a new tab, a busy machine) has no size yet and
	// Chromium refuses to capture it: wait for one, briefly.
	var png []byte
	var err error
	for attempt := 0; ; attempt++ {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "0 width") {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		return "", fmt.Errorf("capture: %w", err)
	}
	if err := os.MkdirAll(tab.b.shots, 0o755); err != nil {
		return "", fmt.Errorf("screenshot folder: %w", err)
	}
	path := filepath.Join(tab.b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	return path, nil
}

// PDF prints the tab's page as the browser's print dialog would, with the page size
// and margins of the page's CSS (@page) and its backgrounds, writes it as <name>.pdf in
// the screenshot folder and returns its path and bytes.
// see https://chromedevtools.github.io/devtools-protocol/tot/Page/#method-printToPDF
func (tab *Tab) PDF(name string) (string, []byte) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	yes := true
	pdf, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
		return res.Data, err
	})
	if err != nil {
		tab.fail("print %s to PDF: %v", name, err)
	}
	path, err := tab.b.write(name+".pdf", pdf)
	if err != nil {
		tab.t.Fatalf("%s: %v", tab.name, err)
	}
	return path, pdf
}

// ElementScreenshot captures the first element matching sel, at scale times the CSS
// pixel size (2 for a sharper picture), and returns the PNG; it writes nothing.
func (tab *Tab) ElementScreenshot(sel string, scale float64) []byte {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS(sel), scale))
	if err != nil {
		tab.fail("screenshot of %s: %v", sel, err)
	}
	return png
}

// write writes a file of the screenshot folder.
func (b *Browser) write(name string, data []byte) (string, error) {
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		return "", fmt.Errorf("screenshot folder: %w", err)
	}
	path := filepath.Join(b.shots, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return path, nil
}

// Problems returns the errors and uncaught exceptions the page wrote to the console
// so far (a script error, a Content-Security-Policy violation, a failed request).
func (tab *Tab) Problems() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.problems...)
}

// NoProblems fails the test when the console shows an uncaught exception or a
// Content-Security-Policy violation. Failed requests (a reconnect after the server
// dropped the stream) are not problems.
func (tab *Tab) NoProblems() {
	tab.t.Helper()
	for _, p := range tab.Problems() {
		if strings.Contains(p, "Content Security Policy") || strings.Contains(p, "Uncaught") || strings.Contains(strings.ToLower(p), "exception") {
			tab.t.Errorf("%s: console: %s", tab.name, p)
		}
	}
}
