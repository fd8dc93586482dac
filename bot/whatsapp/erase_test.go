package whatsapp

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/channeltest"
)

// eraseEvents counts the Forgetter's events and failed effects.
type eraseEvents struct {
	mu sync.Mutex
	n  map[string]int
}

func (e *eraseEvents) Event(name string) { e.mu.Lock(); e.n[name]++; e.mu.Unlock() }
func (e *eraseEvents) EffectFailed(name string) {
	e.mu.Lock()
	e.n["failed:"+name]++
	e.mu.Unlock()
}
func (e *eraseEvents) get(name string) int { e.mu.Lock(); defer e.mu.Unlock(); return e.n[name] }

type keyTexts struct{}

func (keyTexts) Text(lang, key string, _ any) string { return lang + ":" + key }

// conversation is a WhatsApp conversation of more than 200 messages at the fake
// Twilio (her history and the bot's replies, more than the store keeps), and another
// person's.
type conversation struct {
	hers, ours, other []string
}

func seed(f *fixture) conversation {
	her := addressPrefix + testPhone
	_ = f.win.Touch(context.Background(), testPhone, "", time.Now()) // she wrote: the window is open
	return conversation{
		hers:  f.api.AddTwilioMessages(her, testFrom, 260),
		ours:  f.api.AddTwilioMessages(testFrom, her, 250),
		other: append(f.api.AddTwilioMessages("whatsapp:+51900000001", testFrom, 30), f.api.AddTwilioMessages(testFrom, "whatsapp:+51900000001", 30)...),
	}
}

// forget erases the conversation as the Forgetter does after her erase, with the ids
// the store kept (the last ones of each way), and waits until it is done.
func forget(t *testing.T, f *fixture, c conversation) *eraseEvents {
	t.Helper()
	ev := &eraseEvents{n: map[string]int{}}
	fg := bot.NewForgetter(bot.ForgetterConfig{Hub: f.hub, Texts: keyTexts{}, Events: ev,
		Retry: bot.RetryPolicy{MaxAttempts: 4, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxElapsed: 5 * time.Second, Timeout: 5 * time.Second}})
	kept := append(slices.Clone(c.hers[len(c.hers)-100:]), c.ours[len(c.ours)-100:]...)
	fg.Forget(bot.Forgotten{Channel: bot.ChannelWhatsApp, Address: testPhone, Lang: "es", IDs: kept})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Close waits for the job in flight; its retries are milliseconds apart, so wait
	// for the outcome first
	channeltest.Eventually(t, 10*time.Second, func() bool {
		return len(f.api.TwilioKept(addressPrefix+testPhone, testFrom)) == 0 || ev.get("failed:"+bot.EffectEraseList) > 0
	}, "the conversation deleted, or its list given up")
	if err := fg.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return ev
}

// told returns the texts sent to her (the Forgetter's "some remain").
func told(f *fixture) []string {
	var out []string
	for _, q := range f.api.Delivered("Messages.json") {
		if q.Form["To"] == addressPrefix+testPhone {
			out = append(out, q.Form["Body"])
		}
	}
	return out
}

// TestEraseDeletesTheWholeTwilioConversation: after her erase every Message resource
// Twilio keeps of her conversation is deleted, both ways, in pages (not only the 200
// ids the store kept), and nothing of another person's.
func TestEraseDeletesTheWholeTwilioConversation(t *testing.T) {
	setList(t, 100, 10)
	f := newFixture(t)
	f.api.ServeTwilioList()
	c := seed(f)
	ev := forget(t, f, c)
	if left := f.api.TwilioKept(addressPrefix+testPhone, testFrom); len(left) != 0 {
		t.Errorf("%d of her %d messages remain at Twilio", len(left), len(c.hers)+len(c.ours))
	}
	deleted := f.api.TwilioDeleted()
	for _, sid := range c.other {
		if slices.Contains(deleted, sid) {
			t.Fatalf("deleted %s of another person's conversation", sid)
		}
	}
	if n := len(f.api.TwilioKept("whatsapp:+51900000001", testFrom)); n != len(c.other) {
		t.Errorf("%d of the other person's %d messages remain", n, len(c.other))
	}
	if n := len(f.api.Requests(channeltest.TwilioList)); n != 6 {
		t.Errorf("%d list requests, want 6 (3 pages of 100 each way)", n)
	}
	if got := ev.get(bot.EventCopyDeleted); got != len(c.hers)+len(c.ours) {
		t.Errorf("counted %d copies deleted, want %d", got, len(c.hers)+len(c.ours))
	}
	if s := told(f); len(s) != 0 {
		t.Errorf("told %q although all was deleted", s)
	}
}

// TestEraseTwilioListFails: a list answered 500, then 429 (Twilio's 20429), is
// retried and then taken; a list that keeps failing is counted as a failed effect
// ("erase_list") and she is told that some messages may remain, while the ids the
// store kept are deleted all the same; so is a chat with more pages than the bound.
func TestEraseTwilioListFails(t *testing.T) {
	t.Run("retried", func(t *testing.T) {
		setList(t, 100, 10)
		f := newFixture(t)
		f.api.ServeTwilioList()
		f.api.Enqueue(channeltest.TwilioList, channeltest.TwilioError(500, 20500), channeltest.TwilioError(429, 20429))
		c := seed(f)
		ev := forget(t, f, c)
		if left := f.api.TwilioKept(addressPrefix+testPhone, testFrom); len(left) != 0 {
			t.Errorf("%d of her messages remain after the list was retried", len(left))
		}
		if n := ev.get("failed:" + bot.EffectEraseList); n != 0 {
			t.Errorf("counted %d failed lists, want 0", n)
		}
		if s := told(f); len(s) != 0 {
			t.Errorf("told %q although all was deleted", s)
		}
	})
	t.Run("failing", func(t *testing.T) {
		setList(t, 100, 10)
		f := newFixture(t)
		f.api.ServeTwilioList()
		f.api.SetFault(func(r channeltest.Request) (channeltest.Response, bool) {
			if r.Method == channeltest.TwilioList {
				return channeltest.TwilioError(500, 20500), true
			}
			return channeltest.Response{}, false
		})
		c := seed(f)
		ev := forget(t, f, c)
		if n := ev.get("failed:" + bot.EffectEraseList); n != 1 {
			t.Errorf("counted %d failed lists, want 1", n)
		}
		if n := len(f.api.Requests(channeltest.TwilioList)); n < 2 {
			t.Errorf("%d list requests: a 500 was not retried", n)
		}
		left := slices.DeleteFunc(f.api.TwilioKept(addressPrefix+testPhone, testFrom), func(sid string) bool {
			return !slices.Contains(c.hers, sid) && !slices.Contains(c.ours, sid) // what she was told
		})
		if len(left) != len(c.hers)+len(c.ours)-200 {
			t.Errorf("%d of her messages remain, want all but the 200 kept ids", len(left))
		}
		channeltest.Eventually(t, 5*time.Second, func() bool { return len(told(f)) == 1 }, "her told")
		if s := told(f); s[0] != "es:erase.failed.whatsapp" {
			t.Errorf("told %q", s)
		}
	})
	t.Run("longer than the bound", func(t *testing.T) {
		setList(t, 100, 2)
		f := newFixture(t)
		f.api.ServeTwilioList()
		c := seed(f)
		ev := forget(t, f, c)
		if n := ev.get("failed:" + bot.EffectEraseList); n != 1 {
			t.Errorf("counted %d incomplete lists, want 1", n)
		}
		if n := len(f.api.Requests(channeltest.TwilioList)); n != 4 {
			t.Errorf("%d list requests, want 4 (2 pages each way)", n)
		}
		channeltest.Eventually(t, 5*time.Second, func() bool { return len(told(f)) == 1 }, "her told")
	})
}

// setList sets the page size and the bound of ListCopies for one test.
func setList(t *testing.T, size, pages int) {
	oldSize, oldPages := listPageSize, maxListPages
	listPageSize, maxListPages = size, pages
	t.Cleanup(func() { listPageSize, maxListPages = oldSize, oldPages })
}
