// Package feedback keeps the reports of the community (guidelines 8.6.2): a wrong
// number, a service that no longer serves, another problem, or a service to suggest,
// each with the directory entry it is about and a few words, for the coordinators to
// check the directory.
//
// A report is not linkable to the person who sent it: it is stored outside her keys
// (store.Keys), with no user key, no channel and no address, its time kept to the
// hour; its words, kind, entry and language are sealed together (store.Sealer,
// purpose "feedback"); it expires with the tickets' retention (7 days). Its words are
// personal data: never logged.
package feedback

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store"
)

// MaxText bounds the words of a report, in characters: longer texts are cut.
const MaxText = 500

// ErrNoReport is returned for a report that does not exist (any more).
var ErrNoReport = errors.New("no such report")

// Report is one report of the community as the coordinators read it.
type Report struct {
	ID string
	// Kind is wrong_number, closed, other or suggest (the flow's feedback nodes).
	Kind string
	// Entry is the directory id of the service it is about ("" for a suggestion).
	Entry string
	// Lang is the language it was written in.
	Lang string
	// Text is the person's words: personal data, never logged.
	Text string
	// At is when it was sent, to the hour.
	At time.Time
	// Handled says a coordinator marked it as dealt with.
	Handled bool
}

// Options tune the Store.
type Options struct {
	// Prefix of every key (default store.Prefix).
	Prefix string
	// TTL is how long a report is kept: the tickets' retention (default 7 days).
	TTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Store keeps the reports on Redis. It implements bot.Feedback.
type Store struct {
	c    redis.UniversalClient
	seal *store.Sealer
	o    Options
}

var _ bot.Feedback = (*Store)(nil)

// New returns the store of reports; secret is the deployment's FARO_HMAC_SECRET.
func New(c redis.UniversalClient, secret []byte, o Options) (*Store, error) {
	seal, err := store.NewSealer(secret, "feedback")
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	if o.Prefix == "" {
		o.Prefix = store.Prefix
	}
	if o.TTL <= 0 {
		o.TTL = 7 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{c: c, seal: seal, o: o}, nil
}

// Every key shares the hash tag {feedback}: one slot in a Cluster, so one
// transaction writes a report and its place in the index.
func (s *Store) indexKey() string           { return s.o.Prefix + "{feedback}:index" }
func (s *Store) reportKey(id string) string { return s.o.Prefix + "{feedback}:r:" + id }

// sealed is what a report keeps, sealed as a whole.
type sealed struct {
	Kind  string `json:"k"`
	Entry string `json:"e,omitempty"`
	Lang  string `json:"l,omitempty"`
	Text  string `json:"t,omitempty"`
	At    int64  `json:"at"`
}

var (
	kindRE  = regexp.MustCompile(`^[a-z_]{1,32}$`)
	entryRE = regexp.MustCompile(`^[a-z0-9-]{1,100}$`)
	langRE  = regexp.MustCompile(`^[a-z]{2,3}$`)
	idRE    = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// Report implements bot.Feedback: it keeps r, sealed, under a random id, for TTL.
func (s *Store) Report(ctx context.Context, r bot.FeedbackReport) error {
	if !kindRE.MatchString(r.Kind) {
		return fmt.Errorf("feedback: kind %q", r.Kind)
	}
	v := sealed{Kind: r.Kind, Text: clip(r.Text), At: r.At.Truncate(time.Hour).Unix()}
	if entryRE.MatchString(r.Entry) {
		v.Entry = r.Entry
	}
	if langRE.MatchString(r.Lang) {
		v.Lang = r.Lang
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	box, err := s.seal.Seal(plain)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return fmt.Errorf("feedback: id: %w", err)
	}
	id := hex.EncodeToString(raw[:])
	oldest := s.o.Now().Add(-s.o.TTL).Unix()
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.reportKey(id), "d", box)
		p.Expire(ctx, s.reportKey(id), s.o.TTL)
		p.ZAdd(ctx, s.indexKey(), redis.Z{Score: float64(v.At), Member: id})
		p.ZRemRangeByScore(ctx, s.indexKey(), "-inf", "("+strconv.FormatInt(oldest, 10))
		p.Expire(ctx, s.indexKey(), s.o.TTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("feedback: save: %w", err)
	}
	return nil
}

// clip trims text to MaxText characters.
func clip(text string) string {
	if utf8.RuneCountInString(text) <= MaxText {
		return text
	}
	return string([]rune(text)[:MaxText])
}

// List returns at most limit reports, the newest first. Reports expired are left
// out and dropped from the index; those that cannot be opened (another secret) are
// left out.
func (s *Store) List(ctx context.Context, limit int) ([]Report, error) {
	if limit <= 0 {
		limit = 200
	}
	ids, err := s.c.ZRevRange(ctx, s.indexKey(), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("feedback: list: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	pipe := s.c.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGetAll(ctx, s.reportKey(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("feedback: list: %w", err)
	}
	var out []Report
	var gone []any
	for i, id := range ids {
		h := cmds[i].Val()
		if len(h) == 0 { // expired
			gone = append(gone, id)
			continue
		}
		r, ok := s.open(id, h)
		if !ok { // sealed with another secret: left as it is
			continue
		}
		out = append(out, r)
	}
	if len(gone) > 0 {
		// best effort: a member whose report expired is only clutter
		_ = s.c.ZRem(ctx, s.indexKey(), gone...).Err()
	}
	return out, nil
}

// open reads a stored report.
func (s *Store) open(id string, h map[string]string) (Report, bool) {
	box, ok := h["d"]
	if !ok {
		return Report{}, false
	}
	plain, err := s.seal.Open([]byte(box))
	if err != nil {
		return Report{}, false
	}
	var v sealed
	if err := json.Unmarshal(plain, &v); err != nil {
		return Report{}, false
	}
	return Report{ID: id, Kind: v.Kind, Entry: v.Entry, Lang: v.Lang, Text: v.Text,
		At: time.Unix(v.At, 0), Handled: h["h"] != ""}, true
}

// MarkHandled marks report id as dealt with (it still expires with the others).
func (s *Store) MarkHandled(ctx context.Context, id string) error {
	if !idRE.MatchString(id) {
		return ErrNoReport
	}
	n, err := handledScript.Run(ctx, s.c, []string{s.reportKey(id)}).Int()
	if err != nil {
		return fmt.Errorf("feedback: handled: %w", err)
	}
	if n == 0 {
		return ErrNoReport
	}
	return nil
}

// handledScript marks only a report still there (never a key without TTL).
var handledScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'h', '1')
return 1
`)
