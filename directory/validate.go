package directory

import (
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/faro-chat/faro/directory/hours"
	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/directory/internal/phone"
)

// staleAfter is how old a verification may be before Validate warns.
const staleAfter = 12 // months

// farFromDistrict is how far (metres) a point may be from its district's capital before
// Validate warns that one of the two is wrong.
const farFromDistrict = 40000

// forbiddenNumbers must never be published (digits as dialled in Peru), with the reason.
// See /work/shared/data/peru-facts-notes.md.
var forbiddenNumbers = map[string]string{
	"911":       "911 is not operating in Peru until an official source confirms it",
	"080023232": "old OIM-Mininter trafficking line, status unknown",
	"080015259": "legal line seen only in a 2010 blog post",
	"994800813": "stale CEM Zarumilla number (2021)",
	"1884":      "unconfirmed number",
}

var (
	idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// shelterWords spot a shelter in a folded name: shelter locations are confidential.
	shelterWords    = []string{"hogar de refugio", "hogares de refugio", "casa de acogida", "casas de acogida", "refugio temporal", "albergue", "casa refugio", "casa trans", "hrt"}
	verifiedLayouts = []string{"2006-01-02", "2006-01", "2006"}
)

// Validate checks the data files of fsys (the layout of the embedded data: entry files at
// the top, the gazetteer in geo/; a folder without geo/ uses the embedded gazetteer) as of
// now. Errors make the data unusable; warnings are things to look at.
func Validate(fsys fs.FS, now time.Time) []Problem {
	_, probs := load(fsys, now, true)
	return probs
}

// checker holds what entry checks need.
type checker struct {
	gaz      *gazetteer
	texts    map[string]TextSet
	textFile map[string]string // where each text is defined
	now      time.Time         // zero: skip checks that depend on the date
	full     bool              // also the slower checks (Validate; Load skips them)
	probs    []Problem
	// okSources and okDates remember values already checked (thousands of rows share
	// their dataset's source and date).
	okSources map[string]bool
	okDates   map[string]time.Time
	warns     map[warnKind][]Problem
	warnOrder []warnKind
}

func (c *checker) add(p Problem) { c.probs = append(c.probs, p) }

func (c *checker) errf(e *located, format string, args ...any) {
	c.add(errorf(e.file, e.ID, "%s", at(e)+fmt.Sprintf(format, args...)))
}

// warnf records a warning about an entry. Warnings of the same kind in one file are
// summed up by finish when there are many (thousands of MINSA rows have no phone).
func (c *checker) warnf(e *located, format string, args ...any) {
	if !c.full {
		return // Load reports errors only
	}
	k := warnKind{e.file, format}
	if c.warns == nil {
		c.warns = map[warnKind][]Problem{}
		c.warnOrder = nil
	}
	if _, seen := c.warns[k]; !seen {
		c.warnOrder = append(c.warnOrder, k)
	}
	c.warns[k] = append(c.warns[k], warnf(e.file, e.ID, "%s", at(e)+fmt.Sprintf(format, args...)))
}

type warnKind struct{ file, format string }

// maxSameWarnings is how many warnings of one kind per file are listed one by one.
const maxSameWarnings = 10

func (c *checker) flushWarnings() {
	for _, k := range c.warnOrder {
		list := c.warns[k]
		if len(list) <= maxSameWarnings {
			c.probs = append(c.probs, list...)
			continue
		}
		ids := make([]string, 0, 3)
		for _, p := range list[:3] {
			ids = append(ids, p.Entry)
		}
		c.add(warnf(k.file, "", "%d entries like this one: %s (for example %s)", len(list), strings.TrimPrefix(list[0].Message, lineOf(list[0].Message)), strings.Join(ids, ", ")))
	}
}

func lineOf(msg string) string {
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i > 0 {
			return msg[:i+2]
		}
	}
	return ""
}

func at(e *located) string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: ", e.line)
	}
	return ""
}

// checkEntry checks one entry and returns its parsed hours (nil if none or bad).
func (c *checker) checkEntry(e *located) *hours.Schedule {
	if !idPattern.MatchString(e.ID) {
		c.errf(e, "id %q: use lower case letters, digits and dashes", e.ID)
	}
	if strings.TrimSpace(e.Name) == "" {
		c.errf(e, "no name")
	}
	national := e.IsLine()
	if e.Coverage != "" && !national {
		c.errf(e, "coverage %q: want %q, %q or empty", e.Coverage, CoverageNational, CoverageRegional)
	}
	c.checkRegions(e)
	for _, cat := range e.Categories {
		if !isCategory(cat) {
			c.errf(e, "unknown category %q (known: %s)", cat, strings.Join(categoryOrder, ", "))
		}
	}
	for _, t := range e.Tags {
		if !isTag(t) {
			c.errf(e, "unknown tag %q", t)
		}
	}
	switch {
	case national && len(e.Categories)+len(e.Tags) == 0:
		c.errf(e, "a national line needs categories or tags")
	case !national && len(e.Categories) == 0:
		c.errf(e, "no categories")
	case !national && len(e.Tags) > 0:
		c.warnf(e, "tags are only used for national lines")
	}
	c.checkTexts(e)
	c.checkClaims(e)
	c.checkContacts(e, national)
	c.checkPlace(e, national)
	var sch *hours.Schedule
	if e.Hours != "" {
		var err error
		if sch, err = hours.Parse(e.Hours); err != nil {
			c.errf(e, "%v", err)
		}
	}
	if !docsValues[e.Docs] {
		c.errf(e, "docs %q: want none, dni, id or empty", e.Docs)
	}
	for _, l := range e.Languages {
		if !isLangCode(l) {
			c.errf(e, "language %q: want an ISO 639 code such as es or qu", l)
		}
	}
	for _, f := range e.Friendly {
		if !friendlyValues[f] {
			c.errf(e, "friendly %q: want sex-workers, migrants or lgbti", f)
		}
	}
	if len(e.Friendly) > 0 && strings.TrimSpace(e.VouchedBy) == "" {
		c.errf(e, "friendly needs vouched_by: the community organization that vouches for it")
	}
	c.checkSource(e)
	return sch
}

func (c *checker) checkTexts(e *located) {
	for _, k := range e.Texts {
		if _, ok := c.texts[k]; !ok {
			c.errf(e, "text %q is not defined in any texts section", k)
		}
	}
	for what, l := range map[string]Localized{"desc": e.Desc, "note": e.Note} {
		if len(l) == 0 {
			continue
		}
		if l[fallbackLang] == "" {
			c.errf(e, "%s has no %q text (the fallback language)", what, fallbackLang)
		}
		for lang := range l {
			if !isLangCode(lang) {
				c.errf(e, "%s: language %q: want an ISO 639 code", what, lang)
			}
		}
	}
}

func (c *checker) checkContacts(e *located, national bool) {
	for _, p := range e.Phones {
		if err := phone.Check(p); err != nil {
			c.errf(e, "%v", err)
		}
		c.checkForbidden(e, p)
	}
	if e.WhatsApp != "" {
		if phone.Classify(e.WhatsApp) != phone.Mobile {
			c.errf(e, "whatsapp %q: want a mobile number in E.164 (+519...)", e.WhatsApp)
		}
		c.checkForbidden(e, e.WhatsApp)
	}
	if e.Web != "" && !isWebURL(e.Web) {
		c.errf(e, "web %q: want an http(s) URL", e.Web)
	}
	for _, txt := range []Localized{e.Note, e.Desc} {
		for _, s := range txt {
			digits := phone.Digits(s)
			if len(digits) < 5 {
				continue
			}
			for n, why := range forbiddenNumbers {
				if len(n) > 4 && strings.Contains(digits, n) {
					c.errf(e, "text mentions %s: %s", n, why)
				}
			}
		}
	}
	if l := strings.ToLower(e.Name); strings.Contains(l, "cerits") && strings.Contains(l, "caja de agua") {
		c.errf(e, "CERITS Caja de Agua closed in June 2023")
	}
	contact := len(e.Phones) > 0 || e.Web != "" || e.WhatsApp != ""
	switch {
	case national && !contact:
		c.errf(e, "a national line needs a phone, whatsapp or web")
	case !national && !contact && e.Address == "":
		c.warnf(e, "no phone, web or address: people cannot reach it")
	}
}

func (c *checker) checkForbidden(e *located, p string) {
	d := phone.Digits(p)
	if strings.HasPrefix(p, "+51") {
		d = d[2:]
	}
	if why, bad := forbiddenNumbers[d]; bad {
		c.errf(e, "phone %s must not be published: %s", p, why)
	}
}

// isShelterName reports whether a name looks like a shelter's.
func isShelterName(name string) bool {
	l := strings.ToLower(name)
	if !strings.Contains(l, "refugio") && !strings.Contains(l, "acogida") && !strings.Contains(l, "albergue") &&
		!strings.Contains(l, "hrt") && !strings.Contains(l, "trans") {
		return false
	}
	f := " " + norm.Fold(name) + " "
	for _, w := range shelterWords {
		if strings.Contains(f, " "+w+" ") {
			return true
		}
	}
	return false
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (c *checker) checkPlace(e *located, national bool) {
	hasPoint := e.Lat != 0 || e.Lon != 0
	if isShelterName(e.Name) && !national {
		c.errf(e, "looks like a shelter: shelter locations are confidential by law; do not list it, route to a CEM or Línea 100")
	}
	var d *gplace
	if e.District != "" {
		if d = c.gaz.byCode[e.District]; d == nil || d.level != lvDistrict {
			c.errf(e, "district %q is not a district ubigeo of the gazetteer", e.District)
			d = nil
		}
	}
	if national {
		return
	}
	if !hasPoint && e.District == "" {
		c.errf(e, "no coordinates and no district: it cannot be found near anyone")
	}
	if !hasPoint {
		return
	}
	if !geo.InPeruBox(e.Lat, e.Lon) || e.Lat == 0 || e.Lon == 0 {
		c.errf(e, "coordinates %g,%g are not in Peru", e.Lat, e.Lon)
		return
	}
	if !c.full {
		return
	}
	if _, ok := c.gaz.placeAt(e.Lat, e.Lon); !ok {
		c.warnf(e, "coordinates %g,%g are outside every district of Peru", e.Lat, e.Lon)
	}
	if d != nil && !e.Approx {
		if dist := geo.Distance(e.Lat, e.Lon, d.lat, d.lon); dist > farFromDistrict {
			c.warnf(e, "coordinates are %.0f km from the capital of district %s (%s): check both", dist/1000, d.code, d.name)
		}
	}
}

func (c *checker) checkSource(e *located) {
	if strings.TrimSpace(e.Source) == "" {
		c.errf(e, "no source: every entry says where its facts come from")
	}
	if !c.okSources[e.Source] {
		good := true
		for _, s := range strings.Split(e.Source, ";") {
			if s = strings.TrimSpace(s); s != "" && !isWebURL(s) {
				c.errf(e, "source %q: want http(s) URLs separated by \" ; \"", s)
				good = false
			}
		}
		if good {
			if c.okSources == nil {
				c.okSources = map[string]bool{}
			}
			c.okSources[e.Source] = true
		}
	}
	v, ok := c.okDates[e.Verified]
	if !ok {
		if v, ok = parseVerified(e.Verified); ok {
			if c.okDates == nil {
				c.okDates = map[string]time.Time{}
			}
			c.okDates[e.Verified] = v
		}
	}
	switch {
	case e.Verified == "":
		c.errf(e, "no verified date")
	case !ok:
		c.errf(e, "verified %q: want YYYY, YYYY-MM or YYYY-MM-DD", e.Verified)
	case c.now.IsZero():
	case v.After(c.now.AddDate(0, 0, 1)):
		c.errf(e, "verified %s is in the future", e.Verified)
	case v.AddDate(0, staleAfter, 0).Before(c.now):
		c.warnf(e, "verified %s: more than %d months ago", e.Verified, staleAfter)
	}
}

// parseVerified parses a verified date; a year or month counts from its start.
func parseVerified(s string) (time.Time, bool) {
	for _, l := range verifiedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// finish adds the checks across entries (duplicates, required texts) and the warnings.
func (c *checker) finish(entries []*located) {
	seenID := map[string]*located{}
	seenName := map[string]*located{}
	for _, e := range entries {
		if first, dup := seenID[e.ID]; dup && e.ID != "" {
			c.errf(e, "duplicate id (first in %s)", first.file)
		}
		seenID[e.ID] = e
		if c.full && e.Coverage != CoverageNational {
			k := norm.KeyOf(e.Name) + "/" + e.District
			if first, dup := seenName[k]; dup {
				c.warnf(e, "same name and district as %s: duplicate?", first.ID)
			}
			seenName[k] = e
		}
	}
	for _, k := range []string{textApprox, textShelter} {
		if _, ok := c.texts[k]; !ok {
			c.add(errorf("", "", "texts: %q is missing (the code uses it)", k))
		}
	}
	for k, t := range c.texts {
		if (len(t.Desc) > 0 && t.Desc[fallbackLang] == "") || (len(t.Note) > 0 && t.Note[fallbackLang] == "") {
			c.add(errorf(c.textFile[k], "", "text %q has no %q version (the fallback language)", k, fallbackLang))
		}
		for _, s := range strings.Split(t.Source, ";") {
			if s = strings.TrimSpace(s); s != "" && !isWebURL(s) {
				c.add(errorf(c.textFile[k], "", "text %q: source %q: want http(s) URLs separated by \" ; \"", k, s))
			}
		}
	}
	c.flushWarnings()
}
