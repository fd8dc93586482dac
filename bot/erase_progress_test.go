package bot_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
)

// slowChannel is a platform that deletes one message a call, then times out: a long
// chat whose deletion does not fit in one attempt.
type slowChannel struct{ eraseChannel }

func (c *slowChannel) DeleteCopies(_ context.Context, _ string, ids []string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.deleted = append(c.deleted, ids[0])
	if len(ids) == 1 {
		return nil, nil
	}
	return ids[1:], bot.Retryable("connection", errors.New("timeout"))
}

// TestForgetterGoesOnWhileItProgresses: an attempt cut short after deleting part of the
// chat is not a failed attempt: with two attempts allowed, a chat of six messages
// deleted one a call is deleted whole, and nothing is said to her.
func TestForgetterGoesOnWhileItProgresses(t *testing.T) {
	ch := &slowChannel{}
	hub := bot.NewHub(bot.HubConfig{})
	if err := hub.Add(ch); err != nil {
		t.Fatal(err)
	}
	ev := &countEvents{events: map[string]int{}}
	f := bot.NewForgetter(bot.ForgetterConfig{Hub: hub, Texts: keyTexts{}, Events: ev,
		Retry: bot.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxElapsed: 5 * time.Second}})
	ids := []string{"1", "2", "3", "4", "5", "6"}
	f.Forget(bot.Forgotten{Channel: bot.ChannelTelegram, Address: "42", Lang: "es", IDs: ids})
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		ch.mu.Lock()
		n := len(ch.deleted)
		ch.mu.Unlock()
		if n == len(ids) {
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ch.deleted, ids) || len(ch.sent) != 0 {
		t.Errorf("deleted %v, said %v; want all six deleted and nothing said", ch.deleted, ch.sent)
	}
	if ev.events["failed:"+bot.EffectEraseCopies] != 0 {
		t.Errorf("counted %v", ev.events)
	}
}
