package understand_test

import (
	"testing"

	"github.com/faro-chat/faro/flows/understand"
)

// TestDocumentsKeptNotIt: the rule keeps to someone who runs her work, brought her or
// holds her to a debt: a document taken with no one named (a robbery, the police?),
// an authority, her family, her own keeping of them, having none, a duty to show them,
// a threat to lose them and lost or stolen ones are not (the model may still read some
// of these as trafficking: the rule adds none).
func TestDocumentsKeptNotIt(t *testing.T) {
	for _, text := range []string{
		"me quitaron la cédula", "la policía tiene mi pasaporte", "migraciones tiene mi carnet",
		"mi mamá tiene mis papeles en venezuela", "my boyfriend has my passport",
		"i keep my passport in a safe place", "yo guardo mis papeles en el cuarto",
		"donde puedo guardar mi pasaporte en la casa", "mis hijos no tienen dni",
		"el centro de salud del local tiene que pedirme dni?", "the club has the right to see my id?",
		"me robaron el pasaporte en el local", "perdi mi cedula en el bar",
		"me da miedo pensar en los papeles", "no tengo documentos, la señora me atiende igual?",
	} {
		if understand.DocumentsKept(understand.Tokens(understand.Normalize(text))) {
			t.Errorf("%q: documents kept, want not", text)
		}
	}
	for _, text := range []string{
		"la señora tiene mi pasaporte", "mi pasaporte lo tiene la mami", "the owner took my passport",
		"o cafetão tá com meu rg", "la dueña no me devuelve la cédula",
		"they keep all the girls passports in a safe",
	} {
		if !understand.DocumentsKept(understand.Tokens(understand.Normalize(text))) {
			t.Errorf("%q: not documents kept, want kept", text)
		}
	}
}

// TestDocumentsLostNotIt: lost, stolen, expired or damaged documents, with no danger
// now and no one holding them over her.
func TestDocumentsLostNotIt(t *testing.T) {
	for _, text := range []string{
		"perdi mi pasaporte", "se me vencio el carnet de extranjeria", "roubaram meu rg",
		"my passport expired", "como tiro a segunda via do rg", "left my id in a taxi",
	} {
		if !understand.DocumentsLost(understand.Tokens(understand.Normalize(text))) {
			t.Errorf("%q: not lost, want lost", text)
		}
	}
	for _, text := range []string{
		"me robaron el pasaporte con un cuchillo", "perdi mis papeles y me estan siguiendo, ayuda",
		"la dueña perdio mi pasaporte", "si me voy pierdo mis papeles xq ellos los tienen",
		"me robaron el celular",
	} {
		if understand.DocumentsLost(understand.Tokens(understand.Normalize(text))) {
			t.Errorf("%q: lost, want not", text)
		}
	}
}
