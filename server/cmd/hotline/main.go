// Command hotline runs the hotline reference server and its maintenance tasks.
//
//	hotline serve [-demo] [flags]      serve the HTTP API (embedded SQLite file by default)
//	hotline migrate up|down|status|unlock [flags]
//	hotline demo [flags]               load the demo district, print API keys and a walk-through
//	hotline audit verify [flags]       check the audit chain and its latest checkpoint
//	hotline verify [flags]             replay every ticket and case against what is stored
//	hotline score [flags]              score cases and reviews exported from any system (offline)
//	hotline check-result [flags] FILE  check a published result against its inputs (offline)
//	hotline keys create|list|revoke [flags]    issue, list and revoke API keys
//	hotline users create|list|totp     staff accounts that sign in to the pages
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

// troubleError is a failure of a checking command (audit verify, verify, check-result) to check at
// all — an unreadable database or input — as opposed to a difference found: exit status 2, as cmp.
type troubleError struct{ err error }

func (e *troubleError) Error() string { return e.err.Error() }
func (e *troubleError) Unwrap() error { return e.err }

func trouble(err error) error { return &troubleError{err: err} }

func exitCode(err error) int {
	var te *troubleError
	if errors.Is(err, errUsage) || errors.As(err, &te) {
		return 2
	}
	return 1
}

const usage = `hotline — the reference server of the 12345 hotline SDK

Usage:
  hotline serve [-demo] [flags]           serve the HTTP API (-demo: with the demo district)
  hotline migrate up|down|status|unlock   manage the database schema
  hotline demo [flags]                    load the demo district; print API keys and a walk-through
  hotline audit verify [flags]            check the audit chain up to its head and latest checkpoint
  hotline verify [flags]                  replay every ticket and case; report what differs
  hotline score [flags]                   score cases and reviews exported from any system (offline)
  hotline check-result [flags] RESULT     check a published result against its inputs (offline)
  hotline keys create|list|revoke         issue, list and revoke API keys
  hotline users create|list|totp [flags]  staff accounts that sign in to the pages
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
                    (only "serve -demo" and "demo" on a SQLite file, with neither set, generate a
                    demo key in DB.key)

Exit status: 0 on success; 2 for a bad command line. audit verify, verify and check-result exit 1
when they find a difference (and name the first one) and 2 when they cannot check (an unreadable
database or input), as cmp does; the other commands exit 1 on any failure.
`

// run is the command: args without the program name, getenv for the environment, stdout for
// results and stderr for logs. It returns when the command is done or, for serve, when ctx ends and
// the server has shut down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	if cmd := commandNamed(args[0]); cmd != nil {
		return cmd(ctx, args[1:], getenv, stdout, stderr)
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "hotline: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
