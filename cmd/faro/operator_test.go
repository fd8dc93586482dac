package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"github.com/faro-chat/faro/bot/console"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/bot/store/storetest"
)

// operatorEnv points `faro operator` at the test Redis and returns a fresh account id,
// deleted after the test.
func operatorEnv(t *testing.T) (string, *redis.Client) {
	t.Helper()
	u := storetest.URL(t)
	t.Setenv("FARO_REDIS_URL", u)
	t.Setenv("FARO_REDIS_MODE", "")
	operatorHashCost = bcrypt.MinCost
	t.Cleanup(func() { operatorHashCost = 0 })
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	id := "t" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = rdb.Del(ctx, store.Prefix+"operator:account:"+id).Err()
		_ = rdb.SRem(ctx, store.Prefix+"operator:accounts", id).Err()
		_ = rdb.Close()
	})
	return id, rdb
}

func runOp(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"operator"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestOperatorCommand(t *testing.T) {
	id, rdb := operatorEnv(t)
	ctx := context.Background()
	code, out, errOut := runOp(t, "", "add", "-role", "coordinator", id)
	if code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	i := strings.Index(out, "password: ")
	if i < 0 {
		t.Fatalf("no password printed:\n%s", out)
	}
	pw := strings.Fields(out[i+len("password: "):])[0]
	accounts := console.NewAccounts(rdb, "")
	acc, err := accounts.Verify(ctx, id, pw)
	if err != nil || acc.Role != console.RoleCoordinator {
		t.Fatalf("the printed password does not log in: %+v %v", acc, err)
	}
	if raw, _ := rdb.HGet(ctx, store.Prefix+"operator:account:"+id, "hash").Result(); strings.Contains(raw, pw) || !strings.HasPrefix(raw, "$2") {
		t.Errorf("stored hash %q is not a bcrypt hash of the password", raw)
	}
	if ttl := rdb.TTL(ctx, store.Prefix+"operator:account:"+id).Val(); ttl <= 0 {
		t.Errorf("account key without TTL: %v", ttl)
	}
	if code, _, _ := runOp(t, "", "add", id); code == 0 {
		t.Error("adding an existing account succeeded")
	}
	code, out, _ = runOp(t, "", "list")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "coordinator") || strings.Contains(out, pw) {
		t.Errorf("list: %d\n%s", code, out)
	}
	if code, _, errOut := runOp(t, "", "disable", id); code != 0 {
		t.Fatalf("disable: %s", errOut)
	}
	if _, err := accounts.Verify(ctx, id, pw); err != console.ErrDisabled {
		t.Errorf("disabled account verifies: %v", err)
	}
	if _, out, _ := runOp(t, "", "list"); !strings.Contains(out, "disabled") {
		t.Errorf("list does not show disabled:\n%s", out)
	}
	if code, _, _ := runOp(t, "", "disable", "nobody-here"); code != 1 {
		t.Errorf("disabling an unknown account: %d", code)
	}
}

func TestOperatorPasswordFromStdin(t *testing.T) {
	id, rdb := operatorEnv(t)
	code, out, errOut := runOp(t, "correct horse battery staple\n", "add", "-password-stdin", id)
	if code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	if strings.Contains(out, "password:") || strings.Contains(out, "staple") {
		t.Errorf("a password from stdin is printed:\n%s", out)
	}
	if _, err := console.NewAccounts(rdb, "").Verify(context.Background(), id, "correct horse battery staple"); err != nil {
		t.Errorf("verify: %v", err)
	}
	if code, _, _ := runOp(t, "short\n", "add", "-password-stdin", id+"x"); code == 0 {
		t.Error("a short password was accepted")
	}
	if code, _, _ := runOp(t, "", "add", "-role", "boss", id+"y"); code == 0 {
		t.Error("an unknown role was accepted")
	}
	if code, _, _ := runOp(t, ""); code != 2 {
		t.Error("no subcommand should be a usage error")
	}
}
