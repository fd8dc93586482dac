package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Kinds of Change.
const (
	ChangeOpen     = "open"     // a person asked for someone
	ChangeMessage  = "message"  // a message was added to a transcript
	ChangeUrgent   = "urgent"   // a call for help came in an open ticket
	ChangeClaim    = "claim"    // an operator took a ticket
	ChangeRelease  = "release"  // back to the queue
	ChangeTransfer = "transfer" // to another operator
	ChangeClose    = "close"    // an operator closed it
	ChangeLeave    = "leave"    // the person left
	ChangeNote     = "note"     // an internal note
	ChangePresence = "presence" // an operator came online, is still there, or left
	ChangeMoved    = "moved"    // carried to the person's name under a new secret (To)
)

// Change says that something happened to a ticket or to an operator's presence, on
// any replica. It carries ids only, never what anyone wrote.
type Change struct {
	// User is the person's store key and ID the ticket (empty for presence).
	User string `json:"u,omitempty"`
	ID   string `json:"i,omitempty"`
	Kind string `json:"k"`
	// Operator and Until describe a presence change: online until Until (zero: gone).
	Operator string    `json:"o,omitempty"`
	Until    time.Time `json:"t,omitzero"`
	// To is, for ChangeMoved, the person's store key the ticket moved to (a console
	// showing it under User follows it there).
	To string `json:"to,omitempty"`
}

func (s *Store) changeJSON(c Change) string {
	b, _ := json.Marshal(c) // a struct of strings and a time: cannot fail
	return string(b)
}

// publish adds the announcement of c to pipe.
func (s *Store) publish(ctx context.Context, pipe redis.Pipeliner, c Change) {
	pipe.Publish(ctx, s.changesKey(), s.changeJSON(c))
}

// Subscribe returns the changes published from now on by every replica, until ctx
// ends (the channel is then closed). Redis pub/sub delivers at most once: a console
// that reconnects reads the queue again rather than relying on what it missed.
func (s *Store) Subscribe(ctx context.Context) (<-chan Change, error) {
	ps := s.c.Subscribe(ctx, s.changesKey())
	if _, err := ps.Receive(ctx); err != nil { // the subscription is confirmed
		_ = ps.Close()
		return nil, fmt.Errorf("handoff: subscribe: %w", err)
	}
	out := make(chan Change, 64)
	go func() {
		defer close(out)
		defer ps.Close()
		msgs := ps.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var c Change
				if json.Unmarshal([]byte(m.Payload), &c) != nil {
					continue
				}
				select {
				case out <- c:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// Heartbeat marks operator (an opaque id, never a name) online for Options.Presence
// and tells every replica.
func (s *Store) Heartbeat(ctx context.Context, operator string) error {
	now := s.o.Now()
	until := now.Add(s.o.Presence)
	pipe := s.c.Pipeline()
	pipe.ZAdd(ctx, s.presenceKey(), redis.Z{Score: float64(until.Unix()), Member: operator})
	pipe.ZRemRangeByScore(ctx, s.presenceKey(), "-inf", strconv.FormatInt(now.Unix(), 10))
	pipe.Expire(ctx, s.presenceKey(), s.o.Presence)
	s.publish(ctx, pipe, Change{Kind: ChangePresence, Operator: operator, Until: until})
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: heartbeat: %w", err)
	}
	s.present(operator, until)
	return nil
}

// Offline removes operator from the online set at once (she ended her shift).
func (s *Store) Offline(ctx context.Context, operator string) error {
	pipe := s.c.Pipeline()
	pipe.ZRem(ctx, s.presenceKey(), operator)
	s.publish(ctx, pipe, Change{Kind: ChangePresence, Operator: operator})
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("handoff: offline: %w", err)
	}
	s.present(operator, time.Time{})
	return nil
}

// present records in memory that operator is online until until (zero: not).
func (s *Store) present(operator string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.IsZero() {
		delete(s.operators, operator)
		return
	}
	s.operators[operator] = until
}

// Run keeps the operators' presence in memory, from the online set once and then from
// every replica's announcements, until ctx ends; Online then answers without a Redis
// call. When the subscription breaks, Run goes back to asking Redis (cached) and
// returns the error; call it again to resume.
func (s *Store) Run(ctx context.Context) error {
	ps := s.c.Subscribe(ctx, s.changesKey())
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		return fmt.Errorf("handoff: presence: %w", err)
	}
	now := s.o.Now()
	zs, err := s.c.ZRangeByScoreWithScores(ctx, s.presenceKey(), &redis.ZRangeBy{Min: "(" + strconv.FormatInt(now.Unix(), 10), Max: "+inf"}).Result()
	if err != nil {
		return fmt.Errorf("handoff: presence: %w", err)
	}
	s.mu.Lock()
	for _, z := range zs {
		if op, ok := z.Member.(string); ok {
			s.operators[op] = time.Unix(int64(z.Score), 0)
		}
	}
	s.live = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.live = false
		s.mu.Unlock()
	}()
	msgs := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-msgs:
			if !ok {
				return fmt.Errorf("handoff: presence: subscription closed")
			}
			var c Change
			if json.Unmarshal([]byte(m.Payload), &c) != nil || c.Kind != ChangePresence || c.Operator == "" {
				continue
			}
			s.present(c.Operator, c.Until)
		}
	}
}

// Online reports whether any operator's heartbeat is recent. While Run is running it
// answers from memory; otherwise it asks Redis at most every PresenceCache. When Redis
// fails, nobody is online (the person gets the numbers, not a wait).
func (s *Store) Online(ctx context.Context) bool {
	now := s.o.Now()
	s.mu.Lock()
	if s.live {
		defer s.mu.Unlock()
		for op, until := range s.operators {
			if until.After(now) {
				return true
			}
			delete(s.operators, op)
		}
		return false
	}
	if !s.onlineSeen.IsZero() && now.Sub(s.onlineSeen) < s.o.PresenceCache {
		on := s.online
		s.mu.Unlock()
		return on
	}
	s.mu.Unlock()
	n, err := s.c.ZCount(ctx, s.presenceKey(), "("+strconv.FormatInt(now.Unix(), 10), "+inf").Result()
	on := err == nil && n > 0
	s.mu.Lock()
	s.online, s.onlineSeen = on, now
	s.mu.Unlock()
	return on
}

// Operators lists the operators online now (ids), from memory while Run is running,
// otherwise from Redis.
func (s *Store) Operators(ctx context.Context) ([]string, error) {
	now := s.o.Now()
	s.mu.Lock()
	if s.live {
		var out []string
		for op, until := range s.operators {
			if until.After(now) {
				out = append(out, op)
			}
		}
		s.mu.Unlock()
		slices.Sort(out)
		return out, nil
	}
	s.mu.Unlock()
	out, err := s.c.ZRangeByScore(ctx, s.presenceKey(), &redis.ZRangeBy{Min: "(" + strconv.FormatInt(now.Unix(), 10), Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("handoff: operators: %w", err)
	}
	return out, nil
}
