package flows_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// probeLine is one line of a probe file: kind<TAB>lang<TAB>text.
type probeLine struct{ kind, lang, text string }

// probeLines reads a probe file of testdata, skipping comments and empty lines.
func probeLines(t *testing.T, path string) []probeLine {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []probeLine
	for line := range strings.SplitSeq(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, rest, _ := strings.Cut(line, "\t")
		lang, text, _ := strings.Cut(rest, "\t")
		lines = append(lines, probeLine{kind, lang, text})
	}
	return lines
}

// numbersGiven tells whether the replies give the emergency numbers or ask about them.
func numbersGiven(replies []flows.Reply) bool {
	return hasKey(replies, "emergency.intro") || hasKey(replies, "emergency.nocall") ||
		hasKey(replies, "crisis.body") || hasKey(replies, "check.danger") || hasKey(replies, "check.crisis")
}

// TestCannotCallProbe measures the cannot-call answer on testdata/cannot_call_probe.tsv,
// written by a helper who read neither the corpus nor the code: danger with a reason
// not to call («el cliente me tiene encerrada y no puedo llamar xq me escucha»), the
// same reason said right after the numbers («no tengo saldo»), and messages that share
// its words and are about something else («no puedo hablar con mi familia de esto»).
func TestCannotCallProbe(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	type count struct{ n, nocall, numbers int }
	counts := map[string]*count{}
	for _, p := range probeLines(t, "testdata/cannot_call_probe.tsv") {
		kind, lang, text := p.kind, p.lang, p.text
		at := flows.Session{Lang: "es", Node: f.Home}
		if kind == "after_numbers" {
			at = flows.Session{Lang: lang, Node: f.Nodes[f.Emergency].Next, Stack: []string{f.Home}}
		}
		_, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		c := counts[kind]
		if c == nil {
			c = &count{}
			counts[kind] = c
		}
		c.n++
		nocall := hasKey(replies, "emergency.nocall")
		if nocall {
			c.nocall++
		}
		if numbersGiven(replies) {
			c.numbers++
		}
		switch {
		case kind == "not_nocall" && nocall:
			t.Logf("not about calling, answered as such: %q", text)
		case kind != "not_nocall" && !nocall:
			t.Logf("%s missed (numbers %v): %q", kind, numbersGiven(replies), text)
		}
	}
	// floors: the figures of 2026-12-03 after tuning (the file's header has the blind run)
	for _, k := range []struct {
		kind              string
		minNocall, maxOff int
	}{{"danger_nocall", 42, 0}, {"after_numbers", 44, 0}, {"not_nocall", 0, 2}} {
		c := counts[k.kind]
		if c == nil {
			t.Fatalf("no %s line in the probe", k.kind)
		}
		t.Logf("%-14s %d lines: cannot-call answer %d, numbers or the question %d", k.kind, c.n, c.nocall, c.numbers)
		switch {
		case k.kind == "not_nocall" && c.nocall > k.maxOff:
			t.Errorf("%s: the cannot-call answer for %d lines, at most %d", k.kind, c.nocall, k.maxOff)
		case k.kind != "not_nocall" && (c.nocall < k.minNocall || c.numbers < c.n):
			t.Errorf("%s: the cannot-call answer for %d of %d lines (want %d), the numbers for %d (want all)",
				k.kind, c.nocall, c.n, k.minNocall, c.numbers)
		}
	}
}

// TestCannotCall: «no puedo llamar» right after the numbers got the trafficking page,
// «no tengo saldo» «no te entendí», «can't call» the name question, and «me está
// pegando y no puedo llamar» the numbers with «llama desde un lugar tranquilo». Now
// each gets what she can do instead of calling (write «persona», ask someone she
// trusts to call, the free lines), with the numbers; danger first.
func TestCannotCall(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	step := func(at flows.Session, text string) (flows.Session, []flows.Reply) {
		t.Helper()
		s, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		return s, replies
	}
	home := flows.Session{Lang: "es", Node: f.Home}
	afterNumbers := flows.Session{Lang: "es", Node: f.Nodes[f.Emergency].Next, Stack: []string{f.Home}}
	atCheck := flows.Session{Lang: "es", Node: f.DangerCheck, Stack: []string{f.Home}}
	wantNocall := func(at flows.Session, where string, texts ...string) {
		t.Helper()
		for _, text := range texts {
			if s, replies := step(at, text); !hasKey(replies, "emergency.nocall") || s.Node != f.Nodes[f.CannotCall].Next {
				t.Errorf("%s %q: at %s, replies %v; want the cannot-call answer", where, text, s.Node, replies)
			}
		}
	}
	// said from anywhere
	wantNocall(home, "at the menu",
		"no puedo llamar", "no tengo saldo", "no tengo credito para llamar", "no tengo señal",
		"solo puedo escribir", "y si no puedo llamar?", "no puedo hablar", "can't call",
		"i cant call", "i can only text", "i don't have credit", "não consigo ligar",
		"to sem saldo pra ligar", "só posso escrever", "no puedo llamar al 105")
	wantNocall(flows.Session{}, "as a first message", "no tengo saldo para llamar", "can't call")
	// danger with a reason not to call: the numbers too, at once, no question first
	wantNocall(home, "with danger",
		"me estan golpeando y no puedo llamar", "un cliente me tiene encerrada, no puedo hablar me escucha",
		"me estan siguiendo y no tengo saldo", "auxilio no puedo hablar", "he is outside the door and i have no credit",
		"ele ta me batendo e não consigo ligar", "hay un tipo afuera y nadie contesta en el 105")
	// right after the numbers, or at the danger question, nobody answering is the same
	wantNocall(afterNumbers, "after the numbers",
		"nadie contesta", "no me contestan", "sale ocupado", "la llamada no sale", "nobody picks up",
		"ninguém atende", "me quedé sin saldo", "no me dejan llamar")
	wantNocall(atCheck, "at the danger question", "no puedo llamar", "no tengo saldo", "me pueden escuchar")
	// nobody answering the phone, said alone, from anywhere (was the crisis lines, the
	// page on feelings, or the danger question, as the model guessed)
	wantNocall(home, "said alone at the menu",
		"nadie contesta", "no contestan", "ya llame y nadie contesta", "sale ocupado", "nadie atiende",
		"nobody answers", "no one picks up", "still no answer", "ninguém atende", "não atendem",
		// in other words: calling, ringing, busy, nothing
		"llamé dos veces y nada", "marco y marco y nadie", "suena y suena", "el numero da ocupado",
		"ya llame al 105 y no me contestan", "no me contesta nadie en la linea",
		"liguei e ninguém atendeu", "só chama e ninguém atende", "liguei 3 vezes e nada",
		"called twice and nothing", "it keeps ringing", "the line is busy", "no one picked up")
	wantNocall(flows.Session{Lang: "es", Node: "health"}, "said alone at a page", "nadie contesta", "nobody answers")
	// nobody answering her, or someone she knows, is another matter
	for _, text := range []string{"nadie me contesta", "mi novio no contesta", "nadie contesta mis mensajes",
		"mi amiga no contesta y estoy preocupada", "mi mama no me contesta", "nobody answers me anymore",
		"ninguém me responde", "llamé a mi novio y nada"} {
		if _, replies := step(home, text); hasKey(replies, "emergency.nocall") {
			t.Errorf("%q at the menu: replies %v; want no cannot-call answer", text, replies)
		}
	}
	// likely danger with a reason not to call that may be about something else («sin
	// saldo»): the question first; yes is then the cannot-call answer, and the reason
	// is forgotten after the answer
	for _, text := range []string{
		"ese jerma me ta esperando abajo desde hace rato y yo sin credito",
		"el cliente no se quiere ir y me quede sin saldo",
	} {
		s, replies := step(home, text)
		if !hasKey(replies, "check.danger") {
			t.Fatalf("%q: replies %v; want the danger question (the premise of this case)", text, replies)
		}
		for _, yes := range []string{"si", "sí porfa", "1", "😭"} {
			if s2, replies := step(s, yes); !hasKey(replies, "emergency.nocall") {
				t.Errorf("%q then %q: at %s, replies %v; want the cannot-call answer", text, yes, s2.Node, replies)
			}
		}
		s, _ = step(s, "no")
		if s, replies = step(s, "un man me esta esperando afuera"); hasKey(replies, "check.danger") {
			s, replies = step(s, "si")
		}
		if !hasKey(replies, "emergency.intro") {
			t.Errorf("%q, no, then danger without a reason not to call: at %s, replies %v; want the numbers", text, s.Node, replies)
		}
	}
	// the option of the menu after the numbers
	if s, replies := step(afterNumbers, "2"); !hasKey(replies, "emergency.nocall") {
		t.Errorf("option 2 after the numbers: at %s, replies %v; want the cannot-call answer", s.Node, replies)
	}
	// about something else: not this answer
	for _, c := range []struct {
		at   flows.Session
		text string
	}{
		{home, "no puedo llamar a mi mamá"}, {home, "can't call my mom, she's in venezuela"},
		{home, "no tengo saldo pa datos"}, {home, "no puedo hablar con mi familia de esto"},
		{home, "nadie me escucha"}, {home, "mi novio no me contesta"}, {home, "la posta no contesta"},
		{home, "me quede sin saldo, luego te escribo"}, {home, "estoy en la comisaria y no me dejan llamar"},
		{home, "no tengo ganas de hablar"}, {home, "me llamo Sandra"},
		{flows.Session{Lang: "es", Node: "feedback_wrong", Stack: []string{f.Home}}, "no contestan, no tengo saldo"},
	} {
		if s, replies := step(c.at, c.text); hasKey(replies, "emergency.nocall") {
			t.Errorf("%q at %s: the cannot-call answer (now at %s); it is about something else", c.text, c.at.Node, s.Node)
		}
	}
}

// TestYesNoAtTheDangerQuestion answers «are you in danger now?» with the yes and no of
// a blind probe (corpus/probe/core_four.tsv: «si mana apurate», «yeah hes still here»,
// «nop ya se fue», «nao, ja passou»): every yes gets the numbers, no no does. Read alone,
// some yes are danger and one is a no; at the question each is what she means.
func TestYesNoAtTheDangerQuestion(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	n := 0
	for _, l := range probeLines(t, "understand/corpus/probe/core_four.tsv") {
		if l.kind != "yes" && l.kind != "no" {
			continue
		}
		n++
		text, _, _ := strings.Cut(l.text, "\t")
		s := flows.Session{Lang: l.lang, Node: "danger_check", Stack: []string{"home"}}
		_, replies, _ := e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if numbers := hasKey(replies, "emergency.intro"); numbers != (l.kind == "yes") {
			t.Errorf("%s «%s» at the danger question: numbers %v, replies %v", l.kind, text, numbers, keys(replies))
		}
	}
	if n < 25 {
		t.Fatalf("only %d yes and no lines in the probe", n)
	}
}
