package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scoping: a table of principals × tickets proving no method returns or changes a ticket outside the
// principal's scope (a handling unit: tickets it or a unit below it leads or co-handles; a hotline
// office: its jurisdiction; supervisors, auditors and the system: all, read-only for auditors).
func TestScoping(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		mk := func(region, lead string, co ...string) string {
			in := sampleIntake("scope " + region + " " + lead)
			in.Place.RegionCode = region
			p := office
			if region[:6] == "310115" {
				p = office2
			}
			res, err := s.Intake(ctx, p, IntakeRequest{Intake: in}, at("2026-11-23 09:00"))
			require.NoError(t, err)
			_, err = s.Apply(ctx, p, res.ID, 1, dispatch(lead, co...), at("2026-11-23 09:30"))
			require.NoError(t, err)
			return res.ID
		}
		t1 := mk("310113001", "unit-a")
		t2 := mk("310113002", "unit-a1")
		t3 := mk("310113001", "unit-b")
		t4 := mk("310115001", "unit-b", "unit-a")
		t5 := mk("310113002", "unit-a", "unit-a1") // two units of one subtree: listed once
		all := []string{t1, t2, t3, t4, t5}
		names := map[string]string{t1: "T1", t2: "T2", t3: "T3", t4: "T4", t5: "T5"}

		table := []struct {
			p        Principal
			sees     []string
			canWrite bool
		}{
			{office, []string{t1, t2, t3, t5}, true},
			{office2, []string{t4}, true},
			{unitA, []string{t1, t2, t4, t5}, true},
			{unitA1, []string{t2, t5}, true},
			{unitB, []string{t3, t4}, true},
			{superv, all, true},
			{auditor, all, false},
			{system, all, true},
			{admin, nil, false},
		}
		for _, row := range table {
			t.Run(string(row.p.Role)+"/"+row.p.Unit, func(t *testing.T) {
				page, err := s.List(ctx, row.p, Filter{Limit: 100}, at("2026-11-23 10:00"))
				if row.sees == nil {
					require.ErrorIs(t, err, ErrForbidden)
				} else {
					require.NoError(t, err)
					var got []string
					for _, it := range page.Items {
						got = append(got, it.ID)
					}
					assert.ElementsMatch(t, row.sees, got)
				}
				for _, id := range all {
					visible := slices.Contains(row.sees, id)
					_, err := s.Get(ctx, row.p, id)
					if visible {
						assert.NoError(t, err, "Get %s", names[id])
					} else {
						assert.Error(t, err, "Get %s", names[id])
						assert.True(t, errors.Is(err, ErrNotFound) || errors.Is(err, ErrForbidden), "Get %s: %v", names[id], err)
					}
					// A wrong version: in scope the store answers with the current version, out of
					// scope as if the ticket did not exist; nothing is written either way.
					_, err = s.Apply(ctx, row.p, id, 999, dispatch("unit-b"), at("2026-11-23 11:00"))
					switch {
					case visible && row.canWrite:
						assert.ErrorIs(t, err, ErrStaleVersion, "Apply %s", names[id])
					case !row.canWrite:
						assert.ErrorIs(t, err, ErrForbidden, "Apply %s", names[id])
					default:
						assert.ErrorIs(t, err, ErrNotFound, "Apply %s", names[id])
					}
				}
			})
		}
		// A unit filter cannot widen the scope.
		page, err := s.List(ctx, unitA1, Filter{Unit: "unit-b"}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		// Intake: an office only in its jurisdiction; a handling unit or auditor not at all.
		in := sampleIntake("越界")
		in.Place.RegionCode = "310115001"
		_, err = s.Intake(ctx, office, IntakeRequest{Intake: in}, at("2026-11-23 12:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.Intake(ctx, unitA, IntakeRequest{Intake: sampleIntake("x")}, at("2026-11-23 12:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.Intake(ctx, auditor, IntakeRequest{Intake: sampleIntake("x")}, at("2026-11-23 12:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		// Every version is still 2: nothing above changed anything.
		for _, id := range all {
			rec, err := s.Get(ctx, system, id)
			require.NoError(t, err)
			assert.Equal(t, int64(2), rec.Version)
		}
		// The chain and the configuration are not for handling units.
		assert.ErrorIs(t, s.VerifyAudit(ctx, unitA), ErrForbidden)
		_, err = s.VerifyTickets(ctx, office)
		assert.ErrorIs(t, err, ErrForbidden)
		assert.ErrorIs(t, s.PutUnit(ctx, office, unitFixture("x"), at("2026-11-23 12:00")), ErrForbidden)
		// A malformed principal is refused before anything is read.
		_, err = s.List(ctx, Principal{Role: "root", Actor: "x"}, Filter{}, at("2026-11-23 12:00"))
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = s.Get(ctx, Principal{Role: RoleHandlingUnit, Actor: "x"}, t1)
		assert.ErrorIs(t, err, ErrInvalid)
	})
}
