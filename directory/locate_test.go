package directory_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

// TestLocateSure checks spellings people type for places the bot must recognise at once:
// abbreviations, missing accents, capitals, typos, extra words and the names of towns
// that are district capitals.
func TestLocateSure(t *testing.T) {
	d := load(t)
	cases := []struct{ text, code string }{
		{"sjl", "150132"},
		{"trujilo", "130100"},          // a typo with no exact match anywhere
		{"chiclaio", "140100"},         // y written as i
		{"cajamrca", "060000"},         // a missing letter
		{"arequipa cercado", "040000"}, // "cercado" qualifies the city, not Cercado de Lima
		{"cercado de cusco", "080000"},
		{"lima cercado", "150101"},
		{"SJL", "150132"},
		{"S.J.L.", "150132"},
		{"san juan de lurigancho", "150132"},
		{"San Juan de Lurigancho", "150132"},
		{"SAN JUAN DE LURIGANCHO", "150132"},
		{"SJ Lurigancho", "150132"},
		{"S.J. Lurigancho", "150132"},
		{"san juan lurigancho", "150132"},
		{"sanjuan de lurigancho", "150132"},
		{"San Juan de Luriganco", "150132"},
		{"san juan de lurigancho, lima", "150132"},
		{"vivo en sjl cerca del paradero", "150132"},
		{"sjm", "150133"},
		{"san juan de miraflores", "150133"},
		{"smp", "150135"},
		{"San Martín de Porres", "150135"},
		{"san martin de porras", "150135"},
		{"ves", "150142"},
		{"villa el salvador", "150142"},
		{"Villa Salvador", "150142"},
		{"vmt", "150143"},
		{"villa maria del triunfo", "150143"},
		{"Santiago de Surco", "150140"},
		{"breña", "150105"},
		{"Brena", "150105"},
		{"BREÑA", "150105"},
		{"cercado de lima", "150101"},
		{"comas, lima", "150110"},
		{"ate", "150103"},
		{"Ate Vitarte", "150103"},
		{"huaycan", "150103L43e"}, // the settlement of Ate (landmarks.yaml)
		{"chorrillos", "150108"},
		{"chorillos", "150108"},
		{"la victoria lima", "150115"},
		{"el agustino", "150111"},
		{"agustino", "150111"},
		{"los olivos", "150117"},
		{"puente piedra", "150125"},
		{"carabayllo", "150106"},
		{"carabaillo", "150106"},
		{"vivo en surquillo", "150141"},
		{"estoy por san borja", "150130"},
		{"Jesus Maria", "150113"},
		{"Jesús María", "150113"},
		{"magdalena del mar", "150120"},
		{"pueblo libre lima", "150121"},
		{"Independencia, Lima", "150112"},
		{"santa anita", "150137"},
		{"Lurín", "150119"},
		{"chosica", "150118"},
		{"callao", "070000"},
		{"cayao", "070000"},
		{"ventanilla", "070106"},
		{"bentanilla", "070106"},
		{"lima", "150000"},
		{"Lima, Perú", "150000"},
		{"cusco", "080000"},
		{"Cuzco", "080000"},
		{"arequipa", "040000"},
		{"areqipa", "040000"},
		{"miraflores arequipa", "040110"},
		{"Miraflores (Arequipa)", "040110"},
		{"miraflores lima", "150122"},
		{"santa rosa lima", "150139"},
		{"san juan bautista maynas", "160113"},
		{"trujillo", "130100"},
		{"chiclayo", "140100"},
		{"piura", "200000"},
		{"iquitos", "160101"},
		{"pucallpa", "250101"},
		{"tarapoto", "220901"},
		{"juliaca", "211101"},
		{"puerto maldonado", "170101"},
		{"pto maldonado", "170101"},
		{"tumbes", "240000"},
		{"chimbote", "021801"},
		{"huancayo", "120100"},
		{"huamanga", "050100"},
		{"mancora", "200706"},
		{"Máncora", "200706"},
		{"tingo maria", "100601"},
		{"quillabamba", "080901"},
		{"mi peru", "070107"},
		{"Mi Perú", "070107"},
		{"Ciudad de Dios", "150133"},
		{"Victor Larco", "130111"},
		{"carmen de la legua", "070103"},
		{"plaza de armas de lima", "150101Lee9"},
		{"moho", "210900"}, // its key, «mo», is shorter than the index's minKey
		{"chaclacayo", "150107"},
		{"huachipa", "150144"},
		{"JLO", "140105"},
		{"jose leonardo", "140105"},
		{"Aguas Calientes", "081304"},
		{"Machu Picchu", "081304"},
		{"Kimbiri", "080907"},
		{"Pichanaki", "120303"},
		{"Juanjui", "220601"},
		{"Cerro de Pasco", "190101"},
		{"la oroya", "120801"},
		{"Sicuani", "080601"},
		{"desaguadero", "210402"},
		{"bagua grande", "010701"},
		{"castilla piura", "200104"},
		{"san sebastian cusco", "080105"},
		{"el porvenir trujillo", "130102"},
		{"nazca", "110300"},
		{"nasca", "110300"},
	}
	for _, c := range cases {
		got := d.Locate(c.text)
		if len(got) != 1 || got[0].Code != c.code {
			t.Errorf("Locate(%q) = %v, want exactly %s", c.text, codes(got), c.code)
		}
	}
}

// TestLocateAmbiguous checks that names shared by several places get a short choice,
// most populous first, each with the region that tells them apart.
func TestLocateAmbiguous(t *testing.T) {
	d := load(t)
	cases := []struct {
		text    string
		first   string
		include []string
	}{
		{"San Juan", "150132", []string{"150133", "160113"}},
		{"Santa Rosa", "150139", []string{"140114"}},
		{"miraflores", "150122", []string{"040110"}},
		{"San Isidro", "150131", []string{"090612"}},
		{"comas", "150110", []string{"120206"}},
		{"independencia", "150112", []string{"020105"}},
		{"San Martín", "220000", []string{"150135"}},
		{"la victoria", "150115", []string{"140106"}},
		{"bellavista", "070102", []string{"220200", "200602"}},
		{"surco", "150140", []string{"150732"}},
	}
	for _, c := range cases {
		got := d.Locate(c.text)
		if len(got) < 2 || len(got) > 5 {
			t.Errorf("Locate(%q) = %v: want 2 to 5 choices", c.text, codes(got))
			continue
		}
		if got[0].Code != c.first {
			t.Errorf("Locate(%q) first = %s, want %s (all %v)", c.text, got[0].Code, c.first, codes(got))
		}
		for _, want := range c.include {
			if !strings.Contains(strings.Join(codes(got), " "), want) {
				t.Errorf("Locate(%q) = %v, want %s among the choices", c.text, codes(got), want)
			}
		}
		regions := map[string]bool{}
		for _, p := range got {
			if p.Region == "" || p.Name == "" {
				t.Errorf("Locate(%q): %+v has no name or region", c.text, p)
			}
			regions[p.Name+"|"+p.Region] = true
		}
		if len(regions) != len(got) {
			t.Errorf("Locate(%q): choices cannot be told apart: %+v", c.text, got)
		}
	}
}

func TestLocateRegionTellsHomonymsApart(t *testing.T) {
	d := load(t)
	got := d.Locate("san juan bautista")
	var regions []string
	for _, p := range got {
		regions = append(regions, p.Name+" ("+p.Region+")")
	}
	if !strings.Contains(strings.Join(regions, "; "), "San Juan Bautista (Maynas, Loreto)") {
		t.Errorf("Locate(san juan bautista) = %v, want San Juan Bautista (Maynas, Loreto) among them", regions)
	}
}

func TestLocateUnknown(t *testing.T) {
	d := load(t)
	for _, text := range []string{"", "   ", "xyzzy", "qwrtpsdfg", "123", "!!!", "hola", "no sé", "en la casa", "asdfghjkl lkjhgfdsa", "la casa de mi tia", "vivo en el centro"} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing", text, codes(got))
		}
	}
}

// TestWhereSheIsIsNoPlaceName: the nouns of where she is ("en la posta", "en la
// esquina", "no posto") name no place of the gazetteer (La Poza, Amazonas; La Esquina,
// Cusco; Ponto, Áncash), and with a place they leave it found.
func TestWhereSheIsIsNoPlaceName(t *testing.T) {
	d := load(t)
	for _, text := range []string{"la posta", "la posta de salud", "la esquina", "esquina", "el hostal",
		"o posto", "posto de saude", "la comisaria", "el paradero", "la discoteca", "el cuarto del hotel"} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing", text, codes(got))
		}
	}
	for text, code := range map[string]string{"la posta de salud de comas": "150110", "la esquina de santo tomas": "080701",
		"el hostal de la victoria": "150115"} {
		if got := d.Locate(text); len(got) == 0 || got[0].Code != code {
			t.Errorf("Locate(%q) = %v, want %s first", text, codes(got), code)
		}
	}
}

// TestAStreetIsNotThePlaceOfItsName: Lima's avenues and jirones are named after the
// country's regions and cities; «av arequipa», «por la av tacna», «jr ica» found
// Arequipa, Tacna and Ica, hundreds of kilometres away, and «av colonial» a village in
// Yauyos. A street is no place: what follows it, after a word that says where else,
// is; a place's name alone still is.
func TestAStreetIsNotThePlaceOfItsName(t *testing.T) {
	d := load(t)
	for _, text := range []string{"av arequipa", "la av. arequipa", "por la av tacna", "jr ica", "jiron huallaga",
		"av colonial", "av abancay", "avenida grau", "calle lima", "av peru smp", "rua augusta",
		"carretera central", "prolongacion tacna", "jr. de la union", "the street", "la calle", "colonial avenue", "on grau street"} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing", text, codes(got))
		}
	}
	for text, code := range map[string]string{"av arequipa en lince": "150116", "la av peru en smp": "150135",
		"av abancay en la victoria": "150115", "rua augusta em miraflores": "150122",
		"arequipa": "040000", "tacna": "230000", "trabajo en la calle en comas": "150110"} {
		if got := d.Locate(text); len(got) == 0 || got[0].Code != code {
			t.Errorf("Locate(%q) = %v, want %s first", text, codes(got), code)
		}
	}
}

// TestEverydayWordsNameNoPlaceByNearSpelling: the words people write for something
// else are no place's near spelling (they found, before everyday.txt: «tengo» Tingo,
// «la mañana» La Manzana, «por todos lados» Totos, «busco» Cusco, «socorro» Occoro,
// «perto do» Perillo, «la chamba» Chama); a place's own name among them is still
// found, and so are the typos of places' names.
func TestEverydayWordsNameNoPlaceByNearSpelling(t *testing.T) {
	d := load(t)
	for _, text := range []string{"tengo", "cuanto tiempo tengo", "la mañana", "todos lados", "busco", "buena",
		"clima", "socorro", "violo", "disco", "punto", "la chamba", "perto do parque kennedy", "semana",
		"la cola del banco", "trata", "cosas", "nomas"} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing", text, codes(got))
		}
	}
	for text, code := range map[string]string{"chorrilos": "150108", "miraflorez": "150122", "trujilo": "130100",
		"san juan de luriganco": "150132", "comas": "150110", "cuzco": "080000", "lima": "150000",
		"ventanilla": "070106", "independencia": "150112"} {
		if got := d.Locate(text); len(got) == 0 || !slices.ContainsFunc(got, func(p flows.Place) bool { return p.Code == code }) {
			t.Errorf("Locate(%q) = %v, want %s among them", text, codes(got), code)
		}
	}
}

// TestQuechuaCaseEndings: a place's name with a Quechua case ending is the place
// («limapi kachkani», I am in Lima; «punomanta», from Puno); a name that ends so as
// written is itself («Huamanga»).
func TestQuechuaCaseEndings(t *testing.T) {
	d := load(t)
	for text, code := range map[string]string{"limapi kachkani": "150000", "cuscopi tiyani": "080000",
		"punomanta kani": "210000", "arequipapi": "040000", "limapim": "150000", "huamanga": "050100",
		"comaspi": "150110"} {
		if got := d.Locate(text); len(got) == 0 || got[0].Code != code {
			t.Errorf("Locate(%q) = %v, want %s first", text, codes(got), code)
		}
	}
	for _, text := range []string{"kachkani", "tiyani"} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing", text, codes(got))
		}
	}
}

// TestLocateCapitalSaysWhatWasTyped: a town that is a district capital is named as typed,
// with its district in the region.
func TestLocateCapitalSaysWhatWasTyped(t *testing.T) {
	d := load(t)
	got := d.Locate("Pucallpa")
	if len(got) != 1 || got[0].Name != "Pucallpa" || !strings.HasPrefix(got[0].Region, "Callería") && !strings.HasPrefix(got[0].Region, "Calleria") {
		t.Errorf("Locate(Pucallpa) = %+v, want Pucallpa in Callería", got)
	}
	p, ok := d.Place(got[0].Code)
	if !ok || p.Lat != got[0].Lat || p.Lon != got[0].Lon {
		t.Errorf("Place(%s) = %+v, %v: want the same point as Locate", got[0].Code, p, ok)
	}
}

func codes(ps []flows.Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}
