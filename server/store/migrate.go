package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

const (
	migrationsTable = "hotline_migrations"
	locksTable      = "hotline_migration_locks"
)

// appendOnly lists the tables whose rows the database itself refuses to update or delete.
var appendOnly = []string{"ticket_events", "case_events", "audit_log", "audit_checkpoints", "review_voids"}

// schemaTemplate is the data the migration files are rendered with: the column types that differ
// between dialects, and the list of append-only tables.
type schemaTemplate struct {
	Dialect    Dialect
	AppendOnly []string
	// MySQL8 is set for Oracle MySQL, which (unlike MariaDB) has no CREATE INDEX IF NOT EXISTS.
	MySQL8 bool
}

// IndexIfNotExists makes index creation re-runnable where the dialect can: everywhere but MySQL 8,
// where a migration that failed after creating an index must be finished by hand.
func (t schemaTemplate) IndexIfNotExists() string {
	if t.MySQL8 {
		return ""
	}
	return "IF NOT EXISTS "
}

// V is a string column of at most n characters: TEXT on PostgreSQL and SQLite, VARBINARY of 4n bytes
// (UTF-8) on MySQL. Not a VARCHAR: the default collation makes unique keys ignore case and trailing
// spaces, and even utf8mb4_bin pads spaces on MariaDB, so "abc" and "abc " would be one
// idempotency key.
func (t schemaTemplate) V(n int) string {
	if t.Dialect == MySQL {
		return "VARBINARY(" + strconv.Itoa(4*n) + ")"
	}
	return "TEXT"
}

// Hash is a short binary column (hashes, blind indexes).
func (t schemaTemplate) Hash() string {
	switch t.Dialect {
	case Postgres:
		return "BYTEA"
	case MySQL:
		return "VARBINARY(64)"
	}
	return "BLOB"
}

// Blob is a binary column for snapshots, event bodies and sealed identities.
func (t schemaTemplate) Blob() string {
	switch t.Dialect {
	case Postgres:
		return "BYTEA"
	case MySQL:
		return "MEDIUMBLOB"
	}
	return "BLOB"
}

// InsertIgnore starts an insert that skips a row whose key exists (with OnConflictNothing).
func (t schemaTemplate) InsertIgnore() string {
	switch t.Dialect {
	case MySQL:
		return "INSERT IGNORE"
	case SQLite:
		return "INSERT OR IGNORE"
	}
	return "INSERT"
}

// OnConflictNothing ends an insert started with InsertIgnore.
func (t schemaTemplate) OnConflictNothing() string {
	if t.Dialect == Postgres {
		return " ON CONFLICT DO NOTHING"
	}
	return ""
}

// EmptyBytes is an empty binary literal.
func (t schemaTemplate) EmptyBytes() string {
	if t.Dialect == Postgres {
		return "'\\x'::bytea"
	}
	return "X''"
}

// AuditHeads is the VALUES list seeding one empty head row per audit shard (ids 0…AuditShards-1).
func (t schemaTemplate) AuditHeads() string {
	var b strings.Builder
	for i := range AuditShards {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, 0, %s)", i, t.EmptyBytes())
	}
	return b.String()
}

// TableOptions follow each CREATE TABLE.
func (t schemaTemplate) TableOptions() string {
	if t.Dialect == MySQL {
		return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
	}
	return ""
}

func (s *Store) migrator(fsys fs.FS) (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return nil, &MigrationError{Err: err}
	}
	return migrate.NewMigrator(s.db, ms,
		migrate.WithTableName(migrationsTable),
		migrate.WithLocksTableName(locksTable),
		// Without it, bun marks a migration applied before running it, so a failure leaves it marked.
		migrate.WithMarkAppliedOnSuccess(true),
		migrate.WithTemplateData(schemaTemplate{Dialect: s.dialect, AppendOnly: appendOnly, MySQL8: s.mysql8}),
	), nil
}

func embedded() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory exists at build time
	}
	return sub
}

// Migrate applies every migration not yet applied, under the migrator's lock. Each migration runs in
// a transaction: on PostgreSQL and SQLite a failed one leaves nothing behind; MySQL commits each DDL
// statement, so every statement is written to be re-run safely.
func (s *Store) Migrate(ctx context.Context) error { return s.migrateFS(ctx, embedded()) }

func (s *Store) migrateFS(ctx context.Context, fsys fs.FS) (err error) {
	m, err := s.migrator(fsys)
	if err != nil {
		return err
	}
	if err := m.Init(ctx); err != nil {
		return &MigrationError{Err: err}
	}
	// Take the lock only when there is something to apply: the lock is a row that a process killed
	// while holding it leaves behind, and every start of the embedded default migrates.
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return &MigrationError{Err: err}
	}
	if len(ms.Unapplied()) == 0 {
		return nil
	}
	if err := lock(ctx, m); err != nil {
		return err
	}
	defer func() {
		if uerr := m.Unlock(context.WithoutCancel(ctx)); uerr != nil && err == nil {
			err = &MigrationError{Err: fmt.Errorf("unlock: %w", uerr)}
		}
	}()
	group, err := m.Migrate(ctx)
	if err != nil {
		name := ""
		if group != nil && len(group.Migrations) > 0 {
			last := group.Migrations[len(group.Migrations)-1]
			name = last.Name + "_" + last.Comment
		}
		return &MigrationError{Name: name, Err: err}
	}
	return nil
}

func lock(ctx context.Context, m *migrate.Migrator) error {
	if err := m.Lock(ctx); err != nil {
		if strings.Contains(err.Error(), "already locked") {
			return &MigrationError{Err: errors.Join(ErrMigrationLocked, err)}
		}
		return &MigrationError{Err: err}
	}
	return nil
}

// Rollback undoes the last group of applied migrations, under the migrator's lock.
func (s *Store) Rollback(ctx context.Context) error { return s.rollbackFS(ctx, embedded()) }

func (s *Store) rollbackFS(ctx context.Context, fsys fs.FS) (err error) {
	m, err := s.migrator(fsys)
	if err != nil {
		return err
	}
	if err := m.Init(ctx); err != nil {
		return &MigrationError{Err: err}
	}
	if err := lock(ctx, m); err != nil {
		return err
	}
	defer func() {
		if uerr := m.Unlock(context.WithoutCancel(ctx)); uerr != nil && err == nil {
			err = &MigrationError{Err: fmt.Errorf("unlock: %w", uerr)}
		}
	}()
	group, err := m.Rollback(ctx)
	if err != nil {
		name := ""
		if group != nil && len(group.Migrations) > 0 {
			name = group.Migrations[0].Name + "_" + group.Migrations[0].Comment
		}
		return &MigrationError{Name: name, Err: err}
	}
	return nil
}

// Unlock removes the migrator's lock row. The lock is a table row, so a migrator killed while holding
// it leaves it behind and every later [Store.Migrate] fails with [ErrMigrationLocked]; an operator who
// knows no migrator is running clears it with this (the command's "migrate unlock").
func (s *Store) Unlock(ctx context.Context) error {
	m, err := s.migrator(embedded())
	if err != nil {
		return err
	}
	if err := m.Init(ctx); err != nil {
		return &MigrationError{Err: err}
	}
	if err := m.Unlock(ctx); err != nil {
		return &MigrationError{Err: err}
	}
	return nil
}

// Pending returns the names of the migrations not yet applied.
func (s *Store) Pending(ctx context.Context) ([]string, error) {
	m, err := s.migrator(embedded())
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, &MigrationError{Err: err}
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, &MigrationError{Err: err}
	}
	var names []string
	for _, mg := range ms.Unapplied() {
		names = append(names, mg.Name+"_"+mg.Comment)
	}
	return names, nil
}
