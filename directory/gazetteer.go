package directory

import (
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/flows"
)

// Gazetteer files, relative to the data folder.
const (
	gazetteerFile = "geo/gazetteer.csv"
	placesFile    = "geo/places.csv"
	polygonsFile  = "geo/polygons.txt"
	aliasesFile   = "geo/aliases.yaml"
	landmarksFile = "geo/landmarks.yaml"
)

// level of a gazetteer place, from general to specific.
type level int8

const (
	lvDepartment level = iota
	lvProvince
	lvDistrict
	lvPoblado  // populated place (town, neighbourhood)
	lvLandmark // landmark, market, settlement or neighbourhood of landmarks.yaml
)

// gplace is a place of the gazetteer.
type gplace struct {
	code    string // ubigeo (6 digits), or 10 characters for a populated place
	level   level
	name    string
	capital string
	lat     float64
	lon     float64
	pop     int64
	rank    int // populated places: 0 city ... 4 no category
	// within is, for a district without an outline, the district whose outline contains
	// its capital.
	within string
	region string // "Lima, Lima": what tells homonyms apart
	parent *gplace
	also   []string // other names of a landmark
	// generic: the landmark's own name is also a common phrase ("la parada" is a bus
	// stop to many Venezuelans; every city has a "mercado central"), so alone it names
	// nothing: only its other names, or the name with its district's, find it.
	generic bool
	// approx: a landmark whose point no source has confirmed yet (verified empty).
	approx bool
}

// isAncestor reports whether a contains c (a department contains its provinces, ...).
func (a *gplace) isAncestor(c *gplace) bool {
	for p := c.parent; p != nil; p = p.parent {
		if p == a {
			return true
		}
	}
	return false
}

func (p *gplace) toPlace() flows.Place {
	return flows.Place{Code: p.code, Name: p.name, Region: p.region, Lat: p.lat, Lon: p.lon, Approx: p.approx}
}

// gazetteer is every place Faro knows, the district outlines and the name index.
type gazetteer struct {
	byCode  map[string]*gplace
	shapes  *geo.ShapeIndex
	shapeOf map[string]*gplace // district with an outline
	// carved lists, for a district with an outline, the newer districts without one
	// whose capital lies inside it.
	carved  map[string][]*gplace
	noShape []*gplace // districts without an outline
	names   *nameIndex
}

// alias is one line of aliases.yaml.
type alias struct {
	Name string `yaml:"name"`
	Code string `yaml:"code"`
}

// loadGazetteer reads the geo files of fsys.
func loadGazetteer(fsys fs.FS) (*gazetteer, error) {
	g := &gazetteer{byCode: map[string]*gplace{}, shapeOf: map[string]*gplace{}, carved: map[string][]*gplace{}}
	if err := g.readAdmin(fsys); err != nil {
		return nil, err
	}
	if err := g.readPlaces(fsys); err != nil {
		return nil, err
	}
	if err := g.readLandmarks(fsys); err != nil {
		return nil, err
	}
	f, err := fsys.Open(polygonsFile)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", polygonsFile, err)
	}
	shapes, err := geo.ReadShapes(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", polygonsFile, err)
	}
	g.shapes = geo.NewShapeIndex(shapes)
	for _, s := range shapes {
		p := g.byCode[s.Code]
		if p == nil || p.level != lvDistrict {
			return nil, fmt.Errorf("%s: outline of unknown district %s", polygonsFile, s.Code)
		}
		g.shapeOf[s.Code] = p
	}
	for _, p := range g.byCode {
		if p.level == lvDistrict && g.shapeOf[p.code] == nil {
			g.noShape = append(g.noShape, p)
			if p.within != "" {
				g.carved[p.within] = append(g.carved[p.within], p)
			}
		}
	}
	return g, nil
}

// buildNames reads the aliases and indexes every name for Locate.
func (g *gazetteer) buildNames(fsys fs.FS) error {
	aliases, err := readAliases(fsys)
	if err != nil {
		return err
	}
	g.names, err = newNameIndex(g, aliases)
	return err
}

func (g *gazetteer) readAdmin(fsys fs.FS) error {
	rows, err := readTable(fsys, gazetteerFile, "code", "level", "name", "capital", "lat", "lon", "population", "within")
	if err != nil {
		return err
	}
	levels := map[string]level{"department": lvDepartment, "province": lvProvince, "district": lvDistrict}
	for i, r := range rows {
		lv, ok := levels[r["level"]]
		code := r["code"]
		if !ok || len(code) != 6 {
			return fmt.Errorf("%s: row %d: bad code %q or level %q", gazetteerFile, i+2, code, r["level"])
		}
		p := &gplace{code: code, level: lv, name: r["name"], capital: r["capital"], within: r["within"]}
		if p.lat, p.lon, err = parseLatLon(r["lat"], r["lon"]); err != nil {
			return fmt.Errorf("%s: %s: %w", gazetteerFile, code, err)
		}
		if r["population"] != "" {
			if p.pop, err = strconv.ParseInt(r["population"], 10, 64); err != nil {
				return fmt.Errorf("%s: %s: population: %w", gazetteerFile, code, err)
			}
		}
		g.byCode[code] = p
	}
	for _, p := range g.byCode {
		switch p.level {
		case lvProvince:
			p.parent = g.byCode[p.code[:2]+"0000"]
		case lvDistrict:
			p.parent = g.byCode[p.code[:4]+"00"]
		}
		if p.level != lvDepartment && (p.parent == nil || p.parent.level != p.level-1) {
			return fmt.Errorf("%s: %s has no parent", gazetteerFile, p.code)
		}
	}
	for _, p := range g.byCode {
		p.region = regionOf(p)
	}
	return nil
}

func (g *gazetteer) readPlaces(fsys fs.FS) error {
	rows, err := readTable(fsys, placesFile, "code", "name", "category", "lat", "lon")
	if err != nil {
		return err
	}
	ranks := map[string]int{"ciudad": 0, "pueblo": 1, "villa": 2, "": 4}
	for _, r := range rows {
		code := r["code"]
		if len(code) != 10 || g.byCode[code] != nil {
			return fmt.Errorf("%s: bad or repeated code %q", placesFile, code)
		}
		d := g.byCode[code[:6]]
		if d == nil || d.level != lvDistrict {
			return fmt.Errorf("%s: %s: unknown district", placesFile, code)
		}
		p := &gplace{code: code, level: lvPoblado, name: r["name"], parent: d}
		if p.lat, p.lon, err = parseLatLon(r["lat"], r["lon"]); err != nil {
			return fmt.Errorf("%s: %s: %w", placesFile, code, err)
		}
		rank, ok := ranks[r["category"]]
		if !ok {
			rank = 3
		}
		p.rank = rank
		p.region = regionOf(p)
		g.byCode[code] = p
	}
	return nil
}

// landmark is one entry of landmarks.yaml.
type landmark struct {
	Name     string   `yaml:"name"`
	Also     []string `yaml:"also,flow"`
	Kind     string   `yaml:"kind"`
	District string   `yaml:"district"`
	Lat      float64  `yaml:"lat"`
	Lon      float64  `yaml:"lon"`
	Source   string   `yaml:"source"`
	Verified string   `yaml:"verified"`
	// Generic marks a name that is also a common phrase: see gplace.generic.
	Generic bool `yaml:"generic"`
}

// landmarkKinds are the kinds of place landmarks.yaml may list.
var landmarkKinds = map[string]bool{"landmark": true, "market": true, "settlement": true, "neighbourhood": true}

// readLandmarks adds the landmarks, ranked like their district for ambiguous names. A
// landmark's code is its district's ubigeo, "L" and three hex digits of a hash of its
// name: stable when the file changes, since sessions keep it.
func (g *gazetteer) readLandmarks(fsys fs.FS) error {
	b, err := fs.ReadFile(fsys, landmarksFile)
	if err != nil {
		return fmt.Errorf("read %s: %w", landmarksFile, err)
	}
	var doc struct {
		Landmarks []landmark `yaml:"landmarks"`
	}
	if err := decodeYAMLStrict(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", landmarksFile, err)
	}
	for _, l := range doc.Landmarks {
		d := g.byCode[l.District]
		switch {
		case d == nil || d.level != lvDistrict:
			return fmt.Errorf("%s: %q: unknown district %q", landmarksFile, l.Name, l.District)
		case !landmarkKinds[l.Kind] || l.Name == "" || l.Source == "":
			return fmt.Errorf("%s: %q: needs a name, a source and a kind (landmark, market, settlement, neighbourhood)", landmarksFile, l.Name)
		case !geo.InPeruBox(l.Lat, l.Lon):
			return fmt.Errorf("%s: %q: bad coordinates", landmarksFile, l.Name)
		}
		h := fnv.New32a()
		h.Write([]byte(norm.KeyOf(l.Name)))
		code := fmt.Sprintf("%sL%03x", l.District, h.Sum32()%0x1000)
		if g.byCode[code] != nil {
			return fmt.Errorf("%s: %q: code %s taken: rename or add a word", landmarksFile, l.Name, code)
		}
		p := &gplace{code: code, level: lvLandmark, name: l.Name, lat: l.Lat, lon: l.Lon, pop: d.pop, parent: d, also: l.Also, generic: l.Generic, approx: l.Verified == ""}
		p.region = regionOf(p)
		g.byCode[code] = p
	}
	return nil
}

func readAliases(fsys fs.FS) ([]alias, error) {
	b, err := fs.ReadFile(fsys, aliasesFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", aliasesFile, err)
	}
	var doc struct {
		Aliases []alias `yaml:"aliases"`
	}
	if err := decodeYAMLStrict(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", aliasesFile, err)
	}
	return doc.Aliases, nil
}

// regionOf names what contains a place: "province, department" for a district.
func regionOf(p *gplace) string {
	switch p.level {
	case lvDepartment:
		return "Perú"
	case lvProvince:
		return p.parent.name
	case lvDistrict:
		return p.parent.name + ", " + p.parent.parent.name
	default:
		d := p.parent
		return d.name + ", " + d.parent.name + ", " + d.parent.parent.name
	}
}

// label is what a card says about where a service is: "district, province".
func (g *gazetteer) label(code string) string {
	d := g.byCode[code]
	if d == nil || d.level != lvDistrict {
		return ""
	}
	return d.name + ", " + d.parent.name
}

func parseLatLon(lat, lon string) (float64, float64, error) {
	if lat == "" && lon == "" {
		return 0, 0, fmt.Errorf("no coordinates")
	}
	a, err1 := strconv.ParseFloat(lat, 64)
	b, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || !geo.InPeruBox(a, b) {
		return 0, 0, fmt.Errorf("bad coordinates %q,%q", lat, lon)
	}
	return a, b, nil
}

// decodeYAMLStrict decodes one YAML document, rejecting unknown fields.
func decodeYAMLStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(bytesReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return err
	}
	return nil
}
