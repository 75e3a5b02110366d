package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/ticket"
)

// seedLedger stores six tickets over November 2026 in 宝山区: two for unit-a (one co-handled by its
// subordinate unit-a1), one for unit-b, two 办不成事 cases at the window (one online, one offline) and
// one not yet dispatched. It returns their ids, oldest received first.
func seedLedger(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	seedUnits(t, s)
	type seed struct {
		recv     string
		channel  ticket.Channel
		kind     ticket.Kind
		dispatch ticket.Request
	}
	seeds := []seed{
		{"2026-11-02 09:00", ticket.ChannelPhone, ticket.KindComplaint, dispatch("unit-a", "unit-a1")},
		{"2026-11-03 10:00", ticket.ChannelWeb, ticket.KindHelpRequest, dispatch("unit-b")},
		{"2026-11-04 11:00", ticket.ChannelWindowOffline, ticket.KindErrand, dispatch("unit-a")},
		{"2026-11-05 12:00", ticket.ChannelWindowOnline, ticket.KindConsultation, dispatch("unit-a1")},
		{"2026-11-06 13:00", ticket.ChannelPhone, ticket.KindSuggestion, ticket.Request{}},
		{"2026-11-09 14:00", ticket.ChannelPhone, ticket.KindComplaint, dispatch("unit-a")},
	}
	var ids []string
	for i, sd := range seeds {
		in := sampleIntake("工单" + string(rune('A'+i)))
		in.Channel, in.Kind, in.Received = sd.channel, sd.kind, at(sd.recv)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: in}, at(sd.recv))
		require.NoError(t, err)
		if sd.dispatch.Action != "" {
			_, err := s.Apply(ctx, office, res.ID, 1, sd.dispatch, at(sd.recv).Add(time.Hour))
			require.NoError(t, err)
		}
		ids = append(ids, res.ID)
	}
	return ids
}

func collect(t *testing.T, seq func(func(LedgerEntry, error) bool)) ([]LedgerEntry, error) {
	t.Helper()
	var out []LedgerEntry
	for e, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func entryIDs(es []LedgerEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// The ledger streams a page at a time, oldest first, scoped and masked by role like Get, and every
// export is on the audit chain (003 七 (二) 每月上报窗口台账; 000 第十条 for the masking).
func TestLedger(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := seedLedger(t, s)
		now := at("2026-11-30 09:00")
		nov := LedgerFilter{ReceivedFrom: at("2026-11-01 00:00"), ReceivedTo: at("2026-12-01 00:00"), PageSize: 2, What: "tickets", Format: "xlsx"}

		t.Run("the office gets every ticket of its jurisdiction, oldest first, with the identity", func(t *testing.T) {
			es, err := collect(t, s.Ledger(ctx, office, nov, now))
			require.NoError(t, err)
			assert.Equal(t, ids, entryIDs(es))
			for _, e := range es {
				assert.False(t, e.Masked)
				assert.Equal(t, testPhone, e.Ticket.Citizen.Phone)
				assert.Empty(t, e.Ticket.History, "a ledger row has no history")
				assert.Equal(t, int64(1)+boolToInt(e.Ticket.Assignment.Lead != ""), e.Version)
			}
		})
		t.Run("a supervisor's ledger is masked", func(t *testing.T) {
			es, err := collect(t, s.Ledger(ctx, superv, nov, now))
			require.NoError(t, err)
			require.Len(t, es, len(ids))
			for _, e := range es {
				assert.True(t, e.Masked)
				assert.Equal(t, "138****5678", e.Ticket.Citizen.Phone)
				assert.NotContains(t, e.Ticket.Citizen.IDNumber, "19491231")
				assert.Equal(t, "张*", e.Ticket.Citizen.Name)
			}
		})
		t.Run("the office may ask for the masked ledger", func(t *testing.T) {
			f := nov
			f.Mask = true
			es, err := collect(t, s.Ledger(ctx, office, f, now))
			require.NoError(t, err)
			assert.True(t, es[0].Masked)
			assert.Equal(t, "138****5678", es[0].Ticket.Citizen.Phone)
		})
		t.Run("a handling unit gets its subtree's tickets, each once, across pages of one", func(t *testing.T) {
			f := nov
			f.PageSize = 1
			es, err := collect(t, s.Ledger(ctx, unitA, f, now))
			require.NoError(t, err)
			assert.Equal(t, []string{ids[0], ids[2], ids[3], ids[5]}, entryIDs(es))
			es, err = collect(t, s.Ledger(ctx, unitB, f, now))
			require.NoError(t, err)
			assert.Equal(t, []string{ids[1]}, entryIDs(es))
		})
		t.Run("the unit filter", func(t *testing.T) {
			f := nov
			f.Unit = "unit-a1"
			es, err := collect(t, s.Ledger(ctx, office, f, now))
			require.NoError(t, err)
			assert.Equal(t, []string{ids[0], ids[3]}, entryIDs(es), "led or co-handled by unit-a1")
		})
		t.Run("the 办不成事 ledger keeps the window's channels (003 二)", func(t *testing.T) {
			f := nov
			f.Channels = []string{"window_online", "window_offline"}
			es, err := collect(t, s.Ledger(ctx, office, f, now))
			require.NoError(t, err)
			assert.Equal(t, []string{ids[2], ids[3]}, entryIDs(es))
		})
		t.Run("the period bounds the receipt", func(t *testing.T) {
			f := nov
			f.ReceivedFrom, f.ReceivedTo = at("2026-11-03 10:00"), at("2026-11-06 13:00")
			es, err := collect(t, s.Ledger(ctx, office, f, now))
			require.NoError(t, err)
			assert.Equal(t, ids[1:4], entryIDs(es), "from inclusive, to exclusive")
		})
		t.Run("stopping early stops the reading", func(t *testing.T) {
			n := 0
			for _, err := range s.Ledger(ctx, office, nov, now) {
				require.NoError(t, err)
				n++
				if n == 3 {
					break
				}
			}
			assert.Equal(t, 3, n)
		})
		t.Run("refusals", func(t *testing.T) {
			_, err := collect(t, s.Ledger(ctx, admin, nov, now))
			assert.ErrorIs(t, err, ErrForbidden)
			for _, f := range []LedgerFilter{{PageSize: -1}, {PageSize: MaxLedgerPage + 1},
				{ReceivedFrom: at("2026-11-02 00:00"), ReceivedTo: at("2026-11-01 00:00")}, {Unit: strings.Repeat("u", 65)}} {
				_, err := collect(t, s.Ledger(ctx, office, f, now))
				assert.ErrorIs(t, err, ErrInvalid)
			}
		})
		t.Run("every export is audited, with the masking", func(t *testing.T) {
			var fields []string
			require.NoError(t, s.db.NewSelect().Model((*auditRow)(nil)).Column("fields").Where("action = ?", "ledger.export").
				Order("at_us ASC").Scan(ctx, &fields))
			assert.Len(t, fields, 9, "nine exports; the refused ones stopped before it")
			joined := strings.Join(fields, "\n")
			assert.Contains(t, joined, "masked=true")
			assert.Contains(t, joined, "role=supervisor")
			assert.Contains(t, joined, "filter.channels=window_online,window_offline")
			assert.NotContains(t, joined, testPhone)
			require.NoError(t, s.VerifyAudit(ctx, auditor))
		})
	})
}

func boolToInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CaseTickets yields the tickets that can enter a period's indicators, with their histories: those
// received in it, and older ones still open (an overdue ticket counts against every period until it
// is replied); never the identity.
func TestCaseTickets(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := seedLedger(t, s)
		// An October ticket replied in October: nothing of it falls in November.
		in := sampleIntake("十月已办结")
		in.Received = at("2026-10-12 09:00")
		old, err := s.Intake(ctx, office, IntakeRequest{Intake: in}, at("2026-10-12 09:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, old.ID, 1, ticket.Request{Action: ticket.ActionArchive,
			Payload: ticket.Payload{Refusal: &ticket.Refusal{Code: "general_suggestion"}}}, at("2026-10-12 10:00"))
		require.NoError(t, err)
		// An October ticket left open: it counts in November.
		in = sampleIntake("十月未办结")
		in.Received = at("2026-10-20 09:00")
		open, err := s.Intake(ctx, office, IntakeRequest{Intake: in}, at("2026-10-20 09:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, open.ID, 1, dispatch("unit-b"), at("2026-10-20 10:00"))
		require.NoError(t, err)

		var got []string
		for tk, err := range s.CaseTickets(ctx, superv, CaseFilter{From: at("2026-11-01 00:00"), Horizon: at("2026-11-30 09:00"), PageSize: 3}) {
			require.NoError(t, err)
			require.NotEmpty(t, tk.History)
			assert.Equal(t, ticket.Person{}, tk.Citizen, "no identity")
			assert.Equal(t, tk.State, tk.History[len(tk.History)-1].To)
			got = append(got, tk.Number.String())
		}
		var want []string
		for _, id := range append([]string{open.ID}, ids...) {
			rec, err := s.Get(ctx, superv, id)
			require.NoError(t, err)
			want = append(want, rec.Ticket.Number.String())
		}
		assert.Equal(t, want, got)

		n := 0
		for tk, err := range s.CaseTickets(ctx, unitB, CaseFilter{From: at("2026-11-01 00:00"), Horizon: at("2026-11-30 09:00")}) {
			require.NoError(t, err)
			assert.Equal(t, "unit-b", tk.Assignment.Lead)
			n++
		}
		assert.Equal(t, 2, n, "a handling unit's own: November's and October's open one")

		for tk, err := range s.CaseTickets(ctx, superv, CaseFilter{From: at("2026-11-02 00:00"), Horizon: at("2026-11-01 00:00")}) {
			assert.Nil(t, tk)
			assert.ErrorIs(t, err, ErrInvalid)
		}
	})
}

func TestAuditHead(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		h0, err := s.AuditHead(ctx, auditor)
		require.NoError(t, err)
		assert.Equal(t, ChainHead{}, h0, "an empty chain has no head")
		seedUnits(t, s)
		h1, err := s.AuditHead(ctx, office)
		require.NoError(t, err)
		assert.Equal(t, int64(5), h1.Size)
		assert.Len(t, h1.Head, 64)
		_, err = s.AuditHead(ctx, Principal{})
		assert.ErrorIs(t, err, ErrInvalid)
	})
}
