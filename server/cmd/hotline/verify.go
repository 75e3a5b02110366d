package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hotline12345/hotline/server/audit"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// checker is the principal of the checking commands: an auditor, who reads and changes nothing.
var checker = store.Principal{Actor: "cli:hotline", Role: store.RoleAuditor}

const auditUsage = `Usage: hotline audit verify [flags]

Recomputes every shard of the SM3 audit chain and checks that it reaches its stored head and the
latest stored SM2-signed checkpoint. Prints what it checked and exits 0; at the first bad row —
a changed byte, a deleted or reordered row, a chain cut short of its head or of the checkpoint —
prints the shard and row and exits 1; exits 2 when it cannot read the database.
No identity key is needed; nothing is written.

Flags:
`

// auditCmd is "hotline audit verify".
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("audit", auditUsage, getenv, stderr)
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && args[0] != "-h" && args[0] != "-help" && args[0] != "--help" {
			fmt.Fprintf(stderr, "hotline audit: unknown subcommand %q\n", args[0])
		}
		fs.Usage()
		return errUsage
	}
	if err := parse(fs, args[1:], stderr); err != nil {
		return err
	}
	st, err := openChecked(ctx, *db, store.Options{WithoutKeys: true})
	if err != nil {
		return trouble(fmt.Errorf("audit verify: %w", err))
	}
	defer st.Close()
	rows, err := st.DB().NewSelect().Table("audit_log").Count(ctx)
	if err != nil {
		return trouble(fmt.Errorf("audit verify: %w", err))
	}
	var cp struct {
		Size int64 `bun:"size"`
		AtUS int64 `bun:"at_us"`
	}
	cpErr := st.DB().NewSelect().Table("audit_checkpoints").Column("size", "at_us").Order("size DESC").Limit(1).Scan(ctx, &cp)
	if err := st.VerifyAudit(ctx, checker); err != nil {
		var be *audit.BreakError
		var se *store.AuditShardError
		var ce *store.CorruptError
		if errors.As(err, &se) || errors.As(err, &be) || errors.As(err, &ce) {
			fmt.Fprintf(stdout, "audit chain BROKEN: %v\n", err)
			return fmt.Errorf("audit verify: %w", err)
		}
		return trouble(fmt.Errorf("audit verify: %w", err))
	}
	fmt.Fprintf(stdout, "audit chain verified: %d rows in %d shards reach their heads", rows, store.AuditShards)
	if cpErr == nil && cp.Size > 0 {
		fmt.Fprintf(stdout, " and the latest checkpoint (size %d)", cp.Size)
	} else {
		fmt.Fprint(stdout, " (no checkpoint stored yet)")
	}
	fmt.Fprintln(stdout)
	return nil
}

// openChecked opens db for a checking command: an existing SQLite file (never creating one) or a
// server database, at the head of its migrations.
func openChecked(ctx context.Context, db string, opts store.Options) (*store.Store, error) {
	if path, ok := sqlitePath(db); ok {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no database to check: %w", err)
		}
	}
	opts.NoAutoMigrate = true
	st, err := store.Open(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	if err := atHead(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// atHead refuses a database whose migrations are pending: a half-migrated schema is not checked.
func atHead(ctx context.Context, st *store.Store) error {
	pending, err := st.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("%d migrations pending: run \"hotline migrate up\" first", len(pending))
	}
	return nil
}

const verifyUsage = `Usage: hotline verify [flags]

Replays the history of every ticket through the lifecycle and of every appeal, objection and
reconsideration through its procedure, and compares each with what is stored (state, snapshot,
projection, handling units, version). Prints each mismatch and exits 1 if there is any, 0 if
none; exits 2 when it cannot read the database. Nothing is written ("rebuild" is not here: an
admin repairs projections through the store).

The events hold the citizens' identities sealed: the identity key is needed (HOTLINE_KEY or
HOTLINE_KEY_FILE).

Flags:
`

// verifyCmd is "hotline verify".
func verifyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("verify", verifyUsage, getenv, stderr)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	keys, err := secure.LoadKeys(getenv)
	if err != nil {
		hint := ""
		if path, ok := sqlitePath(*db); ok {
			if _, serr := os.Stat(path + ".key"); serr == nil {
				hint = fmt.Sprintf(" (the demo's key is in %s: set HOTLINE_KEY_FILE=%[1]s)", path+".key")
			}
		}
		return trouble(fmt.Errorf("verify: the identity key: %w%s", err, hint))
	}
	st, err := openChecked(ctx, *db, store.Options{Keys: keys})
	if err != nil {
		return trouble(fmt.Errorf("verify: %w", err))
	}
	defer st.Close()
	tickets, err := st.DB().NewSelect().Table("tickets").Count(ctx)
	if err != nil {
		return trouble(fmt.Errorf("verify: %w", err))
	}
	cases, err := st.DB().NewSelect().Table("cases").Count(ctx)
	if err != nil {
		return trouble(fmt.Errorf("verify: %w", err))
	}
	tm, err := st.VerifyTickets(ctx, checker)
	if err != nil {
		return trouble(fmt.Errorf("verify: %w", err))
	}
	cm, err := st.VerifyCases(ctx, checker)
	if err != nil {
		return trouble(fmt.Errorf("verify: %w", err))
	}
	for _, m := range tm {
		fmt.Fprintf(stdout, "ticket %s: %s\n", m.ID, m.Reason)
	}
	for _, m := range cm {
		fmt.Fprintf(stdout, "case %s: %s\n", m.ID, m.Reason)
	}
	if n := len(tm) + len(cm); n > 0 {
		fmt.Fprintf(stdout, "%d of %d tickets and %d of %d cases differ from their histories\n", len(tm), tickets, len(cm), cases)
		return fmt.Errorf("verify: %d mismatches", n)
	}
	fmt.Fprintf(stdout, "verified: %d tickets and %d cases replay to what is stored\n", tickets, cases)
	return nil
}
