package flows

import "strings"

// phrase is a normalized word or phrase, split into tokens.
type phrase []string

// words is a list of phrases, from a locale entry like "auxilio|me están pegando".
type words []phrase

// compileWords parses a "|"-separated list of words and phrases.
func compileWords(list string) words {
	var ws words
	for _, w := range strings.Split(list, "|") {
		if p := phrase(strings.Fields(Normalize(w))); len(p) > 0 {
			ws = append(ws, p)
		}
	}
	return ws
}

// fuzzyLimit is how many edits a word of this length may carry and still match:
// short words must match exactly, or "pega" would match "paga".
func fuzzyLimit(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	default:
		return 0
	}
}

// sameWord tells whether typed token t is word w, forgiving typos. With strict set,
// only missing, extra or swapped letters are forgiven, not a changed letter: inside a
// phrase, "pegando" must not match "pagando".
func sameWord(t, w string, strict bool) (ok, fuzzy bool) {
	if t == w {
		return true, false
	}
	limit := fuzzyLimit(len(w))
	if limit == 0 || abs(len(t)-len(w)) > limit {
		return false, false
	}
	if strict {
		limit = 1
	}
	d := editDistance(t, w, limit, !strict)
	return d <= limit, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal-string-alignment distance between a and b (insertions,
// deletions, transpositions and, with subst, substitutions), or limit+1 when it is
// larger than limit. It does not allocate for words of up to 31 bytes.
func editDistance(a, b string, limit int, subst bool) int {
	if len(a) > 31 || len(b) > 31 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	const inf = 1 << 20
	var rows [3][32]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			v := inf
			if a[i-1] == b[j-1] {
				v = prev[j-1]
			} else if subst {
				v = prev[j-1] + 1
			}
			v = min(v, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// containedIn tells whether phrase p occurs in the tokens of the input, in order and
// next to each other. A one-word phrase forgives any small typo; a longer phrase
// forgives at most one missing, extra or swapped letter in one of its words.
func (p phrase) containedIn(tokens []string) bool {
	if len(p) == 0 || len(p) > len(tokens) {
		return false
	}
	for start := 0; start+len(p) <= len(tokens); start++ {
		if p.matchesAt(tokens, start) {
			return true
		}
	}
	return false
}

func (p phrase) matchesAt(tokens []string, start int) bool {
	strict := len(p) > 1
	fuzzies := 0
	for i, w := range p {
		ok, fuzzy := sameWord(tokens[start+i], w, strict)
		if !ok {
			return false
		}
		if fuzzy {
			fuzzies++
			if fuzzies > 1 {
				return false
			}
		}
	}
	return true
}

// equals tells whether the input is exactly this phrase, forgiving small typos.
func (p phrase) equals(tokens []string) bool {
	return len(p) == len(tokens) && p.matchesAt(tokens, 0)
}

// anyContained reports whether any phrase occurs in the input.
func (ws words) anyContained(tokens []string) bool {
	for _, p := range ws {
		if p.containedIn(tokens) {
			return true
		}
	}
	return false
}

// anyEquals reports whether the input is one of the phrases.
func (ws words) anyEquals(tokens []string) bool {
	for _, p := range ws {
		if p.equals(tokens) {
			return true
		}
	}
	return false
}

// anyNear reports whether the input contains one of the phrases and is not much longer
// than it ("quiero borrar mis datos", not a long story that mentions a word).
func (ws words) anyNear(tokens []string, slack int) bool {
	for _, p := range ws {
		if len(tokens) <= len(p)+slack && p.containedIn(tokens) {
			return true
		}
	}
	return false
}

// tokensOf splits normalized text into tokens without allocating more than the slice.
func tokensOf(norm string) []string {
	if norm == "" {
		return nil
	}
	return strings.Split(norm, " ")
}

// anyContainedIn reports whether one of the phrases occurs in the input.
func (ws words) anyContainedIn(tokens []string) bool { return ws.anyContained(tokens) }

// anyContains reports whether the input (of meaningful length) occurs inside one of the
// phrases: "derechos" names the option "Mis derechos".
func (ws words) anyContains(tokens []string) bool {
	long := false
	for _, t := range tokens {
		if len(t) >= 4 {
			long = true
		}
	}
	if !long {
		return false
	}
	for _, p := range ws {
		if phrase(tokens).containedIn(p) {
			return true
		}
	}
	return false
}
