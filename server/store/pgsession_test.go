package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The store's PostgreSQL sessions plan no parallel queries (a page of 50 is slower with workers to
// start), unless the DSN sets max_parallel_workers_per_gather itself.
func TestPostgresSessionsPlanNoParallelQueries(t *testing.T) {
	for _, c := range []struct {
		dsn, want string
	}{
		{"postgres://u@db.example:5432/hotline?sslmode=disable", "0"},
		{"postgres://u@db.example:5432/hotline?sslmode=disable&max_parallel_workers_per_gather=2", "2"},
	} {
		d, err := parseDSN(c.dsn)
		require.NoError(t, err)
		assert.Equal(t, c.want, d.pg.RuntimeParams[parallelWorkers], c.dsn)
	}
	mk, ok := dialects(t)[Postgres]
	if !ok {
		return
	}
	s := openFresh(t, mk)
	var got string
	require.NoError(t, s.db.NewRaw("SHOW max_parallel_workers_per_gather").Scan(context.Background(), &got))
	assert.Equal(t, "0", got)
}
