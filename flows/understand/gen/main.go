// Command gen trains Faro's understanding model from the training split of the corpus
// and writes it for embedding: `go generate ./flows/understand`. Cross-validation of
// the whole understanding (rules, model, policy) is `faro eval --cv N`.
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
	flag.Parse()
	exs, err := understand.ReadCorpus(os.DirFS(*corpus))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	m := understand.Train(exs, understand.DefaultTrainOptions())
	if err := os.WriteFile(*out, m.Marshal(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("gen: %d examples, %d intents -> %s\n", len(exs), len(m.Labels()), *out)
}
