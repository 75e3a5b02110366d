package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// The store through the importable harness, as a district's own tests would use it: intake, a
// transition, listing, replay and the chain, on every dialect the harness reaches.
func TestThroughHarness(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location())
		admin := store.Principal{Actor: "admin", Role: store.RoleAdmin}
		require.NoError(t, s.PutUnit(ctx, admin, routing.Unit{ID: "office", Name: "热线办", Kind: routing.UnitDistrictGovernment,
			Areas: []routing.RegionCode{"310113"}}, now))
		office := store.Principal{Actor: "op", Unit: "office", Role: store.RoleHotlineOffice}
		res, err := s.Intake(ctx, office, store.IntakeRequest{Key: "k", Intake: ticket.Intake{
			Channel: ticket.ChannelWeb, Kind: ticket.KindSuggestion, Content: "建议增设公交站点",
			Citizen: ticket.Person{Phone: "13812345678"}, Place: ticket.Place{RegionCode: "310113001"},
		}}, now)
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, res.ID, 1, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{
			Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}, now.Add(time.Hour))
		require.NoError(t, err)
		page, err := s.List(ctx, store.Principal{Actor: "clerk", Unit: "unit-a", Role: store.RoleHandlingUnit}, store.Filter{}, now)
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, res.Number, page.Items[0].Number)
		auditor := store.Principal{Actor: "auditor", Role: store.RoleAuditor}
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
