package storetest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ory/dockertest/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/store"
)

func TestMain(m *testing.M) { Main(m) }

var wantDialect = map[Leg]store.Dialect{LegSQLite: store.SQLite, LegPostgres: store.Postgres, LegMariaDB: store.MySQL}

// The suite runs on every leg available, each a fresh database with every migration applied.
func TestEachDialect(t *testing.T) {
	var ran []string
	EachDialect(t, func(t *testing.T, s *store.Store) {
		ran = append(ran, t.Name())
		leg := Leg(t.Name()[strings.LastIndex(t.Name(), "/")+1:])
		assert.Equal(t, wantDialect[leg], s.Dialect(), "the leg is named for its dialect")
		pending, err := s.Pending(context.Background())
		require.NoError(t, err)
		assert.Empty(t, pending, "migrated")
	})
	assert.Contains(t, ran, "TestEachDialect/sqlite", "SQLite always runs")
}

// A new database per test: what one test writes, the next does not see; the database is dropped after.
func TestFreshDatabasePerStore(t *testing.T) {
	for _, leg := range Legs() {
		t.Run(string(leg), func(t *testing.T) {
			ctx := context.Background()
			a := Open(t, leg, DefaultOptions())
			b := Open(t, leg, DefaultOptions())
			_, err := a.DB().ExecContext(ctx, "CREATE TABLE storetest_marker (n INT)")
			require.NoError(t, err)
			_, err = b.DB().ExecContext(ctx, "SELECT n FROM storetest_marker")
			require.Error(t, err, "the second store is another database")

			if leg == LegSQLite {
				return
			}
			dsn, drop, err := NewDSN(ctx, leg)
			require.NoError(t, err)
			name := dsn[strings.LastIndex(dsn, "/")+1:]
			name, _, _ = strings.Cut(name, "?")
			assert.Regexp(t, `^hl_[0-9a-f]{16}$`, name)
			assert.True(t, databaseExists(t, leg, name))
			require.NoError(t, drop())
			assert.False(t, databaseExists(t, leg, name), "dropped")
		})
	}
}

func databaseExists(t *testing.T, leg Leg, name string) bool {
	t.Helper()
	srv, err := serverFor(context.Background(), leg)
	require.NoError(t, err)
	db, err := adminConn(srv)
	require.NoError(t, err)
	defer db.Close()
	q := "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?"
	if leg == LegPostgres {
		q = "SELECT COUNT(*) FROM pg_database WHERE datname = $1"
	}
	var n int
	require.NoError(t, db.QueryRow(q, name).Scan(&n))
	return n == 1
}

func TestSQLiteAlwaysAvailable(t *testing.T) {
	s := SQLite(t)
	assert.Equal(t, store.SQLite, s.Dialect())
	dsn := DSN(t, LegSQLite)
	_, err := os.Stat(dsn)
	assert.True(t, os.IsNotExist(err), "DSN gives a path for a database not yet created")
}

func TestUnknownLeg(t *testing.T) {
	_, _, err := New(context.Background(), Leg("oracle"), DefaultOptions())
	require.ErrorIs(t, err, ErrUnknownLeg)
}

type fakePool struct{ err error }

func (f fakePool) Ping(context.Context) error { return f.err }
func (f fakePool) Pool() *dockertest.Pool     { return nil }

func TestLocate(t *testing.T) {
	ctx := context.Background()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	noEngine := func() (dockerPool, error) {
		return fakePool{errors.New("dial unix /var/run/docker.sock: connect: no such file or directory")}, nil
	}
	mustNotCall := func() (dockerPool, error) { t.Fatal("Docker consulted although a DSN is set"); return nil, nil }

	srv, _, _, err := locate(ctx, LegPostgres, env(map[string]string{EnvPostgresDSN: "postgres://u@db:5432/x"}), mustNotCall)
	require.NoError(t, err)
	assert.Equal(t, "postgres://u@db:5432/x", srv.dsn)
	assert.Equal(t, EnvPostgresDSN, srv.source)

	_, _, _, err = locate(ctx, LegMariaDB, env(map[string]string{EnvMySQLDSN: "postgres://u@db/x"}), mustNotCall)
	require.Error(t, err, "a DSN of the wrong kind")
	assert.NotErrorIs(t, err, ErrUnavailable, "a DSN that is set never makes the leg skip")
	assert.Contains(t, err.Error(), EnvMySQLDSN)

	_, _, _, err = locate(ctx, LegPostgres, env(nil), noEngine)
	require.ErrorIs(t, err, ErrUnavailable)
	assert.Contains(t, err.Error(), "HOTLINE_TEST_POSTGRES_DSN is not set and no Docker engine answers: dial unix /var/run/docker.sock")

	_, _, _, err = locate(ctx, LegMariaDB, env(map[string]string{EnvDocker: "0"}), mustNotCall)
	require.ErrorIs(t, err, ErrUnavailable)
	assert.Contains(t, err.Error(), "HOTLINE_TEST_MYSQL_DSN is not set and HOTLINE_TEST_DOCKER=0")

	_, _, _, err = locate(ctx, LegMariaDB, env(nil), func() (dockerPool, error) { return nil, errors.New("invalid endpoint") })
	require.ErrorIs(t, err, ErrUnavailable)
	assert.Contains(t, err.Error(), "invalid endpoint")
}

func TestImageOverrides(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	repo, tag := image(LegPostgres, env(nil))
	assert.Equal(t, "postgres:16", repo+":"+tag)
	repo, tag = image(LegMariaDB, env(nil))
	assert.Equal(t, "mariadb:10.11", repo+":"+tag)
	repo, tag = image(LegMariaDB, env(map[string]string{EnvMySQLImage: "registry.example.gov.cn/library/mysql", EnvMySQLTag: "8.4"}))
	assert.Equal(t, "registry.example.gov.cn/library/mysql:8.4", repo+":"+tag)
	repo, tag = image(LegPostgres, env(map[string]string{EnvPostgresTag: "15"}))
	assert.Equal(t, "postgres:15", repo+":"+tag)
}

func TestWithDatabase(t *testing.T) {
	got, err := withDatabase("postgres://u:p%40ss@h:5432/test?sslmode=disable", "hl_0123456789abcdef")
	require.NoError(t, err)
	assert.Equal(t, "postgres://u:p%40ss@h:5432/hl_0123456789abcdef?sslmode=disable", got)
	got, err = withDatabase("mysql://root@127.0.0.1:3306/test", "hl_x")
	require.NoError(t, err)
	assert.Equal(t, "mysql://root@127.0.0.1:3306/hl_x", got)

	cfg, err := mysqlConfig("mysql://root:pw@db/test?tls=true")
	require.NoError(t, err)
	assert.Equal(t, "db:3306", cfg.Addr)
	assert.Equal(t, "pw", cfg.Passwd)
	assert.Equal(t, "true", cfg.TLSConfig)
	_, err = mysqlConfig("root@tcp(db)/test")
	require.Error(t, err)
}

// helperEnv is the environment of a child test process: this one's, less every variable that would
// find a database or record a leg, plus extra.
func helperEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HOTLINE_TEST_") || strings.HasPrefix(kv, "DOCKER_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

func runHelper(t *testing.T, env []string) (string, error) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run", "^TestHelperLegs$", "-test.v", "-test.count=1")
	cmd.Env = append(env, "HOTLINE_STORETEST_HELPER=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestHelperLegs is run by the tests below in a child process with a controlled environment.
func TestHelperLegs(t *testing.T) {
	if os.Getenv("HOTLINE_STORETEST_HELPER") != "1" {
		t.Skip("run as a child process by TestSkipsSayingWhy and TestDSNSetButUnreachableFails")
	}
	EachDialect(t, func(t *testing.T, s *store.Store) {})
}

// With no DSN and no Docker engine (none runs on this machine; DOCKER_HOST points nowhere to be
// sure), the PostgreSQL and MariaDB legs skip and say exactly why; SQLite runs.
func TestSkipsSayingWhy(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child test process")
	}
	out, err := runHelper(t, helperEnv("DOCKER_HOST=unix:///nonexistent/hotline-storetest/docker.sock"))
	require.NoError(t, err, out)
	assert.Contains(t, out, "--- PASS: TestHelperLegs/sqlite")
	assert.Contains(t, out, "--- SKIP: TestHelperLegs/postgres")
	assert.Contains(t, out, "--- SKIP: TestHelperLegs/mariadb")
	assert.Contains(t, out, "postgres leg skipped: storetest: database unavailable: HOTLINE_TEST_POSTGRES_DSN is not set and no Docker engine answers:")
	assert.Contains(t, out, "mariadb leg skipped: storetest: database unavailable: HOTLINE_TEST_MYSQL_DSN is not set and no Docker engine answers:")
	assert.Contains(t, out, "/nonexistent/hotline-storetest/docker.sock", "the engine's own error is quoted")

	// The default endpoint (unix:///var/run/docker.sock) with no engine behind it skips the same way.
	if _, err := os.Stat("/var/run/docker.sock"); os.IsNotExist(err) {
		out, err := runHelper(t, helperEnv())
		require.NoError(t, err, out)
		assert.Contains(t, out, "--- SKIP: TestHelperLegs/postgres")
		assert.Contains(t, out, "no Docker engine answers:")
	}

	legs := filepath.Join(t.TempDir(), "legs.tsv")
	out, err = runHelper(t, helperEnv("HOTLINE_TEST_DOCKER=0", "HOTLINE_TEST_LEGS_FILE="+legs))
	require.NoError(t, err, out)
	assert.Contains(t, out, "HOTLINE_TEST_DOCKER=0 turns the Docker fallback off")
	recorded, err := os.ReadFile(legs)
	require.NoError(t, err)
	assert.Equal(t, "sqlite\tPASS\tTestHelperLegs/sqlite\npostgres\tSKIP\tTestHelperLegs/postgres\nmariadb\tSKIP\tTestHelperLegs/mariadb\n", string(recorded),
		"each leg's outcome is recorded for CI")
}

// A DSN that is set but does not answer fails the leg: it never skips.
func TestDSNSetButUnreachableFails(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child test process")
	}
	out, err := runHelper(t, helperEnv(
		"HOTLINE_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2",
		"HOTLINE_TEST_MYSQL_DSN=mysql://root@127.0.0.1:1/test?timeout=2s",
		"HOTLINE_TEST_DOCKER=0",
	))
	require.Error(t, err, "the child must fail")
	assert.Contains(t, out, "--- FAIL: TestHelperLegs/postgres")
	assert.Contains(t, out, "--- FAIL: TestHelperLegs/mariadb")
	assert.NotContains(t, out, "--- SKIP")
}
