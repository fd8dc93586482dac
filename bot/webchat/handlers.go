package webchat

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/faro-chat/faro/bot"
)

// Error codes a failed POST answers with; the page shows each in the person's
// language (webchat.error.*).
const (
	errEmpty   = "empty"
	errTooLong = "too_long"
	errInvalid = "invalid"
	errSession = "session"
	errBusy    = "busy"
	errSlow    = "slow"
)

// servePage serves the chat page, giving a new browser its address cookie.
func (c *Channel) servePage(w http.ResponseWriter, r *http.Request) {
	if _, ok := c.address(r); !ok {
		if err := c.setAddress(w); err != nil {
			c.log.Error("webchat page: no address", "error", err.Error())
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	c.page.pages[c.page.lang(r)].serve(w, r, "no-store")
}

// serveAsset serves app.js and app.css; the page names them with their hash, so they
// are cached for long.
func (c *Channel) serveAsset(w http.ResponseWriter, r *http.Request) {
	a := c.assets[r.PathValue("name")]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	a.serve(w, r, "public, max-age=86400")
}

// servePlaces serves the district list, fetched by the page the first time the bot
// asks where the person is.
func (c *Channel) servePlaces(w http.ResponseWriter, r *http.Request) {
	c.places.serve(w, r, "public, max-age=3600")
}

// sendRequest is a POSTed message: exactly one of Text, Payload (a quick reply, with
// the Label it showed), Place (a district code from the list) or Start (the page
// opened on an empty conversation, or with ?start=CODE). Code, only with Start, is an
// organization's code from the page's address (?start=CODE, as a Telegram deep
// link's): the conversation is attributed to it as Telegram's and WhatsApp's are. ID
// is the page's id for it, the same on a retry.
type sendRequest struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Payload string `json:"payload"`
	Label   string `json:"label"`
	Place   string `json:"place"`
	Start   bool   `json:"start"`
	Code    string `json:"code"`
}

// startCodeRE is what an organization's code may look like: as in a Telegram deep
// link's /start parameter.
var startCodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// serveSend takes one message of the person and hands it to the inbox.
func (c *Channel) serveSend(w http.ResponseWriter, r *http.Request) {
	addr, ok := c.address(r)
	if !ok {
		c.fail(w, http.StatusUnauthorized, errSession)
		return
	}
	if !c.sameOrigin(r) {
		c.fail(w, http.StatusForbidden, errInvalid)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		c.fail(w, http.StatusUnsupportedMediaType, errInvalid)
		return
	}
	var req sendRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, c.cfg.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			c.fail(w, http.StatusRequestEntityTooLarge, errTooLong)
			return
		}
		c.fail(w, http.StatusBadRequest, errInvalid)
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		c.fail(w, http.StatusBadRequest, errInvalid)
		return
	}
	in, echo, code := c.inbound(req)
	if code != "" {
		status := http.StatusBadRequest
		if code == errTooLong {
			status = http.StatusRequestEntityTooLarge
		}
		c.fail(w, status, code)
		return
	}
	if c.inbox.Busy(bot.ChannelWebchat) {
		w.Header().Set("Retry-After", "5")
		c.fail(w, http.StatusServiceUnavailable, errBusy)
		return
	}
	now := c.cfg.Now()
	c.boxes.mu.Lock()
	mb := c.boxes.get(addr, now, true)
	if mb == nil {
		c.boxes.mu.Unlock()
		w.Header().Set("Retry-After", "30")
		c.fail(w, http.StatusServiceUnavailable, errBusy)
		return
	}
	retry := mb.seen(req.ID)
	if !retry && !mb.allow(now, c.cfg.Burst, c.cfg.Per) {
		c.boxes.mu.Unlock()
		w.Header().Set("Retry-After", "2")
		c.fail(w, http.StatusTooManyRequests, errSlow)
		return
	}
	if echo != "" && !retry {
		c.boxes.add(mb, event{From: fromMe, Text: echo, Client: req.ID}, now)
	}
	mb.last = now
	c.boxes.mu.Unlock()

	in.Channel = bot.ChannelWebchat
	in.Address = addr
	in.MessageID = req.ID
	in.LangHint = c.page.lang(r)
	in.ReceivedAt = now
	if err := c.inbox.Dispatch(r.Context(), in); err != nil {
		c.log.Warn("webchat message not handled", "error", bot.Reason(err))
		w.Header().Set("Retry-After", "2")
		c.fail(w, http.StatusServiceUnavailable, errBusy)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// inbound checks a request and turns it into a message for the bot, with the words
// the person's bubble shows (echo); code is the error code when it is not acceptable.
func (c *Channel) inbound(req sendRequest) (in bot.Inbound, echo, code string) {
	if !validClientID(req.ID) {
		return in, "", errInvalid
	}
	n := 0
	for _, set := range []bool{req.Text != "", req.Payload != "", req.Place != "", req.Start} {
		if set {
			n++
		}
	}
	if n > 1 || (req.Code != "" && (!req.Start || !startCodeRE.MatchString(req.Code))) {
		return in, "", errInvalid
	}
	switch {
	case req.Start:
		return bot.Inbound{Start: true, StartCode: req.Code}, "", ""
	case req.Payload != "":
		if len(req.Payload) > 64 || !printable(req.Payload) || utf8.RuneCountInString(req.Label) > 200 || !utf8.ValidString(req.Label) {
			return in, "", errInvalid
		}
		label := strings.TrimSpace(clean(req.Label))
		return bot.Inbound{Payload: req.Payload}, label, ""
	case req.Place != "":
		p, ok := c.codes[req.Place]
		if !ok {
			return in, "", errInvalid
		}
		return bot.Inbound{Text: p.Text}, p.Name, ""
	}
	if !utf8.ValidString(req.Text) {
		return in, "", errInvalid
	}
	text := strings.TrimSpace(clean(req.Text))
	switch {
	case text == "":
		return in, "", errEmpty
	case utf8.RuneCountInString(text) > c.cfg.MaxTextRunes:
		return in, "", errTooLong
	}
	return bot.Inbound{Text: text}, text, ""
}

// clean drops control characters other than line breaks and tabs.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// printable reports whether s is printable ASCII (a button payload).
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// validClientID reports whether id is a page-made message id: 8 to 64 of [A-Za-z0-9_-].
func validClientID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// sameOrigin rejects a request another site's page made: when the browser says
// where it comes from (Origin), it must be this host.
func (c *Channel) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// fail answers a request the page cannot be served, with the code of the sentence the
// page shows.
func (c *Channel) fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":%q}`, code)
}

// serveEvents streams the person's events: first those after the id the page last
// saw (the Last-Event-ID header of a reconnecting EventSource, or ?after=), then each
// new one as it comes, with a heartbeat comment while idle. Each write first moves the
// connection's write deadline, so the stream outlives the server's WriteTimeout only
// while it is alive.
func (c *Channel) serveEvents(w http.ResponseWriter, r *http.Request) {
	addr, ok := c.address(r)
	if !ok {
		c.fail(w, http.StatusUnauthorized, errSession)
		return
	}
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("after")
	}
	after := c.parseEventID(last)

	now := c.cfg.Now()
	c.boxes.mu.Lock()
	mb := c.boxes.get(addr, now, true)
	if mb == nil {
		c.boxes.mu.Unlock()
		w.Header().Set("Retry-After", "30")
		c.fail(w, http.StatusServiceUnavailable, errBusy)
		return
	}
	if mb.streams >= c.cfg.MaxStreams {
		c.boxes.mu.Unlock()
		c.fail(w, http.StatusTooManyRequests, errSlow)
		return
	}
	mb.streams++
	mb.last = now
	fresh := mb.next == 1
	c.boxes.mu.Unlock()
	defer func() {
		c.boxes.mu.Lock()
		mb.streams--
		mb.last = c.cfg.Now()
		c.boxes.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	bw := bufio.NewWriter(w)
	write := func(f func()) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return false
		}
		f()
		if bw.Flush() != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// retry: how long the browser waits before reconnecting; ready: whether the
	// conversation is new (the page then asks the bot for its welcome).
	if !write(func() { fmt.Fprintf(bw, "retry: 3000\nevent: ready\ndata: {\"fresh\":%t}\n\n", fresh) }) {
		return
	}
	tick := time.NewTicker(c.cfg.Heartbeat)
	defer tick.Stop()
	for {
		c.boxes.mu.Lock()
		mb.expire(c.cfg.Now(), c.cfg.BacklogTTL)
		evs := mb.after(after)
		changed := mb.changed
		c.boxes.mu.Unlock()
		if len(evs) > 0 {
			ok := write(func() {
				for _, e := range evs {
					data, _ := json.Marshal(e)
					fmt.Fprintf(bw, "id: %s-%d\ndata: %s\n\n", c.epoch, e.Seq, data)
				}
			})
			if !ok {
				return
			}
			after = evs[len(evs)-1].Seq
		}
		select {
		case <-changed:
		case <-tick.C:
			if !write(func() { _, _ = io.WriteString(bw, ": ping\n\n") }) {
				return
			}
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		}
	}
}

// parseEventID returns the sequence number of an event id of this process; 0 (all
// that is kept) for an id of an earlier process or none.
func (c *Channel) parseEventID(id string) uint64 {
	epoch, seq, ok := strings.Cut(id, "-")
	if !ok || epoch != c.epoch {
		return 0
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil {
		return 0
	}
	return n
}
