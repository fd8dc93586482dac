package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/browsertest"
)

// TestDemoWalkInBrowser is the whole walk of issue 11 in real Chromium: a person asks
// for someone on the phone simulator; an operator logs in to the console, claims the
// chat, replies, sends a service card; the person sees both, as from a person; the
// operator closes; the person is back at the menu.
func TestDemoWalkInBrowser(t *testing.T) {
	env := startDemo(t)
	op := env.operator(t, "operator")
	op.WaitCount("#account", 1)
	op.Type("#account", demoOperator, false)
	op.Type("#password", demoPassword, true)
	op.WaitGone("#password")
	op.Screenshot("operator-01-queue-empty")
	// The console's heartbeat marks the operator online; presence is cached 2 s.
	if err := env.d.tickets.Heartbeat(context.Background(), demoOperator); err != nil {
		t.Fatal(err)
	}

	p := env.person(t, "person")
	p.say("quiero hablar con una persona", true)
	p.say("necesito ayuda con un papel", false)

	op.Go(env.URL + "/operator/")
	op.WaitCount(`form[action$="/claim"] button`, 1)
	op.WaitText("#live", "En vivo") // the live stream is connected
	if live := browsertest.Eval[string](op, `document.getElementById("live").textContent`); live != "En vivo" {
		t.Errorf("live badge reads %q, want En vivo", live)
	}
	op.Screenshot("operator-02-queue")
	op.Submit(`form[action$="/claim"] button`)
	op.WaitCount(`form[action$="/reply"] button`, 1)
	op.Type("#text", "Hola, soy Ana del equipo. ¿En qué te ayudo?", false)
	op.Submit(`form[action$="/reply"] button`)
	p.WaitText("#log .msg.operator .bubble", "soy Ana")

	op.Click("details:has(#q) > summary")
	op.Type("#q", "Breña", true)
	op.WaitCount(`form[action$="/card"] button`, 1)
	op.Screenshot("operator-03-services")
	n := p.Count("#log .msg.operator")
	op.Submit(`form[action$="/card"] button`)
	p.WaitCount("#log .msg.operator", n+1)
	p.Screenshot("person-07-card")

	op.WaitCount(`form[action$="/close"] button`, 1)
	nb := p.Count("#log .msg.bot") // before the click: her answer may come before the next line
	op.Submit(`form[action$="/close"] button`)
	p.WaitCount("#log .msg.bot", nb+1)
	p.WaitCount("#quick button", 3)
	p.Screenshot("person-08-closed")
	op.Screenshot("operator-04-closed")
	last := p.Texts("#log .msg.operator .bubble")
	if !strings.Contains(strings.Join(last, "\n"), "soy Ana") {
		t.Fatalf("operator bubbles: %q", last)
	}
	// The coordinator's statistics: this walk's counts, suppressed, drawn without script.
	if err := env.d.stats.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	op.Go(env.URL + "/operator/stats")
	op.WaitCount("svg.chart", 4)
	if cells := op.Texts("table.stats td"); len(cells) == 0 || !slices.Contains(cells, "<5") {
		t.Errorf("statistics cells: %q, want counts under 5 shown as <5", cells)
	}
	op.Screenshot("operator-06-stats")
	p.NoProblems()
	op.NoProblems()
}
