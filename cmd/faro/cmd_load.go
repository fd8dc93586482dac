package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/loadgen"
)

// runLoad is `faro load`; see package loadgen for what it does.
func runLoad(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	o := loadgen.Options{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Target, "target", "http://127.0.0.1:8080", "base URL of the running faro serve")
	fs.IntVar(&o.Rate, "rate", 5000, "messages per second, both channels together")
	fs.DurationVar(&o.Duration, "duration", 60*time.Second, "how long to send")
	fs.IntVar(&o.Users, "users", 20000, "simulated users (each sends every users/rate seconds)")
	fs.Float64Var(&o.TelegramShare, "telegram-share", 0.5, "share of users on Telegram (the rest on WhatsApp); needs the channel's secrets")
	fs.IntVar(&o.Workers, "workers", 256, "concurrent webhook requests at most")
	fs.StringVar(&o.FakeTelegram, "fake-telegram", "127.0.0.1:18081", "listen address of the fake Bot API")
	fs.StringVar(&o.FakeTwilio, "fake-twilio", "127.0.0.1:18082", "listen address of the fake Twilio API")
	script := fs.String("script", "hola,1,menu,2,menu,3,menu", "comma-separated messages each user sends in turn, cyclically")
	fs.DurationVar(&o.Settle, "settle", 1500*time.Millisecond, "calibration: quiet time after a message's latest reply after which its replies are complete (calibration takes messages-per-user times this at least; a message without replies takes -drain)")
	fs.DurationVar(&o.Drain, "drain", 30*time.Second, "how long to wait for late replies after the last message")
	fs.StringVar(&o.RedisURL, "redis-url", "", "if set, run redis-benchmark with the same command mix on this server after the load")
	fs.IntVar(&o.BenchClients, "bench-clients", 50, "redis-benchmark -c")
	fs.IntVar(&o.BenchRequests, "bench-requests", 300000, "redis-benchmark -n per command")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	cpuPIDs := fs.String("cpu-pids", "", "name=PID,... of local processes (faro serve, redis-server) whose CPU time per message to report (Linux)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	o.Script = strings.Split(*script, ",")
	o.CPUPIDs = map[string]int{}
	for _, kv := range strings.Split(*cpuPIDs, ",") {
		if name, pid, ok := strings.Cut(kv, "="); ok {
			n, err := strconv.Atoi(pid)
			if err != nil {
				fmt.Fprintf(stderr, "faro load: -cpu-pids: bad pid %q\n", pid)
				return 2
			}
			o.CPUPIDs[name] = n
		}
	}
	o.TelegramSecret = config.Lookup(os.Getenv, "FARO_TELEGRAM_WEBHOOK_SECRET")
	o.TwilioToken = config.Lookup(os.Getenv, "FARO_TWILIO_AUTH_TOKEN")
	o.PublicURL = strings.TrimRight(config.Lookup(os.Getenv, "FARO_PUBLIC_URL"), "/")
	if o.TelegramShare > 0 && o.TelegramSecret == "" || o.TelegramShare < 1 && (o.TwilioToken == "" || o.PublicURL == "") {
		fmt.Fprintln(stderr, "faro load: set FARO_TELEGRAM_WEBHOOK_SECRET, FARO_TWILIO_AUTH_TOKEN and FARO_PUBLIC_URL as for the target (or -telegram-share 0 or 1)")
		return 2
	}
	if o.Rate <= 0 || o.Users <= 0 || len(o.Script) == 0 {
		fmt.Fprintln(stderr, "faro load: -rate, -users and -script must be positive")
		return 2
	}
	lt, err := loadgen.New(o)
	if err != nil {
		fmt.Fprintf(stderr, "faro load: %v\n", err)
		return 1
	}
	defer lt.Close()
	rep, err := lt.Run(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "faro load: %v\n", err)
		return 1
	}
	rep.Print(stdout)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			fmt.Fprintf(stderr, "faro load: %v\n", err)
			return 1
		}
	}
	if rep.Lost > 0 || rep.Duplicated > 0 {
		return 1
	}
	return 0
}
