package session_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/internal/redistest"
	"github.com/redis/go-redis/v9"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestKeyHidesTheAddress(t *testing.T) {
	k := session.Key(secret, "whatsapp", "+51987654321")
	if strings.Contains(k, "987654321") || len(k) != 32 {
		t.Fatalf("key %q: want 32 hex characters that do not contain the number", k)
	}
	if k == session.Key(secret, "telegram", "+51987654321") {
		t.Error("the same address on two channels must be two users")
	}
	if k == session.Key([]byte("another secret, another deploy!!"), "whatsapp", "+51987654321") {
		t.Error("another secret must give another key")
	}
	if k != session.Key(secret, "whatsapp", "+51987654321") {
		t.Error("the key must be stable")
	}
}

// storeTests run against any client: a real redis-server and the embedded one.
func storeTests(t *testing.T, c redis.UniversalClient) {
	ctx := context.Background()
	st := session.NewRedis(c, session.Options{TTL: time.Hour, DedupeTTL: 10 * time.Minute})
	key := session.Key(secret, "whatsapp", "+51999888777")

	t.Run("new user", func(t *testing.T) {
		s, found, dup, err := st.Load(ctx, key, "m1")
		if err != nil || found || dup || s.Node != "" {
			t.Fatalf("Load of a new user = %+v found=%v dup=%v err=%v", s, found, dup, err)
		}
	})
	t.Run("save and load", func(t *testing.T) {
		want := flows.Session{Lang: "en", Node: "violence_menu", Stack: []string{"home"}, Vars: map[string]string{"name": "Ana", "place": "150132"}, Org: "redtrasex"}
		if err := st.Save(ctx, key, want); err != nil {
			t.Fatal(err)
		}
		got, found, dup, err := st.Load(ctx, key, "m2")
		if err != nil || !found || dup {
			t.Fatalf("found=%v dup=%v err=%v", found, dup, err)
		}
		if got.Lang != want.Lang || got.Node != want.Node || got.Vars["name"] != "Ana" || got.Stack[0] != "home" || got.Org != want.Org {
			t.Fatalf("loaded %+v, want %+v", got, want)
		}
	})
	t.Run("duplicate message", func(t *testing.T) {
		if _, _, dup, _ := st.Load(ctx, key, "m2"); !dup {
			t.Fatal("a message id seen before must be reported as a duplicate")
		}
		if _, _, dup, _ := st.Load(ctx, key, "m3"); dup {
			t.Fatal("a new message id must not be a duplicate")
		}
		other := session.Key(secret, "whatsapp", "+51111222333")
		if _, _, dup, _ := st.Load(ctx, other, "m2"); dup {
			t.Fatal("another user's message id must not be a duplicate")
		}
	})
	t.Run("every key has a ttl", func(t *testing.T) {
		keys, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Fatal("no keys written")
		}
		for _, k := range keys {
			ttl, err := c.TTL(ctx, k).Result()
			if err != nil || ttl <= 0 {
				t.Errorf("key %s has ttl %v (err %v): every key must expire", k, ttl, err)
			}
			if strings.Contains(k, "999888777") {
				t.Errorf("key %s holds the phone number", k)
			}
		}
	})
	t.Run("no personal data in values besides the social name", func(t *testing.T) {
		v, _ := c.Get(ctx, st.SessionKey(key)).Result()
		if strings.Contains(v, "999888777") || strings.Contains(v, "whatsapp") {
			t.Errorf("session value %q holds the address or channel", v)
		}
	})
	t.Run("erase deletes every key of the user", func(t *testing.T) {
		other := session.Key(secret, "telegram", "42")
		if err := st.Save(ctx, other, flows.Session{Node: "home"}); err != nil {
			t.Fatal(err)
		}
		if err := st.Erase(ctx, key); err != nil {
			t.Fatal(err)
		}
		keys, _ := c.Keys(ctx, "*"+key+"*").Result()
		if len(keys) != 0 {
			t.Fatalf("after erase these keys remain: %v", keys)
		}
		if _, found, _, _ := st.Load(ctx, other, ""); !found {
			t.Fatal("erasing one user must not erase another")
		}
	})
}

func TestRedisStore(t *testing.T) {
	storeTests(t, redistest.Start(t))
}

func TestEmbeddedStore(t *testing.T) {
	c, closeRedis, err := session.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer closeRedis()
	storeTests(t, c)
}

func TestDeadRedisFailsFast(t *testing.T) {
	c, err := session.Dial("redis://127.0.0.1:1/0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := session.NewRedis(c, session.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, _, _, err := st.Load(ctx, "k", "m")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Load on a dead Redis returned no error")
		}
	case <-ctx.Done():
		t.Fatal("Load on a dead Redis did not return within 2 s")
	}
}

func TestDialHidesPassword(t *testing.T) {
	_, err := session.Dial("redis://user:s3cret-pass@host:notaport/0")
	if err == nil {
		t.Fatal("want an error for a bad URL")
	}
	if strings.Contains(err.Error(), "s3cret-pass") {
		t.Fatalf("error %q shows the password", err)
	}
}
