package understand

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Example is one labeled utterance of the corpus.
type Example struct {
	Intent string
	Lang   string
	Text   string
	// Slots are the slot values said in the text: "name", "place", "number".
	Slots map[string]string
	// Where is "file:line", for reports.
	Where string
}

//go:embed corpus/train corpus/heldout corpus/dev
var corpusFS embed.FS

// Corpus returns the shipped examples of one split: "train" or "heldout".
func Corpus(split string) ([]Example, error) {
	sub, err := fs.Sub(corpusFS, path.Join("corpus", split))
	if err != nil {
		return nil, fmt.Errorf("corpus split %q: %w", split, err)
	}
	return ReadCorpus(sub)
}

// ReadCorpus reads every .tsv file of a folder, in name order.
func ReadCorpus(fsys fs.FS) ([]Example, error) {
	names, err := fs.Glob(fsys, "*.tsv")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no .tsv files")
	}
	sort.Strings(names)
	var all []Example
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		exs, err := ParseCorpus(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, exs...)
	}
	return all, nil
}

// ParseCorpus reads one corpus file: lines of intent, lang, text and slots separated by
// tabs; "#" starts a comment line.
func ParseCorpus(name string, r interface{ Read([]byte) (int, error) }) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		fields := strings.Split(raw, "\t")
		if len(fields) == 3 {
			fields = append(fields, "")
		}
		where := name + ":" + strconv.Itoa(line)
		if len(fields) != 4 {
			return nil, fmt.Errorf("%s: want 4 tab-separated fields, got %d", where, len(fields))
		}
		ex := Example{Intent: strings.TrimSpace(fields[0]), Lang: strings.TrimSpace(fields[1]), Text: strings.TrimSpace(fields[2]), Where: where}
		if ex.Intent == "" || ex.Lang == "" || ex.Text == "" {
			return nil, fmt.Errorf("%s: empty intent, language or text", where)
		}
		if s := strings.TrimSpace(fields[3]); s != "" {
			ex.Slots = map[string]string{}
			for _, kv := range strings.Split(s, ";") {
				k, v, ok := strings.Cut(kv, "=")
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if !ok || k == "" || v == "" {
					return nil, fmt.Errorf("%s: bad slot %q", where, kv)
				}
				switch k {
				case "name", "place", "number":
				default:
					return nil, fmt.Errorf("%s: unknown slot %q", where, k)
				}
				ex.Slots[k] = v
			}
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}
