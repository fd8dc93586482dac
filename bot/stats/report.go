package stats

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sections of a Report, in order. Their ids name them in the console's catalog
// ("stats.section.<id>") and in the CSV.
const (
	SecConversations  = "conversations"   // weeks × organization code; both totals
	SecChannels       = "channels"        // new conversations by channel, period
	SecLanguages      = "languages"       // new conversations by language, period
	SecInterrupts     = "interrupts"      // weeks × emergency, crisis; both totals
	SecHandoffs       = "handoffs"        // weeks × requested, answered; column totals
	SecWaiting        = "waiting"         // waiting-time buckets of answered handoffs, period
	SecOutcomes       = "outcomes"        // how handoffs ended, period
	SecSearches       = "searches"        // weeks × found, none; both totals
	SecSearchCategory = "search_category" // category × found, none; both totals
	SecMisses         = "misses"          // node and intent not understood, period
	SecTopics         = "topics"          // nodes entered, period; no total
	SecEvents         = "events"          // other events (safety question, nobody online, ratings), period; no total
	SecFeedback       = "feedback"        // the community's reports by kind, and whether a list helped (helped:yes|no), period; no total
)

// Section is one suppressed table of a Month. Weekly sections have the month's weeks
// as rows (the Monday, YYYY-MM-DD) and are drawn as charts.
type Section struct {
	ID     string
	Weekly bool
	Shown
}

// Report is what the statistics show: closed months, each suppressed on its own. It
// is what leaves the server, on the console page, in the CSV and in `faro stats`.
//
// Every number in it counts one closed period that overlaps no other: an ISO week
// (a row of a weekly section) or a month of whole ISO weeks (Month: the other
// sections, and the weekly sections' column totals). Nothing adds up several months,
// and a month is published only once it has ended, computed from its own counts
// alone: whatever period is asked for, a month is shown exactly alike, so two
// reports can never be subtracted to get less than a week's or a month's count.
type Report struct {
	From, To string // YYYY-MM-DD: the first Monday and the last Sunday
	// Org, when set, narrows the conversations section to one organization's column.
	Org    string
	Months []Month
}

// Month is one reporting month, suppressed as a whole (see Build).
type Month struct {
	ID       string // YYYY-MM
	From, To string // YYYY-MM-DD: its first Monday and its last Sunday
	Sections []Section
}

// Section returns the section id, if present.
func (m *Month) Section(id string) (Section, bool) {
	for _, s := range m.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// week is the Monday of day d.
func week(d time.Time) time.Time {
	off := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -off)
}

// MonthOf names the reporting month of day d (YYYY-MM): the calendar month of the
// Thursday of d's ISO week, as ISO 8601 gives a week its year. A reporting month is
// thus 4 or 5 whole ISO weeks, and every week is in exactly one month.
func MonthOf(d time.Time) string {
	return week(d).AddDate(0, 0, 3).Format("2006-01")
}

// MonthRange is the first Monday and the last Sunday of the reporting month
// (YYYY-MM), as midnights in loc.
func MonthRange(month string, loc *time.Location) (from, to time.Time, err error) {
	m, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("stats: month %q: want YYYY-MM", month)
	}
	first := func(m time.Time) time.Time { // the Monday of the week of the month's first Thursday
		d := week(m)
		if d.AddDate(0, 0, 3).Month() != m.Month() {
			d = d.AddDate(0, 0, 7)
		}
		return d
	}
	return first(m), first(m.AddDate(0, 1, 0)).AddDate(0, 0, -1), nil
}

// Closed narrows the months from the month of from to the month of to to those that
// have ended before today (all in loc), and returns the days they span; ok is false
// when none has.
func Closed(from, to, today time.Time, loc *time.Location) (first, last time.Time, ok bool) {
	day := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	first, _, _ = MonthRange(MonthOf(day(from)), loc)
	_, last, _ = MonthRange(MonthOf(day(to)), loc)
	today = day(today)
	for !last.Before(today) { // the month before
		f, _, _ := MonthRange(MonthOf(last), loc)
		last = f.AddDate(0, 0, -1)
	}
	return first, last, !first.After(last)
}

// Build turns the counts of consecutive days into the suppressed report: one Month
// for each reporting month that data covers entirely (the days of a month cut by the
// start or end of data are left out). org, when not empty, narrows the
// conversations section to that organization. Build does not know what day it is:
// the caller asks only for closed months (Closed).
func Build(data Data, org string) *Report {
	rep := &Report{Org: org}
	for len(data) > 0 {
		id := MonthOf(data[0].Day)
		n := 1
		for n < len(data) && MonthOf(data[n].Day) == id {
			n++
		}
		from, to, _ := MonthRange(id, data[0].Day.Location())
		if data[0].Day.Equal(from) && data[n-1].Day.Equal(to) {
			m := buildMonth(id, data[:n], org)
			rep.Months = append(rep.Months, m)
			if rep.From == "" {
				rep.From = m.From
			}
			rep.To = m.To
		}
		data = data[n:]
	}
	return rep
}

// buildMonth suppresses one month's tables together: the tables, their links, and
// the audit of everything they show.
func buildMonth(id string, data Data, org string) Month {
	rep := Month{ID: id, From: data[0].Day.Format(time.DateOnly), To: data[len(data)-1].Day.Format(time.DateOnly)}
	var weeks []string
	weekOf := make([]int, len(data))
	for i, d := range data {
		w := week(d.Day).Format(time.DateOnly)
		if len(weeks) == 0 || weeks[len(weeks)-1] != w {
			weeks = append(weeks, w)
		}
		weekOf[i] = len(weeks) - 1
	}

	// Period sums by field, and weekly sums by field.
	period := map[string]int64{}
	weekly := make([]map[string]int64, len(weeks))
	for i := range weekly {
		weekly[i] = map[string]int64{}
	}
	for i, d := range data {
		for f, n := range d.Counts {
			period[f] += n
			weekly[weekOf[i]][f] += n
		}
	}
	fields := func(prefix string) []string {
		var out []string
		for f := range period {
			if strings.HasPrefix(f, prefix) {
				out = append(out, f)
			}
		}
		slices.Sort(out)
		return out
	}

	// New conversations: weeks × org; channel and language over the period.
	orgs := map[string]bool{}
	chans, langs := map[string]int64{}, map[string]int64{}
	convWeek := make([]map[string]int64, len(weeks))
	for i := range convWeek {
		convWeek[i] = map[string]int64{}
	}
	for wi, m := range weekly {
		for f, n := range m {
			p := strings.Split(f, ":")
			if p[0] != KindConversation || len(p) != 4 {
				continue
			}
			orgs[p[1]] = true
			convWeek[wi][p[1]] += n
		}
	}
	for f, n := range period {
		p := strings.Split(f, ":")
		if p[0] != KindConversation || len(p) != 4 {
			continue
		}
		chans[p[2]] += n
		langs[p[3]] += n
	}
	if len(orgs) == 0 { // nothing counted: a column of "<5" rather than no table
		orgs[NoOrg] = true
	}
	orgCols := sortedKeys(orgs)
	conv := &Table{Rows: weeks, Cols: orgCols, RowTotals: true, ColTotals: true}
	for wi := range weeks {
		row := make([]int64, len(orgCols))
		for j, o := range orgCols {
			row[j] = convWeek[wi][o]
		}
		conv.Cells = append(conv.Cells, row)
	}
	byChannel := column(chans, "count")
	byLang := column(langs, "count")

	// Interrupts, handoffs and searches by week.
	weeklyTable := func(cols []string, field func(col string) string, rowTotals bool) *Table {
		t := &Table{Rows: weeks, Cols: cols, RowTotals: rowTotals, ColTotals: true}
		for wi := range weeks {
			row := make([]int64, len(cols))
			for j, c := range cols {
				row[j] = weekly[wi][field(c)]
			}
			t.Cells = append(t.Cells, row)
		}
		return t
	}
	interrupts := weeklyTable([]string{"emergency", "crisis"}, func(c string) string { return KindEvent + ":" + c }, true)
	handoffs := weeklyTable([]string{"requested", "answered"}, func(c string) string { return KindHandoff + ":" + c }, false)
	searchSum := func(wi int, what string) int64 {
		var n int64
		for f, v := range weekly[wi] {
			if strings.HasPrefix(f, KindSearch+":") && strings.HasSuffix(f, ":"+what) {
				n += v
			}
		}
		return n
	}
	searches := &Table{Rows: weeks, Cols: []string{"found", "none"}, RowTotals: true, ColTotals: true}
	for wi := range weeks {
		searches.Cells = append(searches.Cells, []int64{searchSum(wi, "found"), searchSum(wi, "none")})
	}

	// Period tables.
	wait := &Table{Cols: []string{"count"}, ColTotals: true}
	for _, b := range WaitBuckets {
		wait.Rows = append(wait.Rows, b)
		wait.Cells = append(wait.Cells, []int64{period[KindHandoff+":wait:"+b]})
	}
	outcomes := column(trimmed(period, fields(KindHandoff+":outcome:"), KindHandoff+":outcome:"), "count")
	cats := map[string][2]int64{}
	for _, f := range fields(KindSearch + ":") {
		p := strings.Split(f, ":")
		if len(p) != 3 {
			continue
		}
		c := cats[p[1]]
		if p[2] == "found" {
			c[0] += period[f]
		} else {
			c[1] += period[f]
		}
		cats[p[1]] = c
	}
	searchCat := &Table{Cols: []string{"found", "none"}, RowTotals: true, ColTotals: true}
	for _, c := range sortedKeys(cats) {
		searchCat.Rows = append(searchCat.Rows, c)
		searchCat.Cells = append(searchCat.Cells, []int64{cats[c][0], cats[c][1]})
	}
	misses := column(trimmed(period, fields(KindMiss+":"), KindMiss+":"), "count")
	topics := column(trimmed(period, fields(KindTopic+":"), KindTopic+":"), "count")
	topics.ColTotals = false // nodes entered are not a partition of anything: no total
	evs := trimmed(period, fields(KindEvent+":"), KindEvent+":")
	delete(evs, "emergency")
	delete(evs, "crisis")
	events := column(evs, "count")
	events.ColTotals = false
	fb := trimmed(period, fields(KindFeedback+":"), "")
	for k, v := range trimmed(period, fields(KindHelped+":"), "") {
		fb[k] = v
	}
	feedback := column(fb, "count")
	feedback.ColTotals = false // reports and taps are not a partition of anything: no total

	tables := []*Table{conv, byChannel, byLang, interrupts, handoffs, wait, outcomes, searches, searchCat, misses, topics, events, feedback}
	ids := []string{SecConversations, SecChannels, SecLanguages, SecInterrupts, SecHandoffs, SecWaiting, SecOutcomes, SecSearches, SecSearchCategory, SecMisses, SecTopics, SecEvents, SecFeedback}
	weeklyIDs := map[string]bool{SecConversations: true, SecInterrupts: true, SecHandoffs: true, SecSearches: true}
	// The same counts shown in two tables are hidden in both or in neither.
	links := []link{
		{0, 1, "grand", "col:count"}, {0, 2, "grand", "col:count"}, {1, 2, "col:count", "col:count"},
		{4, 5, "col:answered", "col:count"},
		{7, 8, "grand", "grand"}, {7, 8, "col:found", "col:found"}, {7, 8, "col:none", "col:none"},
	}
	if len(orgCols) == 1 { // one organization: its column total is the grand total
		links[0].a, links[1].a = "col:"+orgCols[0], "col:"+orgCols[0]
	}
	if observe != nil {
		observe(id, ids, tables)
	}
	shown := suppressAudited(tables, links)
	for i, s := range shown {
		if len(s.Rows) == 0 && !weeklyIDs[ids[i]] {
			continue
		}
		if ids[i] == SecTopics {
			sortByShown(&s)
		}
		rep.Sections = append(rep.Sections, Section{ID: ids[i], Weekly: weeklyIDs[ids[i]], Shown: s})
	}
	if org != "" {
		rep.narrow(org)
	}
	return rep
}

// narrow narrows the month's conversations section to organization org's column, as
// suppressed in the whole table.
func (m *Month) narrow(org string) {
	i := slices.IndexFunc(m.Sections, func(s Section) bool { return s.ID == SecConversations })
	if i < 0 {
		return
	}
	s := &m.Sections[i]
	j := slices.Index(s.Cols, org)
	narrowed := Shown{Rows: s.Rows, Cols: []string{org}}
	for i := range s.Rows {
		v := Value{Small: true} // not counted in the month: 0
		if j >= 0 {
			v = s.Cells[i][j]
		}
		narrowed.Cells = append(narrowed.Cells, []Value{v})
	}
	narrowed.ColTotals = []Value{{Small: true}}
	if j >= 0 && s.ColTotals != nil {
		narrowed.ColTotals = []Value{s.ColTotals[j]}
	}
	s.Shown = narrowed
}

// Narrowed is the report with its conversations sections narrowed to organization
// org's column (what Build(data, org) gives), without building it again.
func (r *Report) Narrowed(org string) *Report {
	out := &Report{From: r.From, To: r.To, Org: org}
	for _, m := range r.Months {
		c := m
		c.Sections = slices.Clone(m.Sections)
		if org != "" {
			c.narrow(org)
		}
		out.Months = append(out.Months, c)
	}
	return out
}

// observe, in tests, sees a month's tables before they are suppressed.
var observe func(month string, ids []string, tables []*Table)

// column makes a one-column table of counts by name, sorted by name, with its total.
func column(m map[string]int64, col string) *Table {
	t := &Table{Cols: []string{col}, ColTotals: true}
	for _, k := range sortedKeys(m) {
		t.Rows = append(t.Rows, k)
		t.Cells = append(t.Cells, []int64{m[k]})
	}
	return t
}

// trimmed maps each field (which starts with prefix) without it to its count.
func trimmed(period map[string]int64, fields []string, prefix string) map[string]int64 {
	out := map[string]int64{}
	for _, f := range fields {
		out[strings.TrimPrefix(f, prefix)] += period[f]
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// sortByShown orders a one-column table by its shown values, largest first, the
// hidden ones last by name: the order itself says nothing about a hidden count.
func sortByShown(s *Shown) {
	idx := make([]int, len(s.Rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		va, vb := s.Cells[a][0], s.Cells[b][0]
		switch {
		case va.Shown() && vb.Shown():
			return cmp.Compare(vb.N, va.N)
		case va.Shown():
			return -1
		case vb.Shown():
			return 1
		}
		return cmp.Compare(s.Rows[a], s.Rows[b])
	})
	rows := make([]string, len(idx))
	cells := make([][]Value, len(idx))
	for k, i := range idx {
		rows[k], cells[k] = s.Rows[i], s.Cells[i]
	}
	s.Rows, s.Cells = rows, cells
}
