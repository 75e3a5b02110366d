package store

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tableExists(t *testing.T, s *Store, name string) bool {
	t.Helper()
	var q string
	switch s.dialect {
	case SQLite:
		q = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?"
	case Postgres:
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema=current_schema() AND table_name=?"
	default:
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema=DATABASE() AND table_name=?"
	}
	var n int
	require.NoError(t, s.db.NewRaw(q, name).Scan(context.Background(), &n))
	return n > 0
}

func TestMigrateUpDownUp(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		pending, err := s.Pending(ctx)
		require.NoError(t, err)
		assert.Empty(t, pending)
		for _, tbl := range []string{"tickets", "ticket_events", "audit_log", "idempotency_keys", "outbox", "credentials"} {
			assert.True(t, tableExists(t, s, tbl), tbl)
		}
		require.NoError(t, s.Migrate(ctx), "migrating twice is a no-op")
		require.NoError(t, s.Rollback(ctx))
		assert.False(t, tableExists(t, s, "tickets"))
		assert.False(t, tableExists(t, s, "audit_log"))
		pending, err = s.Pending(ctx)
		require.NoError(t, err)
		ups, err := fs.Glob(embedded(), "*.up.sql")
		require.NoError(t, err)
		assert.Len(t, pending, len(ups), "the one group of a fresh database is every migration")
		require.NoError(t, s.Migrate(ctx))
		assert.True(t, tableExists(t, s, "tickets"))
	})
}

// A migration that fails half-way is reported by name, is not marked applied (bun marks before
// running unless WithMarkAppliedOnSuccess), releases the lock, and leaves nothing of itself on the
// dialects with transactional DDL.
func TestMigrateFailureHalfWay(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fsys := fstest.MapFS{
			"20300101000001_broken.tx.up.sql": {Data: []byte(
				"CREATE TABLE half_made (id INTEGER NOT NULL PRIMARY KEY)\n--bun:split\nTHIS IS NOT SQL\n")},
			"20300101000001_broken.tx.down.sql": {Data: []byte("DROP TABLE IF EXISTS half_made\n")},
		}
		err := s.migrateFS(ctx, fsys)
		require.Error(t, err)
		var me *MigrationError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, "20300101000001_broken", me.Name)
		assert.ErrorIs(t, err, ErrMigration)
		if s.dialect != MySQL { // MySQL commits each DDL statement
			assert.False(t, tableExists(t, s, "half_made"))
		}
		m, err := s.migrator(fsys)
		require.NoError(t, err)
		ms, err := m.MigrationsWithStatus(ctx)
		require.NoError(t, err)
		require.Len(t, ms, 1)
		assert.False(t, ms[0].IsApplied(), "a failed migration is not marked applied")
		// The lock was released: a fixed migration runs.
		fixed := fstest.MapFS{
			"20300101000001_broken.tx.up.sql": {Data: []byte(
				"CREATE TABLE IF NOT EXISTS half_made (id INTEGER NOT NULL PRIMARY KEY)\n")},
		}
		require.NoError(t, s.migrateFS(ctx, fixed))
		assert.True(t, tableExists(t, s, "half_made"))
	})
}

// bun's lock is a row that survives a crashed migrator: Migrate refuses with ErrMigrationLocked
// until Unlock clears it.
func TestMigrateStaleLock(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		m, err := s.migrator(embedded())
		require.NoError(t, err)
		require.NoError(t, m.Lock(ctx)) // a migrator that then dies
		require.NoError(t, s.Migrate(ctx), "nothing pending: the stale lock is not needed")
		require.NoError(t, s.Unlock(ctx))
		require.NoError(t, s.Rollback(ctx))
		require.NoError(t, m.Lock(ctx)) // dies again, with a migration pending this time
		err = s.Migrate(ctx)
		require.ErrorIs(t, err, ErrMigrationLocked)
		require.NoError(t, s.Unlock(ctx))
		require.NoError(t, s.Migrate(ctx))
	})
}

func TestOpenBadDSN(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"", "   ", "postgres://u:secret@[::1", "mysql://host", "mysql://h/db?bogus=1",
		"sqlite:/tmp/x.db?_pragma=journal_mode(DELETE)", ":memory:", "ftp://x/y"} {
		_, err := Open(ctx, dsn, Options{WithoutKeys: true})
		require.Error(t, err, dsn)
		var de *DSNError
		assert.True(t, errors.As(err, &de), "%q: %v", dsn, err)
		assert.NotContains(t, err.Error(), "secret")
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		"postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2",
		"mysql://nobody@127.0.0.1:1/x?timeout=2s",
		"/nonexistent-dir/sub/hotline.db",
	} {
		_, err := Open(ctx, dsn, Options{WithoutKeys: true})
		require.Error(t, err, dsn)
		assert.ErrorIs(t, err, ErrUnreachable, dsn)
	}
}

// modernc honours only _pragma=name(value): Open reads each pragma back.
func TestOpenSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+t.TempDir()+"/p.db", Options{WithoutKeys: true})
	require.NoError(t, err)
	defer s.Close()
	var mode string
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var sync int
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
	assert.Equal(t, 2, sync)
	pending, err := s.Pending(ctx)
	require.NoError(t, err)
	assert.Empty(t, pending, "the embedded default is migrated at open")
}

// The key's absence is a clear startup error (GB/T 39786 level 3: the key lives outside the database).
func TestOpenWithoutKeys(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, t.TempDir()+"/k.db", Options{})
	require.ErrorIs(t, err, ErrNoKeys)
	s, err := Open(ctx, t.TempDir()+"/k.db", Options{WithoutKeys: true})
	require.NoError(t, err)
	defer s.Close()
	seedUnits(t, s)
	_, err = s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("无密钥")}, at("2026-11-23 09:00"))
	assert.ErrorIs(t, err, ErrNoKeys)
}

// rendered is a migration as one dialect's migrator runs it.
type rendered struct {
	data schemaTemplate
	sql  string
}

// renderMigration renders migration name for every dialect, Oracle MySQL 8 (which cannot be reached
// here) included, and checks what every migration must satisfy: nothing left of the template; on
// MySQL no TEXT column (its columns are VARBINARY) and no RETURNING; on MySQL 8 no CREATE INDEX IF NOT
// EXISTS (its parser refuses it).
func renderMigration(t *testing.T, name string) []rendered {
	t.Helper()
	raw, err := migrationFiles.ReadFile("migrations/" + name)
	require.NoError(t, err)
	tmpl, err := template.New(name).Parse(string(raw))
	require.NoError(t, err)
	var out []rendered
	for _, data := range []schemaTemplate{
		{Dialect: SQLite, AppendOnly: appendOnly},
		{Dialect: Postgres, AppendOnly: appendOnly},
		{Dialect: MySQL, AppendOnly: appendOnly},
		{Dialect: MySQL, AppendOnly: appendOnly, MySQL8: true},
	} {
		var b strings.Builder
		require.NoError(t, tmpl.Execute(&b, data))
		sql := b.String()
		assert.NotContains(t, sql, "{{", "%s %v", name, data)
		if data.MySQL8 {
			assert.NotContains(t, sql, "INDEX IF NOT EXISTS", "%s: MySQL 8 has no CREATE INDEX IF NOT EXISTS", name)
		}
		if data.Dialect == MySQL {
			assert.NotContains(t, sql, " TEXT", "%s: MySQL columns are VARBINARY", name)
			assert.NotContains(t, sql, "RETURNING", name)
		}
		out = append(out, rendered{data: data, sql: sql})
	}
	return out
}

// The one schema renders for every dialect, each append-only table with its trigger.
func TestSchemaRendersPerDialect(t *testing.T) {
	for _, r := range renderMigration(t, "20261129000001_schema.tx.up.sql") {
		for _, tbl := range appendOnly {
			assert.Contains(t, r.sql, tbl+"_", "%s: a trigger on %s", r.data.Dialect, tbl)
		}
	}
}
