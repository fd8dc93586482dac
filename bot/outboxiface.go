package bot

import (
	"context"
	"time"
)

// Outbox keeps the replies a Sender has queued outside the process until each meets
// its fate, so that a crash or a restart does not lose them (see package bot/outbox).
// Implementations must not keep addresses or texts in the clear.
type Outbox interface {
	// Put stores messages ready to send (already split) and returns their ids in order.
	Put(ctx context.Context, msgs []Outbound) ([]string, error)
	// Done forgets a message that was delivered or failed for good.
	Done(ctx context.Context, id string) error
}

// Stored is a message an earlier process left in the outbox.
type Stored struct {
	ID  string
	Msg Outbound
	// Queued is when the message was first queued (zero: unknown, taken as now): the
	// sender's retries run until RetryPolicy.MaxElapsed from then, across restarts.
	Queued time.Time
}
