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
	dirs, err := filepath.Glob("corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	taken, alone := 0, 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
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
			for _, ex := range exs {
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
		}
	}
	t.Logf("%d labelled messages read as talk about the name, %d as a name said alone", taken, alone)
	if taken == 0 || alone == 0 {
		t.Fatal("no labelled message is talk about the name: the test checks nothing")
	}
}
