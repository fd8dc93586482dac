package understand

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rules' functions as they were before they looked each token up once (Classify):
// the reference the tests compare them with.

func refNegated(tokens []string, buf []bool) []bool {
	var neg []bool
	if cap(buf) >= len(tokens) {
		neg = buf[:len(tokens)]
		clear(neg)
	} else {
		neg = make([]bool, len(tokens))
	}
	left := 0
	for i, tok := range tokens {
		switch {
		case scopeBreaks[tok]:
			left = 0
		case negationCues[tok] || (tok == "t" && i > 0 && apostropheNots[tokens[i-1]]):
			if tok == "no" && i+2 < len(tokens) && (tokens[i+1] == "se" || tokens[i+1] == "sei") && (tokens[i+2] == "si" || tokens[i+2] == "se") {
				left = 0
				continue
			}
			left = negationWindow
		case left > 0:
			neg[i] = true
			left--
		}
	}
	return neg
}

func refPastEvent(tokens []string) bool {
	past := false
	for i, tok := range tokens {
		if nowMarkers[tok] && !(i+1 < len(tokens) && askingNow[tokens[i+1]]) {
			return false
		}
		switch {
		case tok == "hace" || tok == "faz":
			for j := i + 1; j < len(tokens) && j <= i+3; j++ {
				if pastUnits[tokens[j]] && tokens[j] != "dia" {
					past = true
				}
			}
		case tok == "ago" || tok == "atras":
			if i > 0 && pastUnits[tokens[i-1]] {
				past = true
			}
		}
		if pastIndex.at(tokens, i, false) {
			past = true
		}
	}
	return past
}

func refNotNow(tokens []string) bool {
	for i, tok := range tokens {
		if safeIndex.at(tokens, i, false) {
			return true
		}
		if reportWords[tok] {
			for j := max(0, i-3); j <= min(len(tokens)-1, i+2); j++ {
				if j != i && questionWords[tokens[j]] {
					return true
				}
			}
		}
		if killWords[tok] {
			for j := max(0, i-8); j < len(tokens) && j <= i+6; j++ {
				if idiomSubjects[tokens[j]] {
					return true
				}
			}
		}
		if dyingWords[tok] {
			for j := i + 1; j < len(tokens) && j <= i+3; j++ {
				if idiomOf[tokens[j]] {
					return true
				}
			}
		}
	}
	return false
}

func refHypothetical(tokens []string) bool {
	for i := range tokens {
		if hypoIndex.at(tokens, i, true) {
			return true
		}
	}
	return false
}

// TestClassesAgreeWithLookups: with the classes looked up once, PastEvent, NotNow,
// Hypothetical and Negated say what they said looking every word up in its list, for
// every message of the corpus and for random messages made of the lists' words.
func TestClassesAgreeWithLookups(t *testing.T) {
	var texts [][]string
	files, _ := filepath.Glob("corpus/*/*.tsv")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if parts := strings.Split(line, "\t"); len(parts) >= 3 && !strings.HasPrefix(line, "#") {
				texts = append(texts, Tokens(Normalize(parts[2])))
			}
		}
	}
	vocab := []string{"hace", "faz", "ago", "atras", "dia", "no", "se", "sei", "si", "t", "me", "el", "casa"}
	for w := range wordClasses {
		vocab = append(vocab, w)
	}
	slices.Sort(vocab)
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		toks := make([]string, 1+rng.IntN(12))
		for i := range toks {
			toks[i] = vocab[rng.IntN(len(vocab))]
		}
		if rng.IntN(2) == 0 { // and a phrase of a list, somewhere
			list := [][][]string{pastMarkers, safeNow, hypothetical}[rng.IntN(3)]
			at := rng.IntN(len(toks) + 1)
			toks = slices.Insert(toks, at, list[rng.IntN(len(list))]...)
		}
		texts = append(texts, toks)
	}
	if len(texts) < 25000 {
		t.Fatalf("only %d texts", len(texts))
	}
	seen := map[string]int{}
	for _, toks := range texts {
		for _, c := range []struct {
			name      string
			got, want bool
		}{
			{"PastEvent", PastEvent(toks), refPastEvent(toks)},
			{"NotNow", NotNow(toks), refNotNow(toks)},
			{"Hypothetical", Hypothetical(toks), refHypothetical(toks)},
		} {
			if c.got != c.want {
				t.Fatalf("%s(%q) = %v, looking every word up %v", c.name, strings.Join(toks, " "), c.got, c.want)
			}
			if c.got {
				seen[c.name]++
			}
		}
		if got, want := Negated(toks, nil), refNegated(toks, nil); !slices.Equal(got, want) {
			t.Fatalf("Negated(%q) = %v, looking every word up %v", strings.Join(toks, " "), got, want)
		}
	}
	for _, name := range []string{"PastEvent", "NotNow", "Hypothetical"} {
		if seen[name] < 100 {
			t.Errorf("%s true only %d times: the comparison proves little", name, seen[name])
		}
	}
}
