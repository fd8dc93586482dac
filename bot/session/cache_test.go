package session_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/flows"
)

func TestCache(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := session.NewCache(100, 10*time.Minute)
	snap := session.Snapshot{Session: flows.Session{Node: "home"}, Raw: []byte(`{"n":"home"}`)}
	c.Put("a", snap, t0)
	if got, ok := c.Get("a", t0.Add(9*time.Minute)); !ok || got.Session.Node != "home" || string(got.Raw) != string(snap.Raw) {
		t.Fatalf("Get = %+v, %v; want the session put", got, ok)
	}
	if _, ok := c.Get("a", t0.Add(11*time.Minute)); ok {
		t.Fatal("an entry idle longer than the idle time must not be returned")
	}
	if _, ok := c.Get("b", t0); ok {
		t.Fatal("an unknown key must not be found")
	}
	c.Drop("a")
	if _, ok := c.Get("a", t0); ok {
		t.Fatal("a dropped key must not be found")
	}

	for i := range 1000 {
		c.Put(strconv.Itoa(i), snap, t0)
		if c.Len() > 100 {
			t.Fatalf("after %d puts the cache holds %d users, over its bound of 100", i+1, c.Len())
		}
	}
	if _, ok := c.Get("999", t0); !ok {
		t.Fatal("the user just put must be there")
	}
	c.Put("late", snap, t0.Add(time.Hour)) // every other entry is idle: swept
	if c.Len() != 1 {
		t.Fatalf("after an idle time the cache holds %d users, want only the new one", c.Len())
	}
}
