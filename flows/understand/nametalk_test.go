package understand

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNameTalkIsNeverDanger: a message about her name, or a name said with its anchor
// and courtesy alone, is read without the model's guess of danger (see NameTalk,
// NameAlone), so no labelled message of danger or self-harm, in any split, may be one;
// and those NameTalk takes are about her name.
func TestNameTalkIsNeverDanger(t *testing.T) {
	taken, alone := 0, 0
	for _, ex := range everySplit(t) {
		if NameAlone(SplitWords(ex.Text)) {
			alone++
			if IsSafety(ex.Intent) {
				t.Errorf("%s: %s %q is read as a name said alone, never as danger", ex.Where, ex.Intent, ex.Text)
			}
		}
		k := NameTalk(Tokens(Normalize(ex.Text)))
		if k == NotNameTalk {
			continue
		}
		taken++
		if IsSafety(ex.Intent) {
			t.Errorf("%s: %s %q is read as talk about the name (%d), never as danger", ex.Where, ex.Intent, ex.Text, k)
		}
		if ex.Intent != "name" || ex.Slots["name"] != "" {
			t.Logf("%s: %s %q (slots %v) read as talk about the name (%d)", ex.Where, ex.Intent, ex.Text, ex.Slots, k)
		}
	}
	t.Logf("%d labelled messages read as talk about the name, %d as a name said alone", taken, alone)
	if taken == 0 || alone == 0 {
		t.Fatal("no labelled message is talk about the name: the test checks nothing")
	}
}

// everySplit returns the labelled utterances of every split (train, dev, held-out and
// probe), for the checks that no rule which skips the model's danger guess reads a
// message labelled danger.
func everySplit(t *testing.T) []Example {
	t.Helper()
	files, err := filepath.Glob("corpus/*/*.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var all []Example
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		exs, err := ParseCorpus(file, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, exs...)
	}
	if len(all) == 0 {
		t.Fatal("no labelled utterance read")
	}
	return all
}
