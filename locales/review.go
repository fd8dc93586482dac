package locales

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Review states of a locale.
const (
	// StatusDraft is a locale no native speaker of a partner organization has
	// reviewed: it is off unless configuration enables it.
	StatusDraft = "draft"
	// StatusReviewed is a locale a native speaker reviewed against the Spanish texts
	// recorded in its Source: it is on by default.
	StatusReviewed = "reviewed"
)

// ReviewDir is the folder, next to the locale files, of each locale's review record
// (review/<lang>.toml). A locale without one is a draft.
const ReviewDir = "review"

// Review is the review record of one locale: who reviewed it, when, and the Spanish
// texts it was reviewed (or, for a draft, translated) against.
type Review struct {
	// Status is StatusDraft or StatusReviewed.
	Status string `toml:"status"`
	// ReviewedAt is the date of the review, YYYY-MM-DD ("" for a draft never reviewed).
	ReviewedAt string `toml:"reviewed_at"`
	// Reviewer is the organization whose native speaker reviewed the texts.
	Reviewer string `toml:"reviewer"`
	// Note says anything a reader of the record should know (what was reviewed, by whom).
	Note string `toml:"note"`
	// Source maps each key to SourceHash of its Spanish text at review (or translation)
	// time, so the keys changed in Spanish since then can be listed.
	Source map[string]string `toml:"source"`
}

// Reviewed tells whether the record says a native speaker reviewed the locale.
func (r Review) Reviewed() bool { return r.Status == StatusReviewed }

// SourceHash is a short fingerprint of a Spanish text, stored in review records.
func SourceHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:6])
}

func readReview(fsys fs.FS, lang string) (Review, error) {
	name := ReviewDir + "/" + lang + ".toml"
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return Review{Status: StatusDraft}, nil
	}
	if err != nil {
		return Review{Status: StatusDraft}, fmt.Errorf("read %s: %w", name, err)
	}
	var r Review
	md, err := toml.Decode(string(data), &r)
	if err != nil {
		return Review{Status: StatusDraft}, fmt.Errorf("%s: %w", name, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return Review{Status: StatusDraft}, fmt.Errorf("%s: unknown field %s", name, un[0])
	}
	switch r.Status {
	case StatusDraft:
	case StatusReviewed:
		if r.ReviewedAt == "" || r.Reviewer == "" {
			return Review{Status: StatusDraft}, fmt.Errorf("%s: a reviewed locale needs reviewed_at and reviewer", name)
		}
	default:
		return Review{Status: StatusDraft}, fmt.Errorf("%s: status %q, want %q or %q", name, r.Status, StatusDraft, StatusReviewed)
	}
	return r, nil
}

// Review returns the review record of lang. The reference language is the source of
// the others and counts as reviewed; a locale without a record is a draft.
func (c *Catalog) Review(lang string) Review {
	if lang == Reference {
		return Review{Status: StatusReviewed}
	}
	r, ok := c.reviews[lang]
	if !ok {
		return Review{Status: StatusDraft}
	}
	return r
}

// Reviewed lists the loaded languages whose review status is reviewed, the reference
// first: the ones on by default.
func (c *Catalog) Reviewed() []string {
	var out []string
	for _, l := range c.all {
		if c.Review(l).Reviewed() {
			out = append(out, l)
		}
	}
	return out
}

// Enabled returns the catalog with the reviewed languages and those named in enable
// ("all" names every loaded language): the languages a deployment offers.
func (c *Catalog) Enabled(enable []string) (*Catalog, error) {
	langs := c.Reviewed()
	for _, l := range enable {
		if l == "all" {
			return c.Only(c.all)
		}
		langs = append(langs, l)
	}
	return c.Only(langs)
}

// Stale lists the keys of the reference whose Spanish text changed, or that were
// added, since lang's record was made: what a reviewer must read again.
func (c *Catalog) Stale(lang string) []string {
	r := c.Review(lang)
	if lang == Reference {
		return nil
	}
	var out []string
	for _, k := range c.Keys(Reference) {
		if r.Source[k] != SourceHash(c.raw[Reference][k]) {
			out = append(out, k)
		}
	}
	return out
}

// Record returns a review record of lang made now: status, date and reviewer as given,
// and the fingerprints of the current Spanish texts of the keys lang has.
func (c *Catalog) Record(lang, status, date, reviewer, note string) (Review, error) {
	if _, ok := c.raw[lang]; !ok || lang == Reference {
		return Review{}, fmt.Errorf("no locale %q to record (the reference %s has no record)", lang, Reference)
	}
	if status != StatusDraft && status != StatusReviewed {
		return Review{}, fmt.Errorf("status %q, want %q or %q", status, StatusDraft, StatusReviewed)
	}
	if status == StatusReviewed && (date == "" || strings.TrimSpace(reviewer) == "") {
		return Review{}, errors.New("a review needs a date and the reviewer's organization")
	}
	r := Review{Status: status, ReviewedAt: date, Reviewer: reviewer, Note: note, Source: map[string]string{}}
	for _, k := range c.Keys(Reference) {
		if c.Has(lang, k) {
			r.Source[k] = SourceHash(c.raw[Reference][k])
		}
	}
	return r, nil
}

// Encode writes a review record as TOML, keys sorted, with a header for the reader.
func (r Review) Encode(lang string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Review record of locales/%s.toml: written by `faro locale-review`; see README, \"Reviewing a language\".\n", lang)
	fmt.Fprintf(&b, "# source: each key's fingerprint of the Spanish text the %s text was reviewed (or translated) against.\n", lang)
	head := struct {
		Status     string `toml:"status"`
		ReviewedAt string `toml:"reviewed_at"`
		Reviewer   string `toml:"reviewer"`
		Note       string `toml:"note"`
	}{r.Status, r.ReviewedAt, r.Reviewer, r.Note}
	if err := toml.NewEncoder(&b).Encode(head); err != nil {
		return nil, fmt.Errorf("encode review: %w", err)
	}
	b.WriteString("\n[source]\n")
	keys := make([]string, 0, len(r.Source))
	for k := range r.Source {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%q = %q\n", k, r.Source[k])
	}
	return b.Bytes(), nil
}
