package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// Stats is what the statistics page reads; *stats.Recorder implements it.
type Stats interface {
	Load(ctx context.Context, from, to time.Time) (stats.Data, error)
	Location() *time.Location
}

var _ Stats = (*stats.Recorder)(nil)

// statsMonths is the default period: the last 3 months that have ended.
const statsMonths = 3

// maxStatsDays bounds the period a request may ask for (the counts are kept 400 days).
const maxStatsDays = 400

var orgPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// statsQuery is a request's period and organization, checked.
type statsQuery struct {
	From, To time.Time // the first Monday and the last Sunday of whole, ended months
	Org      string
	Empty    bool // no month of the period has ended
	Open     bool // the month in progress is shown too (Config.StatsOpenMonth)
}

// Values is the query as URL parameters, for the CSV link.
func (q statsQuery) Values() string {
	v := url.Values{}
	v.Set("from", stats.MonthOf(q.From))
	v.Set("to", stats.MonthOf(q.To))
	if q.Org != "" {
		v.Set("org", q.Org)
	}
	return v.Encode()
}

// FromMonth and ToMonth are the period's first and last months (YYYY-MM).
func (q statsQuery) FromMonth() string { return stats.MonthOf(q.From) }

// ToMonth is the period's last month (YYYY-MM).
func (q statsQuery) ToMonth() string { return stats.MonthOf(q.To) }

// parseMonthOrDay reads YYYY-MM (a reporting month) or YYYY-MM-DD (the month of
// that day).
func parseMonthOrDay(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, true
	}
	if from, _, err := stats.MonthRange(s, loc); err == nil {
		return from, true
	}
	return time.Time{}, false
}

// statsQueryOf reads from and to (YYYY-MM, or a day: its month) and org; what is
// missing or wrong is the default: the last statsMonths months that have ended,
// every organization. Only whole months that have ended are shown (stats.Closed).
func (c *Console) statsQueryOf(r *http.Request) statsQuery {
	loc := c.cfg.Stats.Location()
	now := c.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	q := statsQuery{Open: c.cfg.StatsOpenMonth}
	if q.Open { // as if the month in progress had ended (faro demo only)
		_, last, _ := stats.MonthRange(stats.MonthOf(today), loc)
		today = last.AddDate(0, 0, 1)
	}
	_, to, _ := stats.Closed(today, today, today, loc)
	if t, ok := parseMonthOrDay(r.URL.Query().Get("to"), loc); ok && t.Before(to) {
		to = t
	}
	from := to
	for range statsMonths - 1 {
		f, _, _ := stats.MonthRange(stats.MonthOf(from), loc)
		from = f.AddDate(0, 0, -1)
	}
	if f, ok := parseMonthOrDay(r.URL.Query().Get("from"), loc); ok && !f.After(to) {
		from = f
	}
	if to.Sub(from) > maxStatsDays*24*time.Hour {
		from = to.AddDate(0, 0, -maxStatsDays)
	}
	var ok bool
	q.From, q.To, ok = stats.Closed(from, to, today, loc)
	q.Empty = !ok
	if o := r.URL.Query().Get("org"); orgPattern.MatchString(o) || o == stats.NoOrg {
		q.Org = o
	}
	return q
}

// statsView is the statistics page: the weekly charts over the whole period, then
// each month's tables.
type statsView struct {
	Query  statsQuery
	Orgs   []statsOrg // the organization codes of the period, for the filter
	Charts []statsChart
	Months []statsMonth
}

// statsOrg is an organization of the filter: its code and how it is shown.
type statsOrg struct{ Code, Name string }

// statsChart is a weekly section drawn across the months of the period.
type statsChart struct {
	ID, Title string
	Chart     *chart
}

// statsMonth is one month's tables.
type statsMonth struct {
	ID, Title string
	Sections  []statsSection
}

// statsSection is one table of a month.
type statsSection struct {
	ID    string
	Title string
	Cols  []string
	Rows  []statsRow
	// Totals is the row of column totals (empty: none); RowTotals says the rows end
	// with their own total.
	Totals    []string
	RowTotals bool
}

type statsRow struct {
	Name   string
	Values []string
}

// chart is a server-rendered SVG bar chart: every number in it is suppressed.
type chart struct {
	Width, Height int
	Bars          []chartBar
	Labels        []chartLabel
	Legend        []chartLabel
}

type chartBar struct {
	X, Y, W, H int
	Class      string
	Text       string // the value as shown ("12", "<5", "*")
	TX, TY     int
	Title      string
}

type chartLabel struct {
	X, Y  int
	Text  string
	Class string
}

// statsPage is the coordinators' statistics page: suppressed tables and weekly charts.
func (c *Console) statsPage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("stats.title")
	if c.cfg.Stats == nil { // the page says there are none
		c.render(w, r, http.StatusOK, "stats.html", p)
		return
	}
	sq := c.statsQueryOf(r)
	full, err := c.report(r.Context(), statsQuery{From: sq.From, To: sq.To, Empty: sq.Empty})
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	v := &statsView{Query: sq}
	rep := full.Narrowed(sq.Org)
	var nodes func(string) string
	if c.cfg.Engine != nil {
		nodes = NodeLabels(c.cfg.Engine.Flow(), c.cfg.Texts, p.lang)
	}
	row, col := StatsLabels(c.ui, p.lang, nodes)
	seen := map[string]bool{}
	for _, m := range full.Months {
		if s, ok := m.Section(stats.SecConversations); ok {
			for _, o := range s.Cols {
				if !seen[o] {
					seen[o] = true
					v.Orgs = append(v.Orgs, statsOrg{o, col(stats.SecConversations, o)})
				}
			}
		}
	}
	if sq.Org != "" && !seen[sq.Org] {
		v.Orgs = append(v.Orgs, statsOrg{sq.Org, col(stats.SecConversations, sq.Org)})
	}
	if len(rep.Months) > 0 {
		for _, s := range rep.Months[0].Sections {
			if s.Weekly {
				v.Charts = append(v.Charts, statsChart{ID: s.ID, Title: p.T("stats.section." + s.ID),
					Chart: c.chartOf(p, weeklyAcross(rep, s.ID), col)})
			}
		}
	}
	for _, m := range rep.Months {
		sm := statsMonth{ID: m.ID, Title: p.Tf("stats.month", "Month", m.ID, "From", m.From, "To", m.To)}
		for _, s := range m.Sections {
			sm.Sections = append(sm.Sections, statsSectionOf(p, s, row, col))
		}
		v.Months = append(v.Months, sm)
	}
	p.Stats = v
	c.render(w, r, http.StatusOK, "stats.html", p)
}

// weeklyAcross is a weekly section's rows of every month, one after the other, with
// their cells and row totals only: each value is the one shown in its month.
func weeklyAcross(rep *stats.Report, id string) stats.Section {
	var out stats.Section
	out.ID, out.Weekly = id, true
	for _, m := range rep.Months {
		s, ok := m.Section(id)
		if !ok {
			continue
		}
		idx := make([]int, 0, len(out.Cols))
		for _, c := range s.Cols { // the columns of every month
			j := slices.Index(out.Cols, c)
			if j < 0 {
				out.Cols = append(out.Cols, c)
				for i := range out.Cells {
					out.Cells[i] = append(out.Cells[i], stats.Value{Small: true})
				}
				j = len(out.Cols) - 1
			}
			idx = append(idx, j)
		}
		for i, r := range s.Rows {
			out.Rows = append(out.Rows, r)
			cells := make([]stats.Value, len(out.Cols))
			for j := range cells {
				cells[j] = stats.Value{Small: true} // not counted that month: 0
			}
			for k, j := range idx {
				cells[j] = s.Cells[i][k]
			}
			out.Cells = append(out.Cells, cells)
			if s.RowTotals != nil {
				out.RowTotals = append(out.RowTotals, s.RowTotals[i])
			}
		}
	}
	if len(out.RowTotals) != len(out.Rows) {
		out.RowTotals = nil
	}
	return out
}

// statsCSV is the same report as CSV.
func (c *Console) statsCSV(w http.ResponseWriter, r *http.Request, q *request) {
	if c.cfg.Stats == nil {
		http.Error(w, c.ui.Text(q.lang, "stats.none", nil), http.StatusNotFound)
		return
	}
	sq := c.statsQueryOf(r)
	rep, err := c.report(r.Context(), sq)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	c.audit(r.Context(), q.me.ID, "stats_csv", "", sq.Values())
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="faro-stats-%s-%s.csv"`,
		sq.From.Format("20060102"), sq.To.Format("20060102")))
	if err := stats.WriteCSV(w, rep); err != nil {
		c.log.WarnContext(r.Context(), "statistics csv", "error", err.Error())
	}
}

func (c *Console) report(ctx context.Context, sq statsQuery) (*stats.Report, error) {
	if sq.Empty {
		return &stats.Report{Org: sq.Org}, nil
	}
	data, err := c.cfg.Stats.Load(ctx, sq.From, sq.To)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	return stats.Build(data, sq.Org), nil
}

// StatsLabels names the rows and columns of the statistics in lang, from the
// console's catalog (stats.row.*, stats.col.*, stats.org.*), and a step of the flows
// (topics, messages not understood) by nodes (NodeLabels; nil: none); what is in
// neither is data (an organization's code, a category) and is shown as counted. Rows
// of weekly sections are weeks: "week of" their Monday.
func StatsLabels(ui *locales.Catalog, lang string, nodes func(node string) string) (row, col func(section, name string) string) {
	key := func(kind, name string) string {
		if k := "stats." + kind + "." + strings.ReplaceAll(name, ":", ".") + ".name"; ui.Has(lang, k) {
			return ui.Text(lang, k, nil)
		}
		if nodes != nil {
			n := name
			if kind == "intent" {
				n = "intent:" + name
			}
			if l := nodes(n); l != "" && (kind == "row" || kind == "intent") {
				return l
			}
		}
		return name
	}
	row = func(section, name string) string {
		switch section {
		case stats.SecConversations, stats.SecInterrupts, stats.SecHandoffs, stats.SecSearches:
			return ui.Text(lang, "stats.week", map[string]any{"Monday": name})
		case stats.SecMisses: // step:intent
			step, intent, _ := strings.Cut(name, ":")
			return key("row", step) + " · " + key("intent", intent)
		}
		return key("row", name)
	}
	col = func(section, name string) string {
		if section == stats.SecConversations {
			switch name {
			case stats.NoOrg:
				return ui.Text(lang, "stats.org.none", nil)
			case stats.OtherOrg:
				return ui.Text(lang, "stats.org.unknown", nil)
			}
			return name
		}
		return key("col", name)
	}
	return row, col
}

// NodeLabels names each step of flow f in lang by the button that leads to it, from
// the bot's catalog texts: the first option, in the order of the nodes by name and
// of their options, whose goto is the step, its emoji and spaces trimmed ("" when no
// button leads there). "intent:NAME" names an intent of the flow as the step it
// leads to.
func NodeLabels(f *flows.Flow, texts flows.Localizer, lang string) func(node string) string {
	labels := map[string]string{}
	if f == nil || texts == nil {
		return func(string) string { return "" }
	}
	names := make([]string, 0, len(f.Nodes))
	for name := range f.Nodes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, o := range f.Nodes[name].Options {
			if o.Goto == "" || labels[o.Goto] != "" || o.Label == "" {
				continue
			}
			l := strings.TrimFunc(texts.Text(lang, o.Label, nil), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsNumber(r)
			})
			if l != "" && l != o.Label {
				labels[o.Goto] = l
			}
		}
	}
	for _, in := range f.Intents { // an intent is named as the step it leads to
		if l := labels[in.Goto]; l != "" && labels["intent:"+in.Intent] == "" {
			labels["intent:"+in.Intent] = l
		}
	}
	return func(node string) string { return labels[node] }
}

func statsSectionOf(p *page, s stats.Section, row, col func(section, name string) string) statsSection {
	out := statsSection{ID: s.ID, Title: p.T("stats.section." + s.ID), RowTotals: s.RowTotals != nil}
	for _, c := range s.Cols {
		out.Cols = append(out.Cols, col(s.ID, c))
	}
	for i, name := range s.Rows {
		r := statsRow{Name: row(s.ID, name)}
		for j := range s.Cols {
			r.Values = append(r.Values, s.Cells[i][j].String())
		}
		if s.RowTotals != nil {
			r.Values = append(r.Values, s.RowTotals[i].String())
		}
		out.Rows = append(out.Rows, r)
	}
	if s.ColTotals != nil {
		for _, v := range s.ColTotals {
			out.Totals = append(out.Totals, v.String())
		}
		if s.Grand != nil {
			out.Totals = append(out.Totals, s.Grand.String())
		} else if s.RowTotals != nil {
			out.Totals = append(out.Totals, "")
		}
	}
	return out
}

// chartOf draws a weekly section: one bar per week, or a group of bars per week (one
// per column). The conversations are drawn as their weekly totals (or the one
// organization's column). A value that is not shown is a flat outlined bar marked
// "<5" or "*": its height would tell what the label hides.
func (c *Console) chartOf(p *page, s stats.Section, col func(section, name string) string) *chart {
	type series struct {
		name   string
		values []stats.Value
	}
	var ss []series
	switch {
	case s.ID == stats.SecConversations && s.RowTotals != nil:
		ss = []series{{p.T("stats.col.count.name"), s.RowTotals}}
	case s.ID == stats.SecConversations && len(s.Cols) == 0:
		vals := make([]stats.Value, len(s.Rows))
		for i := range vals {
			vals[i] = stats.Value{Small: true}
		}
		ss = []series{{p.T("stats.col.count.name"), vals}}
	default:
		for j, name := range s.Cols {
			var vals []stats.Value
			for i := range s.Rows {
				vals = append(vals, s.Cells[i][j])
			}
			ss = append(ss, series{col(s.ID, name), vals})
		}
	}
	const (
		width, height = 640, 220
		left, bottom  = 8, 36
		top           = 18
	)
	ch := &chart{Width: width, Height: height}
	var most int64 = 1 // the scale: shown values only
	for _, se := range ss {
		for _, v := range se.values {
			if v.Shown() {
				most = max(most, v.N)
			}
		}
	}
	n := len(s.Rows)
	if n == 0 || len(ss) == 0 {
		return ch
	}
	slot := (width - 2*left) / n
	barW := max((slot-4)/len(ss), 2)
	plot := height - bottom - top
	every := 1 + (n-1)/12 // at most ~12 week labels
	for i, week := range s.Rows {
		x0 := left + i*slot + (slot-barW*len(ss))/2
		for k, se := range ss {
			v := se.values[i]
			b := chartBar{X: x0 + k*barW, W: barW - 1, Class: "s" + strconv.Itoa(k), Text: v.String()}
			if v.Shown() {
				b.H = int(int64(plot) * v.N / most)
			} else {
				b.Class += " hidden"
			}
			b.H = max(b.H, 2)
			b.Y = top + plot - b.H
			b.TX, b.TY = b.X+b.W/2, b.Y-3
			b.Title = week + " · " + se.name + ": " + v.String()
			ch.Bars = append(ch.Bars, b)
		}
		if i%every == 0 {
			ch.Labels = append(ch.Labels, chartLabel{X: left + i*slot + slot/2, Y: height - bottom + 14, Text: week[5:]})
		}
	}
	if len(ss) > 1 {
		for k, se := range ss {
			ch.Legend = append(ch.Legend, chartLabel{X: left + k*160, Y: height - 6, Text: se.name, Class: "s" + strconv.Itoa(k)})
		}
	}
	return ch
}
