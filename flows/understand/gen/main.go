// Command gen trains Faro's understanding model from the training split of the corpus
// and writes it for embedding: `go generate ./flows/understand`. With -cv N it reports
// N-fold cross-validated accuracy on the training split instead (for tuning; the
// held-out split is never read here).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/faro-chat/faro/flows/understand"
)

func main() {
	corpus := flag.String("corpus", "corpus/train", "folder of the training split")
	out := flag.String("out", "model.bin", "model file to write")
	cv := flag.Int("cv", 0, "report N-fold cross-validation on the training split instead of writing the model")
	flag.Parse()
	exs, err := understand.ReadCorpus(os.DirFS(*corpus))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	opt := understand.DefaultTrainOptions()
	if *cv > 1 {
		understand.CrossValidate(os.Stdout, exs, opt, *cv)
		return
	}
	m := understand.Train(exs, opt)
	if err := os.WriteFile(*out, m.Marshal(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("gen: %d examples, %d intents -> %s\n", len(exs), len(m.Labels()), *out)
}
