package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

const directoryUsage = `usage: faro directory <command> [flags]

Commands:
  export --csv [--file NAME] [--out FILE]     write entries as CSV (all files, or one)
  import --csv FILE [--out DIR] [--name NAME] [--force]
                                              validate the directory as it would be with
                                              the CSV in the data folder DIR (default
                                              directory/data) as NAME (.csv or .yaml;
                                              default: the CSV's name), list the entries
                                              added, changed and removed, and write it;
                                              an existing file is replaced only with --force
  search --category C (--near PLACE | --location LAT,LON) [--lang L] [--open] [--free]
         [--page N]                           nearest services, as the bot finds them
  locate PLACE                                how a typed place name is understood
  lines --tags T[,T...] [--lang L]            national lines for topics

Every command takes --data DIR to read a data folder instead of the embedded data.
`

// runDirectory implements "faro directory": spreadsheet export and import of the
// services directory, and searches for checking the data by hand. It prints results
// only to stdout and keeps nothing.
func runDirectory(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = ctx // every command is a short local computation
	_ = stdin
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, directoryUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var err error
	switch args[0] {
	case "export":
		err = directoryExport(args[1:], stdout)
	case "import":
		err = directoryImport(args[1:], stdout)
	case "search":
		err = directorySearch(args[1:], stdout)
	case "locate":
		err = directoryLocate(args[1:], stdout)
	case "lines":
		err = directoryLines(args[1:], stdout)
	default:
		fmt.Fprintf(stderr, "faro directory: unknown command %q\n\n%s", args[0], directoryUsage)
		return 2
	}
	var ue dirUsageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "faro directory %s: %v\n", args[0], err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "faro directory %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// dirUsageError is a mistake in the command line (exit status 2).
type dirUsageError struct{ msg string }

func (e dirUsageError) Error() string { return e.msg }

// newFlags returns a flag set that reports errors instead of exiting, with --data.
func dirFlags(name string) (*flag.FlagSet, *string) {
	fl := flag.NewFlagSet("faro directory "+name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	data := fl.String("data", "", "data folder to read instead of the embedded data")
	return fl, data
}

func dirParseFlags(fl *flag.FlagSet, args []string) error {
	if err := fl.Parse(args); err != nil {
		return dirUsageError{err.Error()}
	}
	return nil
}

// openDirectory loads the embedded data, or the folder dir.
func openDirData(dir string) (*directory.Directory, error) {
	if dir == "" {
		return directory.Default()
	}
	return directory.Load(os.DirFS(dir))
}

func directoryExport(args []string, stdout io.Writer) error {
	fl, data := dirFlags("export")
	asCSV := fl.Bool("csv", false, "write CSV (the only format)")
	file := fl.String("file", "", "export only the entries of this data file (e.g. services.yaml)")
	out := fl.String("out", "", "write to this file instead of stdout")
	if err := dirParseFlags(fl, args); err != nil {
		return err
	}
	if !*asCSV {
		return dirUsageError{"--csv is required"}
	}
	d, err := openDirData(*data)
	if err != nil {
		return err
	}
	if *file != "" && !dirContains(d.Files(), *file) {
		return dirUsageError{fmt.Sprintf("no data file %q (have %s)", *file, strings.Join(d.Files(), ", "))}
	}
	var buf bytes.Buffer
	if err := directory.WriteCSV(&buf, d.Entries(*file)); err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return nil
}

func directoryImport(args []string, stdout io.Writer) error {
	fl, data := dirFlags("import")
	in := fl.String("csv", "", "CSV file to import")
	outDir := fl.String("out", "directory/data", "data folder to write into")
	name := fl.String("name", "", "data file to write (.csv or .yaml); default: the CSV's name")
	force := fl.Bool("force", false, "replace a data file that exists (after reading what changes)")
	if err := dirParseFlags(fl, args); err != nil {
		return err
	}
	if *in == "" {
		return dirUsageError{"--csv FILE is required"}
	}
	target := *name
	if target == "" {
		target = filepath.Base(*in)
	}
	ext := strings.ToLower(filepath.Ext(target))
	if target != filepath.Base(target) || (ext != ".csv" && ext != ".yaml" && ext != ".yml") {
		return dirUsageError{fmt.Sprintf("--name %q: want a file name ending in .csv or .yaml", target)}
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	// Check the whole directory as it will be, the file among the data it lives with.
	base := directory.Embedded()
	if *data != "" {
		base = os.DirFS(*data)
	} else if hasDirDataFiles(*outDir) {
		base = os.DirFS(*outDir)
	}
	imp, err := directory.Import(base, target, f, time.Now())
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	for _, p := range imp.Problems {
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stdout, "%s: %d added, %d changed, %d removed\n", target, len(imp.Added), len(imp.Changed), len(imp.Removed))
	for _, l := range []struct {
		sign string
		ids  []string
	}{{"+", imp.Added}, {"~", imp.Changed}, {"-", imp.Removed}} {
		for _, id := range l.ids {
			fmt.Fprintf(stdout, "  %s %s\n", l.sign, id)
		}
	}
	if errs := imp.Errors(); errs > 0 {
		return fmt.Errorf("%d errors in the directory as it would be: nothing written", errs)
	}
	dst := filepath.Join(*outDir, target)
	_, statErr := os.Stat(dst)
	if (imp.Replaces || statErr == nil) && !*force {
		return fmt.Errorf("%s exists: read the changes above, then run again with --force to replace it", dst)
	}
	if err := os.WriteFile(dst, imp.Data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	fmt.Fprintf(stdout, "wrote %d entries to %s\n", len(imp.Entries), dst)
	return nil
}

// hasDataFiles reports whether dir holds directory data files.
func hasDirDataFiles(dir string) bool {
	des, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, de := range des {
		switch strings.ToLower(filepath.Ext(de.Name())) {
		case ".csv", ".yaml", ".yml":
			return true
		}
	}
	return false
}

func directorySearch(args []string, stdout io.Writer) error {
	fl, data := dirFlags("search")
	cat := fl.String("category", "", "service category")
	near := fl.String("near", "", "a place name, as a user would type it")
	loc := fl.String("location", "", "LAT,LON, as a location pin")
	lang := fl.String("lang", "es", "language of the texts")
	open := fl.Bool("open", false, "only services open now")
	free := fl.Bool("free", false, "only free services")
	page := fl.Int("page", 0, "page, from 0")
	if err := dirParseFlags(fl, args); err != nil {
		return err
	}
	d, err := openDirData(*data)
	if err != nil {
		return err
	}
	if !dirContains(d.Categories(), *cat) {
		return dirUsageError{fmt.Sprintf("--category: want one of %s", strings.Join(d.Categories(), ", "))}
	}
	var lat, lon float64
	switch {
	case *loc != "" && *near == "":
		if lat, lon, err = parseDirLatLon(*loc); err != nil {
			return dirUsageError{err.Error()}
		}
		if p, ok := d.PlaceAt(lat, lon); ok {
			fmt.Fprintf(stdout, "Pin in %s (%s)\n", p.Name, p.Region)
		} else {
			fmt.Fprintln(stdout, "Pin outside Peru")
		}
	case *near != "" && *loc == "":
		places := d.Locate(*near)
		if len(places) == 0 {
			fmt.Fprintf(stdout, "Unknown place %q\n", *near)
			return nil
		}
		if len(places) > 1 {
			fmt.Fprintf(stdout, "%q is ambiguous; using the first of:\n", *near)
			for i, p := range places {
				fmt.Fprintf(stdout, "  %d. %s (%s)\n", i+1, p.Name, p.Region)
			}
		}
		p := places[0]
		fmt.Fprintf(stdout, "Near %s (%s), ubigeo %s\n", p.Name, p.Region, p.Code)
		lat, lon = p.Lat, p.Lon
	default:
		return dirUsageError{"give either --near PLACE or --location LAT,LON"}
	}
	cards, more := d.Nearby(flows.Query{Lang: *lang, Category: *cat, Lat: lat, Lon: lon, Page: *page, Now: time.Now(), OpenNow: *open, FreeOnly: *free})
	if len(cards) == 0 {
		fmt.Fprintln(stdout, "No services nearby.")
	}
	for i, c := range cards {
		printDirCard(stdout, *page*3+i+1, c)
	}
	if more {
		fmt.Fprintf(stdout, "(more: --page %d)\n", *page+1)
	}
	fmt.Fprintln(stdout, "National lines:")
	for _, c := range d.Lines(*lang, []string{*cat}, "") {
		printDirCard(stdout, 0, c)
	}
	return nil
}

func directoryLocate(args []string, stdout io.Writer) error {
	fl, data := dirFlags("locate")
	if err := dirParseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return dirUsageError{"give a place name"}
	}
	d, err := openDirData(*data)
	if err != nil {
		return err
	}
	places := d.Locate(strings.Join(fl.Args(), " "))
	if len(places) == 0 {
		fmt.Fprintln(stdout, "Unknown place.")
	}
	for i, p := range places {
		fmt.Fprintf(stdout, "%d. %s (%s) ubigeo %s at %.5f,%.5f\n", i+1, p.Name, p.Region, p.Code, p.Lat, p.Lon)
	}
	return nil
}

func directoryLines(args []string, stdout io.Writer) error {
	fl, data := dirFlags("lines")
	tags := fl.String("tags", "", "comma-separated topics (emergency, violence, police, ...)")
	lang := fl.String("lang", "es", "language of the texts")
	if err := dirParseFlags(fl, args); err != nil {
		return err
	}
	if *tags == "" {
		return dirUsageError{"--tags is required"}
	}
	d, err := openDirData(*data)
	if err != nil {
		return err
	}
	for _, c := range d.Lines(*lang, strings.Split(*tags, ","), "") {
		printDirCard(stdout, 0, c)
	}
	return nil
}

func parseDirLatLon(s string) (float64, float64, error) {
	a, b, ok := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("--location %q: want LAT,LON in degrees", s)
	}
	return lat, lon, nil
}

// printCard writes a card as plain text, for people checking the data.
func printDirCard(w io.Writer, n int, c flows.Card) {
	head := c.Name
	if n > 0 {
		head = fmt.Sprintf("%d. %s", n, c.Name)
	}
	if c.Distance >= 0 {
		head += fmt.Sprintf(" — %.1f km", c.Distance/1000)
	}
	switch c.Open {
	case flows.Always:
		head += " — 24 h"
	case flows.OpenNow:
		head += " — open, closes " + c.Until
	case flows.ClosedNow:
		head += " — closed, opens " + c.Opens
	}
	fmt.Fprintln(w, head)
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "   %s%s\n", label, v)
		}
	}
	line("", c.Desc)
	line("Phones: ", strings.Join(c.Phones, " / "))
	line("WhatsApp: ", c.WhatsApp)
	line("Web: ", c.Web)
	line("Address: ", c.Address)
	line("Place: ", c.Place)
	line("Hours: ", c.Hours)
	var facts []string
	if c.Free {
		facts = append(facts, "free")
	}
	if c.Docs != "" {
		facts = append(facts, "asks for: "+c.Docs)
	}
	if c.Verified != "" {
		facts = append(facts, "verified "+c.Verified)
	}
	if c.Unconfirmed {
		facts = append(facts, "dato por confirmar")
	}
	line("", strings.Join(facts, "; "))
	line("Note: ", c.Note)
}

func dirContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
