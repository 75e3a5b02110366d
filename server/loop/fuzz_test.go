package loop_test

import (
	"errors"
	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/routing"
	"testing"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzTicket builds a ticket from open inputs, as a store or an upstream system might hand one over.
func fuzzTicket(kind, m1, m2, m3, lead, returned, suggested string, result, attitude string, dispatched int64) *ticket.Ticket {
	t := &ticket.Ticket{Kind: ticket.Kind(kind), State: ticket.StateCalledBack,
		Place: ticket.Place{RegionCode: "310113003001"}}
	for _, c := range []string{m1, m2, m3} {
		if c != "" {
			t.Matter.Levels = append(t.Matter.Levels, ticket.MatterLevel{Code: c})
		}
	}
	t.Assignment = ticket.Assignment{Lead: lead, Dispatched: time.Unix(dispatched, 0)}
	if returned != "" {
		t.Assignment.Returned = []string{returned}
		t.History = append(t.History, ticket.Event{Action: ticket.ActionReturn,
			Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: suggested}}})
	}
	t.Callback = &ticket.Callback{Result: ticket.Satisfaction(result), Attitude: ticket.Satisfaction(attitude),
		At: time.Unix(dispatched, 0).Add(time.Hour)}
	return t
}

// FuzzJoins: whatever the ticket holds, the joins answer with a value or a typed error, never a
// panic, and what they return is what the other packages accept.
func FuzzJoins(f *testing.F) {
	f.Add("complaint", "05", "0502", "050201", "yy-cyzx", "", "", "satisfied", "satisfied", int64(1791432000), "satisfied", "fairly_satisfied", "dissatisfied")
	f.Add("help", "05", "0301", "", "", "yy-cyzx", "yy-sqglb", "happy", "", int64(0), "", "very_satisfied", "满意")
	f.Add("review", "", "", "", "u", "u", "u", "dissatisfied", "fairly_satisfied", int64(-62135596800), "very_dissatisfied", "very_dissatisfied", "very_dissatisfied")
	f.Add("未知\xff", "0", "00", "0000", "\x00", "x", "", "", "dissatisfied", int64(1<<40), "very_satisfied", "satisfied", "\xff")
	f.Fuzz(func(t *testing.T, kind, m1, m2, m3, lead, returned, suggested, result, attitude string, dispatched int64, r1, r2, r3 string) {
		tk := fuzzTicket(kind, m1, m2, m3, lead, returned, suggested, result, attitude, dispatched)
		req, err := loop.RoutingRequest(tk, loop.RouteOptions{Upheld: []string{returned}})
		if err != nil {
			assert.True(t, errors.Is(err, loop.ErrInvalidTicket), "%v", err)
		} else {
			assert.True(t, req.Kind.Valid())
			require.Len(t, req.Matters, 1)
			assert.Equal(t, tk.Matter.Code(), string(req.Matters[0]))
		}

		p := loop.StreetHotline()
		p.Ratings = loop.Ratings{Satisfied: assess.Rating(r1), FairlySatisfied: assess.Rating(r2), Dissatisfied: assess.Rating(r3)}
		c, err := loop.CaseRecord(tk, p)
		switch {
		case p.Validate() != nil:
			assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
		case lead == "" || tk.Assignment.Dispatched.IsZero():
			assert.ErrorIs(t, err, loop.ErrNotDispatched)
		default:
			require.NoError(t, err)
			assert.True(t, c.Satisfaction == "" || c.Satisfaction.Valid())
			assert.Equal(t, lead, c.Unit)
			assert.True(t, c.CallbackAt.IsZero() || !c.CallbackAt.Before(c.ReceivedAt))
		}
	})
}

// FuzzPlanEffects: any batch of effects, naming this ticket or another, any unit, yields a plan
// whose requests follow the lifecycle table from the ticket's state, or an *EffectError — never a
// panic.
func FuzzPlanEffects(f *testing.F) {
	f.Add([]byte{0, 1}, "yy-cyzx", "yy-sqglb", "R-1", true)
	f.Add([]byte{2, 3, 3}, "yy-cyzx", "yy-gov", "", false)
	f.Add([]byte{4, 4, 2, 1, 0}, "", "yy-cyzx", "R", true)
	f.Add([]byte{5}, "x", "x", "x", true)
	m := oneNetMachine(f)
	base := reviewTicket(f, m, 900)
	f.Fuzz(func(t *testing.T, kinds []byte, u1, u2, review string, same bool) {
		if len(kinds) > 16 {
			kinds = kinds[:16]
		}
		tk := base.Clone()
		id := tk.Number.String()
		if !same {
			id = "other"
		}
		var effects []appeal.Effect
		for _, k := range kinds {
			switch k % 6 {
			case 0:
				effects = append(effects, appeal.VoidReview{ReviewID: review, TicketID: id})
			case 1:
				effects = append(effects, appeal.CloseTicketAsUnfounded{TicketID: id, Unit: u1})
			case 2:
				effects = append(effects, appeal.ReturnTicket{TicketID: id, ExcludeUnit: u1, SuggestedUnit: u2, Basis: appeal.BasisLevel})
			case 3:
				effects = append(effects, appeal.Designate{Authority: u2, TicketID: id, ExcludeUnits: []string{u1}, Disputing: u2})
			case 4:
				effects = append(effects, appeal.ReopenTicket{TicketID: id, Unit: u1})
			default:
				effects = append(effects, nil)
			}
		}
		p, err := loop.PlanEffects(tk, effects, loop.PlanOptions{Office: "operator-07", Reviewer: district,
			Designation: &routing.Designation{Lead: u2}})
		if err != nil {
			assert.True(t, errors.Is(err, loop.ErrInvalidEffect), "%v", err)
			return
		}
		state := tk.State
		for _, s := range p.Steps {
			tr, ok := ticket.Lifecycle().Lookup(state, s.Request.Action)
			require.True(t, ok, "%s in %s", s.Request.Action, state)
			assert.NotEmpty(t, s.Request.Actor)
			state = tr.To
		}
	})
}
