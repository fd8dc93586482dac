// Package store is Faro's one Redis layer: dialing a single server, a Sentinel-managed
// master, a Cluster or an embedded in-process Redis with the same fail-fast settings;
// the names of every key kept about one person, in one hash slot so that erasing her
// is one script; and sealing (AES-GCM) for anything about a person that must be read
// back, such as the address an operator's reply goes to.
package store

import (
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Modes of Dial.
const (
	ModeSingle   = "single"
	ModeSentinel = "sentinel"
	ModeCluster  = "cluster"
)

// Dial connects to a single server, a Sentinel-managed master or a Cluster (mode, ""
// is single), with the fail-fast settings of FailFast. It does not contact the server.
func Dial(url, mode string) (redis.UniversalClient, error) {
	switch mode {
	case ModeSentinel:
		opt, err := redis.ParseFailoverURL(url)
		if err != nil {
			return nil, fmt.Errorf("parse redis sentinel url: invalid (%T)", err)
		}
		FailFastFields(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout, &opt.MaxRetries, &opt.ContextTimeoutEnabled)
		return redis.NewFailoverClient(opt), nil
	case ModeCluster:
		opt, err := redis.ParseClusterURL(url)
		if err != nil {
			return nil, fmt.Errorf("parse redis cluster url: invalid (%T)", err)
		}
		FailFastFields(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout, &opt.MaxRetries, &opt.ContextTimeoutEnabled)
		return redis.NewClusterClient(opt), nil
	case ModeSingle, "":
		return dialSingle(url)
	}
	return nil, fmt.Errorf("redis mode %q: want single, sentinel or cluster", mode)
}

// dialSingle connects to the Redis of url (redis:// or rediss://) with timeouts short
// enough that a dead server fails a message in well under a second instead of hanging.
func dialSingle(url string) (redis.UniversalClient, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		// the URL may hold a password: do not echo it
		return nil, fmt.Errorf("parse redis url: invalid (%T)", err)
	}
	FailFast(opt)
	return redis.NewClient(opt), nil
}

// FailFast sets the timeouts and retries that keep a message from waiting on a dead
// Redis (measured: with these, a refused connection fails in under a millisecond).
func FailFast(opt *redis.Options) {
	FailFastFields(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout, &opt.MaxRetries, &opt.ContextTimeoutEnabled)
	opt.DialerRetries = 1
	// RESP2: Faro uses no server push, and RESP3's push-notification check costs time
	// on every reply read.
	opt.Protocol = 2
}

// FailFastFields sets the fail-fast values on the fields every kind of go-redis
// options has (single, Sentinel, Cluster), so the three deployments share one setting.
func FailFastFields(dial, read, write, pool *time.Duration, retries *int, ctxTimeout *bool) {
	*dial = 250 * time.Millisecond
	*read, *write, *pool = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	*retries = 1
	*ctxTimeout = true
}

// Embedded starts an in-process Redis (miniredis) on a loopback port and returns a
// client for it, for running without a Redis server: same commands, same code path,
// nothing persisted. close stops it.
func Embedded() (c redis.UniversalClient, close func(), err error) {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	opt := &redis.Options{Addr: m.Addr()}
	FailFast(opt)
	client := redis.NewClient(opt)
	return client, func() { _ = client.Close(); m.Close() }, nil
}
