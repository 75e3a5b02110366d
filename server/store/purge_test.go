package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/attach"
)

// With a filesystem blob store, PurgeStagedBlobs also removes the staging files a cut-off upload left
// (nothing half-written stays), and only those older than the given instant.
func TestPurgeStagedBlobsInDir(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	dir, err := attach.NewDir(filepath.Join(root, "blobs"))
	require.NoError(t, err)
	o := testOptions(t)
	o.Blobs = dir
	s, err := Open(ctx, filepath.Join(root, "hotline.db"), o)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Migrate(ctx))

	old, err := dir.Create(ctx)
	require.NoError(t, err)
	_, err = old.Write([]byte("cut off"))
	require.NoError(t, err)
	staged, err := os.ReadDir(filepath.Join(root, "blobs", "tmp"))
	require.NoError(t, err)
	require.Len(t, staged, 1)
	day := time.Now().Add(-48 * time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(root, "blobs", "tmp", staged[0].Name()), day, day))
	fresh, err := dir.Create(ctx)
	require.NoError(t, err)
	defer func() { _ = fresh.Abort() }()

	_, err = s.PurgeStagedBlobs(ctx, unitA, time.Now().Add(-24*time.Hour), time.Now())
	require.ErrorIs(t, err, ErrForbidden)
	n, err := s.PurgeStagedBlobs(ctx, system, time.Now().Add(-24*time.Hour), time.Now())
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	left, err := os.ReadDir(filepath.Join(root, "blobs", "tmp"))
	require.NoError(t, err)
	assert.Len(t, left, 1, "the upload in progress keeps its file")
}
