// Command faro is Faro's one binary: the chatbot server, a terminal chat, the content
// checker and the tools around them. Run `faro help` for the list.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/store"
	"github.com/redis/go-redis/v9"
)

// subcommand runs with its arguments and returns the exit status.
type subcommand struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var subcommands = map[string]subcommand{
	"chat":          {"talk to the bot in the terminal (one message per line on stdin)", runChat},
	"demo":          {"try Faro in the browser: a phone simulator at / and the operator console at /operator (no tokens, no Redis)", runDemo},
	"check":         {"validate flows, locales and directory data; exit 1 on any error", runCheck},
	"locale-review": {"record a locale's review: status, date, reviewer and the Spanish texts it was checked against", runLocaleReview},
	"directory":     {"services directory: CSV export/import, search, locate", runDirectory},
	"serve":         {"run the Telegram and WhatsApp channels (configured by FARO_* environment variables)", runServe},
	"eval":          {"measure understanding on the held-out corpus: precision, recall, F1, danger recall; exit 1 under the gate", runEval},
	"explain":       {"show how a message is understood: intent, score, rules and features, language, slots", runExplain},
	"secret":        {"print a strong random secret for FARO_HMAC_SECRET or FARO_TELEGRAM_WEBHOOK_SECRET", runSecret},
	"stats":         {"print the statistics by week (in the Redis of FARO_REDIS_URL), every count under 5 as <5", runStats},
	"operator":      {"operator console accounts: add, list, disable, enable (in the Redis of FARO_REDIS_URL)", runOperator},
	"links":         {"write each community organization's links, QR codes (PNG, SVG) and printable flyers to a folder", runLinks},
	"setup":         {"register with the platforms: `setup telegram` (webhook, commands, descriptions), `setup whatsapp` (what to paste into Twilio)", runSetup},
	"doctor":        {"check a configuration end to end (variables, Redis, public URL, platform credentials, webhook); exit 1 on a problem", runDoctor},
	"load":          {"drive a running `faro serve` with signed webhooks and fake platform APIs; report throughput, latency, lost and duplicated replies", runLoad},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	sc, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "faro: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return sc.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: faro <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `faro <command> -h` for its flags.")
}

// dialConfigured connects to the Redis that `faro serve` would use (FARO_REDIS_URL and
// FARO_REDIS_MODE through bot/config, with serve's default), for the commands that
// read or write its data (operator, stats).
func dialConfigured(getenv func(string) string) (redis.UniversalClient, error) {
	url := config.Lookup(getenv, "FARO_REDIS_URL")
	if url == "" {
		url = config.Default("FARO_REDIS_URL")
	}
	return store.Dial(url, config.Lookup(getenv, "FARO_REDIS_MODE"))
}
