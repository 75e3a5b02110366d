package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/storetest"
)

var hlKey = regexp.MustCompile(`hlk_[0-9a-f]{64}`)

func runCmd(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), args, env(vars), &o, &e)
	return o.String(), e.String(), err
}

// The demo on a fresh machine: no key in the environment, so a demo identity key is generated next to
// the SQLite file (mode 0600) and announced; a second run adds nothing and prints the same API keys.
func TestDemoCommandIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	out, logs, err := runCmd(t, nil, "demo", "-db", db)
	require.NoError(t, err, logs)
	assert.Contains(t, out, "DEMO IDENTITY KEY generated in "+db+".key")
	assert.Contains(t, logs, "demo identity key generated")
	for _, f := range []string{db + ".key", db + ".demo-keys.json"} {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), f)
	}
	keys := hlKey.FindAllString(out, -1)
	require.Len(t, uniq(keys), 5, "one key per role")
	assert.Contains(t, out, "39 张工单 tickets (本次新建 created now: 39)")
	assert.Contains(t, out, "HOTLINE_KEY_FILE="+db+".key")

	again, logs, err := runCmd(t, nil, "demo", "-db", db)
	require.NoError(t, err, logs)
	assert.NotContains(t, again, "DEMO IDENTITY KEY generated")
	assert.Contains(t, again, "using the DEMO identity key in "+db+".key")
	assert.Contains(t, again, "(本次新建 created now: 0)")
	assert.Equal(t, uniq(keys), uniq(hlKey.FindAllString(again, -1)), "the same keys")

	// The loaded store checks: every ticket replays, the audit chain verifies.
	vars := map[string]string{"HOTLINE_KEY_FILE": db + ".key"}
	out, _, err = runCmd(t, vars, "verify", "-db", db)
	require.NoError(t, err)
	assert.Contains(t, out, "verified: 39 tickets and 1 cases")
	out, _, err = runCmd(t, nil, "audit", "verify", "-db", db)
	require.NoError(t, err)
	assert.Regexp(t, `audit chain verified: \d+ rows in 16 shards`, out)
}

func uniq(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// A demo on a server database generates no key: it needs HOTLINE_KEY.
func TestDemoOnServerDatabaseNeedsKey(t *testing.T) {
	_, _, err := runCmd(t, nil, "demo", "-db", "postgres://nobody@127.0.0.1:1/none")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "needs HOTLINE_KEY")
}

func TestSQLitePath(t *testing.T) {
	for dsn, want := range map[string]string{
		"hotline.db": "hotline.db", "sqlite:/var/x.db": "/var/x.db", "file:x.db": "x.db", "sqlite://x.db": "x.db",
	} {
		got, ok := sqlitePath(dsn)
		assert.True(t, ok, dsn)
		assert.Equal(t, want, got, dsn)
	}
	for _, dsn := range []string{"postgres://u@h/db", "postgresql://u@h/db", "mysql://u@h/db", "MariaDB://u@h/db"} {
		_, ok := sqlitePath(dsn)
		assert.False(t, ok, dsn)
	}
}

// serve -demo with no key set serves the demo: the printed keys work on the printed address.
func TestServeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	base, stdout, stderr, stop := startServeEnv(t, nil, db, "-demo")
	out := stdout.String()
	assert.Contains(t, out, "DEMO IDENTITY KEY")
	assert.Contains(t, out, "export HOTLINE="+base)
	keys := uniq(hlKey.FindAllString(out, -1))
	require.Len(t, keys, 5)
	ready(t, base)
	office := regexp.MustCompile(`OFFICE_KEY=(hlk_[0-9a-f]{64})`).FindStringSubmatch(out)
	require.NotNil(t, office)
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/tickets?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+office[1])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var page struct{ Items []json.RawMessage }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.GreaterOrEqual(t, len(page.Items), 30, "the office sees the street's tickets")
	require.NoError(t, stop(), stderr.String())

	// Restarting serves the same demo with the same keys.
	base, stdout, _, stop = startServeEnv(t, nil, db, "-demo")
	assert.Equal(t, keys, uniq(hlKey.FindAllString(stdout.String(), -1)))
	assert.Contains(t, stdout.String(), "(本次新建 created now: 0)")
	ready(t, base)
	require.NoError(t, stop())
}

func ready(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz did not answer 200 within 30s", base)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The checking commands name the first bad row or ticket and exit 1; they exit 2 when they cannot
// check at all.
func TestVerifyCommandsFindTampering(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	_, logs, err := runCmd(t, map[string]string{"HOTLINE_KEY": testKey}, "demo", "-db", db)
	require.NoError(t, err, logs)
	raw, err := sql.Open("sqlite", "file:"+db)
	require.NoError(t, err)
	defer raw.Close()

	// An attacker with DDL rights drops the append-only triggers and edits one audit row.
	var shard, seq int64
	require.NoError(t, raw.QueryRow("SELECT shard, seq FROM audit_log WHERE shard = 3 ORDER BY seq LIMIT 1 OFFSET 2").Scan(&shard, &seq))
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'mallory' WHERE shard = 3 AND seq = " + itoa(seq)} {
		_, err := raw.Exec(q)
		require.NoError(t, err, q)
	}
	out, _, err := runCmd(t, nil, "audit", "verify", "-db", db)
	require.Error(t, err)
	assert.Equal(t, 1, exitCode(err))
	assert.Contains(t, out, "audit chain BROKEN")
	assert.Contains(t, out, "audit shard 3")
	assert.Contains(t, out, "seq "+itoa(seq))

	// A ticket's projection is changed behind the history's back.
	var id string
	require.NoError(t, raw.QueryRow("SELECT id FROM tickets WHERE state = 'handling' ORDER BY id LIMIT 1").Scan(&id))
	_, err = raw.Exec("UPDATE tickets SET state = 'closed' WHERE id = ?", id)
	require.NoError(t, err)
	out, _, err = runCmd(t, map[string]string{"HOTLINE_KEY": testKey}, "verify", "-db", db)
	require.Error(t, err)
	assert.Equal(t, 1, exitCode(err))
	assert.Contains(t, out, "ticket "+id+": projection differs from the replayed history")
	assert.Contains(t, out, "1 of 39 tickets")

	// Cannot check: no key, no database.
	_, _, err = runCmd(t, nil, "verify", "-db", db)
	assert.Equal(t, 2, exitCode(err))
	_, _, err = runCmd(t, nil, "audit", "verify", "-db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	assert.Equal(t, 2, exitCode(err))
	missing := filepath.Join(t.TempDir(), "missing.db")
	_, _, err = runCmd(t, nil, "audit", "verify", "-db", missing)
	assert.Equal(t, 2, exitCode(err))
	assert.ErrorContains(t, err, "no database to check")
	assert.NoFileExists(t, missing, "a check creates no database")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The demo also loads on PostgreSQL and MariaDB when their DSNs are set, given a key.
func TestDemoOnEveryDialect(t *testing.T) {
	for _, leg := range []storetest.Leg{storetest.LegPostgres, storetest.LegMariaDB} {
		t.Run(string(leg), func(t *testing.T) {
			dsn := storetest.DSN(t, leg)
			vars := map[string]string{"HOTLINE_KEY": testKey}
			out, logs, err := runCmd(t, vars, "demo", "-db", dsn, "-demo-keys", filepath.Join(t.TempDir(), "keys.json"))
			require.NoError(t, err, logs)
			assert.Contains(t, out, "(本次新建 created now: 39)")
			out, _, err = runCmd(t, vars, "verify", "-db", dsn)
			require.NoError(t, err)
			assert.Contains(t, out, "verified: 39 tickets")
			out, _, err = runCmd(t, nil, "audit", "verify", "-db", dsn)
			require.NoError(t, err, out)
		})
	}
}
