package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
)

func TestRouterRebuiltOnChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := at("2026-11-20 09:00")
		regions := []routing.Region{
			{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
			{Code: "310113001", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
		}
		_, err := s.Router(ctx, admin)
		assert.ErrorIs(t, err, ErrNotFound, "no regions yet")
		require.NoError(t, s.PutRegions(ctx, admin, regions, now))
		require.NoError(t, s.PutCatalogue(ctx, admin, []routing.Matter{
			{Code: "01", Name: "市容环境", Kind: routing.MatterTerritorial},
		}, now))
		require.NoError(t, s.PutUnit(ctx, admin, routing.Unit{ID: "yyl", Name: "友谊路街道", Kind: routing.UnitStreet,
			Areas: []routing.RegionCode{"310113001"}, Territorial: true}, now))
		r1, err := s.Router(ctx, admin)
		require.NoError(t, err)
		r2, err := s.Router(ctx, office)
		require.NoError(t, err)
		assert.Same(t, r1, r2, "unchanged configuration: the same immutable router")
		require.NoError(t, s.PutCatalogue(ctx, admin, []routing.Matter{
			{Code: "01", Name: "市容环境", Kind: routing.MatterTerritorial},
			{Code: "02", Name: "住房保障", Kind: routing.MatterTerritorial},
		}, now))
		r3, err := s.Router(ctx, admin)
		require.NoError(t, err)
		assert.NotSame(t, r1, r3, "a change rebuilds it")
		// A configuration that would break the directory is refused whole.
		err = s.PutRegions(ctx, admin, regions[:1], now)
		assert.ErrorIs(t, err, ErrInvalid)
		r4, err := s.Router(ctx, admin)
		require.NoError(t, err)
		assert.Same(t, r3, r4)
		assert.ErrorIs(t, s.PutRegions(ctx, office, regions, now), ErrForbidden)
	})
}

func TestReviewsAndVoiding(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		day := at("2026-11-23 09:00")
		ratings := []assess.Rating{assess.VerySatisfied, assess.FairlySatisfied, assess.VeryDissatisfied}
		for i, id := range []string{"R1", "R2", "R3"} {
			require.NoError(t, s.PutReview(ctx, system, assess.Review{ID: id, Rating: ratings[i], Unit: "unit-a1",
				At: day.Add(time.Duration(i) * time.Hour)}, "", day))
		}
		assert.ErrorIs(t, s.PutReview(ctx, system, assess.Review{ID: "R1", Rating: assess.VerySatisfied, Unit: "unit-a1", At: day}, "", day), ErrDuplicate)
		require.NoError(t, s.VoidReview(ctx, superv, "R1", "申诉成立：误评", day))
		assert.ErrorIs(t, s.VoidReview(ctx, superv, "R1", "again", day), ErrDuplicate)
		assert.ErrorIs(t, s.VoidReview(ctx, superv, "R9", "none", day), ErrNotFound)
		assert.ErrorIs(t, s.VoidReview(ctx, unitA1, "R2", "self-serving", day), ErrForbidden)
		got, err := s.Reviews(ctx, unitA, "unit-a1", day, day.Add(24*time.Hour))
		require.NoError(t, err)
		require.Len(t, got, 3)
		assert.True(t, got[0].Unfounded)
		assert.False(t, got[1].Unfounded)
		got, err = s.Reviews(ctx, unitB, "unit-a1", day, day.Add(24*time.Hour))
		require.NoError(t, err)
		assert.Empty(t, got, "another unit's reviews are not unit-b's to see")
		// The void row is append-only.
		_, err = s.db.ExecContext(ctx, "DELETE FROM review_voids")
		assert.Error(t, err)
	})
}

func TestCredentials(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := at("2026-11-23 09:00")
		seedUnits(t, s)
		id, secret, err := s.CreateCredential(ctx, admin, "unit-a", RoleHandlingUnit, "街道对接", now)
		require.NoError(t, err)
		p, err := s.Authenticate(ctx, secret, now)
		require.NoError(t, err)
		assert.Equal(t, Principal{Actor: "credential:" + id, Unit: "unit-a", Role: RoleHandlingUnit}, p)
		var stored []byte
		require.NoError(t, s.db.NewSelect().Table("credentials").Column("secret_hash").Where("id = ?", id).Scan(ctx, &stored))
		assert.NotContains(t, string(stored), secret[4:], "only the hash is stored")
		last := "0"
		if secret[len(secret)-1] == '0' {
			last = "1"
		}
		_, err = s.Authenticate(ctx, secret[:len(secret)-1]+last, now)
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.Authenticate(ctx, "nonsense", now)
		assert.ErrorIs(t, err, ErrForbidden)
		require.NoError(t, s.RevokeCredential(ctx, admin, id, now))
		_, err = s.Authenticate(ctx, secret, now)
		assert.ErrorIs(t, err, ErrForbidden)
		_, _, err = s.CreateCredential(ctx, office, "unit-a", RoleAdmin, "escalate", now)
		assert.ErrorIs(t, err, ErrForbidden)
	})
}

func TestOutbox(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 2)
		msgs, err := s.PendingOutbox(ctx, system, 100)
		require.NoError(t, err)
		require.Len(t, msgs, 2, "one per dispatch, written with the change; the intake is nobody else's news")
		assert.Equal(t, "ticket.dispatch", msgs[0].Topic)
		assert.Contains(t, string(msgs[0].Payload), `{"role":"handling_unit","unit":"unit-a"}`)
		assert.NotContains(t, string(msgs[0].Payload), testPhone)
		require.NoError(t, s.MarkOutbox(ctx, system, msgs[0].ID, true, at("2026-11-23 10:00")))
		require.NoError(t, s.MarkOutbox(ctx, system, msgs[1].ID, false, at("2026-11-23 10:00")))
		msgs, err = s.PendingOutbox(ctx, system, 100)
		require.NoError(t, err)
		assert.Len(t, msgs, 1)
		assert.Equal(t, 1, msgs[0].Attempts)
		_, err = s.PendingOutbox(ctx, unitA, 10)
		assert.ErrorIs(t, err, ErrForbidden)
	})
}
