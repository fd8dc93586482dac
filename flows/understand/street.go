package understand

// streetWords begin a street's name: «av arequipa», «jr ica», «calle lima», «rua
// augusta». The words after one name a street, not the region, the city or the
// district of the same name.
var streetWords = wordSet(
	"av", "avenida", "avda", "avd", "jr", "jiron", "calle", "cll", "psje", "pasaje", "pje",
	"prolongacion", "prol", "carretera", "ctra", "rua",
)

// streetAfter end a street's name in English: «colonial avenue», «grau street».
var streetAfter = wordSet("avenue", "ave", "street", "st", "road", "rd", "boulevard", "blvd")

// streetEnds end a street's name: what follows says where else («av arequipa en
// lince»).
var streetEnds = wordSet("en", "por", "cerca", "near", "in", "em", "no", "na", "perto",
	"distrito", "district")

// Street tells whether a normalized word begins a street's name.
func Street(word string) bool { return streetWords[word] }

// StreetAfter tells whether a normalized word ends a street's name, after it
// («colonial avenue»).
func StreetAfter(word string) bool { return streetAfter[word] }

// StreetEnd tells whether a normalized word ends a street's name.
func StreetEnd(word string) bool { return streetEnds[word] }

// NamesStreet tells whether a place said (normalized words) names a street: a street
// word and its name («la av arequipa», «jr ica»), which the directory does not look up,
// so she is asked her district. «la calle», «na rua» alone (on the street) name none.
func NamesStreet(words []string) bool {
	for i, w := range words {
		if streetWords[w] && i+1 < len(words) && !streetEnds[words[i+1]] || streetAfter[w] && i > 0 && !articles[words[i-1]] {
			return true
		}
	}
	return false
}
