package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/faro-chat/faro/bot/stats"
)

// Stats is what the statistics page reads; *stats.Recorder implements it.
type Stats interface {
	Load(ctx context.Context, from, to time.Time) (stats.Data, error)
	Location() *time.Location
}

var _ Stats = (*stats.Recorder)(nil)

// statsWeeks is the default period: the last 12 weeks, this one included.
const statsWeeks = 12

// maxStatsDays bounds the period a request may ask for (the counts are kept 400 days).
const maxStatsDays = 400

var orgPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// statsQuery is a request's period and organization, checked.
type statsQuery struct {
	From, To time.Time
	Org      string
}

// Values is the query as URL parameters, for the CSV link.
func (q statsQuery) Values() string {
	v := url.Values{}
	v.Set("from", q.From.Format(time.DateOnly))
	v.Set("to", q.To.Format(time.DateOnly))
	if q.Org != "" {
		v.Set("org", q.Org)
	}
	return v.Encode()
}

// statsQueryOf reads from, to (YYYY-MM-DD) and org; what is missing or wrong is the
// default: the last statsWeeks weeks, every organization. The period is widened to
// whole weeks (stats.WholeWeeks).
func (c *Console) statsQueryOf(r *http.Request) statsQuery {
	loc := c.cfg.Stats.Location()
	now := c.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	q := statsQuery{To: today}
	if t, err := time.ParseInLocation(time.DateOnly, r.URL.Query().Get("to"), loc); err == nil && !t.After(today) {
		q.To = t
	}
	monday := q.To.AddDate(0, 0, -((int(q.To.Weekday()) + 6) % 7))
	q.From = monday.AddDate(0, 0, -7*(statsWeeks-1))
	if f, err := time.ParseInLocation(time.DateOnly, r.URL.Query().Get("from"), loc); err == nil && !f.After(q.To) {
		q.From = f
	}
	if q.To.Sub(q.From) > maxStatsDays*24*time.Hour {
		q.From = q.To.AddDate(0, 0, -maxStatsDays)
	}
	q.From, q.To = stats.WholeWeeks(q.From, q.To, loc)
	if o := r.URL.Query().Get("org"); orgPattern.MatchString(o) || o == stats.NoOrg {
		q.Org = o
	}
	return q
}

// statsView is the statistics page.
type statsView struct {
	Query    statsQuery
	Orgs     []string // the organization codes of the period, for the filter
	Sections []statsSection
}

// statsSection is one table of the report, with its chart when it is by week.
type statsSection struct {
	ID    string
	Title string
	Chart *chart
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
	rep, err := c.report(r.Context(), sq)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	v := &statsView{Query: sq}
	full := rep
	if sq.Org != "" {
		if full, err = c.report(r.Context(), statsQuery{From: sq.From, To: sq.To}); err != nil {
			c.fail(w, r, q.lang, err)
			return
		}
	}
	if s, ok := full.Section(stats.SecConversations); ok {
		v.Orgs = s.Cols
	}
	for _, s := range rep.Sections {
		v.Sections = append(v.Sections, c.statsSection(p, s))
	}
	p.Stats = v
	c.render(w, r, http.StatusOK, "stats.html", p)
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
	data, err := c.cfg.Stats.Load(ctx, sq.From, sq.To)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	return stats.Build(data, sq.Org), nil
}

// name is how a row or column is shown: its key in the catalog, else as counted
// (organization codes, node names, categories are data).
func (c *Console) statsName(p *page, kind, name string) string {
	if name == stats.NoOrg {
		return p.T("stats.org.none")
	}
	return c.keyOr(p, "stats."+kind+"."+name+".name", name)
}

func (c *Console) statsSection(p *page, s stats.Section) statsSection {
	out := statsSection{ID: s.ID, Title: p.T("stats.section." + s.ID), RowTotals: s.RowTotals != nil}
	for _, col := range s.Cols {
		if s.ID == stats.SecConversations {
			out.Cols = append(out.Cols, c.statsName(p, "org", col))
		} else {
			out.Cols = append(out.Cols, c.statsName(p, "col", col))
		}
	}
	for i, row := range s.Rows {
		r := statsRow{Name: c.statsName(p, "row", row)}
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
	if s.Weekly {
		out.Chart = c.chartOf(p, s)
	}
	return out
}

// chartOf draws a weekly section: one bar per week, or a group of bars per week (one
// per column). The conversations are drawn as their weekly totals (or the one
// organization's column). A value that is not shown is a flat outlined bar marked
// "<5" or "*": its height would tell what the label hides.
func (c *Console) chartOf(p *page, s stats.Section) *chart {
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
		for j, col := range s.Cols {
			var vals []stats.Value
			for i := range s.Rows {
				vals = append(vals, s.Cells[i][j])
			}
			name := c.statsName(p, "col", col)
			if s.ID == stats.SecConversations {
				name = c.statsName(p, "org", col)
			}
			ss = append(ss, series{name, vals})
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
