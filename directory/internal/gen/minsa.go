package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/norm"
)

const (
	minsaSource   = "https://www.datosabiertos.gob.pe/dataset/minsa-ipress"
	minsaVerified = "2017-09"
	// maxPointError is how far (metres) from its declared district's capital a point that
	// falls in another province may be before it is treated as misplaced.
	maxPointError = 15000
)

// publicInstitutions run establishments open to anyone: the regional governments and
// MINSA (with SIS, Peru's public insurance) and municipalities. EsSalud serves its
// insured, the armed forces and police serve their members, INPE serves prisons, and
// private clinics charge: they are left out.
var publicInstitutions = map[string]bool{
	"GOBIERNO REGIONAL": true, "MINSA": true, "MUNICIPALIDAD PROVINCIAL": true, "MUNICIPALIDAD DISTRITAL": true,
}

// kinds maps the MINSA classification to the shared text and a name prefix. Laboratories,
// dentists, opticians, dialysis, imaging and transport are not listed.
var kinds = map[string]struct{ text, prefix string }{
	"PUESTOS DE SALUD O POSTAS DE SALUD":          {"minsa-puesto", "Puesto de salud"},
	"CENTROS DE SALUD O CENTROS MEDICOS":          {"minsa-centro", "Centro de salud"},
	"CENTROS DE SALUD CON CAMAS DE INTERNAMIENTO": {"minsa-centro", "Centro de salud"},
	"POLICLINICOS": {"minsa-centro", "Policlínico"},
	"CONSULTORIOS MEDICOS Y DE OTROS PROFESIONALES DE LA SALUD":                            {"minsa-centro", "Consultorio"},
	"HOSPITALES O CLINICAS DE ATENCION GENERAL":                                            {"minsa-hospital", "Hospital"},
	"HOSPITALES O CLINICAS DE ATENCION ESPECIALIZADA":                                      {"minsa-hospital", "Hospital"},
	"INSTITUTOS DE SALUD ESPECIALIZADOS":                                                   {"minsa-especializado", "Instituto"},
	"CENTROS MEDICOS ESPECIALIZADOS":                                                       {"minsa-especializado", "Centro especializado"},
	"CENTROS DE ATENCION PARA DEPENDIENTES A SUSTANCIAS PSICOACTIVAS Y OTRAS DEPENDENCIAS": {"minsa-especializado", "Centro especializado"},
}

// emergencyKinds are the classifications where an emergency may be taken.
var emergencyKinds = map[string]bool{
	"HOSPITALES O CLINICAS DE ATENCION GENERAL":   true,
	"CENTROS DE SALUD CON CAMAS DE INTERNAMIENTO": true,
	"CENTROS DE SALUD O CENTROS MEDICOS":          true,
	"POLICLINICOS":                                true,
	"PUESTOS DE SALUD O POSTAS DE SALUD":          true,
}

// hivTestLevels are the MINSA levels of centres with doctors and hospitals, listed for
// sexual health: health posts (I-1, I-2) and specialised institutes are not.
var hivTestLevels = map[string]bool{"I-3": true, "I-4": true, "II-1": true, "II-2": true, "III-1": true, "III-2": true}

// specialised names establishments that serve one kind of patient, whatever the MINSA
// classification says (Larco Herrera, a psychiatric hospital, is "atención general").
var specialised = regexp.MustCompile(`NEOPL[AÁ]SIC|SALUD MENTAL|LARCO HERRERA|PSIQUI[AÁ]TRIC|REHABILITACI|OFTALMOL|PEDI[AÁ]TRIC|DEL NI[NÑ]O|ENFERMEDADES`)

var (
	mentalHealth = regexp.MustCompile(`\bSALUD MENTAL\b|\bMENTAL COMUNITARI|\bENFERMO MENTAL\b|\bHONORIO DELGADO\b`)
	typeWords    = map[string]bool{"puesto": true, "posta": true, "centro": true, "hospital": true, "cs": true, "ps": true, "c": true, "p": true, "policlinico": true, "clinica": true, "instituto": true, "cmi": true, "materno": true, "consultorio": true, "establecimiento": true, "especializado": true, "mental": true, "salud": true}
	minsaUpper   = map[string]bool{"CS": true, "PS": true, "CMI": true, "ITS": true, "ITSS": true, "VIH": true, "SIDA": true, "CERITS": true, "TAR": true, "CLAS": true, "MINSA": true}
)

// extra is one item of minsa_extras.yaml.
type extra struct {
	Code        string              `yaml:"code"`
	Categories  []string            `yaml:"categories"`
	Name        string              `yaml:"name"`
	Desc        directory.Localized `yaml:"desc"`
	Note        directory.Localized `yaml:"note"`
	ExtraSource string              `yaml:"extra_source"`
	Verified    string              `yaml:"verified"`
	Unconfirmed bool                `yaml:"unconfirmed"`
	Docs        string              `yaml:"docs"`
}

func writeMINSA(geoDir, path string, g *gazetteer) error {
	var extras []extra
	dec := yaml.NewDecoder(strings.NewReader(string(minsaExtrasYAML)))
	dec.KnownFields(true)
	if err := dec.Decode(&extras); err != nil {
		return fmt.Errorf("minsa_extras.yaml: %w", err)
	}
	byCode := map[string]extra{}
	for _, x := range extras {
		byCode[x.Code] = x
	}
	rows, err := readCSV(filepath.Join(geoDir, "ipress_minsa_coords.csv"))
	if err != nil {
		return err
	}
	var entries []directory.Entry
	moved := 0
	for _, r := range rows {
		kind, ok := kinds[strings.Split(r["clasificacion"], ",")[0]]
		if !ok || !publicInstitutions[r["institucion"]] || r["categoria"] == "Sin Categoría" {
			continue
		}
		e := directory.Entry{
			ID:         "minsa-" + r["codigo_unico"],
			Name:       minsaName(r["nombre"], kind.prefix, g),
			Categories: []string{directory.CatHealth},
			Texts:      []string{kind.text},
			District:   r["ubigeo"],
			Source:     minsaSource,
			Verified:   minsaVerified,
		}
		if g.district(e.District) == nil {
			e.District = r["ubigeo_geom"]
		}
		d := g.district(e.District)
		if d == nil {
			return fmt.Errorf("%s: no district for %s/%s", e.ID, r["ubigeo"], r["ubigeo_geom"])
		}
		if mentalHealth.MatchString(r["nombre"]) {
			e.Categories = append(e.Categories, directory.CatMentalHealth)
			e.Texts[0] = "minsa-salud-mental"
		}
		// Emergency: general hospitals and health centres that handled emergencies in
		// 2024; specialised institutes (cancer, psychiatry, ...) are not where to go.
		if r["is_emergency"] == "true" && (emergencyKinds[strings.Split(r["clasificacion"], ",")[0]] || strings.Contains(r["nombre"], "EMERGENCIA")) &&
			!specialised.MatchString(r["nombre"]) {
			e.Categories = append(e.Categories, directory.CatEmergency)
			e.Texts = append(e.Texts, "minsa-emergencia-2024")
		}
		// HIV tests are free at MINSA establishments (2025 source, relaying MINSA) and
		// the rapid test may require a DNI (2024): said on the centres with doctors.
		if hivTestLevels[r["categoria"]] && !specialised.MatchString(r["nombre"]) {
			e.Categories = append(e.Categories, directory.CatSexualHealth)
			e.Texts = append(e.Texts, "minsa-prueba-vih")
		}
		lat, _ := num(r["lat"])
		lon, _ := num(r["lon"])
		if pointTrusted(r, d, lat, lon) {
			e.Lat, e.Lon = lat, lon
		} else {
			moved++
		}
		if x, ok := byCode[r["codigo_unico"]]; ok {
			applyExtra(&e, x)
		}
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].District != entries[j].District {
			return entries[i].District < entries[j].District
		}
		return entries[i].ID < entries[j].ID
	})
	fmt.Fprintf(os.Stderr, "gen: %d MINSA establishments (%d placed at their district capital)\n", len(entries), moved)
	return writeEntries(path, entries)
}

// pointTrusted applies SOURCE-ipress_minsa_coords.md: placeholder points shared by 3 or
// more establishments are not locations, and a point in another province than the
// declared one, far from the declared district, is misplaced.
func pointTrusted(r row, d *gplace, lat, lon float64) bool {
	if n, _ := strconv.Atoi(r["coords_shared_count"]); n >= 3 {
		return false
	}
	declared, geom := r["ubigeo"], r["ubigeo_geom"]
	if geom != "" && len(declared) == 6 && declared[:4] == geom[:4] {
		return true
	}
	return geo.Distance(lat, lon, d.Lat, d.Lon) <= maxPointError
}

func minsaName(raw, prefix string, g *gazetteer) string {
	name := norm.Title(raw, g.acc, minsaUpper)
	for _, t := range norm.Tokens(raw) {
		if typeWords[t] {
			return name
		}
	}
	return prefix + " " + name
}

func applyExtra(e *directory.Entry, x extra) {
	for _, c := range x.Categories {
		if !contains(e.Categories, c) {
			e.Categories = append(e.Categories, c)
		}
	}
	if x.Name != "" {
		e.Name = x.Name
	}
	if len(x.Desc) > 0 {
		e.Desc = x.Desc
	}
	if len(x.Note) > 0 {
		e.Note = x.Note
	}
	if x.ExtraSource != "" {
		e.Source += " ; " + x.ExtraSource
	}
	if x.Verified != "" {
		e.Verified = x.Verified
	}
	e.Unconfirmed = e.Unconfirmed || x.Unconfirmed
	if x.Docs != "" {
		e.Docs = x.Docs
	}
}
