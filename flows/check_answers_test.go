package flows_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestDangerCheckAnswers: at «¿te hace falta ayuda ahora mismo?», every way of saying
// yes in testdata/check_answers.tsv gives the numbers, every way of saying no goes on
// without them, and an answer that is neither (or may hide a danger) is never taken as
// no.
func TestDangerCheckAnswers(t *testing.T) {
	e, _ := realEngine(t)
	f, err := os.Open("testdata/check_answers.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want, answer, _ := strings.Cut(line, "\t")
		s, _, _ := e.Step(flows.Session{Lang: "es"}, flows.Input{Kind: flows.InputText, Text: "me pegó mi cliente y tengo miedo", Now: now})
		if s.Node != e.Flow().DangerCheck {
			t.Fatalf("the opening message is not asked about (at %s)", s.Node)
		}
		s, _, effects := e.Step(s, flows.Input{Kind: flows.InputText, Text: answer, Now: now})
		got := "no"
		switch {
		case s.Node == e.Flow().DangerCheck:
			got = "again"
		case hasEvent(effects, flows.EventEmergency) || hasEvent(effects, flows.EventTopic+e.Flow().Emergency):
			got = "yes"
		}
		if got != want && !(want == "notno" && got != "no") {
			t.Errorf("«%s» at the danger question: %s (at %s), want %s", answer, got, s.Node, want)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("only %d answers read", n)
	}
}

func hasEvent(effects []flows.Effect, topic string) bool {
	for _, ef := range effects {
		if ef.Kind == flows.EffectEvent && ef.Topic == topic {
			return true
		}
	}
	return false
}
