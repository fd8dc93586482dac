package console

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/feedback"
)

// TestFeedbackPage: coordinators read the community's reports, the newest first, with
// the name, place and phones of the directory entry each is about and nothing about
// who sent it; operators get 403; marking one handled needs the CSRF token, and the
// audit log records the report's id, never its words.
func TestFeedbackPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fb, err := feedback.New(f.rdb, secret, feedback.Options{Prefix: f.prefix})
	if err != nil {
		t.Fatal(err)
	}
	f.console.cfg.Feedback = fb
	now := time.Now()
	if err := fb.Report(ctx, bot.FeedbackReport{Kind: "wrong_number", Entry: "mimp-cem-comisaria-caja-de-agua", Lang: "es",
		Text: "sale apagado <b>siempre</b>", At: now.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := fb.Report(ctx, bot.FeedbackReport{Kind: "suggest", Lang: "es", Text: "Casa Abierta en Comas", At: now}); err != nil {
		t.Fatal(err)
	}
	coordPw := f.account("coord", RoleCoordinator)
	opPw := f.account("op", RoleOperator)

	op := f.browser()
	op.mustLogin("op", opPw)
	if r := op.do(http.MethodGet, "/operator/feedback", nil); r.status != http.StatusForbidden || strings.Contains(r.body, "apagado") {
		t.Errorf("operator: %d", r.status)
	}

	co := f.browser()
	co.mustLogin("coord", coordPw)
	if r := co.do(http.MethodGet, "/operator/", nil); !strings.Contains(r.body, `href="/operator/feedback"`) {
		t.Error("a coordinator's menu has no link to the reports")
	}
	r := co.do(http.MethodGet, "/operator/feedback", nil)
	if r.status != http.StatusOK {
		t.Fatalf("coordinator: %d\n%s", r.status, r.body)
	}
	body := r.body
	for _, want := range []string{"CEM Comisaría Caja de Agua", "914 171 081", "El número no sirve", "sale apagado &lt;b&gt;siempre&lt;/b&gt;", "Servicio sugerido", "Casa Abierta en Comas"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Index(body, "Casa Abierta") > strings.Index(body, "Caja de Agua") {
		t.Error("the newest report is not first")
	}
	if strings.Contains(body, "<b>siempre") {
		t.Error("a report's words are not escaped")
	}
	list, _ := fb.List(ctx, 10)
	id := list[1].ID
	path := "/operator/feedback/" + id + "/handled"

	// Without the token: 403, nothing marked.
	if r := co.do(http.MethodPost, path, map[string][]string{"csrf": {"00"}}); r.status != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d", r.status)
	}
	if l, _ := fb.List(ctx, 10); l[1].Handled {
		t.Fatal("marked handled without the CSRF token")
	}
	op.do(http.MethodGet, "/operator/", nil)
	if r := op.post(path); r.status != http.StatusForbidden {
		t.Errorf("operator marks handled: %d", r.status)
	}
	co.do(http.MethodGet, "/operator/feedback", nil)
	if r := co.post(path); r.status != http.StatusSeeOther || location(r) != "/operator/feedback?m=handled" {
		t.Fatalf("mark handled: %d %s", r.status, location(r))
	}
	if l, _ := fb.List(ctx, 10); !l[1].Handled || l[0].Handled {
		t.Error("the report is not marked handled, or another is")
	}
	if r := co.post("/operator/feedback/" + strings.Repeat("0", 32) + "/handled"); location(r) != "/operator/feedback?m=gone" {
		t.Errorf("a made-up report: %d %s", r.status, location(r))
	}
	audit, err := f.console.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range audit {
		if a.Action == "feedback_handled" {
			found = a.Detail == id && a.Operator == "coord"
		}
		if strings.Contains(a.Detail, "apagado") || strings.Contains(a.Pseudonym, "apagado") {
			t.Error("the audit log holds a report's words")
		}
	}
	if !found {
		t.Error("no audit entry for the report marked handled")
	}
	if strings.Contains(f.logs.String(), "apagado") {
		t.Error("a report's words reached the log")
	}
}
