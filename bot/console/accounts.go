package console

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"github.com/faro-chat/faro/bot/store"
)

// Roles of an operator account.
const (
	// RoleOperator answers people: queue, claim, reply, close.
	RoleOperator = "operator"
	// RoleCoordinator also reads the audit log, disables accounts and transfers or
	// releases anyone's ticket.
	RoleCoordinator = "coordinator"
)

// Errors of the account store.
var (
	ErrAccountExists = errors.New("account exists")
	ErrNoAccount     = errors.New("no such account")
	ErrBadID         = errors.New("an account id is 2 to 32 of a-z, 0-9, '.', '_', '-'")
	ErrBadRole       = errors.New("a role is operator or coordinator")
	ErrWeakPassword  = errors.New("a password has at least 12 characters")
	ErrBadPassword   = errors.New("wrong account or password")
	ErrDisabled      = errors.New("account disabled")
)

// AccountTTL is how long an account lives in Redis after it was last created, used or
// changed: every Redis key has a TTL, and an account nobody used for 400 days lapses.
const AccountTTL = 400 * 24 * time.Hour

// bcryptCost is the work factor of password hashes.
//
// bcrypt rather than argon2id: it is in golang.org/x/crypto with a stable encoded
// format (cost and salt inside the hash), and its fixed ~4 KiB memory keeps a burst of
// logins cheap on the small shared machines a partner organization runs Faro on.
const bcryptCost = 12

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// Account is an operator account as listed: never the password hash.
type Account struct {
	ID       string
	Role     string
	Disabled bool
	Created  time.Time
	LastSeen time.Time
}

// Accounts stores operator accounts in Redis: one hash per account (bcrypt hash,
// role, disabled flag, times) and a set of the ids, all under the key prefix.
type Accounts struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time
	cost   int // bcrypt cost; tests lower it

	dummyOnce sync.Once
	dummy     []byte
}

// NewAccounts returns the account store on c under prefix ("" is store.Prefix).
func NewAccounts(c redis.UniversalClient, prefix string) *Accounts {
	if prefix == "" {
		prefix = store.Prefix
	}
	return &Accounts{c: c, prefix: prefix, now: time.Now, cost: bcryptCost}
}

// WithCost sets the bcrypt cost of the passwords a adds from now on and returns a;
// below the default only for tests (the race detector makes cost 12 take seconds).
func (a *Accounts) WithCost(cost int) *Accounts {
	a.cost = cost
	return a
}

func (a *Accounts) key(id string) string { return a.prefix + "operator:account:" + id }
func (a *Accounts) index() string        { return a.prefix + "operator:accounts" }

// GeneratePassword returns a random password of 20 base32 characters (100 bits).
func GeneratePassword() string {
	b := make([]byte, 13)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)[:20]
}

// Add creates an account with role. An empty password is generated; the password in
// effect is returned, to be shown once. An existing id is ErrAccountExists.
func (a *Accounts) Add(ctx context.Context, id, role, password string) (string, error) {
	if !idPattern.MatchString(id) {
		return "", ErrBadID
	}
	if role != RoleOperator && role != RoleCoordinator {
		return "", ErrBadRole
	}
	if password == "" {
		password = GeneratePassword()
	}
	if len([]rune(password)) < 12 {
		return "", ErrWeakPassword
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err != nil {
		return "", fmt.Errorf("account %s: hash: %w", id, err)
	}
	now := strconv.FormatInt(a.now().Unix(), 10)
	ok, err := addScript.Run(ctx, a.c, []string{a.key(id)}, string(hash), role, now, int64(AccountTTL/time.Second)).Bool()
	if err != nil {
		return "", fmt.Errorf("account %s: %w", id, err)
	}
	if !ok {
		return "", ErrAccountExists
	}
	pipe := a.c.Pipeline()
	pipe.SAdd(ctx, a.index(), id)
	pipe.Expire(ctx, a.index(), AccountTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return "", fmt.Errorf("account %s: index: %w", id, err)
	}
	return password, nil
}

var addScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'role', ARGV[2], 'created', ARGV[3], 'disabled', '0')
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`)

// Get returns the account id (ErrNoAccount when there is none).
func (a *Accounts) Get(ctx context.Context, id string) (Account, error) {
	acc, _, err := a.get(ctx, id)
	return acc, err
}

func (a *Accounts) get(ctx context.Context, id string) (Account, string, error) {
	if !idPattern.MatchString(id) {
		return Account{}, "", ErrNoAccount
	}
	v, err := a.c.HGetAll(ctx, a.key(id)).Result()
	if err != nil {
		return Account{}, "", fmt.Errorf("account: %w", err)
	}
	if v["hash"] == "" {
		return Account{}, "", ErrNoAccount
	}
	unix := func(s string) time.Time {
		n, _ := strconv.ParseInt(s, 10, 64)
		if n == 0 {
			return time.Time{}
		}
		return time.Unix(n, 0)
	}
	return Account{ID: id, Role: v["role"], Disabled: v["disabled"] == "1", Created: unix(v["created"]), LastSeen: unix(v["seen"])}, v["hash"], nil
}

// Verify checks id's password: ErrBadPassword for an unknown account or a wrong
// password (the same error, and the same bcrypt work, for both), ErrDisabled for a
// disabled account with the right password. It refreshes the account's TTL.
func (a *Accounts) Verify(ctx context.Context, id, password string) (Account, error) {
	acc, hash, err := a.get(ctx, id)
	if errors.Is(err, ErrNoAccount) {
		a.dummyOnce.Do(func() { a.dummy, _ = bcrypt.GenerateFromPassword([]byte("faro-no-such-account"), a.cost) })
		_ = bcrypt.CompareHashAndPassword(a.dummy, []byte(password))
		return Account{}, ErrBadPassword
	}
	if err != nil {
		return Account{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Account{}, ErrBadPassword
	}
	if acc.Disabled {
		return Account{}, ErrDisabled
	}
	return acc, a.Touch(ctx, id)
}

// Touch records that id was used now and renews the TTL of the account and the index.
func (a *Accounts) Touch(ctx context.Context, id string) error {
	pipe := a.c.Pipeline()
	pipe.HSet(ctx, a.key(id), "seen", a.now().Unix())
	pipe.Expire(ctx, a.key(id), AccountTTL)
	pipe.Expire(ctx, a.index(), AccountTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("account: touch: %w", err)
	}
	return nil
}

// SetDisabled disables (or enables again) an account; a disabled account cannot log
// in, and its open sessions stop at their next request.
func (a *Accounts) SetDisabled(ctx context.Context, id string, disabled bool) error {
	v := "0"
	if disabled {
		v = "1"
	}
	n, err := setIfExists.Run(ctx, a.c, []string{a.key(id)}, "disabled", v).Int()
	if err != nil {
		return fmt.Errorf("account %s: %w", id, err)
	}
	if n == 0 {
		return ErrNoAccount
	}
	return nil
}

var setIfExists = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// List returns the accounts, sorted by id; ids whose account lapsed are dropped.
func (a *Accounts) List(ctx context.Context) ([]Account, error) {
	ids, err := a.c.SMembers(ctx, a.index()).Result()
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	sort.Strings(ids)
	out := make([]Account, 0, len(ids))
	for _, id := range ids {
		acc, err := a.Get(ctx, id)
		if errors.Is(err, ErrNoAccount) {
			_ = a.c.SRem(ctx, a.index(), id).Err()
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, acc)
	}
	return out, nil
}
