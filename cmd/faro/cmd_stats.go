package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/stats"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// statsOrgRE is what an organization code may look like (as in a deep link), or
// stats.NoOrg.
var statsOrgRE = regexp.MustCompile(`^([A-Za-z0-9_-]{1,64}|-)$`)

// runStats is `faro stats [--from DATE] [--to DATE] [--org CODE] [--csv]`: the
// statistics of the Redis of FARO_REDIS_URL, suppressed exactly as on the console's
// page (every count under 5 is "<5").
func runStats(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return runStatsEnv(ctx, args, stdout, stderr, os.Getenv, time.Now)
}

func runStatsEnv(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, now func() time.Time) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "first month, YYYY-MM (or a day: its month; default: 2 months before --to)")
	to := fs.String("to", "", "last month, YYYY-MM (or a day: its month; default: the last month that has ended)")
	org := fs.String("org", "", "one organization's code: its new conversations by week (\"-\": those without a code)")
	asCSV := fs.Bool("csv", false, "print CSV (section,row,column,value) instead of tables")
	lang := fs.String("lang", locales.Reference, "language of the titles (the console's: es, en)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: faro stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--org CODE] [--csv]")
		fmt.Fprintln(stderr, "\nThe statistics in the Redis of FARO_REDIS_URL, by week and by month, for months")
		fmt.Fprintln(stderr, "that have ended only (a month is the ISO weeks whose Thursday falls in it). Every")
		fmt.Fprintln(stderr, "count under 5 is printed as <5, and a count that would give one back from a total as *.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ui, err := locales.Console()
	if err != nil {
		fmt.Fprintln(stderr, "faro stats:", err)
		return 1
	}
	if fs.NArg() != 0 || (*org != "" && !statsOrgRE.MatchString(*org)) || !slices.Contains(locales.ConsoleUI(ui), *lang) {
		fs.Usage()
		return 2
	}
	loc := stats.Lima()
	today := now().In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	parse := func(name, v string) (time.Time, bool) {
		if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			return t, true
		}
		if t, _, err := stats.MonthRange(v, loc); err == nil {
			return t, true
		}
		fmt.Fprintf(stderr, "faro stats: --%s: want YYYY-MM or YYYY-MM-DD\n", name)
		return time.Time{}, false
	}
	_, end, _ := stats.Closed(today, today, today, loc)
	if *to != "" {
		t, ok := parse("to", *to)
		if !ok {
			return 2
		}
		end = t
	}
	start := end
	for range 2 { // three months
		f, _, _ := stats.MonthRange(stats.MonthOf(start), loc)
		start = f.AddDate(0, 0, -1)
	}
	if *from != "" {
		f, ok := parse("from", *from)
		if !ok {
			return 2
		}
		start = f
	}
	if start.After(end) || end.Sub(start) > 800*24*time.Hour {
		fmt.Fprintln(stderr, "faro stats: --from must be before --to, at most 800 days apart")
		return 2
	}
	// As on the console: whole months that have ended, each on its own.
	start, end, ok := stats.Closed(start, end, today, loc)
	if !ok {
		rep := &stats.Report{Org: *org}
		if *asCSV {
			err = stats.WriteCSV(stdout, rep)
		} else {
			err = stats.WriteText(stdout, rep, statsTexts(ui, *lang))
		}
		if err != nil {
			fmt.Fprintln(stderr, "faro stats:", err)
			return 1
		}
		return 0
	}
	rdb, err := dialConfigured(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "faro stats:", err)
		return 1
	}
	defer func() { _ = rdb.Close() }()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	data, err := stats.New(rdb, stats.Options{Location: loc}).Load(ctx, start, end)
	if err != nil {
		fmt.Fprintln(stderr, "faro stats:", err)
		return 1
	}
	rep := stats.Build(data, *org)
	if *asCSV {
		err = stats.WriteCSV(stdout, rep)
	} else {
		err = stats.WriteText(stdout, rep, statsTexts(ui, *lang))
	}
	if err != nil {
		fmt.Fprintln(stderr, "faro stats:", err)
		return 1
	}
	return 0
}

// statsTexts are the text report's sentences in lang, from the console's catalog.
func statsTexts(ui *locales.Catalog, lang string) stats.Texts {
	var nodes func(string) string
	if f, err := flows.Load(flows.Embedded(), flows.DefaultFile); err == nil {
		if texts, err := locales.Default(); err == nil {
			nodes = console.NodeLabels(f, texts, lang)
		}
	}
	row, col := console.StatsLabels(ui, lang, nodes)
	return stats.Texts{
		Heading: func(from, to, org string) string {
			if org != "" {
				return ui.Text(lang, "stats.heading_org", map[string]any{"From": from, "To": to, "Org": org})
			}
			return ui.Text(lang, "stats.heading", map[string]any{"From": from, "To": to})
		},
		Legend: ui.Text(lang, "stats.legend", nil),
		Month: func(id, from, to string) string {
			return ui.Text(lang, "stats.month", map[string]any{"Month": id, "From": from, "To": to})
		},
		Row:      row,
		Col:      col,
		NoMonths: ui.Text(lang, "stats.no_months", nil),
		Title:    func(id string) string { return ui.Text(lang, "stats.section."+id, nil) },
		Total:    ui.Text(lang, "stats.total", nil),
		Nothing:  ui.Text(lang, "stats.empty", nil),
	}
}
