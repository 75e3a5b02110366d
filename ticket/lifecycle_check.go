package ticket

import (
	"fmt"
)

// check reports the first field of stored ticket t, in state from (not new), that the lifecycle could
// not have produced and that [Machine.Apply] reads: a [*TicketError] naming it. It costs the same
// whatever the length of the history: only the last event is looked at.
func (t *Ticket) check(from State) error {
	bad := func(field, format string, a ...any) error {
		return &TicketError{Number: t.Number, Field: field, Reason: fmt.Sprintf(format, clipArgs(a)...)}
	}
	n := len(t.History)
	switch {
	case !from.Valid():
		return bad("state", "%v", states.Check(from))
	case from == StateNew:
		return bad("state", "a new ticket has no history, this one has %d events", n)
	case n == 0:
		return bad("history", "empty, but the ticket is %s", from)
	case t.History[n-1].Seq != n:
		return bad(fmt.Sprintf("history[%d].seq", n-1), "%d, want %d", t.History[n-1].Seq, n)
	case t.History[n-1].To != from:
		return bad("state", "%s, but the last event leads to %s", from, t.History[n-1].To)
	case t.Under.Deadlines.Name == "":
		return bad("under", "no policy recorded")
	}
	if err := t.Under.Policy.validateCounts(); err != nil {
		return bad("under.policy", "%v", err)
	}
	switch {
	case !t.Channel.Valid():
		return bad("channel", "%v", channels.Check(t.Channel))
	case !t.Kind.Valid():
		return bad("kind", "%v", kinds.Check(t.Kind))
	case t.Urgency != "" && !t.Urgency.Valid():
		return bad("urgency", "%v", urgencies.Check(t.Urgency))
	case t.Complexity != "" && !t.Complexity.Valid():
		return bad("complexity", "%v", complexities.Check(t.Complexity))
	case t.Mode != "" && !t.Mode.Valid():
		return bad("mode", "%v", handlingModes.Check(t.Mode))
	case t.Assignment.DispatchMode != "" && !t.Assignment.DispatchMode.Valid():
		return bad("assignment.dispatch_mode", "%v", dispatchModes.Check(t.Assignment.DispatchMode))
	}
	c := t.Counters
	if c.Supervisions|c.Urgings|c.Returns|c.Reopenings|c.Repeats|c.Replies|c.Extensions < 0 {
		for _, v := range []struct {
			field string
			n     int
		}{{"supervisions", c.Supervisions}, {"urgings", c.Urgings}, {"returns", c.Returns}, {"reopenings", c.Reopenings},
			{"repeats", c.Repeats}, {"replies", c.Replies}, {"extensions", c.Extensions}} {
			if v.n < 0 {
				return bad("counters."+v.field, "%d is negative", v.n)
			}
		}
	}
	if r := t.Reply; r != nil && !r.Outcome.Valid() {
		return bad("reply.outcome", "%v", replyOutcomes.Check(r.Outcome))
	}
	if cb := t.Callback; cb != nil {
		if !cb.Result.Valid() || !cb.Efficiency.Valid() || !cb.Attitude.Valid() {
			for _, l := range []Satisfaction{cb.Result, cb.Efficiency, cb.Attitude} {
				if !l.Valid() {
					return bad("callback", "%v", satisfactions.Check(l))
				}
			}
		}
	}
	if from == StateExtensionRequested {
		x := t.Extension
		switch {
		case x == nil:
			return bad("extension", "missing, but the ticket is %s", from)
		case x.Days <= 0:
			return bad("extension.days", "%d, but a request asks for a positive number of days", x.Days)
		case x.Decision != "":
			return bad("extension.decision", "%q, but the request is pending", x.Decision)
		case len(x.Approvals) == 0 && len(x.Approved) > 0:
			return bad("extension.approved", "%d approvals recorded, but the request has no approval chain", len(x.Approved))
		case len(x.Approvals) > 0 && len(x.Approved) >= len(x.Approvals):
			return bad("extension.approved", "%d of a chain of %d already approved, but the request is pending", len(x.Approved), len(x.Approvals))
		}
		for i, a := range x.Approved {
			if a != x.Approvals[i] {
				return bad(fmt.Sprintf("extension.approved[%d]", i), "%q, but the chain's step %d is %q", a, i+1, x.Approvals[i])
			}
		}
	}
	return nil
}
