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

// withStats gives the fixture's console statistics: the reporting month 2026-11 (four
// weeks, Monday 2026-11-02 to Sunday 2026-11-29) with small cells in them, and counts
// on 2026-11-30, in December, a month that has not ended ("today" is 2026-12-02).
func withStats(t *testing.T, f *fixture) {
	t.Helper()
	rec := stats.New(f.rdb, stats.Options{Prefix: f.prefix})
	loc := stats.Lima()
	for d := 0; d < 28; d++ {
		at := time.Date(2026, 11, 2+d, 12, 0, 0, 0, loc)
		for i := 0; i < 3; i++ {
			rec.Conversation(at, "ORG_A", "telegram", "es")
			rec.Event(at, "topic:home")
			rec.Event(at, "topic:health_tests")
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
		if d < 6 {
			rec.Event(at, "feedback:wrong_number")
			rec.Event(at, "miss:home:rights")
		}
	}
	for i := 0; i < 7; i++ { // December: not shown until it has ended
		rec.Conversation(time.Date(2026, 11, 30, 12, 0, 0, 0, loc), "ORG_DEC", "telegram", "es")
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.console.cfg.Stats = rec
	f.console.now = func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, loc) }
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
	r := co.do(http.MethodGet, "/operator/stats?from=2026-11&to=2026-11", nil)
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
	for _, want := range []string{"ORG_A", "141", "Sin código", "&lt;5", `download`,
		"Semana del 2026-11-02", "Aviso: número equivocado", "Total del mes", "Menú principal",
		"Pruebas", "Menú principal · Mis derechos"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Field names of the counts are not shown: labels are.
	for _, raw := range []string{"feedback:wrong_number", ">home<", ">count<", ">health_tests<"} {
		if strings.Contains(body, raw) {
			t.Errorf("page shows the raw name %q", raw)
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

	// Days are widened to their whole months; a month that has not ended (December)
	// is not shown, whatever is asked.
	for _, q := range []string{"from=2026-11-11&to=2026-11-20", "from=2026-11-11&to=2026-12-31", "from=2026-11&to=2027-01"} {
		r = co.do(http.MethodGet, "/operator/stats?"+q, nil)
		if !strings.Contains(r.body, `name="from" value="2026-11"`) || !strings.Contains(r.body, `name="to" value="2026-11"`) ||
			strings.Contains(r.body, "ORG_DEC") || strings.Contains(r.body, "2026-11-30") {
			t.Errorf("%s: not the whole month 2026-11 alone", q)
		}
	}
	if r := co.do(http.MethodGet, "/operator/stats?from=2026-12&to=2026-12", nil); !strings.Contains(r.body, "Ningún mes de este periodo ha terminado") {
		// to is clamped to the last ended month, then from is after it: the default
		if !strings.Contains(r.body, `name="to" value="2026-11"`) {
			t.Error("an open month asked for alone")
		}
	}

	// One organization: its column only.
	r = co.do(http.MethodGet, "/operator/stats?from=2026-11&to=2026-11&org=ORG_B", nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `<option value="ORG_B" selected>`) {
		t.Errorf("org filter: %d", r.status)
	}

	// The CSV: same values, an attachment.
	r = co.do(http.MethodGet, "/operator/stats.csv?from=2026-11&to=2026-11", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="faro-stats-20261102-20261129.csv"`) {
		t.Fatalf("csv: %d %v", r.status, r.header)
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(recs) < 30 {
		t.Fatalf("csv: %v, %d lines", err, len(recs))
	}
	for _, rec := range recs[1:] {
		checkShown(t, "csv "+strings.Join(rec[:4], "/"), rec[4])
	}
	if !strings.Contains(r.body, "2026-11,conversations,total,total,141") || strings.Contains(r.body, "ORG_DEC") {
		t.Errorf("csv lacks the grand total:\n%s", r.body)
	}
	// faro demo's console shows the month in progress too, and says so.
	f.console.cfg.StatsOpenMonth = true
	if r := co.do(http.MethodGet, "/operator/stats", nil); !strings.Contains(r.body, "ORG_DEC") || !strings.Contains(r.body, "Demostración") {
		t.Error("with StatsOpenMonth, the month in progress is not shown, or not said")
	}
	f.console.cfg.StatsOpenMonth = false
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
