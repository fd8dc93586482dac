package main

import (
	"context"
	"fmt"
	"io"

	"github.com/faro-chat/faro/bot/config"
)

// runSecret is `faro secret`: one strong random secret, for FARO_HMAC_SECRET,
// FARO_TELEGRAM_WEBHOOK_SECRET or a console password; `faro serve` refuses weak ones.
func runSecret(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: faro secret   (prints a strong random secret)")
		return 2
	}
	fmt.Fprintln(stdout, config.NewSecret())
	return 0
}
