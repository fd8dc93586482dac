package content

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/faro-chat/faro/locales"
)

// Reviews lists, for every locale but the reference, the keys it has whose Spanish
// text changed (or that were added) since the locale's review record was made (a key
// it lacks is reported by Texts as missing): a reviewed
// locale needs them reviewed again, a draft needs them translated again. Each is a
// warning: Spanish may change first, and the translation follow.
func Reviews(c *locales.Catalog) []Problem { return reviewsIn(c, "locales/", nil) }

// reviewsIn is Reviews of a catalog in folder dir ("locales/console/"), for the keys
// keep keeps (nil: all).
func reviewsIn(c *locales.Catalog, dir string, keep func(string) bool) []Problem {
	var ps []Problem
	for _, l := range c.All() {
		if l == locales.Reference {
			continue
		}
		r := c.Review(l)
		since := "since this translation was recorded (draft)"
		if r.Reviewed() {
			since = fmt.Sprintf("since its review on %s by %s", r.ReviewedAt, r.Reviewer)
		}
		for _, k := range c.Stale(l) {
			if !c.Has(l, k) || (keep != nil && !keep(k)) {
				continue // Texts reports it missing
			}
			ps = append(ps, Problem{Warning, dir + l + ".toml key " + k,
				fmt.Sprintf("changed in %s.toml %s: check the translation, then run `faro locale-review %s`", locales.Reference, since, l)})
		}
	}
	return ps
}

// Summary is what faro check prints before the problems: each locale's review status
// and whether it is on by default, and the messages hardest to read per language.
func Summary(c *locales.Catalog, worst int) []string {
	var out []string
	for _, l := range c.All() {
		r := c.Review(l)
		switch {
		case l == locales.Reference:
			out = append(out, fmt.Sprintf("locale %s: reference, on", l))
		case r.Reviewed():
			out = append(out, fmt.Sprintf("locale %s: reviewed %s by %s, on by default; %d keys changed in Spanish since", l, r.ReviewedAt, r.Reviewer, len(c.Stale(l))))
		default:
			out = append(out, fmt.Sprintf("locale %s: draft, off unless FARO_LOCALES_ENABLED names it; %d keys changed in Spanish since recorded", l, len(c.Stale(l))))
		}
	}
	_, scored := PlainLanguage(c)
	for _, l := range c.All() {
		ms := scored[l]
		if len(ms) == 0 {
			continue
		}
		var parts []string
		for i := 0; i < worst && i < len(ms); i++ {
			m := ms[i]
			if m.Scored {
				parts = append(parts, fmt.Sprintf("%s %.1f", m.Key, m.Score))
			} else {
				parts = append(parts, fmt.Sprintf("%s (%d-word sentence)", m.Key, m.LongestWords))
			}
		}
		what := "hardest to read"
		switch l {
		case "es":
			what += fmt.Sprintf(" (Fernández-Huerta, min %d)", MinFernandezHuerta)
		case "pt":
			what += fmt.Sprintf(" (Flesch–Martins, min %d)", MinFleschPT)
		default:
			what += " (no formula; longest sentences)"
		}
		longest := 0
		for _, m := range ms {
			longest = max(longest, m.LongestWords)
		}
		out = append(out, fmt.Sprintf("readability %s %s: %s; longest sentence %d words (max %d)", l, what, strings.Join(parts, ", "), longest, MaxSentenceWords))
	}
	return out
}

// number is a figure as texts write it: a phone line, a law, an hour, a distance.
var number = regexp.MustCompile(`\d+(?:[-:.,/]\d+)*`)

// Numbers checks that every translation says the same figures as Spanish, key by key
// (phone numbers, laws and articles, hours, days, kilometres): a translation changes
// the words, never a fact. Word lists and the lines written in one language for all
// catalogs (language.*) are left out.
func Numbers(c *locales.Catalog) []Problem { return numbersIn(c, "locales/") }

// numbersIn is Numbers of a catalog in folder dir.
func numbersIn(c *locales.Catalog, dir string) []Problem {
	var ps []Problem
	for _, l := range c.All() {
		if l == locales.Reference {
			continue
		}
		for _, k := range c.Keys(l) {
			if strings.HasPrefix(k, "cmd.") || strings.HasPrefix(k, "answer.") || strings.HasPrefix(k, "language.") || !c.Has(locales.Reference, k) {
				continue
			}
			want, got := number.FindAllString(c.Raw(locales.Reference, k), -1), number.FindAllString(c.Raw(l, k), -1)
			sort.Strings(want)
			sort.Strings(got)
			if !slices.Equal(want, got) {
				ps = append(ps, Problem{Error, dir + l + ".toml key " + k,
					fmt.Sprintf("says the figures %v, the Spanish text says %v: a translation keeps every number as it is", got, want)})
			}
		}
	}
	return ps
}
