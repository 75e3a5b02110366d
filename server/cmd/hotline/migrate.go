package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hotline12345/hotline/server/store"
)

const migrateUsage = `Usage: hotline migrate up|down|status|unlock [flags]

  up      apply every pending migration, under the migrator's lock
  down    undo the last group of applied migrations
  status  list the pending migrations ("at head" when none)
  unlock  remove the migrator's lock left by a migrator that was killed (only when none runs)

No identity key is needed.

Flags:
`

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("migrate", migrateUsage, getenv, stderr)
	sub, args, err := subcommand(fs, args, stderr, "up", "down", "status", "unlock")
	if err != nil {
		return err
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db, store.Options{WithoutKeys: true, NoAutoMigrate: true})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer st.Close()
	switch sub {
	case "up":
		err = st.Migrate(ctx)
	case "down":
		err = st.Rollback(ctx)
	case "unlock":
		err = st.Unlock(ctx)
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", sub, err)
	}
	pending, err := st.Pending(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", sub, err)
	}
	if len(pending) == 0 {
		fmt.Fprintln(stdout, "at head")
		return nil
	}
	fmt.Fprintf(stdout, "%d pending:\n", len(pending))
	for _, p := range pending {
		fmt.Fprintln(stdout, "  "+p)
	}
	return nil
}
