package bot

import "time"

// Observer receives counts and latencies from the channel runtime. Labels are the
// channel name and a short outcome word; never anything about a user. internal/metrics
// implements it with Prometheus.
type Observer interface {
	// Received counts one webhook or poll update by outcome: "accepted", "ignored",
	// "unauthorized", "too_large", "bad_request", "error", "busy".
	Received(channel, outcome string)
	// Handled records how long the Handler took and whether it failed ("ok", "error",
	// "partial" when it failed but still returned replies).
	Handled(channel, outcome string, d time.Duration)
	// Attempt counts one delivery attempt by outcome ("ok" or an error Reason).
	Attempt(channel, outcome string)
	// Delivered records the fate of one outbound message ("delivered", "failed",
	// "dropped") and the time from enqueue to that fate.
	Delivered(channel, outcome string, d time.Duration)
	// QueueDepth reports the number of outbound messages waiting in a channel's sender.
	QueueDepth(channel string, n int)
	// Status counts a platform delivery status callback ("delivered", "failed", ...).
	Status(channel, status string)
}

// NopObserver is an Observer that records nothing.
type NopObserver struct{}

// Received implements Observer.
func (NopObserver) Received(string, string) {}

// Handled implements Observer.
func (NopObserver) Handled(string, string, time.Duration) {}

// Attempt implements Observer.
func (NopObserver) Attempt(string, string) {}

// Delivered implements Observer.
func (NopObserver) Delivered(string, string, time.Duration) {}

// QueueDepth implements Observer.
func (NopObserver) QueueDepth(string, int) {}

// Status implements Observer.
func (NopObserver) Status(string, string) {}
