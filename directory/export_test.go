package directory

import "testing"

// DistrictCodes lists the gazetteer's district ubigeos, for the tests of package
// directory_test.
func DistrictCodes(t testing.TB) []string {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for code, p := range d.gaz.byCode {
		if p.level == lvDistrict {
			out = append(out, code)
		}
	}
	return out
}
