package loop

import (
	"slices"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// CaseRecord returns the assessment record of ticket t for its handling unit (the lead) under
// policy p. Every field comes from the ticket as it stands:
//
//   - Unit and ReceivedAt are the lead and its receipt, Assignment.Dispatched (a ticket no unit
//     holds wraps [ErrNotDispatched]);
//   - Complaint is set when t's kind is one of p.ComplaintKinds (被投诉, 002 §9);
//   - FirstContactDue/At are the first-contact clock's due instant and when it was met — but only
//     when the clock is the unit's, started at or after its receipt (000 §5); where the hotline
//     office makes first contact from intake (004 §8 (一)) the unit has no such stage;
//   - ReplyDue/RepliedAt are the first reply's clock (Deadlines.Reply), extensions applied: the
//     redo after a reopening runs on its own clock (004 §11) and does not replace the first reply's
//     deadline or lateness; a close as unfounded leaves no reply clock (000 §6 (二));
//   - the callback fields are the latest callback's (made at or after the unit's receipt):
//     Contacted and Resolved as answered (004 §11 (一), (二)), Satisfaction the result's level
//     mapped by p.Ratings, Attitude yes when the attitude level is in p.AttitudeSatisfied
//     (004 §11 (三));
//   - ReportAccepted is the quality check of the conclusion report since the unit's receipt
//     (002 §6 (一) 2): no when a check failed, yes when one passed and none failed, and unknown
//     (NoAnswer) when the ticket had none — never a constant yes;
//   - Repeats, Reopens and Supervisions are the ticket's counters; Returns counts the returns by
//     this unit (Assignment.Returned), not those by the units that held the ticket before it;
//   - Unfounded is set when the ticket was closed as unfounded after an upheld appeal (000 §6 (二)).
func CaseRecord(t *ticket.Ticket, p Policy) (assess.CaseRecord, error) {
	if err := p.Validate(); err != nil {
		return assess.CaseRecord{}, err
	}
	if t == nil {
		return assess.CaseRecord{}, &TicketError{Field: "ticket", Reason: "is nil", Err: ErrInvalidTicket}
	}
	ref, err := TicketRef(t)
	if err != nil {
		return assess.CaseRecord{}, err
	}
	recv := ref.ReceivedAt
	c := assess.CaseRecord{
		ID: ref.ID, Unit: ref.UnitID, Complaint: slices.Contains(p.ComplaintKinds, t.Kind),
		Matter: t.Matter.Code(), Place: t.Place.RegionCode, ReceivedAt: recv,
		Repeats: t.Counters.Repeats, Reopens: t.Counters.Reopenings, Supervisions: t.Counters.Supervisions,
		Unfounded: t.State == ticket.StateClosedUnfounded && t.Closure != nil && t.Closure.Unfounded != nil,
	}
	for _, u := range t.Assignment.Returned {
		if u == ref.UnitID {
			c.Returns++
		}
	}
	if fc := t.Deadlines.FirstContact; fc.Key != "" && !fc.Start.Before(recv) {
		c.FirstContactDue, c.FirstContactAt = fc.Due.At, fc.Met
	}
	if rc := t.Deadlines.Reply; rc.Key != "" && !rc.Start.Before(recv) {
		c.ReplyDue, c.RepliedAt = rc.Due.At, rc.Met
	}
	if cb := t.Callback; cb != nil && !cb.At.IsZero() && !cb.At.Before(recv) {
		c.CallbackAt = cb.At
		c.Contacted, c.Resolved = answer(cb.Contacted), answer(cb.Resolved)
		if l, ok := p.Ratings.Rating(cb.Result); ok {
			c.Satisfaction = l
		}
		if cb.Attitude.Valid() {
			c.Attitude = answer(slices.Contains(p.AttitudeSatisfied, cb.Attitude))
		}
	}
	c.ReportAccepted = reportAccepted(t)
	return c, nil
}

// reportAccepted reads the quality checks made since the unit received the ticket.
func reportAccepted(t *ticket.Ticket) assess.Answer {
	a := assess.NoAnswer
	for _, e := range t.History {
		if e.At.Before(t.Assignment.Dispatched) {
			continue
		}
		switch e.Action {
		case ticket.ActionFailQualityCheck:
			return assess.No
		case ticket.ActionPassQualityCheck:
			a = assess.Yes
		}
	}
	return a
}

func answer(b bool) assess.Answer {
	if b {
		return assess.Yes
	}
	return assess.No
}
