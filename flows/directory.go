package flows

import "time"

// Directory is what the engine asks about services and phone lines. The engine does no
// I/O of its own: the directory is injected (see package directory) and must answer
// from memory, deterministically for the same arguments.
type Directory interface {
	// Lines returns the national phone lines carrying any of tags, in the directory's
	// order, with descriptions in lang. where is the code of the person's place ("" when
	// unknown): a line that serves only other regions is left out.
	Lines(lang string, tags []string, where string) []Card
	// Locate matches a typed place name (any spelling) against the gazetteer. It returns
	// no place when it knows none, one when sure, several (at most 5) when ambiguous.
	Locate(text string) []Place
	// PlaceAt returns the district that contains or is nearest to a point.
	PlaceAt(lat, lon float64) (Place, bool)
	// Place returns the place with this code (a ubigeo), as returned by Locate.
	Place(code string) (Place, bool)
	// Nearby returns one page (page 0 first) of services of category nearest to the
	// point, best first, and whether more pages exist. National lines of the category
	// are not included: ask Lines for them.
	Nearby(q Query) (cards []Card, more bool)
	// Categories lists the service categories the directory knows.
	Categories() []string
}

// Place is somewhere in Peru: a district, province or department of the gazetteer.
type Place struct {
	Code     string  // ubigeo
	Name     string  // "San Juan de Lurigancho"
	Region   string  // "Lima, Lima" (province, department), to tell homonyms apart
	Lat, Lon float64 // a representative point (the capital)
	// Approx marks a point not yet checked against a source (a landmark placed by
	// hand): distances from it are said to be approximate.
	Approx bool
}

// Query asks for services near a point.
type Query struct {
	Lang     string
	Category string
	Lat, Lon float64
	Page     int
	PageSize int
	Now      time.Time
	OpenNow  bool
	FreeOnly bool
	// Within is a district's ubigeo: its services come first, the nearest first, then
	// those around it.
	Within string
	// WithPhone keeps only services with a phone; AlwaysOpen only those open 24 hours.
	WithPhone, AlwaysOpen bool
	// MeasureFrom, when set, is the point distances are measured from (a pin), while
	// Lat, Lon (its coarse cell) choose the services of each page: later pages, asked
	// from the cell alone, then follow on with no gap and no repeat. A page is ordered
	// by these distances.
	MeasureFrom *[2]float64
}

// Open tells whether a service is open at the time of the query.
type Open int

// Open states.
const (
	OpenUnknown Open = iota // no hours known
	OpenNow                 // open now
	ClosedNow               // closed now
	Always                  // 24 hours
)

// Card is a phone line or a service, ready to be rendered in the user's language.
// Every field is data from the directory; the sentences around them live in locales.
type Card struct {
	ID   string
	Name string
	// Desc is a short description in the user's language ("" if none).
	Desc     string
	Phones   []string // as dialled in Peru ("100", "0800-15-170", "+51 1 311 0300")
	WhatsApp string
	Web      string
	Address  string
	Place    string  // district, province
	District string  // the district's ubigeo ("" for a national line)
	Distance float64 // metres from the user; < 0 when not applicable
	Open     Open
	// Until is "16:00" when Open is OpenNow and it closes today; Opens is the next
	// opening ("lun 08:00") when ClosedNow.
	Until, Opens string
	Hours        string // as stated by the source, for display
	Free         bool
	// Docs says what the source says is asked for: "" (not stated), "none", "dni", "id".
	Docs string
	// Unconfirmed marks facts that no official source confirms ("dato por confirmar").
	Unconfirmed bool
	// Verified is when the facts were last checked (YYYY-MM or YYYY-MM-DD).
	Verified string
	// Note is a caveat from the source, in the user's language ("" if none).
	Note string
	// Languages are the languages it answers in, as its source says (ISO 639 codes,
	// e.g. es, qu, ay); empty when the source does not say.
	Languages []string
	// Approx marks a service placed at its district's capital: its distance is only
	// roughly known.
	Approx bool
}
