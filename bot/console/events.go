package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/faro-chat/faro/bot/handoff"
)

// streamSlack is how long past the next heartbeat a write of the event stream may
// take. The server's WriteTimeout would end the stream; the stream extends its own
// deadline before each write instead (see cmd/faro serveTimeouts), and writes at least
// once a heartbeat.
const streamSlack = 10 * time.Second

// event is what the stream says about a change: which person's ticket (the store key
// the pages already carry in their URLs) and what happened. Never a text.
type event struct {
	User string `json:"user"`
	Kind string `json:"kind"`
	// To is where a moved ticket went (handoff.ChangeMoved): the chat page follows it.
	To string `json:"to,omitempty"`
}

// events streams the ticket changes of every replica (handoff.Store.Subscribe) as
// Server-Sent Events; the script re-fetches what changed. While the stream is open
// the operator counts as online: a heartbeat every Config.Heartbeat, when her session
// and account are checked again (a disabled account's stream ends).
func (c *Console) events(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	changes, err := c.tickets.Subscribe(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "operator events: subscribe", "error", err.Error())
		http.Error(w, c.ui.Text(q.lang, "error.internal", nil), http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	write := func(s string) error {
		// ErrNotSupported: no deadline to move (a test recorder); the write still goes.
		if err := rc.SetWriteDeadline(time.Now().Add(c.cfg.Heartbeat + streamSlack)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return fmt.Errorf("extend deadline: %w", err)
		}
		if _, err := io.WriteString(w, s); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if err := rc.Flush(); err != nil {
			return fmt.Errorf("flush: %w", err)
		}
		return nil
	}
	// retry: the browser reconnects after 3 s; the script catches up on every (re)open.
	if write("retry: 3000\n: ok\n\n") != nil {
		return
	}
	c.heartbeat(ctx, q.me.ID)
	tick := time.NewTicker(c.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.done:
			return
		case ch, ok := <-changes:
			if !ok {
				return
			}
			if ch.Kind == handoff.ChangePresence {
				continue // every heartbeat of every operator: nothing for the pages
			}
			b, _ := json.Marshal(event{User: ch.User, Kind: ch.Kind, To: ch.To})
			if write("event: change\ndata: "+string(b)+"\n\n") != nil {
				return
			}
		case <-tick.C:
			if _, err := c.loadSession(ctx, r); err != nil {
				return
			}
			if acc, err := c.accounts.Get(ctx, q.me.ID); err != nil || acc.Disabled {
				return
			}
			c.heartbeat(ctx, q.me.ID)
			if write(": ping\n\n") != nil {
				return
			}
		}
	}
}
