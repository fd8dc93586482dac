package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
	"time"
)

// Prefix starts every key Faro writes.
const Prefix = "faro:"

// UserKey is the name a person is stored under: an HMAC-SHA256 of channel and address
// with the deployment's secret, so Redis never holds a phone number or a chat id, and
// the same person on another deployment gets another name. 128 bits, hex.
func UserKey(secret []byte, channel, address string) string {
	m := Keyed(secret)
	defer m.Done()
	m.Write([]byte(channel))
	m.Write([]byte{0})
	m.Write([]byte(address))
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0])[:16])
}

// KeyedHash is an HMAC-SHA256 keyed with a secret, ready to write, taken from a pool
// of that secret's: its key schedule is computed once per pooled hash, not per call
// (UserKey runs a few times per message). Done puts it back.
type KeyedHash struct {
	hash.Hash
	pool *sync.Pool
}

// Done resets the hash and returns it to its pool; it must not be used afterwards.
func (k KeyedHash) Done() {
	k.Reset()
	k.pool.Put(k.Hash)
}

// keyedPools maps a secret (as a string) to the *sync.Pool of its hashes. A
// deployment has one or two secrets (two during a rotation).
var keyedPools sync.Map

// Keyed returns an HMAC-SHA256 keyed with secret, reset; call Done when finished.
func Keyed(secret []byte) KeyedHash {
	p, ok := keyedPools.Load(string(secret))
	if !ok {
		key := append([]byte(nil), secret...)
		p, _ = keyedPools.LoadOrStore(string(secret), &sync.Pool{New: func() any { return hmac.New(sha256.New, key) }})
	}
	pool := p.(*sync.Pool)
	return KeyedHash{Hash: pool.Get().(hash.Hash), pool: pool}
}

// Keys are the names of everything kept about one person. They share the hash tag
// {user}, so in a Cluster they live in one slot and one script can touch them all:
// erase deletes All in the same script that checks the message's dedupe mark.
type Keys struct {
	prefix, user string
}

// KeysOf returns the keys of user (a UserKey) under prefix ("" is Prefix).
func KeysOf(prefix, user string) Keys {
	if prefix == "" {
		prefix = Prefix
	}
	return Keys{prefix: prefix, user: user}
}

func (k Keys) name(suffix string) string { return k.prefix + "{" + k.user + "}:" + suffix }

// Session is the conversation state.
func (k Keys) Session() string { return k.name("s") }

// Seen is the sorted set of recent message ids, for dedupe.
func (k Keys) Seen() string { return k.name("m") }

// Window is the time of the person's last message (WhatsApp's reply window).
func (k Keys) Window() string { return k.name("w") }

// Ticket is the open handoff ticket, with the sealed address an operator's reply goes to.
func (k Keys) Ticket() string { return k.name("t") }

// Transcript is the list of sealed messages of the open ticket.
func (k Keys) Transcript() string { return k.name("x") }

// Attempt is the message id and attempt token of the person's last commit, so that a
// commit retried by the client after a slow answer is recognised as its own, not as
// a duplicate.
func (k Keys) Attempt() string { return k.name("a") }

// Blocked marks a person an operator blocked from opening tickets (safety answers
// are never blocked).
func (k Keys) Blocked() string { return k.name("b") }

// Copies is the sorted set of the platform's ids of the recent messages of the chat
// (the person's and the bot's), each sealed, so that erase can delete the platform's
// copies: Telegram's message_id, Twilio's Message sid. Bounded in count, with the TTL
// of what the platform lets a bot delete (48 h on Telegram). After an erase, for as
// long as a late reply may still be delivered, it is the string "erased" instead, so
// that no reply's id is kept again (the person's next message removes it).
func (k Keys) Copies() string { return k.name("p") }

// Tombstone is what an erase leaves behind, and all it leaves: the set of the
// HMAC-named message ids seen up to the erase and the erase's attempt token, so that a
// platform's redelivery of any of those messages (the confirmation included) is a
// duplicate and brings nothing back. It holds nothing about the person and expires
// with the dedupe window. Not in All: erase writes it.
func (k Keys) Tombstone() string { return k.name("e") }

// Owed is a hash that holds, under a message's HMAC-named id, from the commit of the
// message until its replies are in the outbox, what is needed to compute them again
// (the session stepped from, sealed as stored): a process killed in between leaves
// it, and the platform's redelivery of the message, a duplicate by then, is answered
// from it instead of not at all. Clearing a field is one plain HDEL.
func (k Keys) Owed() string { return k.name("r") }

// legacyOwed is where the version before 2026-12-01 kept one owed record, as a string:
// a name of its own, so that replicas of both versions never meet a key of the other
// type during a rolling upgrade. Erase still deletes it; it expires within 2 hours.
func (k Keys) legacyOwed() string { return k.name("o") }

// Erasing is an erase's job, from its commit until the platform's copies of her
// conversation are deleted (or given up): a hash of the sealed platform ids still to
// delete (moved from Copies by the erase, sealed as there), the sealed destination
// ("to": channel, address, language) to tell her what could not be deleted, and the
// lease of the process working on it ("own"). With a TTL of ErasingTTL at most; it
// is deleted when the deletions are done. Not in All: erase writes it.
func (k Keys) Erasing() string { return k.name("f") }

// ErasingIndex is the sorted set of the users (UserKey) who have, or just had, an
// erase's job (Keys.Erasing), scored by the time they were added: what the replicas
// scan for jobs whose process died. It holds key names only. It cannot share a slot
// with the jobs, so a user is added before her erase is committed, and an entry
// with no job is dropped by the scan.
const ErasingIndex = Prefix + "erasing"

// ErasingTTL bounds how long an erase's job is kept: Telegram lets a bot delete a
// message for 48 hours, and nothing kept lives longer than that.
const ErasingTTL = 48 * time.Hour

// All lists every key of the person: what erase deletes.
func (k Keys) All() []string {
	return []string{k.Session(), k.Seen(), k.Window(), k.Ticket(), k.Transcript(), k.Blocked(), k.Attempt(), k.Copies(), k.Owed(), k.legacyOwed()}
}
