package appeal

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Effect is something the caller must apply to its own records after a transition: void a review,
// close or return a ticket, send it for designation, reopen it. The package records nothing outside
// its procedures; the caller switches on the concrete type:
//
//	for _, e := range effects {
//		switch e := e.(type) {
//		case appeal.VoidReview: …
//		case appeal.CloseTicketAsUnfounded: …
//		}
//	}
type Effect interface {
	// Explain says in one line what the caller must do and which article requires it.
	Explain() string
	effect()
}

// UnfoundedReview is the label of a review found unfounded on appeal (不属实评价, 000 第六条).
const UnfoundedReview = "不属实评价"

// VoidReview says a bad review was found unfounded (不属实评价): it is excluded from scores, "评价结果
// 不予采纳" (000 第六条 (二)).
type VoidReview struct {
	ReviewID string `json:"review_id"`
	TicketID string `json:"ticket_id"`
	Ground   Ground `json:"ground"`
	Reason   string `json:"reason"` // always [UnfoundedReview]
	Source   string `json:"source"`
}

// Explain implements [Effect].
func (v VoidReview) Explain() string {
	return fmt.Sprintf("void review %s of ticket %s as %s (%s): exclude it from scores (%s)",
		v.ReviewID, v.TicketID, v.Reason, v.Ground.Label(), v.Source)
}

// CloseTicketAsUnfounded says the unit must close the bad review's ticket as an unfounded review
// through the 12345 hotline by the end of the window counted from its receipt (000 第六条 (二):
// 15 working days).
type CloseTicketAsUnfounded struct {
	TicketID string `json:"ticket_id"`
	Unit     string `json:"unit"`
	// By is the instant before which the ticket must be closed; zero when the policy sets no window.
	By time.Time `json:"by,omitzero"`
	// LastDay is midnight (Asia/Shanghai) of the last day.
	LastDay     time.Time `json:"last_day,omitzero"`
	Provisional bool      `json:"provisional,omitempty"`
	Source      string    `json:"source"`
}

// Explain implements [Effect].
func (c CloseTicketAsUnfounded) Explain() string {
	return fmt.Sprintf("unit %s closes ticket %s as %s%s (%s)", c.Unit, c.TicketID, UnfoundedReview, by(c.LastDay, c.Provisional), c.Source)
}

// ReturnTicket says the objecting unit returns the ticket through the 12345 hotline, naming the
// suggested unit, by the end of the window counted from its receipt (000 第七条 (二): 5 working
// days); the hotline re-dispatches it, excluding the objecting unit.
type ReturnTicket struct {
	TicketID      string    `json:"ticket_id"`
	ExcludeUnit   string    `json:"exclude_unit"`
	SuggestedUnit string    `json:"suggested_unit"`
	Basis         Basis     `json:"basis"`
	By            time.Time `json:"by,omitzero"`
	LastDay       time.Time `json:"last_day,omitzero"`
	Provisional   bool      `json:"provisional,omitempty"`
	Source        string    `json:"source"`
}

// Explain implements [Effect].
func (r ReturnTicket) Explain() string {
	return fmt.Sprintf("unit %s returns ticket %s (%s) naming suggested unit %s%s; re-dispatch without %s (%s)",
		r.ExcludeUnit, r.TicketID, r.Basis.Label(), r.SuggestedUnit, by(r.LastDay, r.Provisional), r.ExcludeUnit, r.Source)
}

// Designate says the suggested unit objected in turn, so the designating authority (000 第七条 (二):
// 市政府办公厅) designates the handling unit. ExcludeUnits lists the units whose objection was upheld:
// the hotline's routing must not offer them the ticket again (the ticket is returned for 另行转送, 000 第七条 (二)); 000 does not limit whom
// the authority itself may designate. Disputing is the suggested unit whose objection the authority
// now weighs; its objection is not reviewed by a competent department first — 000 第七条 (二) sends
// it straight to the authority.
type Designate struct {
	Authority    string   `json:"authority"`
	TicketID     string   `json:"ticket_id"`
	ExcludeUnits []string `json:"exclude_units"`
	Disputing    string   `json:"disputing"`
	Basis        Basis    `json:"basis"`
	Reason       string   `json:"reason"`
	Source       string   `json:"source"`
}

// Explain implements [Effect].
func (d Designate) Explain() string {
	return fmt.Sprintf("%s designates the handling unit of ticket %s: suggested unit %s objects (%s); excluded: %s (%s)",
		d.Authority, d.TicketID, d.Disputing, d.Basis.Label(), strings.Join(d.ExcludeUnits, ", "), d.Source)
}

// ReopenTicket says reconsideration found the handling improper: the ticket goes back to the unit to
// be handled again (002 第六条 (二) 3: 退回承办单位重新办理).
type ReopenTicket struct {
	TicketID string `json:"ticket_id"`
	Unit     string `json:"unit"`
	Reason   string `json:"reason"`
	Source   string `json:"source"`
}

// Explain implements [Effect].
func (r ReopenTicket) Explain() string {
	return fmt.Sprintf("reopen ticket %s: back to unit %s to handle again: %s (%s)", r.TicketID, r.Unit, r.Reason, r.Source)
}

// cloneEffects returns a copy of es that shares no memory with it (a [Designate] holds a slice).
func cloneEffects(es []Effect) []Effect {
	out := slices.Clone(es)
	for i, e := range out {
		if d, ok := e.(Designate); ok {
			d.ExcludeUnits = slices.Clone(d.ExcludeUnits)
			out[i] = d
		}
	}
	return out
}

func (VoidReview) effect()             {}
func (CloseTicketAsUnfounded) effect() {}
func (ReturnTicket) effect()           {}
func (Designate) effect()              {}
func (ReopenTicket) effect()           {}

func by(lastDay time.Time, provisional bool) string {
	if lastDay.IsZero() {
		return ""
	}
	s := " by the end of " + lastDay.In(deadline.Location()).Format(time.DateOnly)
	if provisional {
		s += " (provisional)"
	}
	return s
}
