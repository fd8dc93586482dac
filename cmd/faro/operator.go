package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faro-chat/faro/bot/console"
)

// runOperator is `faro operator add|list|disable|enable`: the operator console's
// accounts, in the Redis of FARO_REDIS_URL (and FARO_REDIS_MODE).

// operatorHashCost, when set, is the bcrypt cost of the passwords `faro operator add`
// hashes instead of the console's (tests lower it: under the race detector each hash
// at the console's cost takes seconds).
var operatorHashCost int

func runOperator(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: faro operator add [-role operator|coordinator] [-password-stdin] ID")
		fmt.Fprintln(stderr, "       faro operator list")
		fmt.Fprintln(stderr, "       faro operator disable ID")
		fmt.Fprintln(stderr, "       faro operator enable ID")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Accounts live in the Redis of FARO_REDIS_URL. Without -password-stdin, add")
		fmt.Fprintln(stderr, "generates a password and prints it once; give it to the operator in person.")
	}
	if len(args) == 0 {
		usage()
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		return 0
	}
	fs := flag.NewFlagSet("operator "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", console.RoleOperator, "operator or coordinator (add)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (add)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rdb, err := dialConfigured(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "faro operator:", err)
		return 1
	}
	defer func() { _ = rdb.Close() }()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	accounts := console.NewAccounts(rdb, "")
	if operatorHashCost > 0 {
		accounts.WithCost(operatorHashCost)
	}
	id := strings.ToLower(strings.TrimSpace(fs.Arg(0)))
	needID := func() bool {
		if fs.NArg() != 1 {
			usage()
			return false
		}
		return true
	}
	switch args[0] {
	case "add":
		if !needID() {
			return 2
		}
		password := ""
		if *fromStdin {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				fmt.Fprintln(stderr, "faro operator add: read password:", err)
				return 1
			}
			if password = strings.TrimRight(line, "\r\n"); password == "" {
				fmt.Fprintln(stderr, "faro operator add: empty password on stdin")
				return 2
			}
		}
		got, err := accounts.Add(ctx, id, *role, password)
		if err != nil {
			fmt.Fprintf(stderr, "faro operator add: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "account %s (%s) created\n", id, *role)
		if !*fromStdin {
			fmt.Fprintf(stdout, "password: %s\n(shown once: it is stored only as a bcrypt hash)\n", got)
		}
		return 0
	case "list":
		list, err := accounts.List(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "faro operator list:", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tSTATE\tLAST SEEN")
		for _, a := range list {
			state, seen := "enabled", "-"
			if a.Disabled {
				state = "disabled"
			}
			if !a.LastSeen.IsZero() {
				seen = a.LastSeen.UTC().Format("2006-01-02 15:04Z")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, a.Role, state, seen)
		}
		_ = tw.Flush()
		return 0
	case "disable", "enable":
		if !needID() {
			return 2
		}
		if err := accounts.SetDisabled(ctx, id, args[0] == "disable"); err != nil {
			fmt.Fprintf(stderr, "faro operator %s: %s: %v\n", args[0], id, err)
			return 1
		}
		fmt.Fprintf(stdout, "account %s %sd\n", id, args[0])
		return 0
	}
	usage()
	return 2
}
