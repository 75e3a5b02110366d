package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"modernc.org/sqlite"
)

// isUnique reports whether err is a unique-key violation, on any dialect: PostgreSQL 23505, MySQL
// 1062, SQLite SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555). This is the
// one place the codes are mapped.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555
	}
	return false
}

// isRetryable reports a transaction the database aborted to resolve contention (deadlock,
// serialization failure, busy): running it again from the start is safe.
func isRetryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == 5 || c == 6 // SQLITE_BUSY, SQLITE_LOCKED
	}
	return false
}

// inTx runs fn in one transaction, committing when it returns nil and rolling back otherwise. A
// transaction the database aborted for contention is retried a few times.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	var opts *sql.TxOptions
	if s.dialect == MySQL {
		// Repeatable read takes gap locks on unique-index inserts, which deadlock concurrent intakes.
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.db.RunInTx(ctx, opts, fn)
		if err == nil || !isRetryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 3 * time.Millisecond)
	}
	return err
}

// forUpdate adds a row lock on the dialects that have one; a SQLite writer already holds the
// database's write lock (immediate transactions).
func (s *Store) forUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if s.dialect == SQLite {
		return q
	}
	return q.For("UPDATE")
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// micros is the stored form of an instant; 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

func nullMicros(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	v := t.UnixMicro()
	return &v
}

func boolInt(b bool) int16 {
	if b {
		return 1
	}
	return 0
}
