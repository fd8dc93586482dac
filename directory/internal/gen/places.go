package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/norm"
)

// urbanCategories are the INEI categories of places worth matching by name anywhere in
// Peru: towns and urban areas. Villages (caseríos, anexos, farms) repeat the same names
// hundreds of times and people there know their district; they are left out, except in
// Lima and Callao (limaBox), where areas without a category are neighbourhoods people
// name ("Huaycán", "Collique").
var urbanCategories = map[string]int{
	"CIUDAD": 0, "PUEBLO": 1, "VILLA": 2, "BARRIO O CUARTEL": 3, "PP.JJ.AA.HH.": 3,
	"PUEBLO JOVEN": 3, "PUEBLO JOVEN, AAHH": 3, "URBANIZACION": 3, "ASOCIACION DE VIVIENDA": 3,
	"CONJTO.HABITACIONAL": 3, "COOPERATIVA DE VIVIENDA": 3,
}

func inLimaBox(lat, lon float64) bool {
	return lat > -12.55 && lat < -11.7 && lon > -77.25 && lon < -76.6
}

type place struct {
	code, district, name, cat string
	lat, lon                  float64
	rank                      int
}

func writePlaces(geoDir, path string, g *gazetteer, shapes []geo.Shape) error {
	rows, err := readCSV(filepath.Join(geoDir, "centros_poblados_inei.csv"))
	if err != nil {
		return err
	}
	best := map[string]*place{} // district + key -> place
	for _, r := range rows {
		lat, ok1 := num(r["lat"])
		lon, ok2 := num(r["lon"])
		if !ok1 || !ok2 {
			continue
		}
		rank, urban := urbanCategories[r["categoria"]]
		if !urban {
			if !inLimaBox(lat, lon) {
				continue
			}
			rank = 4
		}
		dist := r["ubigeo"]
		if g.district(dist) == nil {
			dist = containing(shapes, lat, lon)
		}
		d := g.district(dist)
		if d == nil {
			continue
		}
		name := norm.Title(r["nombre"], g.acc, nil)
		key := norm.KeyOf(name)
		if len(key) < 3 {
			continue
		}
		// The district's own name or capital adds nothing near the capital.
		if (key == norm.KeyOf(d.Name) || key == norm.KeyOf(d.Capital)) && geo.Distance(lat, lon, d.Lat, d.Lon) < 10000 {
			continue
		}
		p := &place{district: dist, name: name, cat: norm.Fold(r["categoria"]), lat: round5(lat), lon: round5(lon), rank: rank}
		if c := r["codigo_ccpp"]; len(c) == 10 && c[:6] == dist {
			p.code = c
		}
		k := dist + "/" + key
		if old := best[k]; old == nil || p.rank < old.rank || (p.rank == old.rank && p.code != "" && old.code == "") {
			best[k] = p
		}
	}
	var list []*place
	for _, p := range best {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.district != b.district {
			return a.district < b.district
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.lat < b.lat
	})
	// INEI repeats a few codes: the second place of a code loses it.
	used := map[string]bool{}
	for _, p := range list {
		if used[p.code] {
			p.code = ""
		}
		if p.code != "" {
			used[p.code] = true
		}
	}
	// Places without an INEI code get the district's ubigeo, "P" and a number.
	seq := map[string]int{}
	for _, p := range list {
		if p.code == "" {
			seq[p.district]++
			p.code = fmt.Sprintf("%sP%03d", p.district, seq[p.district])
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].code < list[j].code })

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"code", "name", "category", "lat", "lon"})
	for _, p := range list {
		w.Write([]string{p.code, p.name, p.cat, ftoa(p.lat), ftoa(p.lon)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %d populated places\n", len(list))
	return f.Close()
}
