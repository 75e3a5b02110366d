package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// runKeys runs "hotline keys …" on db and returns stdout, stderr and the error.
func runKeys(t *testing.T, db string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"keys"}, args...), env(map[string]string{"HOTLINE_DB": db, "USER": "ops"}), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

var keyLineRe = regexp.MustCompile(`(?m)^key:\s+(hlk_[0-9a-f]{64})$`)
var idLineRe = regexp.MustCompile(`(?m)^id:\s+(\S+)$`)

// keys create prints the key once; the served API takes it; keys list never shows it; keys revoke
// makes the API refuse it.
func TestKeysCreateListRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	// A unit of the directory for the office's key.
	st, err := store.Open(context.Background(), db, store.Options{WithoutKeys: true})
	require.NoError(t, err)
	require.NoError(t, st.PutUnit(context.Background(), store.Principal{Actor: "admin", Role: store.RoleAdmin},
		routing.Unit{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}}, time.Now()))
	require.NoError(t, st.Close())

	out, errOut, err := runKeys(t, db, "create", "-unit", "office-bs", "-role", "hotline_office", "-label", "坐席", "-valid", "30")
	require.NoError(t, err, errOut)
	m := keyLineRe.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	secret := m[1]
	id := idLineRe.FindStringSubmatch(out)[1]
	assert.Contains(t, errOut, "shown once")
	assert.Contains(t, out, "role:        hotline_office")

	base, _, _, stop := startServeOn(t, db)
	client := &http.Client{Timeout: 5 * time.Second}
	status := func(key string) int {
		req, err := http.NewRequest(http.MethodGet, base+"/v1/tickets", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, status(secret))

	out, _, err = runKeys(t, db, "list")
	require.NoError(t, err)
	assert.Contains(t, out, "FINGERPRINT")
	assert.Contains(t, out, id)
	assert.Contains(t, out, "active")
	assert.NotContains(t, out, secret[4:])
	out, _, err = runKeys(t, db, "list", "-json")
	require.NoError(t, err)
	var line struct {
		ID, Status, Role string
		Expires          time.Time
	}
	require.NoError(t, json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &line))
	assert.Equal(t, id, line.ID)
	assert.Equal(t, "active", line.Status)
	assert.WithinDuration(t, time.Now().AddDate(0, 0, 30), line.Expires, time.Minute)

	out, _, err = runKeys(t, db, "revoke", id)
	require.NoError(t, err)
	assert.Equal(t, "revoked "+id+"\n", out)
	assert.Equal(t, http.StatusUnauthorized, status(secret))
	out, _, err = runKeys(t, db, "list")
	require.NoError(t, err)
	assert.Contains(t, out, "revoked")
	_, _, err = runKeys(t, db, "revoke", "-id", id)
	assert.ErrorIs(t, err, store.ErrNotFound, "revoked twice")
	require.NoError(t, stop())

	// The chain names the command's actor.
	st, err = store.Open(context.Background(), db, store.Options{WithoutKeys: true})
	require.NoError(t, err)
	defer st.Close()
	var actors []string
	require.NoError(t, st.DB().NewSelect().Table("audit_log").Column("actor").Where("action LIKE 'credential.%'").
		Scan(context.Background(), &actors))
	assert.Equal(t, []string{"cli:ops", "cli:ops"}, actors)
}

func TestKeysRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no subcommand", nil, true, "Usage:"},
		{"unknown subcommand", []string{"rotate"}, true, `unknown subcommand "rotate"`},
		{"create without a unit", []string{"create", "-role", "auditor"}, true, "-unit and -role are required"},
		{"create with both expiries", []string{"create", "-unit", "x", "-role", "auditor", "-valid", "3", "-expires", "2027-01-01"}, false, "not both"},
		{"create with a bad date", []string{"create", "-unit", "x", "-role", "auditor", "-expires", "next year"}, false, "2027-06-01"},
		{"create for an unknown role", []string{"create", "-unit", "x", "-role", "root"}, false, "role"},
		{"create for a unit not in the directory", []string{"create", "-unit", "nowhere", "-role", "handling_unit"}, false, "directory"},
		{"create expiring too late", []string{"create", "-unit", "x", "-role", "auditor", "-valid", "2000"}, false, "days"},
		{"revoke without an id", []string{"revoke"}, true, "id is required"},
		{"list with an argument", []string{"list", "extra"}, true, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runKeys(t, db, tt.args...)
			require.Error(t, err)
			if tt.usage {
				assert.ErrorIs(t, err, errUsage)
				assert.Contains(t, errOut, tt.want)
			} else {
				assert.NotErrorIs(t, err, errUsage)
				assert.Contains(t, err.Error(), tt.want)
			}
			assert.NotContains(t, out, "hlk_")
		})
	}
	t.Run("a supervisor's key needs no unit of the directory; -expires takes a date in Asia/Shanghai", func(t *testing.T) {
		out, _, err := runKeys(t, db, "create", "-unit", "dcj", "-role", "supervisor", "-expires", time.Now().AddDate(0, 2, 0).Format(time.DateOnly))
		require.NoError(t, err)
		assert.Regexp(t, `expires:\s+\d{4}-\d{2}-\d{2}T00:00:00\+08:00`, out)
	})
	t.Run("a PostgreSQL database with migrations pending is refused", func(t *testing.T) {
		dsn := storetest.DSN(t, storetest.LegPostgres) // empty: nothing migrated
		_, _, err := runKeys(t, dsn, "list")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "hotline migrate up")
	})
}
