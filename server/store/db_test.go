package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

// A batch whose later statement fails reports the failure on every dialect (MySQL's driver reads
// every result of a multi-statement batch), and the transaction leaves nothing.
func TestBatchLaterStatementFails(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return execBatch(ctx, tx,
				tx.NewInsert().Model(&outboxRow{ID: "a", Topic: "t", Subject: "s", Payload: []byte("{}")}),
				tx.NewInsert().Model(&outboxRow{ID: "b", Topic: "t", Subject: "s", Payload: []byte("{}")}),
				tx.NewInsert().Model(&outboxRow{ID: "a", Topic: "t", Subject: "s", Payload: []byte("{}")}),
			)
		})
		require.Error(t, err)
		assert.True(t, isUnique(err), "%v", err)
		n, err := s.db.NewSelect().Model((*outboxRow)(nil)).Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

// Values with quotes, question marks, backslashes and NUL-free binary survive a batch unchanged.
func TestBatchEscaping(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		nasty := `it's "quoted" ? $1 \ ; -- DROP TABLE tickets; /* */`
		payload := []byte{0x00, 0x27, 0x5c, 0xff, 0x3f}
		require.NoError(t, s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return execBatch(ctx, tx, tx.NewInsert().Model(&outboxRow{ID: "x", Topic: nasty, Subject: "?", Payload: payload}))
		}))
		var got outboxRow
		require.NoError(t, s.db.NewSelect().Model(&got).Where("id = 'x'").Scan(ctx))
		assert.Equal(t, nasty, got.Topic)
		assert.Equal(t, "?", got.Subject)
		assert.Equal(t, payload, got.Payload)
	})
}
