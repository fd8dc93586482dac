package understand

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestNegatedScope(t *testing.T) {
	cases := []struct {
		text string
		want string // the negated words
	}{
		{"nadie me obliga", "me obliga"},
		{"no estoy en peligro solo pregunto", "estoy en peligro"},
		{"no me pago y me pego", "me pago"},
		{"no me dejan salir", "me dejan salir"},
		{"no se si estoy en peligro", ""},
		{"nobody forces me its my choice", "forces me its"},
		{"i don't want to hurt myself", "want to hurt"},
		{"ninguem me obriga", "me obriga"},
		{"me estan pegando", ""},
	}
	for _, c := range cases {
		tokens := Tokens(Normalize(c.text))
		neg := Negated(tokens, nil)
		var got []string
		for i, n := range neg {
			if n {
				got = append(got, tokens[i])
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("Negated(%q) = %q, want %q", c.text, strings.Join(got, " "), c.want)
		}
	}
}

// TestNegationReach: whether a word is negated depends on at most NegationReach words
// before it, so the end of a long story is negated the same when read from there
// (flows reads a story's tail so). Random runs of cues, scope breaks, "don" "t", "no
// se si" and other words.
func TestNegationReach(t *testing.T) {
	words := strings.Fields("no nunca sin not don t se si sei pero y and porque me pega estoy bien ayuda mi cliente")
	rng := rand.New(rand.NewPCG(31, 32))
	differs := 0 // words negated in the whole text and not in the last words alone
	for range 200000 {
		toks := make([]string, 1+rng.IntN(16))
		for i := range toks {
			toks[i] = words[rng.IntN(len(words))]
		}
		whole := NegatedIn(toks, Classify(toks, nil), nil)
		from := rng.IntN(len(toks))
		lead := max(from-NegationReach, 0)
		part := NegatedIn(toks[lead:], Classify(toks[lead:], nil), nil)
		if !slices.Equal(whole[from:], part[from-lead:]) {
			t.Fatalf("%q from %d: %v read whole, %v from %d", toks, from, whole[from:], part[from-lead:], lead)
		}
		// from one word later, some differ: the reach is not longer than it must be
		if lead2 := from - NegationReach + 1; lead2 > 0 {
			part2 := NegatedIn(toks[lead2:], Classify(toks[lead2:], nil), nil)
			if !slices.Equal(whole[from:], part2[from-lead2:]) {
				differs++
			}
		}
	}
	if differs == 0 {
		t.Fatal("reading one word fewer changes nothing: NegationReach is longer than it must be")
	}
}

func TestStemJoinsTensesAndPersons(t *testing.T) {
	for _, group := range [][]string{
		{"pegando", "pegaron", "pegar", "pega"},
		{"encerrada", "encerrado", "encerraron"},
		{"beating", "beats", "beat"},
	} {
		want := Stem(group[0])
		for _, w := range group[1:] {
			if got := Stem(w); got != want {
				t.Errorf("Stem(%q) = %q, want %q like %q", w, got, want, group[0])
			}
		}
	}
	if Stem("pagando") == Stem("pegando") {
		t.Error("pagando and pegando must not share a stem")
	}
}

func TestPastEvent(t *testing.T) {
	for text, want := range map[string]bool{
		"me violaron hace un ano":                             true,
		"un policia me pego la semana pasada":                 true,
		"he beat me up last week":                             true,
		"me pego la semana pasada y ahora esta aqui otra vez": false,
		"me estan pegando":                                    false,
	} {
		if got := PastEvent(Tokens(Normalize(text))); got != want {
			t.Errorf("PastEvent(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestEmbeddedModelIsFresh retrains from the training split and compares with the
// embedded model: a corpus edit without `go generate ./flows/understand` fails here.
func TestEmbeddedModelIsFresh(t *testing.T) {
	exs, err := Corpus("train")
	if err != nil {
		t.Fatal(err)
	}
	m := Train(exs, DefaultTrainOptions())
	if !bytes.Equal(m.Marshal(), embedded) {
		t.Fatal("model.bin is not what the training split gives: run go generate ./flows/understand")
	}
	back, err := Unmarshal(m.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Labels(), m.Labels()) || !bytes.Equal(back.Marshal(), m.Marshal()) {
		t.Fatal("a model does not survive Marshal and Unmarshal")
	}
}

// TestTrainLeavesOutEmojiAlone: examples without a word (emoji alone, which the rules
// decide) change nothing in the model; one with a word does.
func TestTrainLeavesOutEmojiAlone(t *testing.T) {
	exs, err := Corpus("train")
	if err != nil {
		t.Fatal(err)
	}
	// a part of the split, with its examples of emoji alone, is enough (and quick)
	var base, all []Example
	for _, ex := range exs {
		if strings.TrimSpace(Normalize(ex.Text)) == "" {
			all = append(all, ex)
		} else if len(base) < 600 {
			base = append(base, ex)
			all = append(all, ex)
		}
	}
	if len(base) == len(all) {
		t.Fatal("the training split has no example of emoji alone: this test proves nothing")
	}
	opt := DefaultTrainOptions()
	opt.Epochs = 2
	want := Train(base, opt).Marshal()
	if !bytes.Equal(Train(all, opt).Marshal(), want) {
		t.Error("examples of emoji alone changed the model")
	}
	if bytes.Equal(Train(append(slices.Clone(base), Example{Intent: "danger", Lang: "es", Text: "😭 ven"}), opt).Marshal(), want) {
		t.Error("an example with a word changed nothing: the comparison proves nothing")
	}
}

func TestUnmarshalRejectsDamage(t *testing.T) {
	raw, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	zip := func(b []byte) []byte {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	whole := raw.marshalRaw()
	for _, data := range [][]byte{nil, []byte("FARO-NLU2\n"), embedded[:len(embedded)/2], zip([]byte("FARO-NLU2\n")), zip(whole[:len(whole)/2]), zip(append(slices.Clone(whole), 0))} {
		if _, err := Unmarshal(data); err == nil {
			t.Errorf("Unmarshal accepted %d damaged bytes", len(data))
		}
	}
}

// TestCorpus checks the corpus: every label is documented in the corpus README, the
// training split shares no utterance with the held-out or dev split, and they are large
// enough to mean something.
func TestCorpus(t *testing.T) {
	readme, err := os.ReadFile("corpus/README.md")
	if err != nil {
		t.Fatal(err)
	}
	train, err := Corpus("train")
	if err != nil {
		t.Fatal(err)
	}
	held, err := Corpus("heldout")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := Corpus("dev")
	if err != nil {
		t.Fatal(err)
	}
	held = append(held, dev...)
	probe, err := ReadCorpus(os.DirFS("corpus/probe"))
	if err != nil {
		t.Fatal(err)
	}
	held = append(held, probe...)
	if len(train)+len(held) < 3000 || len(held) < 500 {
		t.Errorf("corpus too small: %d training and %d held-out utterances", len(train), len(held))
	}
	seen := map[string]string{}
	for _, ex := range train {
		seen[Normalize(ex.Text)] = ex.Where
	}
	for _, ex := range append(train, held...) {
		if !strings.Contains(string(readme), "| `"+ex.Intent+"` |") {
			t.Errorf("%s: intent %q is not in corpus/README.md", ex.Where, ex.Intent)
		}
		switch ex.Lang {
		case "es", "en", "pt", "qu":
		default:
			t.Errorf("%s: language %q", ex.Where, ex.Lang)
		}
	}
	for _, ex := range held {
		if w, ok := seen[Normalize(ex.Text)]; ok {
			t.Errorf("evaluation %s is also in training (%s): %q", ex.Where, w, ex.Text)
		}
	}
}

func TestLanguageOfTheText(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"where can i get an hiv test near me":   "en",
		"donde me puedo hacer la prueba de vih": "es",
		"onde posso fazer o teste de hiv":       "pt",
	} {
		if got, _ := m.Lang(Tokens(Normalize(text))); got != want {
			t.Errorf("Lang(%q) = %s, want %s", text, got, want)
		}
	}
}

// FuzzProbs: any text gets probabilities that sum to one, without panicking.
func FuzzProbs(f *testing.F) {
	m, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "hola", "me estan pegando", "no no no no", strings.Repeat("x", 600), "\xff\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tokens := Tokens(NormalizeN(s, MaxScanRunes))
		var buf [MaxLabels]float32
		p := m.Probs(tokens, Negated(tokens, nil), ContextOf(s), buf[:])
		var sum float32
		for _, v := range p {
			if v < 0 || v != v {
				t.Fatalf("probability %v for %q", v, s)
			}
			sum += v
		}
		if sum < 0.99 || sum > 1.01 {
			t.Fatalf("probabilities of %q sum to %v", s, sum)
		}
		m.Lang(tokens)
	})
}

func TestNotNowAndJoking(t *testing.T) {
	for text, want := range map[string]bool{
		"me quiero morir de la risa con ese video":                        true,
		"un cliente me amenazo con un cuchillo ayer, ya estoy en mi casa": true,
		"he beat me up two days ago, im ok now":                           true,
		"me quiero morir":                                                 false,
		"me esta amenazando con un cuchillo":                              false,
	} {
		if got := NotNow(Tokens(Normalize(text))); got != want {
			t.Errorf("NotNow(%q) = %v, want %v", text, got, want)
		}
	}
	for text, want := range map[string]bool{
		"mi jefa me va a matar si llego tarde jaja": true,
		"esse cara me segue no insta kkkk":          true,
		"my mom will kill me lol":                   true,
		"me va a matar":                             false,
		// every word and beginning Joking knows, each after a few others
		"ya te digo lmao": true, "ya te digo xd": true, "ya te digo xdd": true, "ya te digo kk que": true,
		"ya te digo brincadeira": true, "ya te digo broma": true,
		"ya te digo bromeando": true, "ya te digo jk": true, "ya te digo kidding": true,
		"ya te digo jajaja": true, "ya te digo jejeje": true, "ya te digo hahaha": true,
		"ya te digo hehehe": true, "ya te digo rsrsrs": true, "ya te digo kakaka": true,
		"ya te digo lol que": true, "ya te digo haz algo": false,
	} {
		if got := Joking(Tokens(Normalize(text))); got != want {
			t.Errorf("Joking(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestContextOf: each emoji of the lists gives its context alone, among others and in a
// flood; punctuation gives the question and the exclamation; other emoji and letters
// nothing.
func TestContextOf(t *testing.T) {
	for r, want := range contextEmoji {
		for _, s := range []string{string(r), "hola " + string(r) + " 🙂 ñ", strings.Repeat(string(r)+"🙂", 500)} {
			if got := ContextOf(s); got != want {
				t.Errorf("ContextOf(%q…) = %b, want %b", s[:min(len(s), 12)], got, want)
			}
		}
	}
	for s, want := range map[string]Context{
		"¿me ayudas?": CtxQuestion, "¡ya!": CtxExclaim, "🙂 ñ ⚠ ❤ 🫠 a": 0, "?! 😭😂": CtxQuestion | CtxExclaim | CtxDistress | CtxLaugh,
	} {
		if got := ContextOf(s); got != want {
			t.Errorf("ContextOf(%q) = %b, want %b", s, got, want)
		}
	}
	// random text of ASCII runs and the runes that count, at every offset: as read rune
	// by rune
	pieces := []string{"a", "hola amiga ", "12345678", "?", "!", "¿", "¡", "ñ", "é", "😭", "😂", "🙏", "🙂", "\xff", "\xc2", "🆘"}
	rng := rand.New(rand.NewPCG(4, 5))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		var want Context
		for _, r := range s {
			switch r {
			case '?', '¿':
				want |= CtxQuestion
			case '!', '¡':
				want |= CtxExclaim
			default:
				want |= contextEmoji[r]
			}
		}
		if got := ContextOf(s); got != want {
			t.Fatalf("ContextOf(%q) = %b, want %b", s, got, want)
		}
	}
}
