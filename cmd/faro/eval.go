package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/flows/understand"
)

// runEval measures understanding on the held-out split of the corpus (or, with --cv,
// by cross-validation on the training split, for tuning): per-intent precision, recall
// and F1, danger and self-harm recall, false danger, the confusions and the misses.
// Exit status 1 when the held-out figures fail the gate (the one CI holds them to).
func runEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := sourceFlags(fs)
	misses := fs.Bool("misses", false, "list every miss (never edit rules or word lists from held-out misses: add families of phrasings to the training split)")
	cv := fs.Int("cv", 0, "instead, N-fold cross-validation of the whole understanding (rules, model, policy) on the training split, for tuning")
	corpus := fs.String("corpus", "", "folder of .tsv files to evaluate instead of the shipped held-out split")
	split := fs.String("split", "heldout", "shipped split to evaluate: heldout (the gate), or dev (for tuning: its misses may be read)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ct, err := content.Load(*src)
	if err != nil {
		fmt.Fprintf(stderr, "faro eval: %v\n", err)
		return 1
	}
	e := ct.Engine
	if *cv > 1 {
		train, err := understand.Corpus("train")
		if err != nil {
			fmt.Fprintf(stderr, "faro eval: %v\n", err)
			return 1
		}
		pred := make([]understand.Prediction, len(train))
		for f := range *cv {
			var part []understand.Example
			for i, ex := range train {
				if i%*cv != f {
					part = append(part, ex)
				}
			}
			ef := e.WithModel(understand.Train(part, understand.DefaultTrainOptions()))
			for i, ex := range train {
				if i%*cv == f {
					pred[i] = ef.Understand(ex.Text)
				}
			}
		}
		i := 0
		r := understand.Evaluate(train, func(understand.Example) understand.Prediction { p := pred[i]; i++; return p })
		fmt.Fprintf(stdout, "%d-fold cross-validation on the training split\n", *cv)
		r.Write(stdout, *misses)
		return 0
	}
	var exs []understand.Example
	if *corpus != "" {
		exs, err = understand.ReadCorpus(os.DirFS(*corpus))
	} else {
		exs, err = understand.Corpus(*split)
	}
	if err != nil {
		fmt.Fprintf(stderr, "faro eval: %v\n", err)
		return 1
	}
	r := understand.EvaluatePlaces(exs, func(ex understand.Example) understand.Prediction { return e.Understand(ex.Text) }, e.PlaceCode)
	if *corpus != "" || *split != "heldout" {
		fmt.Fprintf(stdout, "%s%s split (for tuning; the gate is on the held-out split)\n", *corpus, map[bool]string{true: "", false: *split}[*corpus != ""])
		r.Write(stdout, *misses)
		return 0
	}
	fmt.Fprintln(stdout, "held-out split (never used to train or tune)")
	r.Write(stdout, *misses)
	if fails := r.Check(understand.TargetGate); len(fails) > 0 {
		fmt.Fprintf(stdout, "\nGATE FAILED:\n  %s\n", strings.Join(fails, "\n  "))
		return 1
	}
	fmt.Fprintln(stdout, "\ngate passed: danger+self-harm recall >= 0.98, false danger <= 0.02, accuracy >= 0.90")
	return 0
}

// runExplain prints how each message given (arguments, or lines on stdin) is
// understood: the intent, the rule or the model's scores and features that decided,
// the language of the text and the slots.
func runExplain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := sourceFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ct, err := content.Load(*src)
	if err != nil {
		fmt.Fprintf(stderr, "faro explain: %v\n", err)
		return 1
	}
	texts := fs.Args()
	if len(texts) == 0 {
		data, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			fmt.Fprintf(stderr, "faro explain: %v\n", err)
			return 1
		}
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				texts = append(texts, l)
			}
		}
	} else {
		texts = []string{strings.Join(texts, " ")}
	}
	for i, t := range texts {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprint(stdout, ct.Engine.Explain(t))
	}
	return 0
}
