package flows

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		subst bool
		want  int
	}{
		{"auxilio", "auxilio", true, 0},
		{"auxlio", "auxilio", true, 1},
		{"uaxilio", "auxilio", true, 1}, // transposition
		{"emergensia", "emergencia", true, 1},
		{"emergensia", "emergencia", false, 2}, // a substitution costs two without subst
		{"pagando", "pegando", false, 2},
		{"pegadno", "pegando", false, 1},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, 3, c.subst); got != c.want {
			t.Errorf("editDistance(%q, %q, subst=%v) = %d, want %d", c.a, c.b, c.subst, got, c.want)
		}
	}
}

func TestPhraseMatching(t *testing.T) {
	v := newVocab()
	ws := v.compile("auxilio|me están pegando|sos|help me")
	cases := []struct {
		in   string
		want bool
	}{
		{"AUXILIO", true},
		{"auxlio porfa", true},
		{"me estan pegando", true},
		{"ME ESTAN PEGADNO", true},  // swapped letters in a phrase
		{"me estan pagando", false}, // a changed letter in a phrase is another word
		{"mi cliente me estan pegando ayuda", true},
		{"sos", true},
		{"sólo", false},
		{"son", false}, // short words match exactly
		{"please help me", true},
		{"helping", false},
	}
	for _, c := range cases {
		if got := v.analyze(tokensOf(Normalize(c.in))).anyContained(ws); got != c.want {
			t.Errorf("%q contains a phrase = %v, want %v", c.in, got, c.want)
		}
	}
}

func FuzzPhraseMatch(f *testing.F) {
	f.Add("me estan pegando", "me estan pegando")
	f.Add("auxilio", "auxlio")
	f.Fuzz(func(t *testing.T, list, typed string) {
		v := newVocab()
		ws := v.compile(list)
		// must not panic
		_ = v.analyze(tokensOf(Normalize(typed))).anyContained(ws)
		// every phrase matches itself typed again, and the text equal to it
		for _, w := range strings.Split(list, "|") {
			tokens := tokensOf(Normalize(w))
			if len(tokens) == 0 {
				continue
			}
			if !v.analyze(tokens).anyEquals(ws) {
				t.Fatalf("phrase %q does not match itself", w)
			}
		}
	})
}

// TestWithinOneAgreesWithEditDistance checks the fast one-edit test against the
// dynamic-programming distance on every pair of a small alphabet's short words.
func TestWithinOneAgreesWithEditDistance(t *testing.T) {
	var all []string
	var gen func(prefix string)
	gen = func(prefix string) {
		all = append(all, prefix)
		if len(prefix) == 4 {
			return
		}
		for _, c := range "abc" {
			gen(prefix + string(c))
		}
	}
	gen("")
	for _, a := range all {
		for _, b := range all {
			for _, subst := range []bool{true, false} {
				want := editDistance(a, b, 1, subst) <= 1
				if got := withinOne(a, b, subst); got != want {
					t.Fatalf("withinOne(%q, %q, %v) = %v, editDistance says %v", a, b, subst, got, want)
				}
			}
		}
	}
}

// TestTypoSearchMatchesBruteForce: the bucketed typo search finds exactly the words a
// comparison with every word of the vocabulary finds, for typed variants of the words
// with one and two random edits.
func TestTypoSearchMatchesBruteForce(t *testing.T) {
	v := newVocab()
	v.compile("auxilio|socorro|emergencia|derechos|migrante|servicios|violencia|transgenero|discriminacion|lurigancho|comisaria|extorsion|embarazada|preservativo|psicologa|defensoria|inspectoria|albergue|abogado|denunciar|pegando|golpeando|amenazan|secuestrada|sangrando|pistola|cuchillo|paliza|trabajo|sexual")
	rng := rand.New(rand.NewPCG(1, 2))
	letters := "abcdefghijklmnopqrstuvwxyz"
	edit := func(w string) string {
		b := []byte(w)
		switch i := rng.IntN(len(b)); rng.IntN(4) {
		case 0: // change
			b[i] = letters[rng.IntN(26)]
		case 1: // delete
			b = append(b[:i], b[i+1:]...)
		case 2: // insert
			b = append(b[:i], append([]byte{letters[rng.IntN(26)]}, b[i:]...)...)
		default: // swap
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
		return string(b)
	}
	for n := 0; n < 3000; n++ {
		w := v.words[rng.IntN(len(v.words))].s
		typed := edit(w)
		if rng.IntN(2) == 0 {
			typed = edit(typed)
		}
		if typed == "" {
			continue
		}
		got := map[int32]hit{}
		tx := v.analyze([]string{typed})
		for _, h := range tx.hits {
			got[h.id] = h
		}
		for id, word := range v.words {
			loose := typed == word.s || (word.limit > 0 && abs(len(typed)-len(word.s)) <= word.limit && editDistance(typed, word.s, word.limit, true) <= word.limit)
			strict := typed == word.s || (word.limit > 0 && editDistance(typed, word.s, 1, false) <= 1)
			h, found := got[int32(id)]
			if found != (loose || strict) || (found && h.strict != strict) {
				t.Fatalf("typed %q, word %q: search found=%v strict=%v, brute force loose=%v strict=%v", typed, word.s, found, h.strict, loose, strict)
			}
		}
	}
}

// TestEditDistanceBanded: the search within limit of the diagonal gives the distance of
// the whole table whenever it is within limit, and limit+1 otherwise.
func TestEditDistanceBanded(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	near := 0
	for range 60000 {
		a := make([]byte, rng.IntN(14))
		for i := range a {
			a[i] = "abcde"[rng.IntN(5)]
		}
		b := []byte(string(a))
		for range rng.IntN(4) {
			switch i := rng.IntN(len(b) + 1); rng.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{"abcdef"[rng.IntN(6)]}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				}
			}
		}
		for limit := 1; limit <= 3; limit++ {
			for _, subst := range []bool{true, false} {
				want := min(editDistanceFull(string(a), string(b), subst), limit+1)
				if got := editDistance(string(a), string(b), limit, subst); got != want {
					t.Fatalf("editDistance(%q, %q, %d, %v) = %d, want %d", a, b, limit, subst, got, want)
				}
				if want <= limit && want > 0 {
					near++
				}
			}
		}
	}
	if near < 30000 {
		t.Fatalf("only %d pairs within the limit", near)
	}
}

// editDistanceFull is the optimal-string-alignment distance by the whole table.
func editDistanceFull(a, b string, subst bool) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			v := 1 << 20
			if a[i-1] == b[j-1] {
				v = d[i-1][j-1]
			} else if subst {
				v = d[i-1][j-1] + 1
			}
			v = min(v, d[i-1][j]+1, d[i][j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, d[i-2][j-2]+1)
			}
			d[i][j] = v
		}
	}
	return d[len(a)][len(b)]
}

// TestTyposShareTheirEdges: a token within a word's limit of edits shares one of its
// first limit+1 letters with the word's first limit+1, and one of its last limit+1
// with the word's last: what the search's buckets (starts) and part.atEnd (ends) rely
// on. Random words of few letters and of many, with one or two random edits.
func TestTyposShareTheirEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	checked := 0
	for _, abc := range []string{"ab", "abc", "abcdefghijklmnopqrstuvwxyz"} {
		for range 200000 {
			b := make([]byte, 5+rng.IntN(10))
			for i := range b {
				b[i] = abc[rng.IntN(len(abc))]
			}
			w := string(b)
			tok := editOf(rng, w)
			if rng.IntN(2) == 0 {
				tok = editOf(rng, tok)
			}
			limit := fuzzyLimit(len(w))
			if len(tok) < 4 || editDistance(tok, w, limit, true) > limit {
				continue
			}
			checked++
			ws, we := edgeLetters(w, limit)
			ts, te := edgeLetters(tok, limit)
			if ws&ts == 0 || we&te == 0 {
				t.Fatalf("%q is %d edits from %q and shares no letter at an edge", tok, editDistance(tok, w, limit, true), w)
			}
		}
	}
	if checked < 300000 {
		t.Fatalf("only %d typos checked", checked)
	}
}
