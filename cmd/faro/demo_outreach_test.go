package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/browsertest"
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

// TestDemoStartCodeInBrowser: the demo's page opened as an organization's link
// (/?start=sjm, as a Telegram deep link) counts the new conversation for that
// organization, through the same count as Telegram's and WhatsApp's; the code leaves
// the address bar, so that a reload does not send it again.
func TestDemoStartCodeInBrowser(t *testing.T) {
	env := startDemo(t)
	tab := env.b.Tab(t, "person-org", browsertest.Phone)
	tab.Go(env.URL + "/?start=sjm")
	tab.WaitCount("#log .msg.bot", 1)
	tab.WaitCount("#quick button", 3)
	if loc := browsertest.Eval[string](tab, "location.href"); strings.Contains(loc, "start=") {
		t.Errorf("the code stays in the address: %s", loc)
	}
	tab.Reload()
	tab.WaitCount("#log .msg.bot", 1)
	ctx := context.Background()
	if err := env.d.stats.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	data, err := env.d.stats.Load(ctx, now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, d := range data {
		for f, n := range d.Counts {
			if strings.HasPrefix(f, "conv:") {
				counts[f] += n
			}
		}
	}
	if counts["conv:sjm:webchat:es"] != 1 || len(counts) != 1 {
		t.Errorf("new conversations counted: %v, want conv:sjm:webchat:es once", counts)
	}
	tab.NoProblems()
}
