package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/ticket"
)

// Repeat detection finds the same caller through the blind indexes, within the principal's scope.
func TestCallerTickets(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 2)
		other := sampleIntake("另一位")
		other.Citizen = ticket.Person{Name: "李四", Phone: "13900001111"}
		_, err := s.Intake(ctx, office, IntakeRequest{Intake: other}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		got, err := s.CallerTickets(ctx, office, ticket.Person{Phone: "+86 138-1234-5678"}, 10, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, got, 2)
		got, err = s.CallerTickets(ctx, office, ticket.Person{IDNumber: "11010519491231002x"}, 10, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, got, 2)
		got, err = s.CallerTickets(ctx, unitB, ticket.Person{Phone: testPhone}, 10, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Empty(t, got, "unit-b handles none of them")
		_, err = s.CallerTickets(ctx, office, ticket.Person{Name: "张三"}, 10, at("2026-11-23 10:00"))
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

// A corrupted snapshot, a sealed identity moved to another ticket, and a mangled event are each a
// *CorruptError naming the table and row, never a panic or a wrong answer.
func TestCorruptRows(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		_, err := s.db.NewUpdate().Model((*ticketRow)(nil)).Set("snapshot = ?", []byte("{not json")).Where("id = ?", ids[0]).Exec(ctx)
		require.NoError(t, err)
		_, err = s.Get(ctx, office, ids[0])
		var ce *CorruptError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "tickets", ce.Table)
		assert.Contains(t, ce.Key, ids[0])

		// The identity is bound to its ticket (AAD): copied to another ticket it does not open.
		var sealed []byte
		require.NoError(t, s.db.NewSelect().Model((*ticketRow)(nil)).Column("identity").Where("id = ?", ids[1]).Scan(ctx, &sealed))
		_, err = s.db.NewUpdate().Model((*ticketRow)(nil)).Set("identity = ?", sealed).Where("id = ?", ids[2]).Exec(ctx)
		require.NoError(t, err)
		_, err = s.Get(ctx, office, ids[2])
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, ce.Key, "identity")
		_, err = s.Apply(ctx, office, ids[2], 2, dispatch("unit-b"), at("2026-11-23 11:00"))
		require.ErrorAs(t, err, &ce, "nothing is written over a row that does not decode")
		_, err = s.Get(ctx, office, ids[1])
		require.NoError(t, err, "the other tickets still read")
	})
}
