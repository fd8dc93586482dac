package stats

import (
	"cmp"
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

// Section is one suppressed table of a Report. Weekly sections have weeks as rows
// (the Monday, YYYY-MM-DD) and are drawn as charts.
type Section struct {
	ID     string
	Weekly bool
	Shown
}

// Report is what the statistics show for a period: every value suppressed. It is
// what leaves the server, on the console page, in the CSV and in `faro stats`.
type Report struct {
	From, To string // YYYY-MM-DD
	// Org, when set, narrows the conversations section to one organization's column.
	Org      string
	Sections []Section
}

// Section returns the section id, if present.
func (r *Report) Section(id string) (Section, bool) {
	for _, s := range r.Sections {
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

// WholeWeeks widens a period to whole weeks: from the Monday of from's week to the
// Sunday of to's, as midnights in loc. Periods are asked for in whole weeks only, so
// that two overlapping periods differ by whole weeks, never by a day: a day's counts
// cannot be had by subtracting one report from another.
func WholeWeeks(from, to time.Time, loc *time.Location) (time.Time, time.Time) {
	f, t := from.In(loc), to.In(loc)
	f = week(time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc))
	t = week(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)).AddDate(0, 0, 6)
	return f, t
}

// Build turns the counts of consecutive days into the suppressed report. org, when
// not empty, narrows the conversations section to that organization.
func Build(data Data, org string) *Report {
	rep := &Report{Org: org}
	if len(data) == 0 {
		return rep
	}
	rep.From, rep.To = data[0].Day.Format(time.DateOnly), data[len(data)-1].Day.Format(time.DateOnly)
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
	if org != "" {
		orgs[org] = true
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
	shown := suppressLinked(tables, links)
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
		s := &rep.Sections[0]
		j := slices.Index(s.Cols, org)
		narrowed := Shown{Rows: s.Rows, Cols: []string{org}}
		for i := range s.Rows {
			narrowed.Cells = append(narrowed.Cells, []Value{s.Cells[i][j]})
		}
		narrowed.ColTotals = []Value{s.ColTotals[j]}
		s.Shown = narrowed
	}
	return rep
}

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
