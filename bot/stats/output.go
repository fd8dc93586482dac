package stats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Titles are the English titles of the sections, for `faro stats` and the CSV
// (the console has its own, in its catalog).
var Titles = map[string]string{
	SecConversations:  "New conversations by week and organization code",
	SecChannels:       "New conversations by channel",
	SecLanguages:      "New conversations by language",
	SecInterrupts:     "Emergency and self-harm interrupts by week",
	SecHandoffs:       "Handoffs requested and answered by week",
	SecWaiting:        "Waiting time of answered handoffs (minutes)",
	SecOutcomes:       "How handoffs ended",
	SecSearches:       "Service searches by week: something found or nothing",
	SecSearchCategory: "Service searches by category",
	SecMisses:         "Messages not understood, by node and intent",
	SecTopics:         "Topics opened (nodes entered)",
	SecEvents:         "Other events",
}

// cellText escapes what a spreadsheet would run as a formula.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the report as CSV: section, row, column, value, one line per
// value; totals have "total" as their row or column. Every value is suppressed.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	rec := func(sec, row, col string, v Value) {
		_ = cw.Write([]string{sec, cellText(row), cellText(col), v.String()})
	}
	_ = cw.Write([]string{"section", "row", "column", "value"})
	for _, s := range r.Sections {
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
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("stats: csv: %w", err)
	}
	return nil
}

// WriteText writes the report as aligned tables for a terminal.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Faro statistics %s to %s", r.From, r.To)
	if r.Org != "" {
		fmt.Fprintf(&b, ", organization %s", r.Org)
	}
	fmt.Fprintf(&b, "\n<5: fewer than 5. *: hidden so that a count under 5 cannot be worked out from a total.\n")
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "\n%s\n", Titles[s.ID])
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := []string{""}
		head = append(head, s.Cols...)
		if s.RowTotals != nil {
			head = append(head, "total")
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for i, row := range s.Rows {
			line := []string{row}
			for j := range s.Cols {
				line = append(line, s.Cells[i][j].String())
			}
			if s.RowTotals != nil {
				line = append(line, s.RowTotals[i].String())
			}
			fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
		}
		if s.ColTotals != nil {
			line := []string{"total"}
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
			fmt.Fprintln(tw, "(nothing yet)\t")
		}
		_ = tw.Flush()
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("stats: write: %w", err)
	}
	return nil
}
