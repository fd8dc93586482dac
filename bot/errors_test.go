package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestClassifyHTTP(t *testing.T) {
	cause := errors.New("Status: 400 - ApiError 21211: Invalid 'To' Phone Number: +51987654321")
	for _, tc := range []struct {
		status    int
		retryable bool
		permanent bool
		reason    string
	}{
		{200, false, false, "ok"},
		{429, true, false, "throttled"},
		{500, true, false, "server"},
		{502, true, false, "server"},
		{408, true, false, "server"},
		{400, false, true, "rejected"},
		{404, false, true, "rejected"},
		{403, false, true, "blocked"},
	} {
		err := ClassifyHTTP(tc.status, 0, 0, cause)
		if tc.status == 200 {
			if err != nil {
				t.Errorf("200: %v", err)
			}
			continue
		}
		wrapped := fmt.Errorf("deliver: %w", err)
		if IsRetryable(wrapped) != tc.retryable || errors.Is(wrapped, ErrPermanent) != tc.permanent || Reason(wrapped) != tc.reason {
			t.Errorf("%d: retryable %v permanent %v reason %q", tc.status, IsRetryable(wrapped), errors.Is(wrapped, ErrPermanent), Reason(wrapped))
		}
		if !errors.Is(wrapped, cause) {
			t.Errorf("%d: cause lost", tc.status)
		}
		if strings.Contains(err.Error(), "+51987654321") {
			t.Errorf("%d: error text holds the platform message: %v", tc.status, err)
		}
	}
}

func TestThrottled(t *testing.T) {
	err := fmt.Errorf("send: %w", ClassifyHTTP(429, 20429, 3*time.Second, nil))
	if !IsRetryable(err) {
		t.Error("429 not retryable")
	}
	var th *Throttled
	if !errors.As(err, &th) || th.Code != 20429 {
		t.Errorf("errors.As Throttled: %v", err)
	}
	if d, ok := RetryAfter(err); !ok || d != 3*time.Second {
		t.Errorf("RetryAfter = %v %v", d, ok)
	}
	if _, ok := RetryAfter(ClassifyHTTP(429, 0, 0, nil)); ok {
		t.Error("RetryAfter without a hint")
	}
}

func TestSentinels(t *testing.T) {
	blocked := &SendError{Reason: "blocked", Status: 403, Code: 21610, Err: ErrPermanent}
	if !errors.Is(fmt.Errorf("x: %w", blocked), ErrBlocked) || !errors.Is(blocked, ErrPermanent) {
		t.Error("blocked does not match ErrBlocked/ErrPermanent")
	}
	if errors.Is(ClassifyHTTP(400, 0, 0, nil), ErrBlocked) {
		t.Error("rejected matches ErrBlocked")
	}
	if !errors.Is(ErrOutsideWindow, ErrPermanent) || IsRetryable(ErrOutsideWindow) {
		t.Error("outside window must be permanent")
	}
	if IsRetryable(fmt.Errorf("x: %w", context.Canceled)) {
		t.Error("cancellation is not retryable")
	}
	if !IsRetryable(Retryable("connection", errors.New("reset"))) || !IsRetryable(ErrQueueFull) {
		t.Error("Retryable not retryable")
	}
}

func TestParseRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "x": 0, "-3": 0, "2": 2 * time.Second, "999999": time.Hour} {
		if got := ParseRetryAfter(in); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}
