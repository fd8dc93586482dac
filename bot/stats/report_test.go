package stats_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/stats"
)

// sample is the reporting month 2026-11: four weeks of counts (Monday 2026-11-02 to
// Sunday 2026-11-29).
func sample() stats.Data {
	loc := stats.Lima()
	var data stats.Data
	for d := 0; d < 28; d++ {
		day := time.Date(2026, 11, 2+d, 0, 0, 0, 0, loc)
		m := map[string]int64{
			"conv:ORG_A:telegram:es": 3,  // 21 a week
			"conv:-:whatsapp:es":     2,  // 14 a week
			"topic:home":             10, // 70 a week
			"search:health:found":    1,
		}
		if d == 0 {
			m["conv:ORG_B:whatsapp:en"] = 1 // one conversation of ORG_B in the month
			m["ev:emergency"] = 6
			m["ev:crisis"] = 2
			m["search:legal:none"] = 3
			m["handoff:requested"] = 9
			m["handoff:answered"] = 8
			m["handoff:wait:lt5"] = 6
			m["handoff:wait:gt60"] = 2
			m["miss:home:none"] = 12
			m["miss:rights:health"] = 1
		}
		data = append(data, stats.DayCounts{Day: day, Counts: m})
	}
	return data
}

// month is the only month of rep.
func month(t *testing.T, rep *stats.Report) *stats.Month {
	t.Helper()
	if len(rep.Months) != 1 {
		t.Fatalf("%d months, want 1", len(rep.Months))
	}
	return &rep.Months[0]
}

func TestBuildReport(t *testing.T) {
	full := stats.Build(sample(), "")
	if full.From != "2026-11-02" || full.To != "2026-11-29" {
		t.Errorf("period %s to %s", full.From, full.To)
	}
	rep := month(t, full)
	if rep.ID != "2026-11" {
		t.Errorf("month %s", rep.ID)
	}
	conv, ok := rep.Section(stats.SecConversations)
	if !ok || len(conv.Rows) != 4 || strings.Join(conv.Cols, ",") != "-,ORG_A,ORG_B" {
		t.Fatalf("conversations: %+v", conv)
	}
	// ORG_B's 1 is hidden, and with it the smallest cell of its week and of its column's
	// complement; the weekly totals and the grand total stay.
	if conv.Cells[0][2].String() != "<5" || conv.Cells[0][0].Shown() {
		t.Errorf("week 1: %v", conv.Cells[0])
	}
	if conv.Grand == nil || conv.Grand.String() != "141" {
		t.Errorf("grand total %v, want 141", conv.Grand)
	}
	ch, _ := rep.Section(stats.SecChannels)
	if got := ch.Cells; len(got) != 2 || got[0][0].String() != "84" || got[1][0].String() != "57" {
		t.Errorf("channels: %v %v", ch.Rows, got)
	}
	wait, _ := rep.Section(stats.SecWaiting)
	if strings.Join(wait.Rows, ",") != "lt5,5to15,15to60,gt60" || wait.ColTotals[0].String() != "8" {
		t.Errorf("waiting: %v %v %v", wait.Rows, wait.Cells, wait.ColTotals)
	}
	for _, c := range wait.Cells {
		if c[0].Shown() { // 6, 0, 0, 2: hidden 0, 0, 2 add up to 2: 6 goes too
			t.Errorf("waiting: %v shown", c[0])
		}
	}
	topics, _ := rep.Section(stats.SecTopics)
	if topics.ColTotals != nil || topics.Cells[0][0].String() != "280" {
		t.Errorf("topics: %+v", topics)
	}
	// One organization: its weekly column, suppressed as in the whole table.
	one := month(t, stats.Build(sample(), "ORG_B"))
	conv, _ = one.Section(stats.SecConversations)
	if len(conv.Cols) != 1 || conv.Cols[0] != "ORG_B" || conv.ColTotals[0].String() != "<5" || conv.RowTotals != nil {
		t.Errorf("ORG_B: %+v", conv)
	}
}

// TestOutputsNeverShowASmallCount: every value of the CSV and of the text output is
// "<5", "*", or 5 or more.
func TestOutputsNeverShowASmallCount(t *testing.T) {
	rep := stats.Build(sample(), "")
	var b bytes.Buffer
	if err := stats.WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "month,section,row,column,value" || len(recs) < 50 {
		t.Fatalf("csv: %v", recs[:min(3, len(recs))])
	}
	for _, r := range recs[1:] {
		if r[0] != "2026-11" {
			t.Errorf("line of month %q: %v", r[0], r)
		}
		checkValue(t, r[4], r)
	}
	var csvText bytes.Buffer
	_ = stats.WriteCSV(&csvText, rep)
	if !strings.Contains(csvText.String(), "2026-11,conversations,2026-11-02,'-,") {
		t.Errorf("the code-less organization (-) must be escaped for spreadsheets:\n%s", csvText.String()[:300])
	}
	var txt bytes.Buffer
	texts := stats.Texts{
		Heading: func(from, to, org string) string { return "Faro " + from + " " + to },
		Legend:  "<5: fewer than 5",
		Title:   func(id string) string { return id }, Total: "total", Nothing: "nothing",
		Month: func(id, from, to string) string { return "month " + id },
		Row:   func(_, name string) string { return strings.ReplaceAll(name, " ", "_") },
		Col:   func(_, name string) string { return name },
	}
	if err := stats.WriteText(&txt, rep, texts); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(txt.String(), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(line, "Faro") || strings.HasPrefix(line, "<5:") || strings.HasPrefix(line, "==") {
			continue
		}
		for _, v := range f[1:] {
			if _, err := strconv.Atoi(v); err == nil || v == "<5" || v == "*" {
				checkValue(t, v, line)
			}
		}
	}
}

func checkValue(t *testing.T, v string, where any) {
	t.Helper()
	if v == "<5" || v == "*" {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < stats.MinCount {
		t.Errorf("value %q in %v", v, where)
	}
}

// TestFeedbackSection: the community's reports by kind and the one-tap «did it help»
// are a period section of their own, suppressed like the others, with no total.
func TestFeedbackSection(t *testing.T) {
	data := sample()
	data[0].Counts["feedback:wrong_number"] = 7
	data[1].Counts["feedback:suggest"] = 2
	data[2].Counts["helped:yes"] = 9
	data[3].Counts["helped:no"] = 1
	rep := month(t, stats.Build(data, ""))
	s, ok := rep.Section(stats.SecFeedback)
	if !ok {
		t.Fatal("no feedback section")
	}
	got := map[string]string{}
	for i, r := range s.Rows {
		got[r] = s.Cells[i][0].String()
	}
	want := map[string]string{"feedback:wrong_number": "7", "feedback:suggest": "<5", "helped:yes": "9", "helped:no": "<5"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (section %v)", k, got[k], v, got)
		}
	}
	if s.Grand != nil || len(s.ColTotals) != 0 {
		t.Errorf("the feedback section has a total: %+v", s)
	}
	if _, ok := rep.Section(stats.SecEvents); ok {
		ev, _ := rep.Section(stats.SecEvents)
		for _, r := range ev.Rows {
			if strings.HasPrefix(r, "feedback") || strings.HasPrefix(r, "helped") {
				t.Errorf("%s counted among the other events too", r)
			}
		}
	}
}

// TestNarrowedIsBuildWithOrg: narrowing a built report gives what building it for one
// organization gives.
func TestNarrowedIsBuildWithOrg(t *testing.T) {
	for _, org := range []string{"ORG_A", "ORG_B", "-", "ORG_NONE"} {
		var a, b bytes.Buffer
		_ = stats.WriteCSV(&a, stats.Build(sample(), org))
		_ = stats.WriteCSV(&b, stats.Build(sample(), "").Narrowed(org))
		if a.String() != b.String() {
			t.Errorf("%s: narrowed differs from built", org)
		}
	}
}
