package directory

import (
	_ "embed"
	"strings"
)

// everydayText lists the everyday words of the messages people send (one a line):
// the words of at least everydayMin utterances of the understanding's training split,
// never said inside a place. TestEverydayWords writes it (go test ./directory -run
// TestEverydayWords -update) and fails when it is not current.
//
//go:embed everyday.txt
var everydayText string

// everydayMin is how many training utterances a word is seen in to be an everyday word.
const everydayMin = 3

// everyday holds the words of everydayText. A run of words made only of them (with
// fillers and particles) is looked up exactly, never by a near spelling: «tengo» is
// not Tingo, «la mañana» not La Manzana, «por todos lados» not Totos; a place's name
// among them («comas», «lima») is still found as written.
var everyday = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(everydayText) {
		m[w] = true
	}
	return m
}()
