package stats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// cellText escapes what a spreadsheet would run as a formula.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the report as CSV: month, section, row, column, value, one line
// per value; totals have "total" as their row or column (the month's total: never
// a sum over months). The rows of weekly sections are weeks (their Monday). Every
// value is suppressed.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"month", "section", "row", "column", "value"})
	for _, m := range r.Months {
		writeMonthCSV(cw, m)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("stats: csv: %w", err)
	}
	return nil
}

func writeMonthCSV(cw *csv.Writer, m Month) {
	rec := func(sec, row, col string, v Value) {
		_ = cw.Write([]string{m.ID, sec, cellText(row), cellText(col), v.String()})
	}
	for _, s := range m.Sections {
		for i, row := range s.Rows {
			for j, col := range s.Cols {
				rec(s.ID, row, col, s.Cells[i][j])
			}
			if s.RowTotals != nil {
				rec(s.ID, row, "total", s.RowTotals[i])
			}
		}
		for j, col := range s.Cols {
			if s.ColTotals != nil {
				rec(s.ID, "total", col, s.ColTotals[j])
			}
		}
		if s.Grand != nil {
			rec(s.ID, "total", "total", *s.Grand)
		}
	}
}

// Texts are the sentences of the text report, from the console's catalog
// (locales/console: stats.*).
type Texts struct {
	// Heading says the period (From, To) and the organization (Org, "" for all).
	Heading func(from, to, org string) string
	// Month heads a month's tables (its id YYYY-MM, its first Monday and last Sunday).
	Month func(id, from, to string) string
	// Row and Col name a section's row or column (ids as in the CSV: an
	// organization's code, a channel, a category, ...).
	Row, Col func(section, name string) string
	// NoMonths says that no month of the period has ended.
	NoMonths string
	// Legend says what "<5" and "*" mean.
	Legend string
	// Title names a section by its id.
	Title func(id string) string
	// Total names the totals' row and column; Nothing says a table is empty.
	Total, Nothing string
}

// WriteText writes the report as aligned tables for a terminal, month by month, in
// the sentences of texts.
func WriteText(w io.Writer, r *Report, texts Texts) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", texts.Heading(r.From, r.To, r.Org), texts.Legend)
	if len(r.Months) == 0 {
		fmt.Fprintf(&b, "\n%s\n", texts.NoMonths)
	}
	for _, m := range r.Months {
		fmt.Fprintf(&b, "\n== %s ==\n", texts.Month(m.ID, m.From, m.To))
		writeMonthText(&b, m, texts)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("stats: write: %w", err)
	}
	return nil
}

func writeMonthText(b *strings.Builder, m Month, texts Texts) {
	for _, s := range m.Sections {
		fmt.Fprintf(b, "\n%s\n", texts.Title(s.ID))
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := []string{""}
		for _, c := range s.Cols {
			head = append(head, texts.Col(s.ID, c))
		}
		if s.RowTotals != nil {
			head = append(head, texts.Total)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for i, row := range s.Rows {
			line := []string{texts.Row(s.ID, row)}
			for j := range s.Cols {
				line = append(line, s.Cells[i][j].String())
			}
			if s.RowTotals != nil {
				line = append(line, s.RowTotals[i].String())
			}
			fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
		}
		if s.ColTotals != nil {
			line := []string{texts.Total}
			for j := range s.Cols {
				line = append(line, s.ColTotals[j].String())
			}
			if s.Grand != nil {
				line = append(line, s.Grand.String())
			} else if s.RowTotals != nil {
				line = append(line, "")
			}
			fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
		}
		if len(s.Rows) == 0 {
			fmt.Fprintln(tw, texts.Nothing+"\t")
		}
		_ = tw.Flush()
	}
}
