package content

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/directory/hours"
	"github.com/faro-chat/faro/locales"
)

// Claims a text can make about a phone line, with the words that make them. The
// directory backs each claim of an entry with its source's words (directory claims);
// a text may say of a line only what the line's entry says.
var textClaims = []struct {
	name  string
	words *regexp.Regexp
	holds func(e directory.Entry) bool
}{
	{"free", regexp.MustCompile(`(?i)(\b(gratis|gratuit[oa]s?|free)\b|grátis|\bde graça\b|\bmana qullqiyuq\b)`), func(e directory.Entry) bool { return e.Free }},
	{"24 hours", regexp.MustCompile(`(?i)(\b24\s*(h|horas|hours)\b|\blas 24\b|24/7)`), func(e directory.Entry) bool {
		sch, err := hours.Parse(e.Hours)
		return e.Hours != "" && err == nil && sch.Always()
	}},
	{"national", regexp.MustCompile(`(?i)(todo el pa[ií]s|a nivel nacional|all over peru|nationwide|todo o pa[ií]s|em todo o peru|llapan suyupi)`), func(e directory.Entry) bool {
		return e.Coverage == directory.CoverageNational
	}},
}

// TextClaims reports texts that say a phone line is free, open 24 hours or national
// when the line's directory entry does not (so its source does not). A claim belongs
// to the line number it follows, up to the next line number or the end of the
// sentence: "llama al 105 (Lima y Callao) o a la Línea 100 (gratis, 24 horas)" says
// "free, 24 hours" of 100 only.
func TextClaims(c *locales.Catalog, lines []directory.Entry) []Problem {
	byNumber := map[string]directory.Entry{}
	var numbers []string
	for _, e := range lines {
		if !e.IsLine() {
			continue
		}
		for _, p := range e.Phones {
			if !strings.HasPrefix(p, "+") {
				byNumber[p] = e
				numbers = append(numbers, regexp.QuoteMeta(p))
			}
		}
	}
	if len(numbers) == 0 {
		return nil
	}
	sort.Slice(numbers, func(i, j int) bool { return len(numbers[i]) > len(numbers[j]) })
	mention := regexp.MustCompile(`(?:^|[^0-9-])(` + strings.Join(numbers, "|") + `)(?:[^0-9-]|$)`)
	var ps []Problem
	for _, l := range c.Langs() {
		for _, k := range c.Keys(l) {
			if strings.HasPrefix(k, "cmd.") || strings.HasPrefix(k, "answer.") {
				continue
			}
			for _, sentence := range sentenceSplit.Split(c.Raw(l, k), -1) {
				idx := mention.FindAllStringSubmatchIndex(sentence, -1)
				for i, m := range idx {
					end := len(sentence)
					if i+1 < len(idx) {
						end = idx[i+1][2]
					}
					number := sentence[m[2]:m[3]]
					said := sentence[m[3]:end]
					e := byNumber[number]
					for _, cl := range textClaims {
						if cl.words.MatchString(said) && !cl.holds(e) {
							ps = append(ps, Problem{Error, "locales/" + l + ".toml key " + k,
								fmt.Sprintf("says %q of %s (%s), which its directory entry %s does not claim: say only what the source says", strings.TrimSpace(said), number, cl.name, e.ID)})
						}
					}
				}
			}
		}
	}
	return ps
}

// sentenceSplit cuts a text where a claim stops belonging to the number before it.
var sentenceSplit = regexp.MustCompile(`[.;\n•]\s`)
