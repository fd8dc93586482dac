package webchat

import (
	"sync"
	"time"
)

// event is one entry of a person's conversation as the page shows it: a reply (from
// the bot or an operator) or the person's own message, echoed so that a reloaded page
// shows the whole recent conversation. Its text lives only in memory, for BacklogTTL.
type event struct {
	Seq           uint64   `json:"-"`
	At            int64    `json:"at"`
	From          string   `json:"from"` // bot, operator, me
	Text          string   `json:"text,omitempty"`
	Buttons       []button `json:"buttons,omitempty"`
	AskLocation   bool     `json:"ask_location,omitempty"`
	LocationLabel string   `json:"location_label,omitempty"`
	// Client is the id the page gave the person's message, so it can mark its own
	// bubble as sent instead of showing it twice.
	Client string `json:"client,omitempty"`

	at time.Time
}

// button is a quick reply.
type button struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// Who speaks in an event.
const (
	fromBot      = "bot"
	fromOperator = "operator"
	fromMe       = "me"
)

// mailbox is the short backlog of one address and the streams that follow it.
type mailbox struct {
	events  []event // oldest first, at most cfg.Backlog, none older than cfg.BacklogTTL
	bytes   int     // the texts' size in events
	next    uint64  // the sequence number of the next event (starts at 1)
	changed chan struct{}
	streams int
	last    time.Time // last activity: an event, a stream, a message
	// tokens is the person's message allowance (a token bucket refilled by time).
	tokens float64
	filled time.Time
}

// mailboxes holds the mailboxes by address, bounded in number and in age.
type mailboxes struct {
	mu       sync.Mutex
	m        map[string]*mailbox
	max      int
	backlog  int
	maxBytes int
	ttl      time.Duration
}

func newMailboxes(max, backlog, maxBytes int, ttl time.Duration) *mailboxes {
	return &mailboxes{m: map[string]*mailbox{}, max: max, backlog: backlog, maxBytes: maxBytes, ttl: ttl}
}

// size is what an event weighs in a backlog: its texts.
func (e *event) size() int {
	n := len(e.Text) + len(e.LocationLabel) + 64
	for _, b := range e.Buttons {
		n += len(b.Label) + len(b.Payload)
	}
	return n
}

// get returns the mailbox of addr, creating it when create is set; nil when it does
// not exist, or when there is no room for a new one even after dropping idle ones.
// Call with mu held.
func (ms *mailboxes) get(addr string, now time.Time, create bool) *mailbox {
	mb := ms.m[addr]
	if mb != nil || !create {
		if mb != nil {
			mb.expire(now, ms.ttl)
		}
		return mb
	}
	if len(ms.m) >= ms.max {
		ms.sweep(now)
	}
	if len(ms.m) >= ms.max {
		ms.evictOldestIdle()
	}
	if len(ms.m) >= ms.max {
		return nil
	}
	mb = &mailbox{next: 1, changed: make(chan struct{}), last: now}
	ms.m[addr] = mb
	return mb
}

// add appends e to addr's backlog and wakes its streams. Call with mu held.
func (ms *mailboxes) add(mb *mailbox, e event, now time.Time) event {
	e.Seq = mb.next
	mb.next++
	e.at = now
	e.At = now.Unix()
	mb.events = append(mb.events, e)
	mb.bytes += e.size()
	over := 0
	for bytes := mb.bytes; over < len(mb.events)-1 && (len(mb.events)-over > ms.backlog || bytes > ms.maxBytes); over++ {
		bytes -= mb.events[over].size()
	}
	mb.drop(over)
	mb.last = now
	close(mb.changed)
	mb.changed = make(chan struct{})
	return e
}

// after returns the events after seq that are still kept.
func (mb *mailbox) after(seq uint64) []event {
	for i, e := range mb.events {
		if e.Seq > seq {
			return append([]event(nil), mb.events[i:]...)
		}
	}
	return nil
}

// expire drops the events older than ttl.
func (mb *mailbox) expire(now time.Time, ttl time.Duration) {
	i := 0
	for i < len(mb.events) && now.Sub(mb.events[i].at) > ttl {
		i++
	}
	mb.drop(i)
}

// drop forgets the n oldest events.
func (mb *mailbox) drop(n int) {
	if n <= 0 {
		return
	}
	for _, e := range mb.events[:n] {
		mb.bytes -= e.size()
	}
	mb.events = append(mb.events[:0:0], mb.events[n:]...)
}

// seen reports whether the person's message with this client id is in the backlog.
func (mb *mailbox) seen(client string) bool {
	for i := len(mb.events) - 1; i >= 0; i-- {
		if mb.events[i].From == fromMe && mb.events[i].Client == client {
			return true
		}
	}
	return false
}

// allow takes one message from the person's allowance: burst messages at once, then
// one every per.
func (mb *mailbox) allow(now time.Time, burst int, per time.Duration) bool {
	if mb.filled.IsZero() {
		mb.tokens, mb.filled = float64(burst), now
	}
	mb.tokens += float64(now.Sub(mb.filled)) / float64(per)
	mb.filled = now
	if mb.tokens > float64(burst) {
		mb.tokens = float64(burst)
	}
	if mb.tokens < 1 {
		return false
	}
	mb.tokens--
	return true
}

// sweep drops the mailboxes nobody follows that saw nothing for ttl. Call with mu held.
func (ms *mailboxes) sweep(now time.Time) int {
	n := 0
	for addr, mb := range ms.m {
		if mb.streams == 0 && now.Sub(mb.last) > ms.ttl {
			delete(ms.m, addr)
			n++
		}
	}
	return n
}

// evictOldestIdle drops the least recently active mailbox that nobody follows. Call
// with mu held.
func (ms *mailboxes) evictOldestIdle() {
	var oldest string
	var at time.Time
	for addr, mb := range ms.m {
		if mb.streams == 0 && (oldest == "" || mb.last.Before(at)) {
			oldest, at = addr, mb.last
		}
	}
	if oldest != "" {
		delete(ms.m, oldest)
	}
}
