package understand

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite everyday.txt from the training split")

// TestEverydayWords: everyday.txt is the list the training split gives today (words of
// at least everydayMin utterances, none said inside a labelled place).
func TestEverydayWords(t *testing.T) {
	train, err := Corpus("train")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	inPlace := map[string]bool{}
	for _, ex := range train {
		for _, w := range slices.Compact(slices.Sorted(slices.Values(Tokens(Normalize(ex.Text))))) {
			seen[w]++
		}
		for _, w := range Tokens(Normalize(ex.Slots["place"])) {
			inPlace[w] = true
		}
	}
	var words []string
	for w, n := range seen {
		if n >= everydayMin && !inPlace[w] && len(w) >= 3 {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	want := strings.Join(words, "\n") + "\n"
	if *update {
		if err := os.WriteFile("everyday.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if everydayText != want {
		t.Errorf("everyday.txt is not the list of the training split: go test ./flows/understand -run TestEverydayWords -update")
	}
}
