package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

// sweepPlan is what the deadline sweeper needs of a ticket besides its projection columns, stored
// in tickets.sweep_plan at every write (project) and recomputed by Reclock: the running clocks with
// their deadlines and the instants they are due soon from, as the calendar and the deadline policy
// gave them when the ticket was written. A sweep round then compares now with these instants — no
// snapshot to decode, no working days to count — and decodes a snapshot only for a row written
// before the column existed (NULL), whose plan it computes and stores.
//
// The instants are Unix nanoseconds (0 for the zero time), so that a notice carries exactly the
// deadline the snapshot holds.
type sweepPlan struct {
	// Clocks are the running stage clocks, in the order of clockPtrs.
	Clocks []planClock `json:"c,omitempty"`
	// Co are the co-handling units (the lead is the row's lead_unit), the recipients of due-soon and
	// overdue notices with the lead.
	Co []string `json:"co,omitempty"`
	// Late is set when a completed stage was completed late: the ticket is overdue whatever now.
	Late bool `json:"late,omitempty"`
}

// planClock is one running clock of a sweepPlan.
type planClock struct {
	Key  string `json:"k"`
	Due  int64  `json:"d"`           // the deadline
	Soon int64  `json:"s,omitempty"` // due soon from (预警); 0: the policy sets no lead
	Prov bool   `json:"p,omitempty"` // the deadline rests on provisional calendar dates
}

// planOf returns the sweep plan of t, whose clocks' statuses under the store's calendar and policy
// are st (nil when the policy cannot time a clock: no clock is then due soon, as in dueSoonFrom).
func planOf(t *ticket.Ticket, st []deadline.StageStatus) sweepPlan {
	p := sweepPlan{Co: slices.Clone(t.Assignment.CoHandling)}
	for _, c := range clockPtrs(&t.Deadlines) {
		if c.Key != "" && !c.Met.IsZero() && c.Late {
			p.Late = true
		}
		if !c.Running() {
			continue
		}
		pc := planClock{Key: string(c.Key), Due: nanos(c.Due.At), Prov: c.Due.Provisional}
		for _, s := range st {
			if s.Key == c.Key {
				pc.Soon = nanos(s.DueSoonFrom)
			}
		}
		p.Clocks = append(p.Clocks, pc)
	}
	return p
}

// encode is the stored form of p.
func (p sweepPlan) encode() []byte {
	b, _ := json.Marshal(p) // strings, integers and booleans: cannot fail
	return b
}

// decodePlan reads a stored plan.
func decodePlan(b []byte) (sweepPlan, error) {
	var p sweepPlan
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("sweep plan: %w", err)
	}
	return p, nil
}

// state returns, at now, the projection's overdue flag (a running clock has run out, or a stage was
// completed late), its due-soon flag (a running clock is in its due-soon window and not yet out) and
// the next instant after now at which the sweeper has work (nil: none) — what project and
// sweepState compute from the ticket.
func (p sweepPlan) state(now time.Time) (overdue, dueSoon bool, next *int64) {
	n := now.UnixNano()
	overdue = p.Late
	var at int64
	later := func(x int64) {
		if x != 0 && x > n && (at == 0 || x < at) {
			at = x
		}
	}
	for _, c := range p.Clocks {
		out := c.Due == 0 || n >= c.Due
		overdue = overdue || out
		dueSoon = dueSoon || (c.Soon != 0 && n >= c.Soon && !out)
		later(c.Soon)
		later(c.Due)
	}
	if at == 0 {
		return overdue, dueSoon, nil
	}
	return overdue, dueSoon, nullMicros(fromNanos(at))
}

// samePlanButSoon reports whether the stored plans a and b agree but for their due-soon instants.
func samePlanButSoon(a, b []byte) bool {
	pa, err := decodePlan(a)
	if err != nil {
		return false
	}
	pb, err := decodePlan(b)
	if err != nil || len(pa.Clocks) != len(pb.Clocks) {
		return false
	}
	for i := range pa.Clocks {
		pa.Clocks[i].Soon, pb.Clocks[i].Soon = 0, 0
	}
	return reflect.DeepEqual(pa, pb)
}

// nanos is t in Unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos, in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
