package session_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// TestEraseWritesItsJob: an erase with a job (session.Change.Job) writes it in the
// same script, under her hash tag: the platform ids it removes (the confirmation's
// own included), sealed, with the destination and the lease as given, and a TTL of 48
// hours at most; a second erase of hers before the first job is done adds its ids to
// it instead of losing the first's. An erase without a job writes none.
func TestEraseWritesItsJob(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	b := store.NewBatcher(c, 0, 0)
	st := session.NewRedis(c, session.Options{Secret: secret, Batcher: b})
	open, err := store.NewSealer(secret, "session")
	if err != nil {
		t.Fatal(err)
	}
	jobIDs := func(key string) []string {
		var ids []string
		for name := range c.HGetAll(ctx, store.KeysOf("", key).Erasing()).Val() {
			if name == "to" || name == "own" {
				continue
			}
			if strings.Contains(name, "7700") {
				t.Errorf("a platform id in the clear in the job: %q", name)
			}
			id, err := open.Open([]byte(name))
			if err != nil {
				t.Fatalf("an id of the job does not open: %v", err)
			}
			ids = append(ids, string(id))
		}
		slices.Sort(ids)
		return ids
	}
	converse := func(key string, ids ...string) {
		t.Helper()
		var prev []byte
		s := flows.Session{Lang: "es", Node: "home"}
		for _, id := range ids[:len(ids)-1] {
			res, err := st.Commit(ctx, key, session.Change{MsgID: "u" + id, Prev: prev, Next: s, Copy: id, CopyKeep: 47 * time.Hour})
			if err != nil || res.Dup || res.Conflict {
				t.Fatalf("commit %s: %+v %v", id, res, err)
			}
			prev = res.Saved
		}
		job := &session.Job{To: []byte("sealed destination"), Own: "123 owner", TTL: 72 * time.Hour}
		last := ids[len(ids)-1]
		res, err := st.Commit(ctx, key, session.Change{MsgID: "u" + last, Prev: prev, Erase: true, Copy: last, CopyKeep: 47 * time.Hour, Job: job})
		if err != nil || res.Dup || res.Conflict {
			t.Fatalf("erase: %+v %v", res, err)
		}
		if got := slices.Sorted(slices.Values(res.Copies)); !slices.Equal(got, ids) {
			t.Errorf("the erase answered %v, want %v", got, ids)
		}
	}

	key := store.UserKey(secret, "telegram", "7700")
	converse(key, "770011", "770012", "770013")
	k := store.KeysOf("", key)
	if got := jobIDs(key); !slices.Equal(got, []string{"770011", "770012", "770013"}) {
		t.Errorf("the job holds %v, want her 3 messages' ids (the erase's own included)", got)
	}
	fields := c.HGetAll(ctx, k.Erasing()).Val()
	if fields["to"] != "sealed destination" || fields["own"] != "123 owner" {
		t.Errorf("the job's destination %q and lease %q are not those given", fields["to"], fields["own"])
	}
	if ttl := c.TTL(ctx, k.Erasing()).Val(); ttl <= 47*time.Hour || ttl > store.ErasingTTL {
		t.Errorf("the job expires in %v, want 48 h at most", ttl)
	}
	converse(key, "770021", "770022") // she wrote again and erased again
	if got := jobIDs(key); !slices.Equal(got, []string{"770011", "770012", "770013", "770021", "770022"}) {
		t.Errorf("after a second erase the job holds %v, want the first's ids and the second's", got)
	}

	other := store.UserKey(secret, "telegram", "7701")
	var prev []byte
	res, err := st.Commit(ctx, other, session.Change{MsgID: "v1", Next: flows.Session{Lang: "es"}, Copy: "7701001"})
	if err == nil {
		prev = res.Saved
		_, err = st.Commit(ctx, other, session.Change{MsgID: "v2", Prev: prev, Erase: true, Copy: "7701002"})
	}
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Exists(ctx, store.KeysOf("", other).Erasing()).Val(); n != 0 {
		t.Error("an erase without a job wrote one")
	}
}
