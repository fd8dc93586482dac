package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// TestFaroStats: `faro stats` prints the counts of FARO_REDIS_URL by week, every
// count under 5 as <5, in tables or as CSV, for one organization with --org.
func TestFaroStats(t *testing.T) {
	c := storetest.Start(t)
	opt := c.Options()
	url := fmt.Sprintf("redis://%s/%d", opt.Addr, opt.DB)
	getenv := func(name string) string {
		if name == "FARO_REDIS_URL" {
			return url
		}
		return ""
	}
	rec := stats.New(c, stats.Options{})
	loc := stats.Lima()
	for d := 0; d < 14; d++ { // two weeks from Monday 2026-11-16
		at := time.Date(2026, 11, 16+d, 12, 0, 0, 0, loc)
		for i := 0; i < 4; i++ {
			rec.Conversation(at, "ORG_A", "telegram", "es")
		}
		rec.Event(at, "topic:rights")
	}
	rec.Conversation(time.Date(2026, 11, 17, 9, 0, 0, 0, loc), "ORG_B", "whatsapp", "es")
	rec.Event(time.Date(2026, 11, 17, 9, 0, 0, 0, loc), "emergency")
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) }
	run := func(args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := runStatsEnv(context.Background(), args, &out, &errOut, getenv, now)
		if errOut.Len() > 0 && code == 0 {
			t.Errorf("stderr: %s", errOut.String())
		}
		return out.String(), code
	}
	out, code := run("--from", "2026-11-16", "--to", "2026-11-29", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"Faro statistics, 2026-11-02 to 2026-11-29", // the whole month
		"2026-11 (2026-11-02 to 2026-11-29)",
		"New conversations by week",
		"fewer than 5",
		"Week of 2026-11-16", "Week of 2026-11-23",
		"rights",              // a topic
		"Telegram", "Spanish", // labels, not field names
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Week 1: ORG_A 28, ORG_B 1 (hidden, and ORG_A with it: 29 - 28 would give it).
	if !strings.Contains(out, "29") || strings.Contains(out, "  28  ") {
		t.Errorf("week 1 total 29 shown, ORG_A's 28 hidden:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, f := range strings.Fields(line) {
			if n, err := strconv.Atoi(f); err == nil && n < stats.MinCount {
				t.Errorf("a count under 5 in %q", line)
			}
		}
	}
	csvOut, code := run("--from", "2026-11-16", "--to", "2026-11-29", "--csv")
	if code != 0 || !strings.HasPrefix(csvOut, "month,section,row,column,value\n") || !strings.Contains(csvOut, "2026-11,interrupts,2026-11-16,emergency,<5") {
		t.Errorf("csv (exit %d):\n%s", code, csvOut)
	}
	orgOut, code := run("--from", "2026-11-16", "--to", "2026-11-29", "--org", "ORG_A")
	if code != 0 || !strings.Contains(orgOut, "organización ORG_A") || strings.Contains(orgOut, "ORG_B") {
		t.Errorf("--org ORG_A (exit %d):\n%s", code, orgOut)
	}
	// Defaults: the last 3 months that have ended (2026-09, 2026-10, 2026-11: Monday
	// 2026-08-31 to Sunday 2026-11-29).
	def, code := run()
	if code != 0 || !strings.Contains(def, "del 2026-08-31 al 2026-11-29") {
		t.Errorf("default period (exit %d):\n%.200s", code, def)
	}
	// Days are widened to whole months: a Wednesday to a Tuesday is the month.
	if out, _ := run("--from", "2026-11-18", "--to", "2026-11-24"); !strings.Contains(out, "del 2026-11-02 al 2026-11-29") {
		t.Errorf("whole months: %.80s", out)
	}
	// A month that has not ended is never printed: December (from Monday 2026-11-30).
	if out, _ := run("--from", "2026-11", "--to", "2026-12", "--csv"); strings.Contains(out, "2026-12,") || strings.Contains(out, "2026-11-30") {
		t.Errorf("an open month printed:\n%s", out)
	}
	if out, code := run("--from", "2026-12", "--to", "2026-12"); code != 0 || !strings.Contains(out, "Ningún mes") {
		t.Errorf("only an open month (exit %d): %s", code, out)
	}
	if _, code := run("--lang", "xx"); code != 2 {
		t.Errorf("an unknown --lang: exit %d, want 2", code)
	}
	if _, code := run("--org", "bad code!"); code != 2 {
		t.Errorf("a bad --org: exit %d, want 2", code)
	}
	if _, code := run("--from", "2026-12-01", "--to", "2026-11-01"); code != 2 {
		t.Errorf("--from after --to: exit %d, want 2", code)
	}
}
