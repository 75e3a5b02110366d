package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/ticket"
)

// minKeyRetention is the shortest time idempotency keys are kept (upstreams retry over weekends).
const minKeyRetention = 7 * 24 * time.Hour

// Dialect names the database behind a [Store].
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
	MySQL    Dialect = "mysql"
)

// Options tune [Open]. The zero Options are valid.
type Options struct {
	// MaxOpenConns bounds the connection pool; zero means 8 for SQLite and 16 otherwise.
	MaxOpenConns int
	// BusyTimeout is how long a SQLite writer waits for the write lock; zero means 5s.
	BusyTimeout time.Duration
	// NoAutoMigrate keeps [Open] from applying migrations to an embedded SQLite file. PostgreSQL and
	// MySQL are never migrated by Open: call [Store.Migrate] (the command's "migrate").
	NoAutoMigrate bool

	// Keys seal citizens' identities (SM4-GCM) and compute their blind indexes (HMAC-SM3). They come
	// from outside the database (secure.LoadKeys: a key file or the environment; or an HSM/KMS
	// provider). Open refuses to start without them, with an error wrapping [ErrNoKeys], unless
	// WithoutKeys is set.
	Keys secure.Keys
	// WithoutKeys opens a store for maintenance that touches no identity (migrate, unlock, verify the
	// audit chain); every method that stores or reads an identity then fails with [ErrNoKeys].
	WithoutKeys bool
	// Machine is the ticket lifecycle; nil means the national calendar with the street hotline's
	// limits and rules (004).
	Machine *ticket.Machine
	// AppealMachine is the engine of appeals, objections and reconsiderations; nil means the Shanghai
	// policy (000) on the national calendar.
	AppealMachine *appeal.Machine
	// RoutingPolicy is the policy of the router [Store.Router] builds; nil means routing.Shanghai().
	RoutingPolicy *routing.Policy
	// NumberPrefix prefixes the ticket numbers the store issues; empty means "HL".
	NumberPrefix string
	// KeyRetention is how long idempotency keys are kept; zero means 7 days, and less than 7 days is
	// refused (upstreams retry over weekends).
	KeyRetention time.Duration

	// Attachments is the attachment policy (size, types, required attachments); nil means
	// attach.Shanghai(): a 国办 reply needs its stamped report (000 §4 (三)).
	Attachments *attach.Policy
	// Blobs keeps attachments' bytes; nil keeps them in the database (in chunks).
	Blobs attach.BlobStore
	// Scanner scans every upload; nil means attach.NoScanner, which /readyz reports.
	Scanner attach.Scanner
}

// Store is the storage. It is safe for concurrent use.
type Store struct {
	db      *bun.DB
	dialect Dialect
	opts    Options
	machine *machineRef // swapped when the holiday schedule changes (calendar.go)
	keys    secure.Keys
	prefix  string
	keep    time.Duration
	appeals *appeal.Machine

	routingPolicy routing.Policy
	routers       routerCache
	numbers       numberPool
	pgInserts     sync.Map // pgInsertKey → *pgInsert, the intake's prepared INSERTs
	pgInsertRows  sync.Map // pgRowsKey → string, their multi-row forms (a round's)
	pg            pgCache
	mysql8        bool // Oracle MySQL rather than MariaDB

	files files // attachments: policy, blob store, scanner
}

// Dialect returns the dialect of the database behind s.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the bun handle, for the harness and for maintenance commands. Domain reads and writes go
// through the Store's methods, which scope and audit them.
func (s *Store) DB() *bun.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Open opens the database named by dsn and checks it answers:
//
//   - "postgres://…" or "postgresql://…": PostgreSQL 15+ through pgx (simple protocol, so bun's
//     formatted queries are not each prepared on the server; no parallel query plans unless the DSN
//     sets max_parallel_workers_per_gather);
//   - "mysql://user:pass@host:port/db?…": MariaDB 10.11 or MySQL 8 (parseTime, UTC);
//   - anything else is an embedded SQLite file: "sqlite:PATH", "file:PATH" or a plain PATH, opened in
//     WAL mode with synchronous=FULL, foreign keys on, a busy timeout and immediate transactions,
//     each checked after opening; Open migrates it unless [Options.NoAutoMigrate].
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.MaxOpenConns < 0 || opts.BusyTimeout < 0 {
		return nil, fmt.Errorf("%w: negative option", ErrInvalid)
	}
	if opts.KeyRetention != 0 && opts.KeyRetention < minKeyRetention {
		return nil, fmt.Errorf("%w: idempotency keys must be kept at least 7 days, not %s", ErrInvalid, opts.KeyRetention)
	}
	if (opts.Keys.Cipher == nil || opts.Keys.Index == nil) && !opts.WithoutKeys {
		return nil, fmt.Errorf("%w: Options.Keys has no cipher or no index (load them with secure.LoadKeys, or set WithoutKeys for maintenance)", ErrNoKeys)
	}
	machine := opts.Machine
	if machine == nil {
		m, err := defaultMachine()
		if err != nil {
			return nil, err
		}
		machine = m
	}
	prefix := opts.NumberPrefix
	if prefix == "" {
		prefix = "HL"
	}
	if _, err := newNumber(prefix, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1); err != nil {
		return nil, fmt.Errorf("%w: number prefix: %v", ErrInvalid, err)
	}
	appeals := opts.AppealMachine
	if appeals == nil {
		r, err := defaultAppealMachine()
		if err != nil {
			return nil, err
		}
		appeals = r
	}
	keep := opts.KeyRetention
	if keep == 0 {
		keep = minKeyRetention
	}
	d, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var sqldb *sql.DB
	var db *bun.DB
	switch d.dialect {
	case Postgres:
		sqldb = stdlib.OpenDB(*d.pg)
		db = bun.NewDB(sqldb, pgdialect.New())
	case MySQL:
		conn, err := mysql.NewConnector(d.my)
		if err != nil {
			return nil, &DSNError{Dialect: "mysql", Reason: err.Error()}
		}
		sqldb = sql.OpenDB(conn)
		db = bun.NewDB(sqldb, mysqldialect.New())
	default:
		bt := opts.BusyTimeout
		if bt == 0 {
			bt = 5 * time.Second
		}
		sqldb, err = sql.Open("sqlite", sqliteDSN(d.path, bt))
		if err != nil {
			return nil, &DSNError{Dialect: "sqlite", Reason: err.Error()}
		}
		db = bun.NewDB(sqldb, sqlitedialect.New())
	}
	n := opts.MaxOpenConns
	if n == 0 {
		n = 16
		if d.dialect == SQLite {
			n = 8
		}
	}
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	rp := defaultRoutingPolicy()
	if opts.RoutingPolicy != nil {
		if err := opts.RoutingPolicy.Validate(); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("%w: routing policy: %w", ErrInvalid, err)
		}
		rp = *opts.RoutingPolicy
	}
	s := &Store{routingPolicy: rp, db: db, dialect: d.dialect, opts: opts, machine: newMachineRef(machine), keys: opts.Keys, prefix: prefix, keep: keep, appeals: appeals}
	if err := s.setFiles(opts); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if d.dialect == SQLite && !opts.NoAutoMigrate {
		if err := s.Migrate(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return s, nil
}

// parallelWorkers is the PostgreSQL setting that allows parallel query plans.
const parallelWorkers = "max_parallel_workers_per_gather"

type parsedDSN struct {
	dialect Dialect
	path    string
	pg      *pgx.ConnConfig
	my      *mysql.Config
}

func parseDSN(dsn string) (parsedDSN, error) {
	if strings.TrimSpace(dsn) == "" {
		return parsedDSN{}, &DSNError{Reason: "empty"}
	}
	scheme, _, _ := strings.Cut(dsn, "://")
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return parsedDSN{}, &DSNError{Dialect: "postgres", Reason: redact(err)}
		}
		cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
		if _, set := cfg.RuntimeParams[parallelWorkers]; !set {
			if cfg.RuntimeParams == nil {
				cfg.RuntimeParams = map[string]string{}
			}
			// The store reads pages of 50 and single tickets: starting parallel workers costs
			// more than they save (at 10 million tickets a handling unit's page by state took
			// 35 ms with two workers, 7 ms without). A DSN that sets it keeps its value.
			cfg.RuntimeParams[parallelWorkers] = "0"
		}
		return parsedDSN{dialect: Postgres, pg: cfg}, nil
	case "mysql", "mariadb":
		cfg, err := mysqlConfig(dsn)
		if err != nil {
			return parsedDSN{}, err
		}
		return parsedDSN{dialect: MySQL, my: cfg}, nil
	}
	path := dsn
	for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
		if strings.HasPrefix(path, p) {
			path = path[len(p):]
			break
		}
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return parsedDSN{}, &DSNError{Dialect: "sqlite", Reason: "parameters are not accepted: the store sets the pragmas itself"}
	}
	if path == "" || path == ":memory:" || strings.Contains(path, "://") {
		return parsedDSN{}, &DSNError{Dialect: "sqlite", Reason: "want a file path, or a postgres:// or mysql:// URL"}
	}
	return parsedDSN{dialect: SQLite, path: path}, nil
}

// redact drops anything after "password" a driver's message may quote.
func redact(err error) string {
	s := err.Error()
	if i := strings.Index(strings.ToLower(s), "password"); i >= 0 {
		return s[:i] + "password …"
	}
	return s
}

// sqliteDSN returns the modernc DSN for path. modernc honours only _pragma=name(value); the
// _journal_mode style of other drivers is silently ignored, so [Store.check] reads them back.
func sqliteDSN(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func mysqlConfig(dsn string) (*mysql.Config, error) {
	bad := func(r string) error { return &DSNError{Dialect: "mysql", Reason: r} }
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, bad("not a URL")
	}
	if u.Host == "" {
		return nil, bad("no host")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return nil, bad("want one database name as the path")
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
	cfg.DBName = db
	cfg.ParseTime = true
	// The store sends a transaction's inserts as one batch (bun renders and escapes every value).
	cfg.MultiStatements = true
	cfg.Loc = time.UTC
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	for k, vs := range u.Query() {
		v := vs[len(vs)-1]
		switch k {
		case "tls":
			cfg.TLSConfig = v
		case "timeout", "readTimeout", "writeTimeout":
			d, err := time.ParseDuration(v)
			if err != nil {
				return nil, bad(k + ": " + err.Error())
			}
			switch k {
			case "timeout":
				cfg.Timeout = d
			case "readTimeout":
				cfg.ReadTimeout = d
			default:
				cfg.WriteTimeout = d
			}
		default:
			return nil, bad("unknown parameter " + strconv.Quote(k))
		}
	}
	return cfg, nil
}

// check pings the database and, for SQLite, reads back every pragma: a DSN the driver ignored must
// not leave the file in rollback-journal mode or without synchronous=FULL.
func (s *Store) check(ctx context.Context) error {
	fail := func(err error) error { return &ConnectError{Dialect: string(s.dialect), Err: err} }
	if err := s.db.PingContext(ctx); err != nil {
		return fail(err)
	}
	if s.dialect == MySQL {
		var version string
		if err := s.db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
			return fail(err)
		}
		s.mysql8 = !strings.Contains(strings.ToLower(version), "mariadb")
	}
	if s.dialect != SQLite {
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	want := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"},
		{"foreign_keys", "1"},
	}
	for _, w := range want {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+w.pragma).Scan(&got); err != nil {
			return fail(fmt.Errorf("PRAGMA %s: %w", w.pragma, err))
		}
		if !strings.EqualFold(got, w.want) {
			return fail(fmt.Errorf("PRAGMA %s is %q, want %q", w.pragma, got, w.want))
		}
	}
	var busy int
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return fail(fmt.Errorf("PRAGMA busy_timeout: %w", err))
	}
	if busy <= 0 {
		return fail(errors.New("PRAGMA busy_timeout is 0"))
	}
	return nil
}
