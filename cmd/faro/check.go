package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/locales"
)

// runCheck validates all content and prints every problem, not just the first.
func runCheck(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := sourceFlags(fs)
	quiet := fs.Bool("q", false, "print errors only, no warnings")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !*quiet {
		if texts, err := locales.Load(src.LocalesFS()); err == nil {
			for _, line := range content.Summary(texts, 3) {
				fmt.Fprintln(stdout, line)
			}
		}
	}
	problems := content.Check(*src, time.Now())
	for _, p := range problems {
		if *quiet && p.Severity != content.Error {
			continue
		}
		fmt.Fprintln(stdout, p)
	}
	errs := content.Errors(problems)
	fmt.Fprintf(stdout, "faro check: %d errors, %d warnings\n", errs, len(problems)-errs)
	if errs > 0 {
		return 1
	}
	return 0
}
