package directory

import (
	"regexp"
	"sort"
	"strings"

	"github.com/faro-chat/faro/directory/hours"
)

// The strong facts an entry can state, and the words its source must use for each.
// An entry that states one (free: true; hours open 24 hours; coverage national) must
// back it with a claim: a quote or close paraphrase of its source, in its own claims or
// in those of a shared text it names, that contains one of these words. A claim that
// the source does not make is left out of the data instead: "365 días" is not "24
// horas", and a line for Lima and Callao is regional, not national.
var claimWords = map[string]*regexp.Regexp{
	"free":     regexp.MustCompile(`(?i)\b(gratis|gratuit[oa]s?|free|sin costo)\b`),
	"hours":    regexp.MustCompile(`(?i)(\b24\s*h\b|\b24\s*horas\b|\b24/7\b|\b24 hours\b|las 24\b)`),
	"coverage": regexp.MustCompile(`(?i)(nacional|todo el pa[ií]s|a nivel nacional|national|nationwide)`),
}

// ClaimKinds are the claims an entry can back, in the order checks report them.
var ClaimKinds = []string{"free", "hours", "coverage"}

// checkClaims reports the strong facts of e that no claim backs, and claims of an
// unknown kind or that do not say what they back.
func (c *checker) checkClaims(e *located) {
	made := map[string]bool{
		"free":     e.Free,
		"coverage": e.Coverage == CoverageNational,
	}
	if e.Hours != "" {
		if sch, err := hours.Parse(e.Hours); err == nil && sch.Always() {
			made["hours"] = true
		}
	}
	if e.Free && mixesFreeAndPaid(e.Phones) {
		c.errf(e, "free: the card would say «Gratis» of every phone, but only the 0800 number is toll-free: drop free and say which number is free in desc")
	}
	keys := make([]string, 0, len(e.Claims))
	for k := range e.Claims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if claimWords[k] == nil {
			c.errf(e, "claims: unknown claim %q (known: %s)", k, strings.Join(ClaimKinds, ", "))
		}
	}
	for _, k := range ClaimKinds {
		if !made[k] {
			continue
		}
		quotes := []string{e.Claims[k]}
		for _, t := range e.Texts {
			quotes = append(quotes, c.texts[t].Claims[k])
		}
		backed, given := false, ""
		for _, q := range quotes {
			if strings.TrimSpace(q) == "" {
				continue
			}
			given = q
			if claimWords[k].MatchString(q) {
				backed = true
				break
			}
		}
		switch {
		case backed:
		case given == "":
			c.errf(e, "%s: the entry claims it (%s) but cites no words of its source that say so: add claims.%s with them, or drop the claim", k, claimWhat(k), k)
		default:
			c.errf(e, "%s: claims.%s %q does not say it (want words like %s): say only what the source says", k, k, given, claimWords[k])
		}
	}
}

// mixesFreeAndPaid tells whether phones hold a toll-free 0800 number and an ordinary
// one: a card cannot say «Gratis» of both.
func mixesFreeAndPaid(phones []string) bool {
	free, other := false, false
	for _, p := range phones {
		if strings.HasPrefix(p, "0800") {
			free = true
		} else {
			other = true
		}
	}
	return free && other
}

func claimWhat(k string) string {
	switch k {
	case "free":
		return "free: true"
	case "hours":
		return "open 24 hours"
	}
	return "coverage: national"
}

// checkRegions checks the departments of a regional line.
func (c *checker) checkRegions(e *located) {
	switch {
	case e.Coverage == CoverageRegional && len(e.Regions) == 0:
		c.errf(e, "a regional line needs regions (INEI department or province codes: \"150100\" Lima Metropolitana, \"070000\" Callao)")
	case e.Coverage != CoverageRegional && len(e.Regions) > 0:
		c.errf(e, "regions are only for coverage: regional")
	case e.Coverage != CoverageRegional && e.OnlyThere:
		c.errf(e, "only_there is only for coverage: regional")
	}
	for _, r := range e.Regions {
		if p := c.gaz.byCode[r]; p == nil || p.level == lvDistrict {
			c.errf(e, "region %q is not a department or province code of the gazetteer", r)
		}
	}
}
