package console

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/stats"
)

// withStats gives the fixture's console statistics: three weeks of counts (Monday
// 2026-11-09 to Sunday 2026-11-29) with small cells in them.
func withStats(t *testing.T, f *fixture) {
	t.Helper()
	rec := stats.New(f.rdb, stats.Options{Prefix: f.prefix})
	loc := stats.Lima()
	for d := 0; d < 21; d++ {
		at := time.Date(2026, 11, 9+d, 12, 0, 0, 0, loc)
		for i := 0; i < 3; i++ {
			rec.Conversation(at, "ORG_A", "telegram", "es")
			rec.Event(at, "topic:home")
		}
		for i := 0; i < 2; i++ {
			rec.Conversation(at, "", "whatsapp", "es")
		}
		if d == 0 {
			rec.Conversation(at, "ORG_B", "whatsapp", "en")
			rec.Event(at, "emergency")
			rec.Event(at, "crisis")
			rec.Event(at, "search:legal:none")
			rec.HandoffOpened(at, "general")
			rec.HandoffAnswered(at, 3*time.Minute)
		}
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.console.cfg.Stats = rec
	f.console.now = func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, loc) }
}

var cellRE = regexp.MustCompile(`<td>([^<]*)</td>`)
var svgTextRE = regexp.MustCompile(`<text[^>]*class="val"[^>]*>([^<]*)</text>`)

// checkShown fails on any value that is a number under 5.
func checkShown(t *testing.T, where, v string) {
	t.Helper()
	v = strings.TrimSpace(v)
	if v == "" || v == "<5" || v == "*" {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Errorf("%s: value %q is not a count", where, v)
		return
	}
	if n < stats.MinCount {
		t.Errorf("%s: %d leaves the server", where, n)
	}
}

// TestStatsPage: coordinators only; server-rendered SVG under the console's strict
// CSP (no inline script, no style attribute); every value suppressed, in the page and
// in the CSV.
func TestStatsPage(t *testing.T) {
	f := newFixture(t)
	withStats(t, f)
	coordPw := f.account("coord", RoleCoordinator)
	opPw := f.account("op", RoleOperator)

	anon := f.browser()
	if r := anon.do(http.MethodGet, "/operator/stats", nil); r.status != http.StatusSeeOther || location(r) != "/operator/login" {
		t.Errorf("without a session: %d %s", r.status, location(r))
	}
	if r := anon.do(http.MethodGet, "/operator/stats.csv", nil); r.status != http.StatusSeeOther {
		t.Errorf("csv without a session: %d", r.status)
	}
	op := f.browser()
	op.mustLogin("op", opPw)
	for _, path := range []string{"/operator/stats", "/operator/stats.csv"} {
		if r := op.do(http.MethodGet, path, nil); r.status != http.StatusForbidden || strings.Contains(r.body, "ORG_A") {
			t.Errorf("operator %s: %d", path, r.status)
		}
	}
	if r := op.do(http.MethodGet, "/operator/", nil); strings.Contains(r.body, "/operator/stats") {
		t.Error("an operator's menu links to the statistics")
	}

	co := f.browser()
	co.mustLogin("coord", coordPw)
	if r := co.do(http.MethodGet, "/operator/", nil); !strings.Contains(r.body, `href="/operator/stats"`) {
		t.Error("a coordinator's menu has no link to the statistics")
	}
	r := co.do(http.MethodGet, "/operator/stats?from=2026-11-09&to=2026-11-29", nil)
	if r.status != http.StatusOK {
		t.Fatalf("coordinator: %d\n%s", r.status, r.body)
	}
	if got := r.header.Get("Content-Security-Policy"); got != csp || !strings.Contains(got, "script-src 'self'") {
		t.Errorf("CSP %q", got)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
	}
	body := r.body
	for _, bad := range []string{"<script>", "style=", "javascript:"} {
		if i := strings.Index(body, bad); i >= 0 {
			t.Errorf("page contains %q: %s", bad, body[max(0, i-60):min(len(body), i+60)])
		}
	}
	if m := regexp.MustCompile(`\son[a-z]+=`).FindString(body); m != "" {
		t.Errorf("page has an event handler attribute %q", m)
	}
	if n := strings.Count(body, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4 (conversations, interrupts, handoffs, searches)", n)
	}
	for _, want := range []string{"ORG_A", "106", "Sin código", "&lt;5", `download`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	cells := cellRE.FindAllStringSubmatch(body, -1)
	if len(cells) < 30 {
		t.Fatalf("%d table cells", len(cells))
	}
	for _, m := range cells {
		checkShown(t, "table", text(m[1]))
	}
	for _, m := range svgTextRE.FindAllStringSubmatch(body, -1) {
		checkShown(t, "chart", text(m[1]))
	}

	// Days are widened to whole weeks.
	r = co.do(http.MethodGet, "/operator/stats?from=2026-11-11&to=2026-11-20", nil)
	if !strings.Contains(r.body, `name="from" value="2026-11-09"`) || !strings.Contains(r.body, `name="to" value="2026-11-22"`) {
		t.Error("the period is not widened to whole weeks (Monday 2026-11-09 to Sunday 2026-11-22)")
	}

	// One organization: its column only.
	r = co.do(http.MethodGet, "/operator/stats?from=2026-11-09&to=2026-11-29&org=ORG_B", nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `<option value="ORG_B" selected>`) {
		t.Errorf("org filter: %d", r.status)
	}

	// The CSV: same values, an attachment.
	r = co.do(http.MethodGet, "/operator/stats.csv?from=2026-11-09&to=2026-11-29", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="faro-stats-20261109-20261129.csv"`) {
		t.Fatalf("csv: %d %v", r.status, r.header)
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) < 30 {
		t.Fatalf("csv: %v, %d lines", err, len(recs))
	}
	for _, rec := range recs[1:] {
		checkShown(t, "csv "+strings.Join(rec[:3], "/"), rec[3])
	}
	if !strings.Contains(r.body, "conversations,total,total,106") {
		t.Errorf("csv lacks the grand total:\n%s", r.body)
	}
	if r := co.do(http.MethodGet, "/operator/audit", nil); !strings.Contains(r.body, "downloaded the statistics") && !strings.Contains(r.body, "descargó las estadísticas") {
		t.Error("the CSV download is not in the audit log")
	}
}

// TestStatsPageWithoutStatistics: a console without statistics says so.
func TestStatsPageWithoutStatistics(t *testing.T) {
	f := newFixture(t)
	pw := f.account("coord", RoleCoordinator)
	co := f.browser()
	co.mustLogin("coord", pw)
	r := co.do(http.MethodGet, "/operator/stats", nil)
	if r.status != http.StatusOK || !strings.Contains(text(r.body), f.console.ui.Text("es", "stats.none", nil)) || strings.Contains(r.body, "<svg") {
		t.Errorf("%d\n%s", r.status, r.body)
	}
	if r := co.do(http.MethodGet, "/operator/stats.csv", nil); r.status != http.StatusNotFound {
		t.Errorf("csv: %d", r.status)
	}
}
