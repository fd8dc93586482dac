package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/faro-chat/faro/bot/config"
)

// TestSecretCommand: `faro secret` prints a secret that `faro serve` accepts for the
// HMAC and the webhook, and a new one each time.
func TestSecretCommand(t *testing.T) {
	var a, b bytes.Buffer
	if runSecret(context.Background(), nil, nil, &a, &a) != 0 || runSecret(context.Background(), nil, nil, &b, &b) != 0 {
		t.Fatal("faro secret failed")
	}
	s1, s2 := strings.TrimSpace(a.String()), strings.TrimSpace(b.String())
	if s1 == s2 {
		t.Fatal("the same secret twice")
	}
	env := map[string]string{"FARO_HMAC_SECRET": s1, "FARO_TELEGRAM_TOKEN": "1:x", "FARO_TELEGRAM_WEBHOOK_SECRET": s2}
	if _, err := config.Parse(func(k string) string { return env[k] }, nil); err != nil {
		t.Errorf("faro serve refuses what faro secret printed: %v", err)
	}
}
