package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
)

// command is one "hotline" command: args after its name, getenv for the environment, stdout for
// results and stderr for logs and usage.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// commandNamed returns the command called name, nil for none.
func commandNamed(name string) command {
	switch name {
	case "serve":
		return serve
	case "migrate":
		return migrate
	case "demo":
		return demoCmd
	case "audit":
		return auditCmd
	case "verify":
		return verifyCmd
	case "score":
		return scoreCmd
	case "check-result":
		return checkResultCmd
	case "keys":
		return keys
	case "users":
		return usersCmd
	}
	return nil
}

// newFlags returns the flag set of command name with the -db flag every command on the database
// has (HOTLINE_DB), writing to stderr; its usage is text followed by the flags.
func newFlags(name, text string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr(getenv, "HOTLINE_DB", defaultDB), "the database (HOTLINE_DB): a SQLite path, postgres://… or mysql://…")
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		fs.PrintDefaults()
	}
	return fs, db
}

// subcommand splits args into the subcommand of fs's command, one of subs, and the rest. None, or
// one not in subs, prints the usage and is errUsage.
func subcommand(fs *flag.FlagSet, args []string, stderr io.Writer, subs ...string) (string, []string, error) {
	if len(args) == 0 {
		fs.Usage()
		return "", nil, errUsage
	}
	if !slices.Contains(subs, args[0]) {
		fmt.Fprintf(stderr, "hotline %s: unknown subcommand %q\n", fs.Name(), args[0])
		fs.Usage()
		return "", nil, errUsage
	}
	return args[0], args[1:], nil
}
