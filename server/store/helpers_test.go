package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/storetest/legs"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// The package's own tests open their databases directly, from the same environment variables the
// storetest harness reads, so the store can be tested without importing the harness (which imports
// the store).
const (
	envPostgres = "HOTLINE_TEST_POSTGRES_DSN"
	envMySQL    = "HOTLINE_TEST_MYSQL_DSN"
)

var dbCounter atomic.Int64

// dialects lists the dialects this run can reach, each with a function creating a fresh empty
// database and returning its DSN.
func dialects(t testing.TB) map[Dialect]func(testing.TB) string {
	out := map[Dialect]func(testing.TB) string{SQLite: func(tb testing.TB) string {
		return filepath.Join(tb.TempDir(), "hotline.db")
	}}
	if dsn := os.Getenv(envPostgres); dsn != "" {
		out[Postgres] = func(tb testing.TB) string { return freshDB(tb, "pgx", dsn) }
	}
	if dsn := os.Getenv(envMySQL); dsn != "" {
		out[MySQL] = func(tb testing.TB) string { return freshDB(tb, "mysql", dsn) }
	}
	return out
}

func freshDB(tb testing.TB, driver, dsn string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	require.NoError(tb, err)
	name := fmt.Sprintf("hotline_t%d_%d", time.Now().UnixNano()%1e9, dbCounter.Add(1))
	admin := dsn
	if driver == "mysql" {
		pw, _ := u.User.Password()
		admin = fmt.Sprintf("%s:%s@tcp(%s)/%s", u.User.Username(), pw, u.Host, strings.TrimPrefix(u.Path, "/"))
	}
	db, err := sql.Open(driver, admin)
	require.NoError(tb, err)
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE " + name)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		db, err := sql.Open(driver, admin)
		if err != nil {
			return
		}
		defer db.Close()
		if driver == "pgx" {
			_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		} else {
			_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
		}
	})
	u.Path = "/" + name
	return u.String()
}

func testOptions(t testing.TB) Options {
	keys, err := secure.NewKeys(bytes.Repeat([]byte{0x42}, secure.MasterKeySize))
	require.NoError(t, err)
	return Options{Keys: keys}
}

// eachDialect runs fn on a fresh, migrated store of every reachable dialect, naming the leg.
// legName names each dialect's leg as CI reports it: the MySQL dialect runs against MariaDB here.
var legName = map[Dialect]string{SQLite: "sqlite", Postgres: "postgres", MySQL: "mariadb"}

func eachDialect(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	eachLeg(t, func(t *testing.T, mk func(testing.TB) string) { fn(t, openFresh(t, mk)) })
}

// eachLeg runs fn in a subtest per dialect, named as CI names the leg, with the function that makes
// a fresh empty database of it; a dialect this run cannot reach skips, naming the variable to set.
func eachLeg(t *testing.T, fn func(t *testing.T, mk func(testing.TB) string)) {
	t.Helper()
	ds := dialects(t)
	for _, d := range []Dialect{SQLite, Postgres, MySQL} {
		mk, ok := ds[d]
		leg := legName[d]
		t.Run(leg, func(t *testing.T) {
			legs.Record(t, leg)
			if !ok {
				t.Skipf("%s: set %s to run this leg", d, map[Dialect]string{Postgres: envPostgres, MySQL: envMySQL}[d])
			}
			fn(t, mk)
		})
	}
}

func openFresh(t testing.TB, mk func(testing.TB) string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, mk(t), testOptions(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))
	return s
}
