package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/faro-chat/faro/bot"
)

// Twilio error codes that decide what to do with a failed send.
// see https://www.twilio.com/docs/api/errors
const (
	codeOptedOut      = 21610 // the user replied STOP
	codeOutsideWindow = 63016 // free-form message outside the 24-hour window
	codeTooMany       = 20429 // too many concurrent requests
	codeNotFinal      = 20009 // a message not yet finished cannot be deleted: wait minutes
)

// Deliver sends one message with the Messages resource, after checking that the user's
// 24-hour window is open.
//
// This hot path posts the form itself (create) instead of going through twilio-go,
// whose per-call client, URL building and decoding of the whole Message resource made
// a delivery cost 15–30 % more CPU, both ends counted, and 71 more allocations
// (BenchmarkDeliver); the request is the one twilio-go makes
// (TestCreateMatchesTwilioGo), and errors are twilio-go's TwilioRestError, classified
// alike.
// see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
func (c *Channel) Deliver(ctx context.Context, m bot.Outbound) error {
	if m.Text == "" {
		return nil
	}
	last, ok, err := c.cfg.Window.Last(ctx, m.Address)
	if err != nil {
		return bot.Retryable("window_store", err)
	}
	if !ok || c.now().Sub(last) >= Window {
		return bot.ErrOutsideWindow
	}
	box := &callBox{}
	sid, err := c.create(ctx, m.Address, m.Text, box)
	if err != nil {
		return classify(err, box)
	}
	if c.cfg.KeepCopy != nil && sid != "" {
		c.cfg.KeepCopy(m.Address, sid)
	}
	return nil
}

// create posts one message to address (without its "whatsapp:" prefix) as twilio-go's
// CreateMessage does: the same form fields, basic auth and headers, on the channel's
// transport (no http.Client: no redirect to follow, ctx bounds the call). It returns
// the message's sid when KeepCopy wants it, and notes the answer's status in box. An
// error answer is a *client.TwilioRestError when its body is Twilio's JSON error.
func (c *Channel) create(ctx context.Context, address, text string, box *callBox) (string, error) {
	var form strings.Builder
	form.Grow(len(text)*3/2 + len(c.formFrom) + 64)
	form.WriteString("Body=")
	form.WriteString(url.QueryEscape(text))
	form.WriteString(c.formFrom)
	form.WriteString("&To=")
	form.WriteString(url.QueryEscape(addressPrefix + address))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.messagesURL, strings.NewReader(form.String()))
	if err != nil {
		return "", fmt.Errorf("twilio: request: %w", err)
	}
	req.Header["Content-Type"] = formContentType
	req.Header["Authorization"] = c.basicAuth
	req.Header["User-Agent"] = userAgent
	resp, err := c.transport.RoundTrip(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	box.mu.Lock()
	box.status, box.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	box.mu.Unlock()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		re := &client.TwilioRestError{}
		if err := json.Unmarshal(b, re); err != nil {
			return "", fmt.Errorf("twilio: error answer %d: not JSON", resp.StatusCode)
		}
		return "", re
	}
	if c.cfg.KeepCopy == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // the connection is reused
		return "", nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var sent struct {
		Sid string `json:"sid"`
	}
	if err == nil {
		err = json.Unmarshal(b, &sent)
	}
	if err != nil {
		return "", fmt.Errorf("twilio: answer: %w", err) // accepted: classify never resends it
	}
	return sent.Sid, nil
}

// Headers of create's requests, as twilio-go sends them.
var (
	formContentType = []string{"application/x-www-form-urlencoded"}
	userAgent       = []string{fmt.Sprintf("twilio-go/%s (%s %s) go/%s", client.LibraryVersion, runtime.GOOS, runtime.GOARCH, runtime.Version())}
)

// api returns a twilio-go API service whose requests carry ctx and note their answer
// in box.
func (c *Channel) api(ctx context.Context, box *callBox) *openapi.ApiService {
	cl := &client.Client{
		Credentials: client.NewCredentials(c.cfg.AccountSID, c.cfg.AuthToken),
		HTTPClient:  &http.Client{Transport: &callTransport{ctx: ctx, base: c.transport, box: box, c: c}},
	}
	cl.SetAccountSid(c.cfg.AccountSID)
	return openapi.NewApiServiceWithClient(cl)
}

// deleteWorkers is how many DELETEs DeleteCopies has in flight at once: a long
// conversation (Twilio lists thousands) is deleted in minutes, not an hour, and well
// within Twilio's concurrency limit (a 429 there is retried like any other).
const deleteWorkers = 4

// DeleteCopies implements bot.CopyDeleter: it deletes the Message resources ids (the
// person's, from the webhook's MessageSid, and the bot's, from the create answer, and
// those ListCopies found), one DELETE each, deleteWorkers at a time, so that Twilio
// keeps no record of the conversation. One Twilio no longer has (404) counts as
// deleted; one it has not finished processing (20009) is retried later. It stops
// taking more at the first other failure. Deleting a message deletes its media too (a
// photo she sent).
// see https://help.twilio.com/articles/223133687
// see https://www.twilio.com/docs/messaging/api/message-resource#delete-a-message-resource
func (c *Channel) DeleteCopies(ctx context.Context, _ string, ids []string) ([]string, error) {
	var (
		mu       sync.Mutex
		left     []string // not final (20009), or failed
		notFinal error
		failed   error
		wg       sync.WaitGroup
	)
	next := make(chan string)
	stop := make(chan struct{})
	var once sync.Once
	for range min(deleteWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				box := &callBox{}
				err := c.api(ctx, box).DeleteMessage(id, nil)
				var re *client.TwilioRestError
				switch {
				case err == nil, errors.As(err, &re) && re.Status == http.StatusNotFound:
					continue
				case errors.As(err, &re) && re.Code == codeNotFinal:
					mu.Lock()
					left = append(left, id)
					notFinal = &bot.SendError{Reason: "not_final", Status: re.Status, Code: re.Code, Err: bot.ErrRetryable, Cause: err}
					mu.Unlock()
					continue
				}
				mu.Lock()
				left = append(left, id)
				if failed == nil {
					failed = classify(err, box)
				}
				mu.Unlock()
				once.Do(func() { close(stop) })
			}
		}()
	}
	i := 0
feed:
	for ; i < len(ids); i++ {
		select {
		case next <- ids[i]:
		case <-stop:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	left = append(left, ids[i:]...)
	switch {
	case failed != nil:
		return left, failed
	case i < len(ids):
		return left, bot.Retryable("connection", ctx.Err())
	}
	return left, notFinal
}

// The list of a chat's messages at an erase is bounded: pages of listPageSize (Twilio's
// largest), at most maxListPages each way, within the attempt's timeout. Variables
// for the tests.
var (
	listPageSize = 1000
	maxListPages = 10
)

// ListCopies implements bot.CopyLister: it lists the Message resources of the chat
// with address, both ways (to her from the bot's number, and from her to it), page by
// page, so that an erase deletes every record Twilio keeps of the conversation, not
// only the ids the store kept (the last 200). complete is false when a way has more
// than maxListPages pages.
// see https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
func (c *Channel) ListCopies(ctx context.Context, address string) ([]string, bool, error) {
	her := addressPrefix + address
	var ids []string
	complete := true
	for _, way := range [...][2]string{{her, c.cfg.From}, {c.cfg.From, her}} {
		p := &openapi.ListMessageParams{}
		p.SetTo(way[0])
		p.SetFrom(way[1])
		p.SetPageSize(listPageSize)
		token, page := "", ""
		for n := 0; ; n++ {
			if n == maxListPages {
				complete = false
				break
			}
			box := &callBox{}
			res, err := c.api(ctx, box).PageMessage(p, token, page)
			if err != nil {
				return nil, false, classify(err, box)
			}
			for _, m := range res.Messages {
				if m.Sid != nil && *m.Sid != "" {
					ids = append(ids, *m.Sid)
				}
			}
			if res.NextPageUri == nil || *res.NextPageUri == "" {
				break
			}
			u, err := url.Parse(*res.NextPageUri)
			if err != nil {
				return nil, false, bot.Permanent("unparseable", errors.New("twilio: next page uri"))
			}
			q := u.Query()
			if token, page = q.Get("PageToken"), q.Get("Page"); token == "" {
				return nil, false, bot.Permanent("unparseable", errors.New("twilio: next page uri without a page token"))
			}
		}
	}
	return ids, complete, nil
}

// classify turns a twilio-go error into a bot send error. Twilio's error text can hold
// the phone number, so it is kept only as the unprinted cause.
func classify(err error, box *callBox) error {
	if err == nil {
		return nil
	}
	box.mu.Lock()
	status, retryAfter := box.status, box.retryAfter
	box.mu.Unlock()
	var re *client.TwilioRestError
	if errors.As(err, &re) {
		switch re.Code {
		case codeOptedOut:
			return &bot.SendError{Reason: "blocked", Status: re.Status, Code: re.Code, Err: bot.ErrPermanent, Cause: err}
		case codeOutsideWindow:
			return &bot.SendError{Reason: "outside_window", Status: re.Status, Code: re.Code, Err: bot.ErrPermanent, Cause: err}
		case codeTooMany:
			status = http.StatusTooManyRequests
		}
		if status == 0 {
			status = re.Status
		}
		return bot.ClassifyHTTP(status, re.Code, bot.ParseRetryAfter(retryAfter), err)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case status == 0:
		return bot.Retryable("connection", err)
	case status >= 200 && status < 300:
		return bot.Permanent("unparseable", err) // queued at Twilio: never resend
	default:
		return bot.ClassifyHTTP(status, 0, bot.ParseRetryAfter(retryAfter), err)
	}
}

// callBox receives the HTTP status and Retry-After of one API call.
type callBox struct {
	mu         sync.Mutex
	status     int
	retryAfter string
}

// callTransport carries one Deliver call's context into twilio-go's requests, points
// them at APIURL when set, and notes the answer's status. It also reads error bodies
// into memory and closes them, because twilio-go leaves them open on error.
type callTransport struct {
	ctx  context.Context
	base http.RoundTripper
	box  *callBox
	c    *Channel
}

// RoundTrip implements http.RoundTripper.
func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.WithContext(t.ctx)
	if u := t.c.apiURL; u != nil {
		req.URL.Scheme, req.URL.Host, req.Host = u.Scheme, u.Host, u.Host
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.box.mu.Lock()
	t.box.status, t.box.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	t.box.mu.Unlock()
	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	return resp, nil
}
