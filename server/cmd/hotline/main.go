// Command hotline runs the hotline reference server and its maintenance tasks.
//
//	hotline serve [flags]              serve the HTTP API (embedded SQLite file by default)
//	hotline migrate up|down|status|unlock [flags]
//	hotline keys create|list|revoke [flags]    issue, list and revoke API keys
//
// Run "hotline help" or "hotline <command> -h" for the flags and environment variables.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "hotline:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsage reports a command line that could not be parsed; the usage has been printed.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

const usage = `hotline — the reference server of the 12345 hotline SDK

Usage:
  hotline serve [flags]                   serve the HTTP API
  hotline migrate up|down|status|unlock   manage the database schema
  hotline keys create|list|revoke         issue, list and revoke API keys
  hotline help                            this text

Run "hotline <command> -h" for a command's flags. Every flag can also be set by the environment
variable named beside it; a flag on the command line wins.

Environment:
  HOTLINE_DB        the database (default hotline.db, an embedded SQLite file):
                      a path, "sqlite:PATH" or "file:PATH";
                      postgres://user:pass@host:5432/db?sslmode=…;
                      mysql://user:pass@host:3306/db
  HOTLINE_ADDR      the address serve listens on (default 127.0.0.1:8080)
  HOTLINE_KEY       the master key sealing citizens' identities: 64 hexadecimal digits
  HOTLINE_KEY_FILE  or a file holding them, readable by its owner only
`

// run is the command: args without the program name, getenv for the environment, stdout for
// results and stderr for logs. It returns when the command is done or, for serve, when ctx ends and
// the server has shut down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keys(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "hotline: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
