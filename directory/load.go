package directory

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/faro-chat/faro/directory/data"
	"github.com/faro-chat/faro/directory/hours"
	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/phone"
	"github.com/faro-chat/faro/directory/internal/spatial"
)

// Keys of texts the code itself uses.
const (
	textApprox  = "approx-location"
	textShelter = "shelter-route"
)

// Embedded returns the embedded Peru data files (the layout Load and Validate read).
func Embedded() fs.FS { return data.FS }

var (
	defaultOnce sync.Once
	defaultDir  *Directory
	defaultErr  error
)

// Default returns the directory of the embedded Peru data, loaded once and shared.
func Default() (*Directory, error) {
	defaultOnce.Do(func() { defaultDir, defaultErr = Load(data.FS) })
	return defaultDir, defaultErr
}

// Load reads a folder of data files (see Validate for the layout; os.DirFS(dir) for a
// folder on disk) and builds the directory. It fails if the data has errors.
func Load(fsys fs.FS) (*Directory, error) {
	d, probs := load(fsys, time.Time{}, false)
	var errs []string
	for _, p := range probs {
		if p.Severity == SevError {
			errs = append(errs, p.String())
		}
	}
	if len(errs) > 0 {
		more := ""
		if len(errs) > 10 {
			more = fmt.Sprintf(" (and %d more)", len(errs)-10)
			errs = errs[:10]
		}
		return nil, fmt.Errorf("directory data has %d errors%s:\n%s", len(errs), more, strings.Join(errs, "\n"))
	}
	return d, nil
}

// load reads and checks the data; now enables the date checks and full the slower ones.
// The directory is nil when the gazetteer cannot be read.
func load(fsys fs.FS, now time.Time, full bool) (*Directory, []Problem) {
	gfs := fsys
	if _, err := fs.Stat(fsys, gazetteerFile); errors.Is(err, fs.ErrNotExist) {
		gfs = data.FS
	}
	// The gazetteer and the entry files are independent: read them at the same time.
	var (
		gaz    *gazetteer
		gazErr error
		wg     sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		gaz, gazErr = loadGazetteer(gfs)
	}()
	rd := readData(fsys)
	wg.Wait()
	if gazErr != nil {
		return nil, []Problem{errorf("geo", "", "%v", gazErr)}
	}
	// The name index is only needed by Locate: build it while the entries are checked.
	var namesErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		namesErr = gaz.buildNames(gfs)
	}()
	c := &checker{gaz: gaz, texts: rd.texts, textFile: rd.textFile, now: now, full: full, probs: rd.probs}
	hol, err := newHolidays(rd.holidays)
	if err != nil {
		c.add(errorf(rd.holFile, "", "%v", err))
	} else if rd.holidays == nil {
		c.add(errorf("", "", "no holidays section: opening hours with PH cannot be evaluated"))
	}
	d := &Directory{gaz: gaz, texts: rd.texts, hol: hol, loc: lima(), files: rd.files, byCategory: map[string]*catIndex{}}
	for _, e := range rd.entries {
		sch := c.checkEntry(e)
		d.add(e, sch)
	}
	c.finish(rd.entries)
	// Organizations only make links: a bad record fails `faro check` (full), but does
	// not keep the bot from starting (Load): it is left out of Orgs.
	oc := c
	if !full {
		oc = &checker{gaz: gaz, texts: rd.texts, now: now}
	}
	d.orgs = oc.checkOrgs(rd.orgs, rd.entries)
	if !full {
		d.orgProbs = oc.probs
	}
	d.index()
	wg.Wait()
	if namesErr != nil {
		c.add(errorf(aliasesFile, "", "%v", namesErr))
	}
	return d, c.probs
}

// add turns a checked entry into a record.
func (d *Directory) add(e *located, sch *hours.Schedule) {
	r := &record{e: e.Entry, file: e.file, hours: sch, national: e.IsLine()}
	if sch != nil {
		r.hoursIn = map[string]string{}
		for _, lang := range hours.Languages {
			r.hoursIn[lang] = sch.Describe(lang)
		}
	}
	r.lat, r.lon, r.approx = e.Lat, e.Lon, e.Approx
	if !r.national && (r.lat == 0 || r.lon == 0) {
		if dist := d.gaz.byCode[e.District]; dist != nil && dist.level == lvDistrict {
			r.lat, r.lon, r.approx = dist.lat, dist.lon, true
		}
	}
	r.place = d.gaz.label(e.District)
	for _, p := range e.Phones {
		r.phones = append(r.phones, phone.Display(p))
	}
	r.tags = map[string]bool{}
	for _, t := range append(append([]string(nil), e.Categories...), e.Tags...) {
		r.tags[t] = true
	}
	d.records = append(d.records, r)
}

// index builds the national line list, the records by id and one spatial index per
// category.
func (d *Directory) index() {
	pts := map[string][]geo.Vec{}
	d.byID = make(map[string]*record, len(d.records))
	for _, r := range d.records {
		d.byID[r.e.ID] = r
		if r.national {
			d.lines = append(d.lines, r)
			continue
		}
		if r.lat == 0 && r.lon == 0 {
			continue
		}
		for _, cat := range r.e.Categories {
			ci := d.byCategory[cat]
			if ci == nil {
				ci = &catIndex{}
				d.byCategory[cat] = ci
			}
			ci.recs = append(ci.recs, r)
			pts[cat] = append(pts[cat], geo.ToVec(r.lat, r.lon))
		}
	}
	for cat, ci := range d.byCategory {
		ci.tree = spatial.Build(pts[cat])
	}
}

// catIndex finds the records of one category near a point.
type catIndex struct {
	tree *spatial.Tree
	recs []*record // by tree item id
}

var (
	limaOnce sync.Once
	limaLoc  *time.Location
)

// lima returns Peru's time zone. Peru has no daylight saving time, so a fixed -05:00
// zone is exact when the system has no time zone database.
func lima() *time.Location {
	limaOnce.Do(func() {
		loc, err := time.LoadLocation("America/Lima")
		if err != nil {
			loc = time.FixedZone("-05", -5*60*60)
		}
		limaLoc = loc
	})
	return limaLoc
}
