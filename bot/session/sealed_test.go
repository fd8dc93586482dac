package session_test

import (
	"context"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
	"github.com/faro-chat/faro/flows"
)

// TestSealedAtRest: with the deployment's secret, Redis holds neither the social name,
// the topic, the district nor the platform's message id in the clear; the store reads
// its own sessions back, dedupes by message id and detects a conflict as before; a
// session sealed under another secret is a fresh start, not an outage.
func TestSealedAtRest(t *testing.T) {
	ctx := context.Background()
	c := storetest.Start(t)
	st := session.NewRedis(c, session.Options{Secret: secret})
	key := store.UserKey(secret, "telegram", "777")
	s1 := flows.Session{Lang: "es", Node: "violence_menu", Vars: map[string]string{"name": "Yuliana", "place": "150132"}}
	res, err := st.Commit(ctx, key, session.Change{MsgID: "update-90210", Next: s1})
	if err != nil || res.Dup || res.Conflict {
		t.Fatalf("commit: %+v %v", res, err)
	}
	for _, k := range store.KeysOf("", key).All() {
		var dump string
		switch c.Type(ctx, k).Val() {
		case "string":
			dump = c.Get(ctx, k).Val()
		case "zset":
			dump = strings.Join(c.ZRange(ctx, k, 0, -1).Val(), " ")
		}
		for _, clear := range []string{"Yuliana", "150132", "violence", "90210"} {
			if strings.Contains(dump, clear) {
				t.Errorf("%s holds %q in the clear", k, clear)
			}
		}
	}
	if res2, err := st.Commit(ctx, key, session.Change{MsgID: "update-90210", Prev: res.Saved, Next: s1}); err != nil || !res2.Dup {
		t.Errorf("the same message again: %+v %v, want a duplicate", res2, err)
	}
	// another replica, cold cache: the conflict carries the stored session, opened
	res3, err := st.Commit(ctx, key, session.Change{MsgID: "update-90211", Next: flows.Session{Lang: "es", Node: "home"}})
	if err != nil || !res3.Conflict || res3.Current.Session.Vars["name"] != "Yuliana" || res3.Current.Session.Node != "violence_menu" {
		t.Fatalf("conflict from a cold cache: %+v %v", res3, err)
	}
	res4, err := st.Commit(ctx, key, session.Change{MsgID: "update-90211", Prev: res3.Current.Raw, Next: flows.Session{Lang: "es", Node: "home"}})
	if err != nil || res4.Conflict || res4.Dup {
		t.Fatalf("commit after the conflict: %+v %v", res4, err)
	}
	other := session.NewRedis(c, session.Options{Secret: []byte("another-deployment-secret-000000")})
	res5, err := other.Commit(ctx, key, session.Change{MsgID: "x", Next: flows.Session{Lang: "en"}})
	if err != nil || !res5.Conflict || res5.Current.Session.Lang != "" || res5.Current.Raw == nil {
		t.Fatalf("a session sealed under another secret: %+v %v; want a conflict with an empty session and the raw kept", res5, err)
	}
}
