package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// serve purges the chunks an upload cut off by a crash leaves behind (issue 15: nothing half-written
// stays), once they are older than -purge-after; chunks of an upload still in progress stay, and the
// audit chain still verifies after the purge's own audit row.
func TestServePurgesCutOffUploads(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hotline.db")
	ctx := context.Background()
	keys, err := secure.LoadKeys(env(map[string]string{"HOTLINE_KEY": testKey}))
	require.NoError(t, err)
	st, err := store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	old := time.Now().Add(-48 * time.Hour).UnixMicro()
	recent := time.Now().UnixMicro()
	for _, c := range []struct {
		blob    string
		created int64
	}{{"0193a0c4-0000-7000-8000-00000000dead", old}, {"0193a0c4-0000-7000-8000-00000000beef", recent}} {
		_, err := st.DB().NewRaw("INSERT INTO attachment_chunks (blob_id, n, data, created_us) VALUES (?, 0, ?, ?)",
			c.blob, []byte("partial upload"), c.created).Exec(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())

	base, _, stderr, stop := startServeOn(t, db, "-sweep-interval", "0", "-outbox-interval", "0",
		"-purge-interval", "100ms", "-purge-after", "24h")
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), "hotline_purge_staged_chunks_total 1")
	}, 20*time.Second, 50*time.Millisecond, "stderr: %s", stderr.String())
	require.NoError(t, stop())

	st, err = store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	defer st.Close()
	var left []string
	require.NoError(t, st.DB().NewRaw("SELECT blob_id FROM attachment_chunks").Scan(ctx, &left))
	assert.Equal(t, []string{"0193a0c4-0000-7000-8000-00000000beef"}, left, "the upload in progress keeps its chunk")
	assert.NoError(t, st.VerifyAudit(ctx, store.Principal{Actor: "auditor", Role: store.RoleAuditor}))
}

// A purge with no age would delete the chunks of uploads in progress: refused at start.
func TestServeRefusesZeroPurgeAge(t *testing.T) {
	var out, errb strings.Builder
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "h.db"),
		"-purge-after", "0"}, env(map[string]string{"HOTLINE_KEY": testKey}), &out, &errb)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-purge-after")
}
