package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/directory/internal/phone"
)

const (
	mimpSource   = "https://www.mimp.gob.pe/omep/Consolidado_Directorio_Nacional_2026.xlsx ; https://github.com/Rodasluis/Indicadores-ENDES"
	mimpVerified = "2026"
)

var (
	phoneSep  = regexp.MustCompile(`\s*(?:/+|\s-\s)\s*`)
	mimpUpper = map[string]bool{"CEM": true, "SAR": true, "SAU": true, "PIAS": true}
)

// writeMIMP converts the MIMP directory. Shelters (HRT) are never written: their
// addresses are confidential by law and the bot routes to a CEM or Línea 100 instead.
// CAI (re-education of aggressors) is not a service for victims.
func writeMIMP(geoDir, path string, g *gazetteer, fx *fixes) error {
	rows, err := readCSV(filepath.Join(geoDir, "mimp_servicios_violencia_2026.csv"))
	if err != nil {
		return err
	}
	var entries []directory.Entry
	ids := map[string]bool{}
	skipped := map[string]int{}
	for _, r := range rows {
		// The rows were transcribed by hand from a stored copy of the MIMP file (see
		// SOURCE-mimp_servicios_violencia_2026.md): phones and addresses stay "dato por
		// confirmar" until someone checks them against the MIMP file itself.
		e := directory.Entry{Source: mimpSource, Verified: mimpVerified, Address: r["direccion"], District: r["ubigeo"], Unconfirmed: true}
		switch r["tipo"] {
		case "CEM":
			e.Categories = []string{directory.CatViolence, directory.CatLegal, directory.CatShelter}
			e.Free = true // gob.pe 2023-11-22: CEM services are free
			switch r["subtipo"] {
			case "CEM en Comisaría":
				e.Texts, e.Hours = []string{"cem-comisaria"}, "24/7"
			case "CEM Regular":
				e.Texts, e.Hours = []string{"cem-regular"}, "Mo-Fr 08:00-16:15; PH off"
			default:
				e.Texts = []string{"cem-otro"}
			}
			e.Name = norm.Title(r["nombre"], g.acc, mimpUpper)
		case "SAR":
			e.Categories = []string{directory.CatViolence}
			e.Texts = []string{"sar"}
			e.Name = norm.Title(r["nombre"], g.acc, mimpUpper)
			if !strings.HasPrefix(e.Name, "PIAS") {
				e.Name = "SAR " + e.Name
			}
		case "SAU":
			e.Categories = []string{directory.CatViolence}
			e.Texts = []string{"sau"}
			e.Name = norm.Title(r["nombre"], g.acc, mimpUpper)
		default: // HRT, CAI
			skipped[r["tipo"]]++
			continue
		}
		keep := true
		switch flag := r["coord_flag"]; {
		case flag == "no_coords":
			keep = false
		case contains(fx.MIMP.WrongCoords, r["nombre"]):
			keep = false
		case strings.HasPrefix(flag, "far_") && !contains(fx.MIMP.PlausibleFar, r["nombre"]):
			return fmt.Errorf("%s: coordinates flagged %s and not reviewed in fixes.yaml", r["nombre"], flag)
		}
		for _, f := range fx.MIMP.DistrictFixes {
			if f.Name == r["nombre"] {
				e.District = f.District
				keep = keep && f.KeepCoords
			}
		}
		if contains(fx.MIMP.Itinerant, r["nombre"]) {
			e.Texts, keep = []string{"itinerant"}, false
		}
		if keep {
			lat, ok1 := num(r["lat"])
			lon, ok2 := num(r["lon"])
			if ok1 && ok2 {
				e.Lat, e.Lon = lat, lon
			}
		}
		if g.district(e.District) == nil {
			return fmt.Errorf("%s: district %s not in the gazetteer", r["nombre"], e.District)
		}
		for _, p := range phoneSep.Split(r["telefono"], -1) {
			if strings.TrimSpace(p) == "" {
				continue
			}
			n, err := phone.FromLocal(p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "gen: %s: %v: left out\n", r["nombre"], err)
				e.Note = directory.Localized{
					"es": "El teléfono publicado por la fuente tiene un error y no se muestra; llama a la Línea 100.",
					"en": "The phone published by the source has an error and is not shown; call Línea 100.",
				}
				continue
			}
			e.Phones = append(e.Phones, n)
		}
		e.ID = "mimp-" + slug(e.Name)
		if ids[e.ID] {
			e.ID += "-" + e.District
		}
		ids[e.ID] = true
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].District != entries[j].District {
			return entries[i].District < entries[j].District
		}
		return entries[i].ID < entries[j].ID
	})
	fmt.Fprintf(os.Stderr, "gen: %d MIMP services; left out %v\n", len(entries), skipped)
	return writeEntries(path, entries)
}

func writeEntries(path string, entries []directory.Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := directory.WriteCSV(f, entries); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
