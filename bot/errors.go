package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ErrRetryable marks a send error that may succeed later: the platform throttled us,
// answered 5xx, or the connection failed. Test with errors.Is(err, ErrRetryable).
var ErrRetryable = errors.New("retryable send error")

// ErrPermanent marks a send error that will not succeed if retried: the user blocked the
// bot, the request was rejected, the 24-hour window is closed. Test with errors.Is.
var ErrPermanent = errors.New("permanent send error")

// ErrBlocked is a permanent error: the user blocked the bot or opted out. It matches
// ErrPermanent too.
var ErrBlocked = &SendError{Reason: "blocked", Err: ErrPermanent}

// ErrOutsideWindow is a permanent error: WhatsApp allows free-form messages only within
// 24 hours of the user's last message. It matches ErrPermanent too.
var ErrOutsideWindow = &SendError{Reason: "outside_window", Err: ErrPermanent}

// ErrClosed is returned by Sender.Enqueue after Close.
var ErrClosed = errors.New("sender closed")

// SendError is a classified send error. Reason is a short, log-safe word
// ("throttled", "server", "connection", "rejected", "blocked"); Status is the HTTP
// status and Code the platform's error code, when known. Err is the cause and decides
// errors.Is(err, ErrRetryable) and errors.Is(err, ErrPermanent).
//
// Error() never contains message text or addresses as long as Err does not; adapters
// wrap the platform error only as Cause, which Error() leaves out (platform error text
// may contain the phone number, see twilio-go's TwilioRestError).
type SendError struct {
	Reason string
	Status int
	Code   int
	Err    error // ErrRetryable or ErrPermanent (possibly wrapped)
	Cause  error // the platform's error, kept for errors.As, not printed
}

// Error implements error with log-safe fields only.
func (e *SendError) Error() string {
	s := "send: " + e.Reason
	if e.Status != 0 {
		s += " status=" + strconv.Itoa(e.Status)
	}
	if e.Code != 0 {
		s += " code=" + strconv.Itoa(e.Code)
	}
	return s
}

// Unwrap returns the class and the cause, so errors.Is and errors.As see both.
func (e *SendError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// Is makes every SendError with the same Reason match a sentinel SendError such as
// ErrBlocked, whatever its status, code or cause.
func (e *SendError) Is(target error) bool {
	t, ok := target.(*SendError)
	return ok && t.Reason == e.Reason && t.Status == 0 && t.Code == 0
}

// Throttled is a retryable error that says how long the platform asked us to wait
// (Telegram's parameters.retry_after, Twilio's Retry-After). It matches ErrRetryable.
type Throttled struct {
	RetryAfter time.Duration
	Status     int
	Code       int
	Cause      error
}

// Error implements error with log-safe fields only.
func (t *Throttled) Error() string {
	return fmt.Sprintf("send: throttled status=%d code=%d retry_after=%s", t.Status, t.Code, t.RetryAfter)
}

// Is reports that a Throttled error is retryable.
func (t *Throttled) Is(target error) bool { return target == ErrRetryable }

// Unwrap returns the platform's error.
func (t *Throttled) Unwrap() error { return t.Cause }

// Retryable wraps err as a retryable SendError with the given reason.
func Retryable(reason string, err error) error {
	return &SendError{Reason: reason, Err: ErrRetryable, Cause: err}
}

// Permanent wraps err as a permanent SendError with the given reason.
func Permanent(reason string, err error) error {
	return &SendError{Reason: reason, Err: ErrPermanent, Cause: err}
}

// IsRetryable reports whether err is worth retrying. Context cancellation is not.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	return errors.Is(err, ErrRetryable)
}

// RetryAfter returns the wait the platform asked for, if err is Throttled.
func RetryAfter(err error) (time.Duration, bool) {
	var t *Throttled
	if errors.As(err, &t) && t.RetryAfter > 0 {
		return t.RetryAfter, true
	}
	return 0, false
}

// Reason returns the log-safe reason of a send error: the SendError's Reason,
// "throttled", "canceled", or "other".
func Reason(err error) string {
	var t *Throttled
	var s *SendError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &t):
		return "throttled"
	case errors.As(err, &s):
		return s.Reason
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	default:
		return "other"
	}
}

// ClassifyHTTP turns an HTTP status from a platform API into a send error: 429 is
// Throttled (waiting retryAfter when it is known), 408 and 5xx are retryable, other 4xx
// permanent, 2xx and 3xx nil. code is the platform's own error code (0 if none) and
// cause the platform error, kept for errors.As.
//
// This is the one place where "429 means throttled" is decided for every channel.
func ClassifyHTTP(status, code int, retryAfter time.Duration, cause error) error {
	switch {
	case status == http.StatusTooManyRequests:
		return &Throttled{RetryAfter: retryAfter, Status: status, Code: code, Cause: cause}
	case status == http.StatusRequestTimeout || status >= 500:
		return &SendError{Reason: "server", Status: status, Code: code, Err: ErrRetryable, Cause: cause}
	case status == http.StatusForbidden:
		return &SendError{Reason: "blocked", Status: status, Code: code, Err: ErrPermanent, Cause: cause}
	case status >= 400:
		return &SendError{Reason: "rejected", Status: status, Code: code, Err: ErrPermanent, Cause: cause}
	default:
		return nil
	}
}

// ParseRetryAfter reads an HTTP Retry-After header given in seconds. It returns 0 for
// an empty or malformed header, and caps the wait at one hour.
func ParseRetryAfter(h string) time.Duration {
	n, err := strconv.Atoi(h)
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, time.Hour)
}
