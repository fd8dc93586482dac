package channeltest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Request is one call a fake API received: the last path element ("sendMessage",
// "Messages.json"; a GET of Twilio's Messages.json, a list, is TwilioList), the fields
// (JSON, multipart, urlencoded or the query), and basic-auth user.
type Request struct {
	Method string
	// Verb is the HTTP method (Twilio deletes a message with DELETE).
	Verb string
	Path string
	Form map[string]string
	User string
	At   time.Time
	// JSON is true when the body was JSON (its fields are in Form all the same).
	JSON bool
	// Status is the status the fake answered with; 0 when it answered nothing (a hang
	// or a reset). A fault test counts a message as delivered only on a 2xx.
	Status int
}

// Response is a canned answer of a fake API.
type Response struct {
	Status int
	Body   string
	Header map[string]string
	// Delay holds the answer back (a slow platform), or until the client gives up.
	Delay time.Duration
	// Hang answers nothing until the client gives up (a platform that accepted the
	// connection and stalls); nothing is delivered.
	Hang bool
	// Reset closes the connection abruptly (TCP RST) without answering; nothing is
	// delivered.
	Reset bool
}

// FakeAPI is an httptest server that imitates a platform API: it records every request
// and answers from per-method queues of canned responses, then with OK.
type FakeAPI struct {
	*httptest.Server
	// OK builds the success answer for a request with no canned response left.
	OK func(r Request) Response

	mu       sync.Mutex
	requests []Request
	canned   map[string][]Response
	fault    func(r Request) (Response, bool)
	// twilio are the Message resources the fake keeps, oldest first (see
	// ServeTwilioList); twilioList serves their list.
	twilio     []TwilioMessage
	twilioList bool
}

// TwilioList is the Method of a request for Twilio's list of Message resources (a GET
// of Messages.json), so that it is not counted with the messages sent.
const TwilioList = "Messages.list"

// TwilioMessage is a Message resource as the fake Twilio keeps it: the messages it
// took (a create answered 2xx) and those a test put there (AddTwilioMessages), until
// a DELETE of it is answered 2xx.
type TwilioMessage struct {
	Sid, From, To string
}

// ServeTwilioList makes the fake answer a GET of Messages.json (TwilioList, with no
// fault or canned answer for it) like Twilio's list of Message resources: those it keeps, newest
// first, filtered by To and From, PageSize at a time (default 50), with a
// next_page_uri carrying Page and a PageToken while more remain.
// see https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
func (f *FakeAPI) ServeTwilioList() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.twilioList = true
}

// AddTwilioMessages puts n messages from from to to at the fake Twilio (older than any
// it took so far, as a conversation's history), and returns their sids.
func (f *FakeAPI) AddTwilioMessages(from, to string, n int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	added := make([]TwilioMessage, n)
	sids := make([]string, n)
	for i := range added {
		sids[i] = TwilioSid(sentIDs.Add(1))
		added[i] = TwilioMessage{Sid: sids[i], From: from, To: to}
	}
	f.twilio = append(added, f.twilio...)
	return sids
}

// TwilioKept returns the Message resources the fake Twilio still keeps between a and
// b (either way).
func (f *FakeAPI) TwilioKept(a, b string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, m := range f.twilio {
		if m.From == a && m.To == b || m.From == b && m.To == a {
			out = append(out, m.Sid)
		}
	}
	return out
}

// keepTwilio notes what a 2xx answer to a request did to the Message resources: a
// create adds one (its sid from the answer), a DELETE removes one. Called with mu.
func (f *FakeAPI) keepTwilio(req Request, resp Response) {
	if resp.Status < 200 || resp.Status >= 300 || !strings.Contains(req.Path, "/Messages") {
		return
	}
	switch req.Verb {
	case http.MethodPost:
		if req.Method != "Messages.json" {
			return
		}
		var m struct {
			Sid string `json:"sid"`
		}
		if json.Unmarshal([]byte(resp.Body), &m) == nil && m.Sid != "" {
			f.twilio = append(f.twilio, TwilioMessage{Sid: m.Sid, From: req.Form["From"], To: req.Form["To"]})
		}
	case http.MethodDelete:
		sid := strings.TrimSuffix(req.Method, ".json")
		for i, m := range f.twilio {
			if m.Sid == sid {
				f.twilio = append(f.twilio[:i], f.twilio[i+1:]...)
				break
			}
		}
	}
}

// listTwilio answers a list of Message resources (see ServeTwilioList). The page token
// is the offset in the filtered list. Called with mu.
func (f *FakeAPI) listTwilio(req Request) Response {
	var match []TwilioMessage
	for i := len(f.twilio) - 1; i >= 0; i-- { // newest first
		m := f.twilio[i]
		if (req.Form["To"] == "" || m.To == req.Form["To"]) && (req.Form["From"] == "" || m.From == req.Form["From"]) {
			match = append(match, m)
		}
	}
	size := 50
	if n, err := strconv.Atoi(req.Form["PageSize"]); err == nil && n > 0 {
		size = n
	}
	start := 0
	if tok := req.Form["PageToken"]; tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "PA"))
		if err != nil || n < 0 {
			return TwilioError(400, 20001)
		}
		start = min(n, len(match))
	}
	end := min(start+size, len(match))
	type msg struct {
		Sid  string `json:"sid"`
		From string `json:"from"`
		To   string `json:"to"`
	}
	page := struct {
		Messages []msg   `json:"messages"`
		Next     *string `json:"next_page_uri"`
		Page     int     `json:"page"`
		PageSize int     `json:"page_size"`
	}{Messages: []msg{}, Page: start / size, PageSize: size}
	for _, m := range match[start:end] {
		page.Messages = append(page.Messages, msg(m))
	}
	if end < len(match) {
		q := url.Values{"To": {req.Form["To"]}, "From": {req.Form["From"]}, "PageSize": {strconv.Itoa(size)},
			"Page": {strconv.Itoa(end / size)}, "PageToken": {"PA" + strconv.Itoa(end)}}
		next := req.Path + "?" + q.Encode()
		page.Next = &next
	}
	b, _ := json.Marshal(page)
	return Response{Status: 200, Body: string(b)}
}

// SetFault makes fault decide the answer to every request before the canned ones and
// OK: when it returns true, its Response is the answer (a 429, a 5xx, a Hang, a
// Reset). nil removes it. Fault tests use it for outages and flaky platforms.
func (f *FakeAPI) SetFault(fault func(r Request) (Response, bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// Delivered returns the requests for method ("" for all) that the fake answered with a
// 2xx: the messages the platform took.
func (f *FakeAPI) Delivered(method string) []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if (method == "" || r.Method == method) && r.Status >= 200 && r.Status < 300 {
			out = append(out, r)
		}
	}
	return out
}

// NewFakeAPI starts a FakeAPI that is closed when the test ends.
func NewFakeAPI(t testing.TB, ok func(Request) Response) *FakeAPI {
	f := &FakeAPI{OK: ok, canned: make(map[string][]Response)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// sentIDs numbers the messages the fakes take, so that each has its own id (a
// Telegram message_id, a Twilio sid), as on the platforms.
var sentIDs atomic.Int64

// TelegramOK answers like the Bot API: a Message with a message_id of its own for
// sendMessage, true otherwise, and an empty list for getUpdates (after a short wait,
// like a long poll).
// see https://core.telegram.org/bots/api#making-requests
func TelegramOK(r Request) Response {
	switch r.Method {
	case "sendMessage":
		return Response{Status: 200, Body: fmt.Sprintf(`{"ok":true,"result":{"message_id":%d,"date":1,"chat":{"id":%s,"type":"private"}}}`, sentIDs.Add(1), jsonNumber(r.Form["chat_id"]))}
	case "getUpdates":
		return Response{Status: 200, Body: `{"ok":true,"result":[]}`, Delay: 50 * time.Millisecond}
	default:
		return Response{Status: 200, Body: `{"ok":true,"result":true}`}
	}
}

func jsonNumber(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// TelegramError is a Bot API error envelope, with retry_after when it is > 0.
func TelegramError(status int, retryAfter int) Response {
	params := ""
	if retryAfter > 0 {
		params = fmt.Sprintf(`,"parameters":{"retry_after":%d}`, retryAfter)
	}
	return Response{Status: status, Body: fmt.Sprintf(`{"ok":false,"error_code":%d,"description":"error %d"%s}`, status, status, params)}
}

// TwilioOK answers like the Messages resource: 201 with a queued message and a sid of
// its own (TwilioSid), 204 to a DELETE, an empty list to a GET.
// see https://www.twilio.com/docs/messaging/api/message-resource
func TwilioOK(r Request) Response {
	switch r.Verb {
	case http.MethodDelete:
		return Response{Status: 204}
	case http.MethodGet: // a list: empty (see ServeTwilioList)
		return Response{Status: 200, Body: `{"messages":[],"next_page_uri":null,"page":0,"page_size":50}`}
	}
	return Response{Status: 201, Body: fmt.Sprintf(`{"sid":"%s","status":"queued"}`, TwilioSid(sentIDs.Add(1)))}
}

// TwilioSid is the sid the fake gives the n-th message it takes.
func TwilioSid(n int64) string { return fmt.Sprintf("SM%032d", n) }

// TwilioDeleted returns the sids of the messages deleted (DELETE answered 2xx).
func (f *FakeAPI) TwilioDeleted() []string {
	var out []string
	for _, r := range f.Delivered("") {
		if r.Verb == http.MethodDelete {
			out = append(out, strings.TrimSuffix(r.Method, ".json"))
		}
	}
	return out
}

// TwilioError is a Twilio REST error envelope.
func TwilioError(status, code int) Response {
	return Response{Status: status, Body: fmt.Sprintf(`{"code":%d,"message":"error","more_info":"","status":%d}`, code, status)}
}

// Enqueue queues canned responses for requests whose last path element is method.
func (f *FakeAPI) Enqueue(method string, rs ...Response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.canned[method] = append(f.canned[method], rs...)
}

// Requests returns the requests received for method ("" for all).
func (f *FakeAPI) Requests(method string) []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if method == "" || r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

func (f *FakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	req := Request{Method: path.Base(r.URL.Path), Verb: r.Method, Path: r.URL.Path, Form: map[string]string{}, At: time.Now()}
	req.User, _, _ = r.BasicAuth()
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") {
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for k, v := range m { // strings as text, anything else as JSON, like a multipart form
			var s string
			if json.Unmarshal(v, &s) == nil {
				req.Form[k] = s
			} else {
				req.Form[k] = string(v)
			}
		}
	} else if strings.HasPrefix(ct, "multipart/") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	} else if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for k, v := range r.Form {
		req.Form[k] = v[0]
	}
	req.JSON = strings.HasPrefix(ct, "application/json")
	if req.Verb == http.MethodGet && req.Method == "Messages.json" {
		req.Method = TwilioList
	}
	_, _ = io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	var resp Response
	faulted := false
	if f.fault != nil {
		resp, faulted = f.fault(req)
	}
	if q := f.canned[req.Method]; !faulted && len(q) > 0 {
		resp, f.canned[req.Method] = q[0], q[1:]
	} else if !faulted && f.twilioList && req.Method == TwilioList {
		resp = f.listTwilio(req)
	} else if !faulted {
		resp = f.OK(req)
	}
	if !resp.Hang && !resp.Reset {
		f.keepTwilio(req, resp)
	}
	if !resp.Hang && !resp.Reset {
		req.Status = resp.Status
	}
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	switch {
	case resp.Reset:
		reset(w)
		return
	case resp.Hang:
		<-r.Context().Done()
		return
	case resp.Delay > 0:
		select {
		case <-time.After(resp.Delay):
		case <-r.Context().Done():
		}
	}
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)
}

// reset closes the request's connection with a TCP RST (linger 0), as a platform's
// load balancer that drops a connection would.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // the server drops the connection
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// DecodeJSON unmarshals a JSON form field (Telegram's reply_markup) for assertions.
func DecodeJSON(t testing.TB, s string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}
