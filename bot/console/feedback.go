package console

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/faro-chat/faro/bot/feedback"
	"github.com/faro-chat/faro/flows"
)

// Feedback is what the reports page needs of the community's reports;
// *feedback.Store implements it.
type Feedback interface {
	List(ctx context.Context, limit int) ([]feedback.Report, error)
	MarkHandled(ctx context.Context, id string) error
}

var _ Feedback = (*feedback.Store)(nil)

// Entries finds the directory entry a report is about; *directory.Directory
// implements it.
type Entries interface {
	Card(id, lang string) (flows.Card, bool)
}

// maxFeedback is how many reports the page lists (they expire after 7 days).
const maxFeedback = 300

var reportPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// feedbackRow is a report as the coordinators read it: what it is about and its words,
// nothing about who sent it (the store keeps nothing of her).
type feedbackRow struct {
	ID      string
	When    string
	Kind    string
	Lang    string
	Text    string
	Entry   string // the entry's id, when it is about one
	Name    string // the entry's name, place and phones, when the directory has it
	Place   string
	Phones  string
	Gone    bool // an entry id the directory no longer has
	Handled bool
}

// feedbackPage lists the community's reports for coordinators, the newest first,
// with the directory entry each is about, and a form to mark one handled.
func (c *Console) feedbackPage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("feedback.title")
	p.FeedbackOff = c.cfg.Feedback == nil
	if p.FeedbackOff {
		c.render(w, r, http.StatusOK, "feedback.html", p)
		return
	}
	list, err := c.cfg.Feedback.List(r.Context(), maxFeedback)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	for _, f := range list {
		row := feedbackRow{ID: f.ID, When: f.At.In(c.cfg.Location).Format("2006-01-02 15:00"),
			Kind: p.T(kindKey(f.Kind)), Lang: f.Lang, Text: f.Text, Entry: f.Entry, Handled: f.Handled}
		if f.Entry != "" {
			if card, ok := c.entryCard(f.Entry); ok {
				row.Name, row.Place, row.Phones = card.Name, card.Place, strings.Join(card.Phones, " · ")
			} else {
				row.Gone = true
			}
		}
		p.Reports = append(p.Reports, row)
	}
	c.render(w, r, http.StatusOK, "feedback.html", p)
}

// entryCard is the directory entry id, in Spanish.
func (c *Console) entryCard(id string) (flows.Card, bool) {
	e := c.cfg.Entries
	if e == nil {
		if d, ok := c.cfg.Directory.(Entries); ok {
			e = d
		}
	}
	if e == nil {
		return flows.Card{}, false
	}
	return e.Card(id, "es")
}

// feedbackHandled marks a report handled (a coordinator's POST with the CSRF token);
// the audit log gets the report's id, never its words.
func (c *Console) feedbackHandled(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	id := r.PathValue("id")
	back := c.cfg.Base + "/feedback?m="
	if c.cfg.Feedback == nil || !reportPattern.MatchString(id) {
		http.NotFound(w, r)
		return
	}
	if err := c.cfg.Feedback.MarkHandled(ctx, id); errors.Is(err, feedback.ErrNoReport) {
		http.Redirect(w, r, back+"gone", http.StatusSeeOther)
		return
	} else if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	c.audit(ctx, q.me.ID, "feedback_handled", "", id)
	http.Redirect(w, r, back+"handled", http.StatusSeeOther)
}

// kindKey is the console key naming a report's kind (a key may not end in "other":
// go-i18n would read it as a plural form).
func kindKey(kind string) string {
	if kind == "other" {
		return "feedback.kind.problem"
	}
	return "feedback.kind." + kind
}
