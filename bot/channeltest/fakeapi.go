package channeltest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Request is one call a fake API received: the last path element ("sendMessage",
// "Messages.json"), the fields (JSON, multipart or urlencoded), and basic-auth user.
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
// its own (TwilioSid), or 204 to a DELETE.
// see https://www.twilio.com/docs/messaging/api/message-resource
func TwilioOK(r Request) Response {
	if r.Verb == http.MethodDelete {
		return Response{Status: 204}
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
	_, _ = io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	var resp Response
	faulted := false
	if f.fault != nil {
		resp, faulted = f.fault(req)
	}
	if q := f.canned[req.Method]; !faulted && len(q) > 0 {
		resp, f.canned[req.Method] = q[0], q[1:]
	} else if !faulted {
		resp = f.OK(req)
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
