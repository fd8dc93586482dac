package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"time"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/internal/app"
	"github.com/faro-chat/faro/internal/contentcheck"
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
	problems := checkAll(*src, time.Now())
	for _, p := range problems {
		if *quiet && p.Severity != contentcheck.Error {
			continue
		}
		fmt.Fprintln(stdout, p)
	}
	errs := contentcheck.Errors(problems)
	fmt.Fprintf(stdout, "faro check: %d errors, %d warnings\n", errs, len(problems)-errs)
	if errs > 0 {
		return 1
	}
	return 0
}

// checkAll checks each part on its own, so that one broken part does not hide the
// problems of another.
func checkAll(src app.Sources, now time.Time) []contentcheck.Problem {
	var ps []contentcheck.Problem
	fail := func(where string, err error) {
		ps = append(ps, contentcheck.Problem{Severity: contentcheck.Error, Where: where, Message: err.Error()})
	}
	flowFile := "flows/" + flows.DefaultFile
	data, err := iofs.ReadFile(src.FlowFS(), flows.DefaultFile)
	var f *flows.Flow
	if err != nil {
		fail(flowFile, err)
	} else if f, err = flows.Parse(data); err != nil {
		fail(flowFile, err)
	} else {
		ps = append(ps, contentcheck.Flow(f, flowFile)...)
	}
	texts, err := locales.Load(src.LocalesFS())
	if err != nil {
		fail("locales", err)
	}
	if f != nil && texts != nil {
		ps = append(ps, contentcheck.Texts(f, texts)...)
	}
	dirFS := directory.Embedded()
	where := "directory/data"
	if src.DirectoryDir != "" {
		dirFS, where = os.DirFS(src.DirectoryDir), src.DirectoryDir
	}
	for _, p := range directory.Validate(dirFS, now) {
		sev := contentcheck.Error
		if p.Severity == "warning" {
			sev = contentcheck.Warning
		}
		w := where + "/" + p.File
		if p.Entry != "" {
			w += " entry " + p.Entry
		}
		ps = append(ps, contentcheck.Problem{Severity: sev, Where: w, Message: p.Message})
	}
	return ps
}
