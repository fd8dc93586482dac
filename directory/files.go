package directory

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlFile is the schema of a YAML data file: any of four sections.
type yamlFile struct {
	Entries  []Entry            `yaml:"entries"`
	Texts    map[string]TextSet `yaml:"texts"`
	Holidays *HolidayList       `yaml:"holidays"`
	// Organizations are the community organizations of `faro links` (see Org).
	Organizations []Org `yaml:"organizations,omitempty"`
}

// located is an entry and where it was read.
type located struct {
	Entry
	file string
	line int
}

// rawData is everything read from the entry files, before checks.
type rawData struct {
	files    []string
	entries  []*located
	texts    map[string]TextSet
	textFile map[string]string
	holidays *HolidayList
	holFile  string
	orgs     []*locatedOrg
	probs    []Problem
}

// readData reads every *.yaml, *.yml and *.csv file at the top of fsys, in name order.
func readData(fsys fs.FS) *rawData {
	rd := &rawData{texts: map[string]TextSet{}, textFile: map[string]string{}}
	des, err := fs.ReadDir(fsys, ".")
	if err != nil {
		rd.probs = append(rd.probs, errorf(".", "", "list data files: %v", err))
		return rd
	}
	sort.Slice(des, func(i, j int) bool { return des[i].Name() < des[j].Name() })
	for _, de := range des {
		name := de.Name()
		ext := strings.ToLower(path.Ext(name))
		if de.IsDir() || (ext != ".yaml" && ext != ".yml" && ext != ".csv") {
			continue
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			rd.probs = append(rd.probs, errorf(name, "", "read: %v", err))
			continue
		}
		rd.files = append(rd.files, name)
		if ext == ".csv" {
			entries, probs := readCSV(name, b)
			for i := range probs {
				probs[i].File = name
			}
			rd.probs = append(rd.probs, probs...)
			for i := range entries {
				rd.entries = append(rd.entries, &entries[i])
			}
			continue
		}
		rd.readYAML(name, b)
	}
	return rd
}

func (rd *rawData) readYAML(name string, b []byte) {
	var doc yamlFile
	if err := decodeYAMLStrict(b, &doc); err != nil {
		rd.probs = append(rd.probs, errorf(name, "", "%v", yamlMessage(err)))
		return
	}
	lines := entryLines(b)
	for i, e := range doc.Entries {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		rd.entries = append(rd.entries, &located{e, name, line})
	}
	for _, o := range doc.Organizations {
		rd.orgs = append(rd.orgs, &locatedOrg{o, name})
	}
	for k, t := range doc.Texts {
		if f, dup := rd.textFile[k]; dup {
			rd.probs = append(rd.probs, errorf(name, "", "text %q already defined in %s", k, f))
			continue
		}
		rd.texts[k], rd.textFile[k] = t, name
	}
	if doc.Holidays != nil {
		if rd.holidays != nil {
			rd.probs = append(rd.probs, errorf(name, "", "holidays already defined in %s", rd.holFile))
			return
		}
		rd.holidays, rd.holFile = doc.Holidays, name
	}
}

// entryLines returns the line of each item of the entries section.
func entryLines(b []byte) []int {
	var n yaml.Node
	if yaml.Unmarshal(b, &n) != nil || len(n.Content) == 0 {
		return nil
	}
	m := n.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "entries" {
			var lines []int
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}

// yamlMessage shortens yaml.v3 errors ("yaml: unmarshal errors:\n  line 3: ...").
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// WriteYAML writes entries as a YAML data file (an entries section), the format of the
// hand-maintained files. Load reads it back to equal entries.
func WriteYAML(w interface{ Write([]byte) (int, error) }, entries []Entry) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(yamlFile{Entries: entries}); err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	return enc.Close()
}
