package flows

import "strings"

// maxGreetingWords bounds the words of a message read as greetings alone: a longer
// one says more than hello.
const maxGreetingWords = 12

// greetings tells a message that is greetings alone ("hola q tal", "buenas noches
// amiga, como estas", "oi tudo bem", "hi is anyone there"), which the model reads
// unreliably when short: it is made of phrases of KeyAnswerGreeting, at least one, and
// of KeyAnswerGreetingWith ("amiga", "disculpa la hora"), and of nothing else.
type greetings struct {
	head, with map[string]bool // normalized phrases
	first      map[string]bool // the first word of every phrase
	longest    int             // words of the longest phrase
}

// newGreetings reads the greeting lists of every language.
func newGreetings(texts Texts, langs []string) *greetings {
	g := &greetings{head: map[string]bool{}, with: map[string]bool{}, first: map[string]bool{}}
	for _, l := range langs {
		for key, set := range map[string]map[string]bool{KeyAnswerGreeting: g.head, KeyAnswerGreetingWith: g.with} {
			for _, w := range strings.Split(texts.Raw(l, key), "|") {
				n := Normalize(w)
				if n == "" {
					continue
				}
				set[n] = true
				first, _, _ := strings.Cut(n, " ")
				g.first[first] = true
				g.longest = max(g.longest, strings.Count(n, " ")+1)
			}
		}
	}
	return g
}

// whole reports whether tokens (normalized words) are greetings alone.
func (g *greetings) whole(tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > maxGreetingWords || !g.first[tokens[0]] {
		return false
	}
	// reach[i]: bit 1, the first i words are phrases of the lists; bit 2, one of them a
	// greeting
	var reach [maxGreetingWords + 1]uint8
	reach[0] = 1
	for i := range len(tokens) {
		if reach[i] == 0 || !g.first[tokens[i]] {
			continue
		}
		for j := i + 1; j <= len(tokens) && j-i <= g.longest; j++ {
			p := strings.Join(tokens[i:j], " ")
			switch {
			case g.head[p]:
				reach[j] |= 3
			case g.with[p]:
				reach[j] |= reach[i]
			}
		}
	}
	return reach[len(tokens)]&2 != 0
}
