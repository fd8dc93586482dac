package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/faro-chat/faro/locales"
)

// runLocaleReview writes the review record of a locale (locales/review/<lang>.toml):
// its status, the date, the reviewer's organization, and the fingerprints of the
// current Spanish texts, so that faro check can list what changes in Spanish later.
func runLocaleReview(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("locale-review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "locales", "folder with the <lang>.toml files (the source tree's, not the embedded copy)")
	status := fs.String("status", locales.StatusReviewed, "reviewed, or draft (to record the Spanish texts a new translation was made from)")
	reviewer := fs.String("reviewer", "", "the organization whose native speaker reviewed the texts (required for reviewed)")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "date of the review, YYYY-MM-DD")
	note := fs.String("note", "", "anything a reader of the record should know")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: faro locale-review [flags] LANG")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	lang := fs.Arg(0)
	c, err := locales.Load(os.DirFS(*dir))
	if err != nil {
		fmt.Fprintf(stderr, "faro locale-review: %v\n", err)
		return 1
	}
	if *status == locales.StatusDraft {
		*date = ""
	}
	r, err := c.Record(lang, *status, *date, *reviewer, *note)
	if err != nil {
		fmt.Fprintf(stderr, "faro locale-review: %v\n", err)
		return 2
	}
	data, err := r.Encode(lang)
	if err != nil {
		fmt.Fprintf(stderr, "faro locale-review: %v\n", err)
		return 1
	}
	out := filepath.Join(*dir, locales.ReviewDir, lang+".toml")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		fmt.Fprintf(stderr, "faro locale-review: %v\n", err)
		return 1
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "faro locale-review: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %s, %d keys recorded in %s\n", lang, r.Status, len(r.Source), out)
	return 0
}
