package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

var (
	admin   = Principal{Actor: "admin-1", Unit: "city", Role: RoleAdmin}
	office  = Principal{Actor: "operator-7", Unit: "office-bs", Role: RoleHotlineOffice}
	office2 = Principal{Actor: "operator-9", Unit: "office-pd", Role: RoleHotlineOffice}
	unitA   = Principal{Actor: "clerk-a", Unit: "unit-a", Role: RoleHandlingUnit}
	unitA1  = Principal{Actor: "clerk-a1", Unit: "unit-a1", Role: RoleHandlingUnit}
	unitB   = Principal{Actor: "clerk-b", Unit: "unit-b", Role: RoleHandlingUnit}
	superv  = Principal{Actor: "inspector", Unit: "dcj", Role: RoleSupervisor}
	auditor = Principal{Actor: "auditor-1", Unit: "audit", Role: RoleAuditor}
	system  = Principal{Actor: "gateway", Unit: "sh12345", Role: RoleSystem}
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

const (
	testPhone = "13812345678"
	testID    = "11010519491231002X"
)

func sampleIntake(title string) ticket.Intake {
	return ticket.Intake{
		Channel: ticket.ChannelPhone,
		Kind:    ticket.KindComplaint,
		Title:   title,
		Content: "小区旁工地夜间施工，噪声扰民。",
		Citizen: ticket.Person{Name: "张三", Phone: testPhone, IDNumber: testID, Address: "宝山区友谊路1号"},
		Place:   ticket.Place{RegionCode: "310113001", Address: "友谊路"},
	}
}

// seedUnits writes the unit tree the scoping tests use: two hotline offices over two districts,
// unit-a with unit-a1 below it, and unit-b.
func seedUnits(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []routing.Unit{
		{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
		{ID: "office-pd", Name: "浦东新区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310115"}},
		{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet},
		{ID: "unit-a1", Name: "友谊路街道城管中队", Kind: routing.UnitFunctionalDepartment, Parent: "unit-a"},
		{ID: "unit-b", Name: "宝山区房管局", Kind: routing.UnitFunctionalDepartment},
	} {
		require.NoError(t, s.PutUnit(ctx, admin, u, at("2026-11-20 09:00")))
	}
}

func dispatch(lead string, co ...string) ticket.Request {
	return ticket.Request{Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: lead, CoHandling: co, DispatchMode: ticket.DispatchStatutory}}}
}

func TestIntakeApplyGet(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("工地夜间施工噪声")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(1), res.Version)
		assert.Equal(t, "HL-20261123-000001", res.Number[:len(res.Number)-2])
		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, testPhone, rec.Ticket.Citizen.Phone)
		assert.Equal(t, ticket.StateReceived, rec.Ticket.State)
		require.Len(t, rec.Ticket.History, 1)
		assert.Equal(t, testPhone, rec.Ticket.History[0].Payload.Intake.Citizen.Phone)

		ar, err := s.Apply(ctx, office, res.ID, 1, dispatch("unit-a", "unit-b"), at("2026-11-23 09:30"))
		require.NoError(t, err)
		assert.Equal(t, int64(2), ar.Version)
		assert.Equal(t, ticket.StateDispatched, ar.Event.To)

		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-b"), at("2026-11-23 09:40"))
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, int64(2), ve.Current)
		assert.ErrorIs(t, err, ErrStaleVersion)

		rec, err = s.Get(ctx, unitA, res.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), rec.Version)
		assert.Equal(t, "unit-a", rec.Ticket.Assignment.Lead)
		assert.False(t, rec.Masked)

		rec, err = s.Get(ctx, auditor, res.ID)
		require.NoError(t, err)
		assert.True(t, rec.Masked)
		assert.NotEqual(t, testPhone, rec.Ticket.Citizen.Phone)

		page, err := s.List(ctx, unitA, Filter{}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, "dispatched", page.Items[0].State)
		assert.Equal(t, "unit-a", page.Items[0].LeadUnit)
		assert.False(t, page.Items[0].NextDue.IsZero())

		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

func unitFixture(id string) routing.Unit {
	return routing.Unit{ID: id, Name: id, Kind: routing.UnitFunctionalDepartment}
}

func TestListFiltersAndPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		var ids []string
		for i := range 7 {
			in := sampleIntake("噪声")
			if i%2 == 1 {
				in.Title = "占道经营"
				in.Channel = ticket.ChannelWeb
			}
			res, err := s.Intake(ctx, office, IntakeRequest{Intake: in}, at("2026-11-23 09:00").Add(time.Duration(i)*time.Minute))
			require.NoError(t, err)
			ids = append(ids, res.ID)
		}
		// Pages of 3, newest first, no repeats, no gaps.
		var got []string
		cursor := ""
		for {
			page, err := s.List(ctx, office, Filter{Limit: 3, Cursor: cursor}, at("2026-11-23 10:00"))
			require.NoError(t, err)
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
		want := slices.Clone(ids)
		slices.Reverse(want)
		assert.Equal(t, want, got)

		page, err := s.List(ctx, office, Filter{Title: "占道"}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, page.Items, 3)
		page, err = s.List(ctx, office, Filter{Channel: "web"}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, page.Items, 3)
		page, err = s.List(ctx, office, Filter{ReceivedFrom: at("2026-11-23 09:02"), ReceivedTo: at("2026-11-23 09:04")}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, page.Items, 2)
		page, err = s.List(ctx, office, Filter{States: []string{"received"}}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Len(t, page.Items, 7)
		// The first-contact clock (1 working day from receipt, 004 §8 (一)) is overdue two days on.
		page, err = s.List(ctx, office, Filter{Overdue: true}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		page, err = s.List(ctx, office, Filter{Overdue: true}, at("2026-11-26 10:00"))
		require.NoError(t, err)
		assert.Len(t, page.Items, 7)

		for _, c := range []string{"x", "!!!", encodeCursor(1, "not-a-uuid")} {
			_, err = s.List(ctx, office, Filter{Cursor: c}, at("2026-11-23 10:00"))
			assert.ErrorIs(t, err, ErrInvalid, c)
		}
		_, err = s.List(ctx, office, Filter{Limit: 501}, at("2026-11-23 10:00"))
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

// The sweeper sets the overdue flag once the first-contact clock (004 §8 (一): 1 working day) has run
// out, without writing an event.
func TestSweepFlags(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("超期")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		n, err := s.Sweep(ctx, system, at("2026-11-23 10:00"), 100)
		require.NoError(t, err)
		assert.Zero(t, n)
		n, err = s.Sweep(ctx, system, at("2026-11-26 10:00"), 100)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		page, err := s.List(ctx, office, Filter{}, at("2026-11-26 10:00"))
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.True(t, page.Items[0].Overdue)
		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), rec.Version, "no event")
		n, err = s.Sweep(ctx, system, at("2026-11-26 11:00"), 100)
		require.NoError(t, err)
		assert.Zero(t, n, "already flagged")
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "a swept flag is not a disagreement with the history")
		_, err = s.Sweep(ctx, office, at("2026-11-26 11:00"), 100)
		assert.ErrorIs(t, err, ErrForbidden)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
