package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/flows"
)

// canned are the keys of the canned answers ("canned.<key>" in the console catalog),
// in the order they are offered.
var canned = []string{"greet", "wait", "services", "emergency", "rights", "bye"}

// flashes are the notices a redirect may carry (?m=key); anything else is ignored.
var flashes = map[string]string{
	"taken": "error", "notyours": "error", "window": "error", "closed": "error", "gone": "error",
	"stale": "error", "empty": "error", "toolong": "error", "nocard": "error", "confirm": "error",
	"noaccount": "error", "outcome": "error", "self": "error",
	"claimed": "ok", "released": "ok", "transferred": "ok", "sent": "ok", "noted": "ok",
	"done": "ok", "blocked": "ok", "disabled": "ok", "loggedout": "ok", "handled": "ok",
}

// maxReply bounds an operator's message (runes); longer ones are refused, not cut.
const maxReply = 2000

var userPattern = regexp.MustCompile(`^[0-9a-f]{16,64}$`)

// page is what every template gets.
type page struct {
	c         *Console
	lang      string
	Base      string
	CSRF      string
	Me        Account
	Coord     bool
	Flash     string
	FlashKind string
	Title     string
	Refresh   bool // no-JS pages reload themselves (the queue)
	// login
	Account string
	// queue
	Queue []row
	// chat
	Chat *chatView
	// coordinator pages
	Audit    []auditRow
	Accounts []Account
	// outreach
	Orgs        []outreachOrg
	OutreachOff bool
	Stats       *statsView
	// community's reports
	Reports     []feedbackRow
	FeedbackOff bool
}

// T renders a console key in the operator's language.
func (p *page) T(key string) string { return p.c.ui.Text(p.lang, key, nil) }

// Tf renders a key with data given as name, value pairs.
func (p *page) Tf(key string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		data[name] = kv[i+1]
	}
	return p.c.ui.Text(p.lang, key, data)
}

// V is the version of the static files, for their URLs.
func (p *page) V() string { return p.c.version }

// Lang is the operator's language, for <html lang>.
func (p *page) Lang() string { return p.lang }

func (c *Console) newPage(r *http.Request, q *request, title string) *page {
	p := &page{c: c, lang: q.lang, Base: c.cfg.Base, CSRF: q.sess.CSRF, Me: q.me, Coord: q.me.Role == RoleCoordinator, Title: title}
	if m := r.URL.Query().Get("m"); flashes[m] != "" {
		p.Flash, p.FlashKind = p.T("flash."+m), flashes[m]
	}
	return p
}

// row is a ticket as the queue shows it.
type row struct {
	User      string // the store key: in URLs and forms only, never shown
	ID        string
	Pseudonym string
	Channel   string
	Lang      string
	LangName  string
	Topic     string
	State     string
	StateName string
	Operator  string
	Urgent    bool
	Waiting   string
	Mine      bool
}

func (c *Console) row(p *page, s handoff.Summary) row {
	now := c.now()
	wait := p.Tf("queue.waiting", "Time", c.ago(p, now.Sub(s.Opened)))
	if s.State == handoff.StateActive && !s.Last.IsZero() {
		wait = p.Tf("queue.last", "Time", c.ago(p, now.Sub(s.Last)))
	}
	return row{
		User: s.User, ID: s.ID, Pseudonym: s.Pseudonym, Channel: s.Channel, Lang: s.Lang,
		LangName: c.keyOr(p, "lang."+s.Lang, s.Lang), Topic: c.keyOr(p, "topic."+s.Topic, s.Topic),
		State: s.State, StateName: c.keyOr(p, "state."+s.State, s.State), Operator: s.Operator,
		Urgent: s.Urgent, Waiting: wait, Mine: s.Operator != "" && s.Operator == p.Me.ID,
	}
}

// keyOr is the text of key, or fallback when the catalog lacks it.
func (c *Console) keyOr(p *page, key, fallback string) string {
	if c.ui.Has(p.lang, key) {
		return p.T(key)
	}
	return fallback
}

// ago says a duration the way the queue shows waiting times.
func (c *Console) ago(p *page, d time.Duration) string {
	switch {
	case d < time.Minute:
		return p.T("time.now")
	case d < time.Hour:
		return p.Tf("time.minutes", "N", int(d/time.Minute))
	default:
		return p.Tf("time.hours", "H", int(d/time.Hour), "M", int(d%time.Hour/time.Minute))
	}
}

// loginPage shows the login form with a fresh token in a cookie and in the form.
func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.showLogin(w, r, http.StatusOK, "", "")
}

func (c *Console) showLogin(w http.ResponseWriter, r *http.Request, status int, errKey, account string) {
	lang := c.uiLang(r)
	tok := randomToken()
	c.setCookie(w, c.preCookieName(), tok, 3600)
	p := &page{c: c, lang: lang, Base: c.cfg.Base, CSRF: tok, Account: account}
	p.Title = p.T("login.title")
	if m := r.URL.Query().Get("m"); errKey == "" && flashes[m] != "" {
		p.Flash, p.FlashKind = p.T("flash."+m), flashes[m]
	}
	if errKey != "" {
		p.Flash, p.FlashKind = p.T(errKey), "error"
	}
	c.render(w, r, status, "login.html", p)
}

// login checks the form's token against the login cookie (there is no session yet),
// the limits, then the password.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	lang := c.uiLang(r)
	ck, err := r.Cookie(c.preCookieName())
	got := r.PostFormValue("csrf")
	if err != nil || ck.Value == "" || len(got) != len(ck.Value) || subtle.ConstantTimeCompare([]byte(got), []byte(ck.Value)) != 1 {
		http.Error(w, c.ui.Text(lang, "error.csrf", nil), http.StatusForbidden)
		return
	}
	id := strings.ToLower(strings.TrimSpace(r.PostFormValue("account")))
	password := r.PostFormValue("password")
	if len(id) > 64 {
		id = id[:64]
	}
	limited, err := c.limited(ctx, id, r)
	if err != nil {
		c.fail(w, r, lang, err)
		return
	}
	if limited {
		c.showLogin(w, r, http.StatusTooManyRequests, "login.limited", id)
		return
	}
	acc, err := c.accounts.Verify(ctx, id, password)
	switch {
	case errors.Is(err, ErrBadPassword):
		if err := c.failed(ctx, id, r); err != nil {
			c.log.WarnContext(ctx, "login failure not counted", "error", err.Error())
		}
		c.showLogin(w, r, http.StatusUnauthorized, "login.wrong", id)
		return
	case errors.Is(err, ErrDisabled):
		c.showLogin(w, r, http.StatusForbidden, "login.disabled", id)
		return
	case err != nil:
		c.fail(w, r, lang, err)
		return
	}
	s, err := c.newSession(ctx, acc.ID)
	if err != nil {
		c.fail(w, r, lang, err)
		return
	}
	c.setCookie(w, c.preCookieName(), "", -1)
	c.setCookie(w, c.cookieName(), s.Token, int(sessionTTL/time.Second))
	c.audit(ctx, acc.ID, "login", "", "")
	c.heartbeat(ctx, acc.ID)
	http.Redirect(w, r, c.cfg.Base+"/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	if err := c.endSession(ctx, q.sess.Token); err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	if err := c.tickets.Offline(ctx, q.me.ID); err != nil {
		c.log.WarnContext(ctx, "operator not marked offline", "error", err.Error())
	}
	c.audit(ctx, q.me.ID, "logout", "", "")
	c.setCookie(w, c.cookieName(), "", -1)
	http.Redirect(w, r, c.cfg.Base+"/login?m=loggedout", http.StatusSeeOther)
}

func (c *Console) heartbeat(ctx context.Context, operator string) {
	if err := c.tickets.Heartbeat(ctx, operator); err != nil {
		c.log.WarnContext(ctx, "operator heartbeat", "error", err.Error())
	}
}

func (c *Console) loadQueue(ctx context.Context, p *page) error {
	list, err := c.tickets.Queue(ctx)
	if err != nil {
		return err
	}
	p.Queue = make([]row, 0, len(list))
	for _, s := range list {
		p.Queue = append(p.Queue, c.row(p, s))
	}
	return nil
}

func (c *Console) queuePage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("queue.title")
	p.Refresh = true
	if err := c.loadQueue(r.Context(), p); err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	c.heartbeat(r.Context(), q.me.ID)
	c.render(w, r, http.StatusOK, "queue.html", p)
}

// queueFragment is the queue list alone, for the script to swap in after an event.
func (c *Console) queueFragment(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	if err := c.loadQueue(r.Context(), p); err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	c.render(w, r, http.StatusOK, "queue-list", p)
}

// chatView is one ticket as the chat page shows it.
type chatView struct {
	row
	Active    bool
	Queued    bool // waiting for an operator
	Ended     bool
	Outcome   string
	Entries   []entryView
	Window    bool // the channel has a reply window (WhatsApp)
	WinOpen   bool
	WinUntil  string
	CanWrite  bool // hers, active, and the window (if any) open
	CanManage bool // hers, or she coordinates
	Key       string
	Canned    []option
	Outcomes  []option
	Operators []string
	// service search
	Categories []option
	Query      string
	Cat        string
	Code       string
	Places     []flows.Place
	Results    []cardView
	SearchNote string
}

type entryView struct {
	Class string
	Who   string
	Text  string
	At    string
}

type option struct {
	Value string
	Label string
	Text  string
}

type cardView struct {
	ID   string
	Text string
}

func (c *Console) chatPage(w http.ResponseWriter, r *http.Request, q *request) {
	p, ok := c.loadChat(w, r, q)
	if !ok {
		return
	}
	c.search(r, p)
	c.heartbeat(r.Context(), q.me.ID)
	c.render(w, r, http.StatusOK, "chat.html", p)
}

// chatFragment is the live part of a chat (head, transcript, actions) for the script.
func (c *Console) chatFragment(w http.ResponseWriter, r *http.Request, q *request) {
	p, ok := c.loadChat(w, r, q)
	if !ok {
		return
	}
	c.render(w, r, http.StatusOK, "chat-live", p)
}

func (c *Console) loadChat(w http.ResponseWriter, r *http.Request, q *request) (*page, bool) {
	ctx := r.Context()
	user := r.PathValue("user")
	if !userPattern.MatchString(user) {
		http.NotFound(w, r)
		return nil, false
	}
	s, err := c.tickets.Get(ctx, user)
	if errors.Is(err, handoff.ErrNoTicket) {
		if r.Header.Get("X-Fragment") != "" {
			http.NotFound(w, r)
		} else {
			http.Redirect(w, r, c.cfg.Base+"/?m=gone", http.StatusSeeOther)
		}
		return nil, false
	}
	if err != nil {
		c.fail(w, r, q.lang, err)
		return nil, false
	}
	p := c.newPage(r, q, "")
	v := &chatView{row: c.row(p, s)}
	p.Chat = v
	p.Title = s.Pseudonym
	v.Active, v.Queued = s.State == handoff.StateActive, s.State == handoff.StateWaiting
	v.Ended = !v.Active && !v.Queued
	if s.Outcome != "" {
		v.Outcome = c.keyOr(p, "outcome."+s.Outcome+".name", s.Outcome)
	}
	v.CanManage = v.Active && (v.Mine || p.Coord)
	entries, err := c.tickets.Transcript(ctx, user)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return nil, false
	}
	for _, e := range entries {
		ev := entryView{Class: e.From, Text: e.Text, At: e.At.In(c.cfg.Location).Format("15:04")}
		switch e.From {
		case handoff.FromPerson:
			ev.Who = s.Pseudonym
		case handoff.FromOperator:
			ev.Who = e.Operator
		case handoff.FromNote:
			ev.Who = p.Tf("chat.note_by", "Operator", e.Operator)
		default:
			ev.Who = p.T("chat.system")
		}
		if e.Text == "" && e.Media != "" {
			ev.Text = p.Tf("chat.media", "Kind", c.keyOr(p, "media."+e.Media+".name", e.Media))
		}
		v.Entries = append(v.Entries, ev)
	}
	if v.Active && v.Mine {
		v.CanWrite = true
		applies, open, until, err := c.tickets.Window(ctx, c.cfg.Hub, user)
		if err != nil {
			// closed meanwhile, or Redis failing: show the chat, offer no reply
			c.log.WarnContext(ctx, "operator console: reply window", "error", err.Error())
			applies, open = false, false
			v.CanWrite = false
		}
		v.Window, v.WinOpen = applies, open
		if applies && err == nil {
			v.CanWrite = open
			if !until.IsZero() {
				v.WinUntil = until.In(c.cfg.Location).Format("15:04")
			}
		}
	}
	v.Key = fmt.Sprintf("%s|%s|%t|%t", s.State, s.Operator, v.CanWrite, v.Window)
	for _, k := range canned {
		v.Canned = append(v.Canned, option{Value: k, Label: p.T("canned_label." + k), Text: c.ui.Text(s.Lang, "canned."+k, nil)})
	}
	for _, o := range handoff.Outcomes {
		v.Outcomes = append(v.Outcomes, option{Value: o, Label: c.keyOr(p, "outcome."+o+".name", o)})
	}
	if v.CanManage {
		accs, err := c.accounts.List(ctx)
		if err != nil {
			c.fail(w, r, q.lang, err)
			return nil, false
		}
		for _, a := range accs {
			if !a.Disabled && a.ID != s.Operator {
				v.Operators = append(v.Operators, a.ID)
			}
		}
	}
	for _, cat := range c.cfg.Directory.Categories() {
		v.Categories = append(v.Categories, option{Value: cat, Label: c.keyOr(p, "cat."+cat, cat)})
	}
	return p, true
}

// search fills the service search from the query: a place typed (q) or chosen
// (code), and a category; without a place, the national lines of the category.
func (c *Console) search(r *http.Request, p *page) {
	v := p.Chat
	qs := r.URL.Query()
	v.Query, v.Cat, v.Code = strings.TrimSpace(qs.Get("q")), qs.Get("cat"), qs.Get("code")
	if v.Cat == "" || !v.CanWrite {
		return
	}
	if v.Code == "" && v.Query != "" {
		places := c.cfg.Directory.Locate(v.Query)
		switch len(places) {
		case 0:
			v.SearchNote = p.T("search.no_place")
			return
		case 1:
			v.Code = places[0].Code
		default:
			v.Places = places
			v.SearchNote = p.T("search.which_place")
			return
		}
	}
	cards := c.cards(v.Lang, v.Cat, v.Code)
	if len(cards) == 0 {
		v.SearchNote = p.T("search.none")
	}
	for _, card := range cards {
		v.Results = append(v.Results, cardView{ID: card.ID, Text: c.cardText(v.Lang, card)})
	}
}

// cards are the services of cat near the place with code (the nearest ten), or the
// national lines of cat without a place; texts in lang.
func (c *Console) cards(lang, cat, code string) []flows.Card {
	if code == "" {
		return c.cfg.Directory.Lines(lang, []string{cat}, "")
	}
	pl, ok := c.cfg.Directory.Place(code)
	if !ok {
		return nil
	}
	cards, _ := c.cfg.Directory.Nearby(flows.Query{Lang: lang, Category: cat, Lat: pl.Lat, Lon: pl.Lon, Within: pl.Code, PageSize: 10, Now: c.now()})
	return cards
}

// cardText renders one card in the person's language, exactly as the bot would.
func (c *Console) cardText(lang string, card flows.Card) string {
	return flows.Render(c.cfg.Texts, lang, []flows.Reply{{Cards: []flows.Card{card}}}).Text
}

// closingMessage is what the person gets when an operator closes her chat, in her
// language: the engine's HandoffClosedReply (issue11-flow) when the engine has it,
// else the console's own "person.closed" text. Swap the fallback out once every
// engine has the method.
func (c *Console) closingMessage(lang string) bot.Outbound {
	type closer interface {
		HandoffClosedReply(lang string) []flows.Reply
	}
	if e, ok := any(c.cfg.Engine).(closer); ok && c.cfg.Engine != nil {
		m := flows.Render(c.cfg.Texts, lang, e.HandoffClosedReply(lang))
		return bot.Outbound{Text: m.Text, Buttons: m.Options, AskLocation: m.AskLocation, LocationLabel: m.LocationLabel}
	}
	return bot.Outbound{Text: c.ui.Text(lang, "person.closed", nil)}
}

// chatAction carries out one form of the chat page, then redirects (POST, redirect,
// GET): to the chat, or to the queue when the ticket left her hands.
func (c *Console) chatAction(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	user, action := r.PathValue("user"), r.PathValue("action")
	if !userPattern.MatchString(user) {
		http.NotFound(w, r)
		return
	}
	chat := c.cfg.Base + "/chat/" + user
	queue := c.cfg.Base + "/"
	back := func(to, m string) { http.Redirect(w, r, to+"?m="+m, http.StatusSeeOther) }
	s, err := c.tickets.Get(ctx, user)
	if errors.Is(err, handoff.ErrNoTicket) {
		back(queue, "gone")
		return
	}
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	if r.PostFormValue("id") != s.ID {
		back(chat, "stale") // the form was for an earlier ticket of the same person
		return
	}
	me := q.me.ID
	// holder is whom a release or transfer takes the ticket from: herself, or for a
	// coordinator whoever holds it.
	holder := me
	if q.me.Role == RoleCoordinator && s.Operator != "" {
		holder = s.Operator
	}
	var (
		to, m  = chat, ""
		detail string
	)
	switch action {
	case "claim":
		err = c.tickets.Claim(ctx, user, s.ID, me)
		m = "claimed"
	case "release":
		err = c.tickets.Release(ctx, user, s.ID, holder)
		to, m = queue, "released"
	case "transfer":
		target := r.PostFormValue("to")
		acc, aerr := c.accounts.Get(ctx, target)
		switch {
		case aerr != nil || acc.Disabled:
			back(chat, "noaccount")
			return
		case target == holder:
			back(chat, "self")
			return
		}
		err = c.tickets.Transfer(ctx, user, s.ID, holder, target)
		to, m, detail = queue, "transferred", target
	case "reply":
		text := strings.TrimSpace(r.PostFormValue("text"))
		switch {
		case text == "":
			back(chat, "empty")
			return
		case utf8.RuneCountInString(text) > maxReply:
			back(chat, "toolong")
			return
		}
		err = c.tickets.Reply(ctx, c.cfg.Hub, user, s.ID, me, randomToken()[:24], text)
		m = "sent"
	case "canned":
		key := r.PostFormValue("key")
		if !contains(canned, key) {
			back(chat, "empty")
			return
		}
		err = c.tickets.Reply(ctx, c.cfg.Hub, user, s.ID, me, randomToken()[:24], c.ui.Text(s.Lang, "canned."+key, nil))
		action, m, detail = "reply", "sent", "canned:"+key
	case "card":
		var card *flows.Card
		for _, k := range c.cards(s.Lang, r.PostFormValue("cat"), r.PostFormValue("code")) {
			if k.ID == r.PostFormValue("card") {
				card = &k
				break
			}
		}
		if card == nil {
			back(chat, "nocard")
			return
		}
		err = c.tickets.Send(ctx, c.cfg.Hub, user, s.ID, me, randomToken()[:24], bot.Outbound{Text: c.cardText(s.Lang, *card)})
		m, detail = "sent", "service:"+card.ID
	case handoff.FromNote:
		text := strings.TrimSpace(r.PostFormValue("text"))
		if text == "" || utf8.RuneCountInString(text) > maxReply {
			back(chat, "empty")
			return
		}
		err = c.tickets.Note(ctx, user, s.ID, me, text)
		m = "noted"
	case "close":
		outcome := r.PostFormValue("outcome")
		if !contains(handoff.Outcomes, outcome) {
			back(chat, "outcome")
			return
		}
		bye := c.closingMessage(s.Lang)
		err = c.tickets.Close(ctx, c.cfg.Hub, user, s.ID, holder, outcome, &bye)
		to, m, detail = queue, "done", outcome
	case "block":
		if r.PostFormValue("confirm") != "yes" {
			back(chat, "confirm")
			return
		}
		err = c.tickets.Block(ctx, user, me)
		to, m = queue, "blocked"
	default:
		http.NotFound(w, r)
		return
	}
	switch {
	case errors.Is(err, handoff.ErrTaken):
		back(queue, "taken")
		return
	case errors.Is(err, handoff.ErrNotYours):
		back(chat, "notyours")
		return
	case errors.Is(err, handoff.ErrWindowClosed):
		back(chat, "window")
		return
	case errors.Is(err, handoff.ErrTicketClosed), errors.Is(err, handoff.ErrNoTicket):
		back(chat, "closed")
		return
	case err != nil:
		c.fail(w, r, q.lang, fmt.Errorf("%s: %w", action, err))
		return
	}
	c.audit(ctx, me, action, s.Pseudonym, detail)
	if to == chat && (action == "reply" || action == "card") {
		http.Redirect(w, r, chat+"?m="+m+"#compose", http.StatusSeeOther)
		return
	}
	back(to, m)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// auditRow is an audit entry as the coordinator reads it.
type auditRow struct {
	AuditEntry
	When   string
	Action string
}

func (c *Console) auditPage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("audit.title")
	list, err := c.Audit(r.Context(), 300)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	for _, e := range list {
		p.Audit = append(p.Audit, auditRow{AuditEntry: e, When: e.At.In(c.cfg.Location).Format("2006-01-02 15:04"), Action: c.keyOr(p, "audit_action."+e.Action, e.Action)})
	}
	c.render(w, r, http.StatusOK, "audit.html", p)
}

func (c *Console) accountsPage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("accounts.title")
	list, err := c.accounts.List(r.Context())
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	p.Accounts = list
	c.render(w, r, http.StatusOK, "accounts.html", p)
}

func (c *Console) disableAccount(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	id := r.PathValue("id")
	back := c.cfg.Base + "/accounts?m="
	if id == q.me.ID {
		http.Redirect(w, r, back+"self", http.StatusSeeOther)
		return
	}
	if err := c.accounts.SetDisabled(ctx, id, true); errors.Is(err, ErrNoAccount) {
		http.Redirect(w, r, back+"noaccount", http.StatusSeeOther)
		return
	} else if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	if err := c.tickets.Offline(ctx, id); err != nil {
		c.log.WarnContext(ctx, "disabled operator not marked offline", "error", err.Error())
	}
	c.audit(ctx, q.me.ID, "disable", "", id)
	http.Redirect(w, r, back+"disabled", http.StatusSeeOther)
}
