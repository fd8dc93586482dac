package understand

import (
	_ "embed"
	"strings"
)

// everydayText lists the everyday words of the messages people send (one a line):
// the words of at least everydayMin utterances of the training split, never said
// inside a labelled place. TestEverydayWords writes it (go test ./flows/understand
// -run TestEverydayWords -update) and fails when it is not current.
//
//go:embed everyday.txt
var everydayText string

// everydayMin is how many training utterances a word is seen in to be an everyday word.
const everydayMin = 3

var everyday = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(everydayText) {
		m[w] = true
	}
	return m
}()

// Everyday tells whether a word (normalized) is one people write for something else
// than a place's name: the gazetteer does not look it up by a near spelling («tengo» is
// not Tingo, «la mañana» not La Manzana), and words after «estoy en» made only of them
// («la ducha») name no place the directory lacks. A place's own name among them
// («comas», «lima») is still found as written.
func Everyday(word string) bool { return everyday[word] }
