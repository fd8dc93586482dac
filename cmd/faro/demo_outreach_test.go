package main

import (
	"testing"
)

// TestDemoOutreachPageInBrowser: with the bot's addresses set, the demo's coordinator
// finds the outreach page in the console's menu, with each organization's links and
// its cards to download, and the page keeps the console's CSP.
func TestDemoOutreachPageInBrowser(t *testing.T) {
	t.Setenv("FARO_TELEGRAM_BOT_USERNAME", "FaroPeruBot")
	t.Setenv("FARO_TWILIO_WHATSAPP_FROM", "whatsapp:+51987654321")
	env := startDemo(t)
	op := env.operator(t, "coordinator")
	op.WaitCount("#account", 1)
	op.Type("#account", demoOperator, false)
	op.Type("#password", demoPassword, true)
	op.WaitGone("#password")
	op.Click(`nav a[href$="/outreach"]`)
	op.WaitText("h1", "Enlaces")
	op.WaitCount("section.org", 5)
	op.WaitText("#org-encuentros-sjm code", "https://t.me/FaroPeruBot?start=sjm")
	op.WaitCount(`#org-encuentros-sjm a[href$="/outreach/encuentros-sjm/flyer-es.html"]`, 1)
	op.Screenshot("operator-05-outreach")
	op.NoProblems()
}
