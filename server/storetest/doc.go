// Package storetest is the importable test harness for code built on server/store: it hands a test a
// fresh, migrated database on SQLite, PostgreSQL or MariaDB/MySQL, and runs one suite on every
// database available.
//
//	func TestMyReport(t *testing.T) {
//		storetest.EachDialect(t, func(t *testing.T, s *store.Store) {
//			// s is a fresh, migrated store; the subtest is named sqlite, postgres or mariadb.
//		})
//	}
//
//	func TestMain(m *testing.M) { storetest.Main(m) } // removes any Docker containers started
//
// [SQLite], [Postgres] and [MySQL] give one store each; [Open] takes [store.Options]; [DSN] gives an
// empty, unmigrated database (for migration tests); [New] is the same without a testing.TB.
// [Seed] puts units into a store and issues API keys acting for them ([SeedContext] without a
// testing.TB): the setup a test of an API or a console over the store starts from.
//
// # Where the databases come from
//
// SQLite is always there: a file in the test's temporary directory. For PostgreSQL and MariaDB/MySQL
// the harness needs a server on which it may CREATE DATABASE, found in this order:
//
//  1. HOTLINE_TEST_POSTGRES_DSN / HOTLINE_TEST_MYSQL_DSN, in the form store.Open accepts
//     (postgres://user:pass@host:5432/db?sslmode=disable, mysql://user:pass@host:3306/db). The
//     database in the DSN is only used to connect; each test gets its own. When a DSN is set and the
//     server cannot be reached, the test fails — it never skips.
//  2. A Docker engine, through github.com/ory/dockertest/v3: one container per leg per test process,
//     started on first use, removed by [Main] (containers are labelled org.hotline12345.storetest=1;
//     without Main they are left running). The images are postgres:16 and mariadb:10.11, overridable
//     for offline networks with a private registry by HOTLINE_TEST_POSTGRES_IMAGE /
//     HOTLINE_TEST_POSTGRES_TAG and HOTLINE_TEST_MYSQL_IMAGE / HOTLINE_TEST_MYSQL_TAG (e.g.
//     registry.example.gov.cn/library/postgres). DOCKER_HOST selects the engine as for the docker
//     command; HOTLINE_TEST_DOCKER=0 turns this path off.
//  3. Otherwise the leg skips, saying why: no DSN set and no Docker engine, with the engine's error.
//
// Each test gets a new database named hl_<16 hex digits>, created on that server and dropped when the
// test ends (PostgreSQL: DROP DATABASE … WITH (FORCE)). MariaDB databases are created with CHARACTER SET
// utf8mb4 and the server's default collation, as an operator would, so columns that must compare
// bytes exactly have to say so themselves.
//
// # Which legs ran
//
// Every leg logs what it runs on (t.Logf), and when HOTLINE_TEST_LEGS_FILE names a file, appends a
// line "<leg>\t<PASS|FAIL|SKIP>\t<test name>" to it when the test ends (package legs, which suites
// that cannot import storetest — the store's own — use directly). The project's CI reads that file to
// prove the PostgreSQL and MariaDB legs ran rather than skipped.
//
// The harness keeps per-process state (the servers found and the containers started): that is what
// "one container per process" means. It is safe for parallel tests.
package storetest
