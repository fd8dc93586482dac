package directory

// Entry is one service or national line, as written in the data files. Field names are
// the YAML keys and CSV columns.
type Entry struct {
	// ID is unique across all files: lower case letters, digits and dashes.
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// Categories are what the entry helps with (see Categories).
	Categories []string `yaml:"categories,flow"`
	// Tags are extra topics of a national line (see LineTags): "police", "trafficking".
	// A line is found by its categories and its tags.
	Tags []string `yaml:"tags,flow,omitempty"`
	// Coverage is "national" for national lines, "regional" for lines that serve only
	// the departments in Regions (Lima and Callao for 105); empty for services in one
	// place. Both kinds of line are said as phone lines, never placed on a map.
	Coverage string `yaml:"coverage,omitempty"`
	// Regions are the ubigeo codes of the departments or provinces
	// a regional line serves: "150100" Lima Metropolitana, "070000" Callao.
	Regions []string `yaml:"regions,flow,omitempty"`
	// OnlyThere marks a regional line that its source says serves its Regions only
	// (SAMU 106: Lima Metropolitana): it is left out where the person is known to be
	// elsewhere. Without it a regional line is said everywhere with its note (105: "for
	// Lima and Callao; not verified in other regions"), since it may still answer.
	OnlyThere bool `yaml:"only_there,omitempty"`
	// Texts name shared texts of the texts section: the description is the first one
	// that has one; their notes are said in order, after the entry's own note.
	Texts []string `yaml:"texts,flow,omitempty"`
	// Desc and Note are per language ("es", "en"). Desc replaces the shared one; Note
	// is said before the shared ones.
	Desc Localized `yaml:"desc,omitempty"`
	Note Localized `yaml:"note,omitempty"`
	// Phones are E.164 subscriber numbers, short codes ("100") or toll-free ("0800-15-170").
	Phones   []string `yaml:"phones,flow,omitempty"`
	WhatsApp string   `yaml:"whatsapp,omitempty"` // E.164
	Web      string   `yaml:"web,omitempty"`
	Address  string   `yaml:"address,omitempty"`
	// District is the INEI ubigeo (6 digits) of the district the service is in.
	District string `yaml:"district,omitempty"`
	City     string `yaml:"city,omitempty"`
	// Lat and Lon are WGS84 degrees; both zero when unknown. A local entry without them
	// is placed at its district's capital and marked approximate.
	Lat float64 `yaml:"lat,omitempty"`
	Lon float64 `yaml:"lon,omitempty"`
	// Approx marks coordinates known to be approximate (distances are shown as such).
	Approx bool `yaml:"approx,omitempty"`
	// Hours uses the OpenStreetMap opening_hours syntax ("Mo-Fr 08:00-16:15; PH off").
	Hours string `yaml:"hours,omitempty"`
	// HoursText is the hours as the source states them, shown when Hours is empty.
	HoursText string `yaml:"hours_text,omitempty"`
	// Free is true only when a source says the service is free.
	Free bool `yaml:"free,omitempty"`
	// Docs is what the source says is asked for: "" (not stated), "none", "dni", "id".
	Docs string `yaml:"docs,omitempty"`
	// Languages are ISO 639 codes the service answers in, when a source says so.
	Languages []string `yaml:"languages,flow,omitempty"`
	// Friendly lists groups ("sex-workers", "migrants", "lgbti") a community organization
	// vouches the service treats well; VouchedBy names that organization.
	Friendly  []string `yaml:"friendly,flow,omitempty"`
	VouchedBy string   `yaml:"vouched_by,omitempty"`
	// Source is the URL (or URLs separated by " ; ") the facts come from.
	Source string `yaml:"source"`
	// Verified is when the facts were last checked at the source: YYYY, YYYY-MM or
	// YYYY-MM-DD.
	Verified string `yaml:"verified"`
	// Unconfirmed marks facts that no official source confirms ("dato por confirmar").
	Unconfirmed bool `yaml:"unconfirmed,omitempty"`
	// Claims back the strong facts with the words of the source: for each claim the
	// entry makes ("free", "hours" when open 24 hours, "coverage" when national), a
	// quote or close paraphrase of its source that says it (see checkClaims).
	Claims map[string]string `yaml:"claims,omitempty"`
}

// IsLine tells whether the entry is a phone line (national or regional) rather than a
// service in one place.
func (e *Entry) IsLine() bool {
	return e.Coverage == CoverageNational || e.Coverage == CoverageRegional
}

// Localized is a text in several languages, keyed by language code.
type Localized map[string]string

// In returns the text in lang, falling back to Spanish, or "".
func (l Localized) In(lang string) string {
	if s, ok := l[lang]; ok && s != "" {
		return s
	}
	return l[fallbackLang]
}

// fallbackLang is the language used when a text is missing in the user's language.
const fallbackLang = "es"

// TextSet is a shared description and note that entries name in their Texts field,
// with the source of what the note states.
type TextSet struct {
	Desc   Localized `yaml:"desc,omitempty"`
	Note   Localized `yaml:"note,omitempty"`
	Source string    `yaml:"source,omitempty"`
	// Claims back, for the entries that name this text, the claims its source makes
	// (see Entry.Claims).
	Claims map[string]string `yaml:"claims,omitempty"`
}

// Service categories.
const (
	CatViolence     = "violence"
	CatHealth       = "health"
	CatSexualHealth = "sexual-health"
	CatMentalHealth = "mental-health"
	CatLegal        = "legal"
	CatShelter      = "shelter"
	CatMigration    = "migration"
	CatCommunity    = "community"
	CatEmergency    = "emergency"
)

// categoryOrder is the order Categories lists them in.
var categoryOrder = []string{CatViolence, CatHealth, CatSexualHealth, CatMentalHealth, CatLegal, CatShelter, CatMigration, CatCommunity, CatEmergency}

// LineTags are the topics a national line may carry besides the categories.
var LineTags = []string{"police", "trafficking", "extortion", "fire"}

// Coverage values: a national line, a line for some departments only.
const (
	CoverageNational = "national"
	CoverageRegional = "regional"
)

// Values of Entry.Docs and Entry.Friendly.
var (
	docsValues     = map[string]bool{"": true, "none": true, "dni": true, "id": true}
	friendlyValues = map[string]bool{"sex-workers": true, "migrants": true, "lgbti": true}
)

func isCategory(c string) bool {
	for _, k := range categoryOrder {
		if k == c {
			return true
		}
	}
	return false
}

func isTag(t string) bool {
	if isCategory(t) {
		return true
	}
	for _, k := range LineTags {
		if k == t {
			return true
		}
	}
	return false
}
