package understand

import "testing"

// TestPregnancyAlone: saying she is, or may be, pregnant, in es, pt and en, with a
// greeting or how long or what to do, is that alone; with a word of fear, pain, help
// or someone doing something to her, it is not (danger is read first, as before).
func TestPregnancyAlone(t *testing.T) {
	for _, text := range []string{"estoy embarazada", "toy embarazada amiga", "creo q quede embarazada",
		"hola, creo que estoy embarazada", "estoy embarazada de 2 meses q hago", "sali embarazada",
		"estoy preñada", "estou grávida", "to gravida", "engravidei", "acho que estou grávida",
		"fiquei gravida", "i think im pregnant", "i'm pregnant", "maybe i'm pregnant, what do i do now"} {
		if !PregnancyAlone(Tokens(Normalize(text))) {
			t.Errorf("%q: not read as pregnancy said alone", text)
		}
	}
	for _, text := range []string{"estoy embarazada y me esta pegando", "estoy embarazada ayuda",
		"estoy embarazada y tengo miedo", "me pateo la barriga estoy embarazada", "estoy embarazada y sangrando",
		"estou gravida e ele me bateu", "im pregnant and he hit me", "pregnant help", "hola", "estoy bien",
		"me botaron del trabajo por estar embarazada", "test de embarazo gratis donde"} {
		if PregnancyAlone(Tokens(Normalize(text))) {
			t.Errorf("%q: read as pregnancy said alone", text)
		}
	}
}

// TestPregnancyAloneIsNeverDanger: no utterance labelled danger or self-harm, in any
// split, is read as pregnancy said alone (which skips the model's danger guess).
func TestPregnancyAloneIsNeverDanger(t *testing.T) {
	alone := 0
	for _, ex := range everySplit(t) {
		if !PregnancyAlone(Tokens(Normalize(ex.Text))) {
			continue
		}
		alone++
		if IsSafety(ex.Intent) {
			t.Errorf("%s: %s %q is read as pregnancy said alone, never as danger", ex.Where, ex.Intent, ex.Text)
		}
	}
	if alone < 5 {
		t.Errorf("only %d utterances are pregnancy said alone: the test reads nothing", alone)
	}
}
