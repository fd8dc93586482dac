package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// operatorClient is an operator's browser on one replica: cookies kept by hand (they
// are Secure, and these tests speak plain HTTP), the page's CSRF token, no redirects.
type operatorClient struct {
	t       *testing.T
	base    string
	cookies map[string]string
	csrf    string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func (o *operatorClient) do(method, path string, form url.Values) (int, string) {
	o.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, o.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range o.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		o.cookies[ck.Name] = ck.Value
	}
	if m := csrfInput.FindStringSubmatch(string(raw)); m != nil {
		o.csrf = m[1]
	}
	return res.StatusCode, string(raw)
}

func (o *operatorClient) post(path string, kv ...string) (int, string) {
	o.t.Helper()
	form := url.Values{"csrf": {o.csrf}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return o.do(http.MethodPost, path, form)
}

// events opens the console's live stream and returns the names of the events it
// receives.
func (o *operatorClient) events(ctx context.Context) <-chan string {
	o.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, o.base+"/operator/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range o.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		o.t.Fatalf("event stream: %v %v", res, err)
	}
	out := make(chan string, 64)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				select {
				case out <- ev:
				default:
				}
			}
		}
	}()
	return out
}

// TestServeReplicasShareTheConsole: two `faro serve` replicas on one Redis, as on
// Kubernetes. The person writes to replica A; an operator works on replica B's
// console: B's live stream hears of the chat A opened, two operators racing on B and
// A for it get it exactly once, the reply written on B reaches the person, and B hears
// of her next message, which went to A.
func TestServeReplicasShareTheConsole(t *testing.T) {
	redisURL := storetest.URL(t)
	secret := freshSecret(t)
	a := startServe(t, redisURL, "FARO_HMAC_SECRET", secret)
	b := startServe(t, redisURL, "FARO_HMAC_SECRET", secret)

	rdb, err := store.Dial(redisURL, "single")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	accounts := console.NewAccounts(rdb, "").WithCost(4)
	run := freshSecret(t)[len(freshSecret(t))-8:] // accounts of this run only: they live long
	anaID, beaID := "ana-"+run, "bea-"+run
	for _, id := range []string{anaID, beaID} {
		if _, err := accounts.Add(context.Background(), id, console.RoleOperator, "una-clave-larga-"+id); err != nil {
			t.Fatal(err)
		}
	}
	login := func(base, id string) *operatorClient {
		o := &operatorClient{t: t, base: base, cookies: map[string]string{}}
		o.do(http.MethodGet, "/operator/login", nil)
		if code, _ := o.post("/operator/login", "account", id, "password", "una-clave-larga-"+id); code != http.StatusSeeOther {
			t.Fatalf("login %s: %d", id, code)
		}
		if code, _ := o.do(http.MethodGet, "/operator/", nil); code != http.StatusOK {
			t.Fatalf("queue: %d", code)
		}
		return o
	}
	ana := login(b.base, anaID) // on replica B
	bea := login(a.base, beaID) // on replica A
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := ana.events(ctx) // also her heartbeat: an operator is online

	waitEvent := func(what string) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case <-live:
				return
			case <-timeout:
				t.Fatalf("replica B's console heard nothing of %s", what)
			}
		}
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		_, body := ana.do(http.MethodGet, "/operator/queue", nil)
		return ana.csrf != "" && body != ""
	}, "the queue fragment")

	if code := a.telegram(t, 8101, "quiero hablar con una persona"); code != 200 {
		t.Fatalf("webhook on A: %d", code)
	}
	waitEvent("the chat opened on A")
	_, queue := ana.do(http.MethodGet, "/operator/", nil)
	// other tests' chats may wait in the same Redis: find hers
	user := store.UserKey([]byte(secret), bot.ChannelTelegram, srvChat)
	m := regexp.MustCompile(`action="/operator/chat/` + user + `/claim".*?name="id" value="([0-9a-f]+)"`).FindStringSubmatch(queue)
	if m == nil {
		t.Fatalf("replica B's queue does not list the chat opened on A:\n%s", queue)
	}
	id := m[1]
	if strings.Contains(queue, srvChat) || strings.Contains(queue, user+"<") {
		t.Error("the queue shows the person's chat id or key")
	}

	// Two operators on two replicas take the chat at once: one wins.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	bea.do(http.MethodGet, "/operator/", nil) // her page's CSRF token
	for i, o := range []*operatorClient{ana, bea} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = o.post("/operator/chat/"+user+"/claim", "id", id)
		}()
	}
	wg.Wait()
	holder := ""
	for _, o := range []*operatorClient{ana, bea} {
		_, page := o.do(http.MethodGet, "/operator/chat/"+user, nil)
		if strings.Contains(page, `/reply"`) {
			holder += o.base
		}
	}
	if holder != b.base && holder != a.base {
		t.Fatalf("after the race the reply box is offered to %q (codes %v); want exactly one operator", holder, codes)
	}
	replier, replierSrv := ana, b
	if holder == a.base {
		replier, replierSrv = bea, a
	}
	replier.do(http.MethodGet, "/operator/chat/"+user, nil)
	if code, _ := replier.post("/operator/chat/"+user+"/reply", "id", id, "text", "Hola, te leo. ¿Estás a salvo?"); code != http.StatusSeeOther {
		t.Fatalf("reply: %d", code)
	}
	channeltest.Eventually(t, 5*time.Second, func() bool {
		for _, r := range replierSrv.tg.Requests("sendMessage") {
			if r.Form["chat_id"] == srvChat && strings.Contains(r.Form["text"], "te leo") {
				return true
			}
		}
		return false
	}, "the operator's reply delivered to the person")

	for len(live) > 0 {
		<-live
	}
	if code := a.telegram(t, 8102, "sí, gracias, es por un papel"); code != 200 {
		t.Fatalf("webhook on A: %d", code)
	}
	waitEvent("her next message, on A")
	_, page := replier.do(http.MethodGet, "/operator/chat/"+user, nil)
	if !strings.Contains(page, "es por un papel") {
		t.Errorf("the chat page on the operator's replica lacks the message that reached A")
	}
}
