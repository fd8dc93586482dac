package console

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/handoff"
	"github.com/faro-chat/faro/bot/store"
)

const (
	phone  = "+51987654321"
	chatID = "99887766"
)

// TestClaimRaceThroughHTTP: many operators click "take" on one chat at once through
// the console; exactly one gets the chat, every other one is sent back to the queue
// with a kind notice.
func TestClaimRaceThroughHTTP(t *testing.T) {
	f := newFixture(t)
	user, id := f.open(bot.ChannelTelegram, chatID, "es", "general")
	const n = 12
	browsers := make([]*browser, n)
	for i := range n {
		op := "op" + string(rune('a'+i))
		pw := f.account(op, RoleOperator)
		browsers[i] = f.browser()
		browsers[i].mustLogin(op, pw)
	}
	results := make([]response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, b := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = b.post("/operator/chat/"+user+"/claim", "id", id)
		}()
	}
	close(start)
	wg.Wait()
	wins, winner := 0, -1
	for i, r := range results {
		switch {
		case r.status == http.StatusSeeOther && location(r) == "/operator/chat/"+user+"?m=claimed":
			wins++
			winner = i
		case r.status == http.StatusSeeOther && location(r) == "/operator/?m=taken":
		default:
			t.Errorf("claim %d: %d %q", i, r.status, location(r))
		}
	}
	if wins != 1 {
		t.Fatalf("%d operators won, want exactly 1", wins)
	}
	loser := browsers[(winner+1)%n]
	q := loser.do(http.MethodGet, "/operator/?m=taken", nil)
	if !strings.Contains(text(q.body), "Otra persona del equipo tomó este chat") {
		t.Errorf("the loser is not told kindly:\n%s", q.body)
	}
	got, _ := f.tickets.Get(context.Background(), user)
	if got.State != handoff.StateActive || got.Operator != "op"+string(rune('a'+winner)) {
		t.Errorf("ticket: %+v", got)
	}
	// The loser cannot answer in the winner's chat.
	if r := loser.post("/operator/chat/"+user+"/reply", "id", id, "text", "hola"); location(r) != "/operator/chat/"+user+"?m=notyours" {
		t.Errorf("loser's reply: %d %q", r.status, location(r))
	}
}

// TestChatFlow: claim, the chat page (pseudonym only), a reply that reaches the
// channel through the hub, a canned answer and a service card in the person's
// language, a note that is never sent, then close: the goodbye goes out in her
// language and the address is gone.
func TestChatFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pw := f.account("ana", RoleOperator)
	user, id := f.open(bot.ChannelTelegram, chatID, "en", "violence")
	if err := f.tickets.Relay(ctx, bot.Ticket{ID: id, User: user}, bot.Relayed{ID: "m1", Text: "I need help with a landlord", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	b.mustLogin("ana", pw)
	q := b.do(http.MethodGet, "/operator/", nil)
	pseudo := handoff.Pseudonym(id)
	if !strings.Contains(q.body, pseudo) || !strings.Contains(q.body, "Violencia") || !strings.Contains(q.body, "Inglés") {
		t.Fatalf("queue lacks the ticket:\n%s", q.body)
	}
	if r := b.post("/operator/chat/"+user+"/claim", "id", id); r.status != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.status)
	}
	page := b.do(http.MethodGet, "/operator/chat/"+user, nil)
	if page.status != http.StatusOK {
		t.Fatalf("chat page: %d", page.status)
	}
	body := text(page.body)
	for _, want := range []string{pseudo, "I need help with a landlord", "Inglés", "telegram", "Violencia", `name="text"`} {
		if !strings.Contains(body, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	// Never the chat id or the store key displayed (the key is only in URLs and forms).
	if strings.Contains(body, chatID) {
		t.Error("the chat page shows the chat id")
	}
	visible := regexpTags.ReplaceAllString(body, "")
	if strings.Contains(visible, user) {
		t.Error("the chat page shows the store key as text")
	}
	if page.header.Get("Cache-Control") != "no-store" {
		t.Error("chat page cacheable")
	}

	// A reply reaches the channel through the hub, to her address.
	if r := b.post("/operator/chat/"+user+"/reply", "id", id, "text", "Hi, I am here to help."); location(r) != "/operator/chat/"+user+"?m=sent#compose" {
		t.Fatalf("reply: %d %q", r.status, location(r))
	}
	got := f.waitDelivered(f.tg, 1)
	if len(got) != 1 || got[0].Text != "Hi, I am here to help." || got[0].Address != chatID || got[0].Channel != bot.ChannelTelegram {
		t.Fatalf("delivered: %+v", got)
	}
	// A canned answer is sent in her language (English), whatever the console's.
	b.post("/operator/chat/"+user+"/canned", "id", id, "key", "wait")
	got = f.waitDelivered(f.tg, 2)
	if len(got) != 2 || !strings.HasPrefix(got[1].Text, "Thank you for waiting") {
		t.Fatalf("canned: %+v", got)
	}
	// Service search: national lines of a category, rendered in English.
	res := b.do(http.MethodGet, "/operator/chat/"+user+"?cat=violence", nil)
	m := cardField.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no service card to send:\n%s", res.body)
	}
	cards := f.console.cards("en", "violence", "")
	var want string
	for _, c := range cards {
		if c.ID == m[1] {
			want = f.console.cardText("en", c)
		}
	}
	if want == "" || !strings.Contains(want, "Open 24 hours") || strings.Contains(want, "gratis") {
		t.Fatalf("card text not in English: %q", want)
	}
	if r := b.post("/operator/chat/"+user+"/card", "id", id, "cat", "violence", "code", "", "card", m[1]); location(r) != "/operator/chat/"+user+"?m=sent#compose" {
		t.Fatalf("card: %d %q", r.status, location(r))
	}
	got = f.waitDelivered(f.tg, 3)
	if len(got) != 3 || got[2].Text != want {
		t.Fatalf("card delivered: %+v\nwant %q", got, want)
	}
	// A search near a place: services of the district, in her language.
	near := b.do(http.MethodGet, "/operator/chat/"+user+"?cat=health&q=Breña", nil)
	if !cardField.MatchString(near.body) {
		t.Errorf("no health services near Breña:\n%s", near.body)
	}
	// A note is kept, never sent.
	if r := b.post("/operator/chat/"+user+"/note", "id", id, "text", "follow up tomorrow"); location(r) != "/operator/chat/"+user+"?m=noted" {
		t.Fatalf("note: %q", location(r))
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(f.tg.delivered()); n != 3 {
		t.Fatalf("a note was sent: %d deliveries", n)
	}
	page = b.do(http.MethodGet, "/operator/chat/"+user, nil)
	if !strings.Contains(page.body, "follow up tomorrow") || !strings.Contains(page.body, `class="msg note"`) {
		t.Error("the note is not in the transcript")
	}
	// Close with an outcome: the goodbye in her language, then the address is gone.
	if r := b.post("/operator/chat/"+user+"/close", "id", id, "outcome", "referred"); location(r) != "/operator/?m=done" {
		t.Fatalf("close: %d %q", r.status, location(r))
	}
	got = f.waitDelivered(f.tg, 4)
	if len(got) != 4 || got[3].Text != f.console.closingMessage("en").Text || got[3].Address != chatID {
		t.Fatalf("goodbye: %+v", got)
	}
	if strings.Contains(got[3].Text, "equipo") {
		t.Errorf("goodbye not in English: %q", got[3].Text)
	}
	s, _ := f.tickets.Get(ctx, user)
	if s.State != handoff.StateClosed || s.Outcome != "referred" {
		t.Errorf("after close: %+v", s)
	}
	if err := f.tickets.Reply(ctx, f.hub, user, id, "ana", "late", "x"); err == nil {
		t.Error("a reply after close was accepted")
	}
	tk := store.KeysOf(f.prefix, user).Ticket()
	if n, _ := f.rdb.Exists(ctx, tk).Result(); n != 1 {
		t.Fatalf("ticket key %s not found", tk)
	}
	if n, _ := f.rdb.HExists(ctx, tk, "addr").Result(); n {
		t.Error("the sealed address outlived the close")
	}
	// The audit log has what was done, never what was written.
	entries, _ := f.console.Audit(ctx, 50)
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
		if e.Action != "login" && e.Pseudonym != pseudo {
			t.Errorf("audit entry without the pseudonym: %+v", e)
		}
	}
	for _, a := range []string{"login", "claim", "reply", "card", "note", "close"} {
		if actions[a] == 0 {
			t.Errorf("audit lacks %s: %v", a, actions)
		}
	}
	raw, _ := f.rdb.LRange(ctx, f.prefix+"operator:audit", 0, -1).Result()
	for _, line := range raw {
		for _, secret := range []string{"here to help", "follow up", "landlord", chatID, user} {
			if strings.Contains(line, secret) {
				t.Errorf("audit holds %q: %s", secret, line)
			}
		}
	}
	for _, secret := range []string{"here to help", "follow up", "landlord", chatID, "Thank you"} {
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}

// TestWhatsAppWindowClosed: with the 24-hour window closed, the chat says so and has
// no reply box; a reply posted anyway is refused and not sent.
func TestWhatsAppWindowClosed(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	user, id := f.open(bot.ChannelWhatsApp, phone, "es", "general")
	b := f.browser()
	b.mustLogin("ana", pw)
	b.post("/operator/chat/"+user+"/claim", "id", id)
	open := text(b.do(http.MethodGet, "/operator/chat/"+user, nil).body)
	if !strings.Contains(open, "puedes escribir libremente") || !strings.Contains(open, `name="text"`) {
		t.Fatalf("open window:\n%s", open)
	}
	if strings.Contains(open, phone) || strings.Contains(open, "987654321") {
		t.Error("the chat page shows the phone number")
	}
	f.wa.mu.Lock()
	f.wa.closed = true
	f.wa.mu.Unlock()
	closed := text(b.do(http.MethodGet, "/operator/chat/"+user, nil).body)
	if !strings.Contains(closed, "WhatsApp no permite mensajes libres") {
		t.Errorf("closed window not explained:\n%s", closed)
	}
	if strings.Contains(closed, `action="/operator/chat/`+user+`/reply"`) || strings.Contains(closed, `/canned"`) {
		t.Error("reply forms offered with the window closed")
	}
	if r := b.post("/operator/chat/"+user+"/reply", "id", id, "text", "hola"); location(r) != "/operator/chat/"+user+"?m=window" {
		t.Errorf("reply with the window closed: %q", location(r))
	}
	time.Sleep(30 * time.Millisecond)
	if n := len(f.wa.delivered()); n != 0 {
		t.Errorf("%d messages sent with the window closed", n)
	}
}

// TestTransferReleaseBlock: transfer to another operator, a coordinator releasing
// someone else's chat, and blocking.
func TestTransferReleaseBlock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	anaPW, beaPW, coordPW := f.account("ana", RoleOperator), f.account("bea", RoleOperator), f.account("coord", RoleCoordinator)
	user, id := f.open(bot.ChannelTelegram, chatID, "es", "general")
	ana, bea, coord := f.browser(), f.browser(), f.browser()
	ana.mustLogin("ana", anaPW)
	bea.mustLogin("bea", beaPW)
	coord.mustLogin("coord", coordPW)
	ana.post("/operator/chat/"+user+"/claim", "id", id)
	if r := ana.post("/operator/chat/"+user+"/transfer", "id", id, "to", "bea"); location(r) != "/operator/?m=transferred" {
		t.Fatalf("transfer: %q", location(r))
	}
	if s, _ := f.tickets.Get(ctx, user); s.Operator != "bea" {
		t.Fatalf("after transfer: %+v", s)
	}
	if r := ana.post("/operator/chat/"+user+"/release", "id", id); location(r) != "/operator/chat/"+user+"?m=notyours" {
		t.Errorf("ana releasing bea's chat: %q", location(r))
	}
	if r := coord.post("/operator/chat/"+user+"/release", "id", id); location(r) != "/operator/?m=released" {
		t.Errorf("coordinator releasing: %q", location(r))
	}
	if s, _ := f.tickets.Get(ctx, user); s.State != handoff.StateWaiting {
		t.Fatalf("after release: %+v", s)
	}
	if r := bea.post("/operator/chat/"+user+"/block", "id", id); location(r) != "/operator/chat/"+user+"?m=confirm" {
		t.Errorf("block without confirming: %q", location(r))
	}
	if r := bea.post("/operator/chat/"+user+"/block", "id", id, "confirm", "yes"); location(r) != "/operator/?m=blocked" {
		t.Errorf("block: %q", location(r))
	}
	if blocked, _ := f.tickets.Blocked(ctx, user); !blocked {
		t.Error("not blocked")
	}
	entries, _ := f.console.Audit(ctx, 50)
	var got []string
	for _, e := range entries {
		if e.Action != "login" {
			got = append(got, e.Operator+":"+e.Action+":"+e.Detail)
		}
	}
	want := []string{"bea:block:", "coord:release:", "ana:transfer:bea", "ana:claim:"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit %v, want %v", got, want)
	}
}

// TestEventsStream: the stream announces a ticket opened on any replica (through
// Redis pub/sub), and where a ticket moved in a rotation of the secret; an
// unauthenticated one is refused.
func TestEventsStream(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	b := f.browser()
	b.mustLogin("ana", pw)
	if r := f.browser().do(http.MethodGet, "/operator/events", nil); r.status != http.StatusUnauthorized && r.status != http.StatusSeeOther {
		t.Errorf("events without a session: %d", r.status)
	}
	// A server with production's shape of deadlines, much shorter: the stream must
	// extend its own write deadline to outlive them.
	srv := httptest.NewUnstartedServer(f.srv.Config.Handler)
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 250*time.Millisecond, 250*time.Millisecond
	srv.Start()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/operator/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	// the stream's first comment says the subscription is live
	for lines.Scan() && lines.Text() != ": ok" {
	}
	// Quiet for longer than the client's read timeout (store.FailFast: 300 ms) and the
	// server's write timeout: the subscription and the stream must survive both.
	time.Sleep(1500 * time.Millisecond)
	// Another replica: its own store on the same Redis.
	other, err := handoff.New(f.rdb, secret, handoff.Options{Prefix: f.prefix})
	if err != nil {
		t.Fatal(err)
	}
	user := "00112233445566778899aabbccddeeff"
	if err := other.Open(ctx, bot.Ticket{ID: "tk-x", User: user, Channel: bot.ChannelTelegram, Address: chatID, Topic: "general", Lang: "es", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var event, data string
	for lines.Scan() { // the first change event (a heartbeat may come before it)
		l := lines.Text()
		if strings.HasPrefix(l, "event: ") {
			event = strings.TrimPrefix(l, "event: ")
		}
		if strings.HasPrefix(l, "data: ") && event == "change" {
			data = strings.TrimPrefix(l, "data: ")
			break
		}
	}
	if event != "change" || data != `{"user":"`+user+`","kind":"open"}` {
		t.Fatalf("event %q data %q", event, data)
	}
	if strings.Contains(data, chatID) {
		t.Error("the event carries the address")
	}
	// A rotation of the secret carries her ticket to her new name: the chat page
	// is told where to follow it.
	moved := "ffeeddccbbaa99887766554433221100"
	if err := other.Carry(ctx, user, moved); err != nil {
		t.Fatal(err)
	}
	for data = ""; lines.Scan(); {
		if l := lines.Text(); strings.HasPrefix(l, "data: ") && strings.Contains(l, `"moved"`) {
			data = strings.TrimPrefix(l, "data: ")
			break
		}
	}
	if data != `{"user":"`+user+`","kind":"moved","to":"`+moved+`"}` {
		t.Fatalf("moved event data %q", data)
	}
	// A heartbeat arrives within Config.Heartbeat (1 s in tests).
	deadline := time.Now().Add(3 * time.Second)
	for lines.Scan() && time.Now().Before(deadline) {
		if lines.Text() == ": ping" {
			return
		}
	}
	t.Error("no heartbeat on the stream")
}

// TestFragments: the script's fragments answer 401 (not a redirect) without a
// session, and the queue fragment lists the tickets.
func TestFragments(t *testing.T) {
	f := newFixture(t)
	pw := f.account("ana", RoleOperator)
	f.open(bot.ChannelTelegram, chatID, "es", "general")
	anon := f.browser()
	req := func(b *browser, path string) response {
		r, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
		r.Header.Set("X-Fragment", "1")
		for k, v := range b.cookies {
			r.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		buf := new(strings.Builder)
		_, _ = bufio.NewReader(res.Body).WriteTo(buf)
		return response{status: res.StatusCode, header: res.Header, body: buf.String()}
	}
	if r := req(anon, "/operator/queue"); r.status != http.StatusUnauthorized {
		t.Errorf("fragment without session: %d", r.status)
	}
	b := f.browser()
	b.mustLogin("ana", pw)
	r := req(b, "/operator/queue")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Persona ") || strings.Contains(r.body, "<html") {
		t.Errorf("queue fragment: %d\n%s", r.status, r.body)
	}
	// static files are served with the same headers
	s := b.do(http.MethodGet, "/operator/static/console.js", nil)
	if s.status != http.StatusOK || !strings.Contains(s.body, "EventSource") || s.header.Get("Content-Security-Policy") == "" {
		t.Errorf("console.js: %d", s.status)
	}
}
