package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/norm"
)

// gplace is a department, province or district of the gazetteer.
type gplace struct {
	Code, Level, Name, Capital string
	Lat, Lon                   float64
	Pop                        int64
	// Coords says where Lat/Lon come from: "" the gazetteer, "supplement" a centro
	// poblado, "mimp" an MIMP service in the district, "province" the province capital.
	Coords string
	// Within is, for a district without an outline, the district whose outline contains
	// its capital (it was carved out of it).
	Within string
	// HasShape tells whether the district has an outline.
	HasShape bool
}

type gazetteer struct {
	byCode map[string]*gplace
	acc    *norm.Accents
}

func (g *gazetteer) district(code string) *gplace {
	if p := g.byCode[code]; p != nil && p.Level == "district" {
		return p
	}
	return nil
}

func buildGazetteer(dir string, fx *fixes, shapes []geo.Shape) (*gazetteer, error) {
	read := func(name string) ([]row, error) { return readCSV(filepath.Join(dir, name)) }
	deps, err := read("ubigeo_departamento.csv")
	if err != nil {
		return nil, err
	}
	provs, err := read("ubigeo_provincia.csv")
	if err != nil {
		return nil, err
	}
	dists, err := read("ubigeo_distrito.csv")
	if err != nil {
		return nil, err
	}
	supp, err := read("ubigeo_distrito_coords_supplement.csv")
	if err != nil {
		return nil, err
	}
	g := &gazetteer{byCode: map[string]*gplace{}, acc: norm.NewAccents()}
	for _, rows := range [][]row{deps, provs, dists} {
		for _, r := range rows {
			if c := r["capital"]; c != "NA" {
				g.acc.Learn(c)
			}
		}
	}
	add := func(level, nameCol string, rows []row) {
		for _, r := range rows {
			code := r["inei"]
			if len(code) != 6 {
				fmt.Fprintf(os.Stderr, "gen: skipped %s %q: no INEI code\n", level, r[nameCol])
				continue
			}
			p := &gplace{Code: code, Level: level, Name: displayName(r[nameCol], r["capital"], g.acc)}
			if c := r["capital"]; c != "NA" {
				p.Capital = norm.Title(c, g.acc, nil)
			}
			lat, ok1 := num(r["latitude"])
			lon, ok2 := num(r["longitude"])
			if ok1 && ok2 {
				p.Lat, p.Lon = round5(lat), round5(lon)
			}
			area, ok1 := num(r["superficie"])
			dens, ok2 := num(r["pob_densidad_2020"])
			if ok1 && ok2 {
				p.Pop = int64(math.Round(area * dens))
			}
			g.byCode[code] = p
		}
	}
	add("department", "departamento", deps)
	add("province", "provincia", provs)
	add("district", "distrito", dists)

	for _, x := range fx.Gazetteer.ExtraDistricts {
		g.byCode[x.Code] = &gplace{Code: x.Code, Level: "district", Name: x.Name, Capital: x.Capital, Lat: x.Lat, Lon: x.Lon, Coords: x.Coords}
	}
	for _, r := range supp {
		if p := g.district(r["inei"]); p != nil && p.Lat == 0 {
			lat, _ := num(r["latitude"])
			lon, _ := num(r["longitude"])
			p.Lat, p.Lon, p.Coords = round5(lat), round5(lon), "supplement"
		}
	}
	for _, x := range fx.Gazetteer.DistrictCoords {
		if p := g.district(x.Code); p != nil && p.Lat == 0 {
			p.Lat, p.Lon, p.Coords = x.Lat, x.Lon, x.Coords
		}
	}
	hasShape := map[string]bool{}
	for _, s := range shapes {
		hasShape[s.Code] = true
	}
	for _, p := range g.byCode {
		if p.Level != "district" {
			continue
		}
		if p.Lat == 0 {
			prov := g.byCode[p.Code[:4]+"00"]
			if prov == nil || prov.Lat == 0 {
				return nil, fmt.Errorf("district %s: no coordinates and no province", p.Code)
			}
			p.Lat, p.Lon, p.Coords = prov.Lat, prov.Lon, "province"
			fmt.Fprintf(os.Stderr, "gen: district %s %s placed at its province capital\n", p.Code, p.Name)
		}
		p.HasShape = hasShape[p.Code]
		if !p.HasShape && p.Coords != "province" {
			p.Within = containing(shapes, p.Lat, p.Lon)
		}
	}
	return g, nil
}

// displayName writes an upper-case gazetteer name for people: the capital's spelling
// when it is the same name (it has accents), else title case with learned accents.
func displayName(upper, capital string, acc *norm.Accents) string {
	if capital != "" && capital != "NA" && norm.Fold(capital) == norm.Fold(upper) {
		return norm.Title(capital, acc, nil)
	}
	return norm.Title(upper, acc, nil)
}

func (g *gazetteer) sorted() []*gplace {
	var list []*gplace
	for _, p := range g.byCode {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Code < list[j].Code })
	return list
}

func (g *gazetteer) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"code", "level", "name", "capital", "lat", "lon", "population", "coords", "within"})
	for _, p := range g.sorted() {
		pop := ""
		if p.Pop > 0 {
			pop = strconv.FormatInt(p.Pop, 10)
		}
		w.Write([]string{p.Code, p.Level, p.Name, p.Capital, ftoa(p.Lat), ftoa(p.Lon), pop, p.Coords, p.Within})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func ftoa(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
