package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest/legs"
)

// Leg names a database the suite runs on; it is the subtest's name.
type Leg string

// The legs, in the order EachDialect runs them.
const (
	LegSQLite   Leg = "sqlite"
	LegPostgres Leg = "postgres"
	LegMariaDB  Leg = "mariadb" // MariaDB 10.11 or MySQL 8, through the mysql:// DSN
)

// Legs returns every leg, in order.
func Legs() []Leg { return []Leg{LegSQLite, LegPostgres, LegMariaDB} }

// Environment variables the harness reads.
const (
	EnvPostgresDSN   = "HOTLINE_TEST_POSTGRES_DSN"
	EnvMySQLDSN      = "HOTLINE_TEST_MYSQL_DSN"
	EnvPostgresImage = "HOTLINE_TEST_POSTGRES_IMAGE"
	EnvPostgresTag   = "HOTLINE_TEST_POSTGRES_TAG"
	EnvMySQLImage    = "HOTLINE_TEST_MYSQL_IMAGE"
	EnvMySQLTag      = "HOTLINE_TEST_MYSQL_TAG"
	EnvDocker        = "HOTLINE_TEST_DOCKER"
	EnvLegsFile      = legs.EnvFile
)

var (
	// ErrUnavailable: the leg has no database here (no DSN and no Docker engine); tests skip.
	ErrUnavailable = errors.New("storetest: database unavailable")
	// ErrUnknownLeg: a Leg that is not one of Legs().
	ErrUnknownLeg = errors.New("storetest: unknown leg")
)

// testMaster is the fixed master key of TestKeys; it protects nothing but test data.
var testMaster = bytes.Repeat([]byte{0x5a}, secure.MasterKeySize)

// TestKeys returns fixed keys for tests (never for real data): the same on every call, so a test can
// reopen a store and read what it sealed.
func TestKeys() secure.Keys {
	k, err := secure.NewKeys(testMaster)
	if err != nil {
		panic("storetest: the fixed test key is refused: " + err.Error()) // a bug in this package
	}
	return k
}

// DefaultOptions are the store.Options SQLite, Postgres, MySQL and EachDialect use: TestKeys and
// everything else at its default.
func DefaultOptions() store.Options {
	return store.Options{Keys: TestKeys()}
}

// SQLite returns a fresh, migrated store in a SQLite file in tb's temporary directory.
func SQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return Open(tb, LegSQLite, DefaultOptions())
}

// Postgres returns a store on a fresh, migrated PostgreSQL database, or skips tb saying why.
func Postgres(tb testing.TB) *store.Store {
	tb.Helper()
	return Open(tb, LegPostgres, DefaultOptions())
}

// MySQL returns a store on a fresh, migrated MariaDB/MySQL database, or skips tb saying why.
func MySQL(tb testing.TB) *store.Store {
	tb.Helper()
	return Open(tb, LegMariaDB, DefaultOptions())
}

// EachDialect runs fn in a subtest per leg — sqlite, postgres, mariadb — each on a fresh, migrated
// store opened with DefaultOptions. A leg with no database skips, saying why.
func EachDialect(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	EachDialectWith(t, DefaultOptions(), fn)
}

// EachDialectWith is EachDialect with the given options.
func EachDialectWith(t *testing.T, opts store.Options, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, leg := range Legs() {
		t.Run(string(leg), func(t *testing.T) {
			s := Open(t, leg, opts)
			fn(t, s)
		})
	}
}

// Open returns a store on a fresh database of leg, opened with opts and migrated, closed and dropped
// when tb ends. It skips tb when the leg is unavailable and fails it on any other error.
func Open(tb testing.TB, leg Leg, opts store.Options) *store.Store {
	tb.Helper()
	legs.Record(tb, string(leg))
	s, where, cleanup, err := open(context.Background(), leg, opts)
	if cleanup != nil {
		tb.Cleanup(func() {
			if err := cleanup(); err != nil {
				tb.Errorf("storetest: %s: cleaning up: %v", leg, err)
			}
		})
	}
	done(tb, leg, err)
	tb.Logf("storetest: %s leg: fresh migrated database %s", leg, where)
	return s
}

// DSN returns the DSN of a fresh, empty database of leg (nothing migrated), dropped when tb ends. It
// skips tb when the leg is unavailable.
func DSN(tb testing.TB, leg Leg) string {
	tb.Helper()
	legs.Record(tb, string(leg))
	dsn, where, cleanup, err := newDSN(context.Background(), leg)
	if cleanup != nil {
		tb.Cleanup(func() {
			if err := cleanup(); err != nil {
				tb.Errorf("storetest: %s: dropping the database: %v", leg, err)
			}
		})
	}
	done(tb, leg, err)
	tb.Logf("storetest: %s leg: fresh empty database %s", leg, where)
	return dsn
}

func done(tb testing.TB, leg Leg, err error) {
	tb.Helper()
	switch {
	case errors.Is(err, ErrUnavailable):
		tb.Skipf("%s leg skipped: %v", leg, err)
	case err != nil:
		tb.Fatalf("storetest: %s: %v", leg, err)
	}
}

// New opens a store on a fresh database of leg with opts and migrates it. The returned cleanup closes
// the store and drops the database; it is non-nil whenever something needs undoing, even with an
// error. An error wrapping ErrUnavailable means the leg has no database here.
func New(ctx context.Context, leg Leg, opts store.Options) (s *store.Store, cleanup func() error, err error) {
	s, _, cleanup, err = open(ctx, leg, opts)
	return s, cleanup, err
}

func open(ctx context.Context, leg Leg, opts store.Options) (*store.Store, string, func() error, error) {
	dsn, where, drop, err := newDSN(ctx, leg)
	if err != nil {
		return nil, "", drop, err
	}
	s, err := store.Open(ctx, dsn, opts)
	if err != nil {
		return nil, "", drop, fmt.Errorf("opening the fresh database %s: %w", where, err)
	}
	cleanup := func() error { return errors.Join(s.Close(), drop()) }
	if err := s.Migrate(ctx); err != nil {
		return nil, "", cleanup, fmt.Errorf("migrating the fresh database %s: %w", where, err)
	}
	return s, where, cleanup, nil
}

// NewDSN creates a fresh, empty database of leg and returns its DSN and a function dropping it
// (non-nil whenever something needs undoing). An error wrapping ErrUnavailable means the leg has no
// database here.
func NewDSN(ctx context.Context, leg Leg) (dsn string, drop func() error, err error) {
	dsn, _, drop, err = newDSN(ctx, leg)
	return dsn, drop, err
}

// newDSN also says where the database is, for the log (never with a password).
func newDSN(ctx context.Context, leg Leg) (string, string, func() error, error) {
	switch leg {
	case LegSQLite:
		dir, err := os.MkdirTemp("", "hotline-storetest-")
		if err != nil {
			return "", "", nil, err
		}
		path := filepath.Join(dir, "hotline.db")
		return path, path, func() error { return os.RemoveAll(dir) }, nil
	case LegPostgres, LegMariaDB:
	default:
		return "", "", nil, fmt.Errorf("%w %q", ErrUnknownLeg, string(leg))
	}
	srv, err := serverFor(ctx, leg)
	if err != nil {
		return "", "", nil, err
	}
	return createDatabase(ctx, srv)
}

// server is a database server the harness may create databases on.
type server struct {
	leg    Leg
	dsn    string // admin DSN, in store.Open's form
	source string // where it came from, for the log
}

// databaseName returns hl_ and 16 random hexadecimal digits.
func databaseName() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "hl_" + hex.EncodeToString(b[:]), nil
}

// withDatabase returns dsn naming database name instead of its own.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("the server DSN is not a URL")
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// adminConn opens a database/sql connection to the server's own database.
func adminConn(srv server) (*sql.DB, error) {
	if srv.leg == LegPostgres {
		return sql.Open("pgx", srv.dsn)
	}
	cfg, err := mysqlConfig(srv.dsn)
	if err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// mysqlConfig reads the mysql://user:pass@host[:port]/db[?tls=…] form store.Open accepts.
func mysqlConfig(dsn string) (*mysql.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "mysql" && u.Scheme != "mariadb") || u.Host == "" {
		return nil, fmt.Errorf("%s: want mysql://user:pass@host:port/database", EnvMySQLDSN)
	}
	cfg := mysql.NewConfig()
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = u.Host + ":3306"
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if tls := u.Query().Get("tls"); tls != "" {
		cfg.TLSConfig = tls
	}
	cfg.Timeout = 10 * time.Second
	return cfg, nil
}

func createDatabase(ctx context.Context, srv server) (string, string, func() error, error) {
	name, err := databaseName()
	if err != nil {
		return "", "", nil, err
	}
	dsn, err := withDatabase(srv.dsn, name)
	if err != nil {
		return "", "", nil, err
	}
	db, err := adminConn(srv)
	if err != nil {
		return "", "", nil, fmt.Errorf("connecting to %s (%s): %w", srv.leg, srv.source, err)
	}
	defer db.Close()
	create := "CREATE DATABASE " + name
	if srv.leg == LegMariaDB {
		create += " CHARACTER SET utf8mb4"
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(cctx, create); err != nil {
		return "", "", nil, fmt.Errorf("creating database %s on %s (%s): %w", name, srv.leg, srv.source, err)
	}
	drop := func() error {
		db, err := adminConn(srv)
		if err != nil {
			return err
		}
		defer db.Close()
		stmt := "DROP DATABASE IF EXISTS " + name
		if srv.leg == LegPostgres {
			stmt += " WITH (FORCE)"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err = db.ExecContext(ctx, stmt)
		return err
	}
	return dsn, fmt.Sprintf("%s on %s (%s)", name, redactedHost(srv.dsn), srv.source), drop, nil
}

// redactedHost is the host:port of a DSN, for logs.
func redactedHost(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "?"
	}
	return u.Host
}
