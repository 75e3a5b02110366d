package store

import (
	"encoding/binary"
	"errors"
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
	Clocks []planClock
	// Co are the co-handling units (the lead is the row's lead_unit), the recipients of due-soon and
	// overdue notices with the lead.
	Co []string
	// Late is set when a completed stage was completed late: the ticket is overdue whatever now.
	Late bool
}

// planClock is one running clock of a sweepPlan.
type planClock struct {
	Key  string
	Due  int64 // the deadline
	Soon int64 // due soon from (预警); 0: the policy sets no lead
	Prov bool  // the deadline rests on provisional calendar dates
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

// planVersion is the first byte of an encoded plan.
const planVersion = 1

// encode is the stored form of p: a version byte, a flags byte (1: Late), then the clocks and the
// co-handling units, each list a count and its items, strings as length and bytes, instants as
// varints — read back without reflection, a few hundred nanoseconds a ticket.
func (p sweepPlan) encode() []byte {
	b := make([]byte, 0, 16+32*len(p.Clocks))
	var flags byte
	if p.Late {
		flags |= 1
	}
	b = append(b, planVersion, flags)
	b = binary.AppendUvarint(b, uint64(len(p.Clocks)))
	for _, c := range p.Clocks {
		b = appendString(b, c.Key)
		b = binary.AppendVarint(b, c.Due)
		b = binary.AppendVarint(b, c.Soon)
		prov := byte(0)
		if c.Prov {
			prov = 1
		}
		b = append(b, prov)
	}
	b = binary.AppendUvarint(b, uint64(len(p.Co)))
	for _, u := range p.Co {
		b = appendString(b, u)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errPlan is a stored plan that does not decode.
var errPlan = errors.New("sweep plan does not decode")

// decodePlan reads a stored plan.
func decodePlan(b []byte) (sweepPlan, error) {
	var p sweepPlan
	if len(b) < 2 || b[0] != planVersion || b[1] > 1 {
		return p, errPlan
	}
	p.Late = b[1] == 1
	r := planReader{b: b[2:]}
	n := r.count()
	if n > 0 {
		p.Clocks = make([]planClock, 0, n)
	}
	for range n {
		c := planClock{Key: r.str(), Due: r.varint(), Soon: r.varint()}
		switch r.byte() {
		case 0:
		case 1:
			c.Prov = true
		default:
			r.bad = true
		}
		p.Clocks = append(p.Clocks, c)
	}
	if n := r.count(); n > 0 {
		p.Co = make([]string, 0, n)
		for range n {
			p.Co = append(p.Co, r.str())
		}
	}
	if r.bad || len(r.b) > 0 {
		return sweepPlan{}, errPlan
	}
	return p, nil
}

// planReader reads the parts of an encoded plan; bad is set at the first that does not decode.
type planReader struct {
	b   []byte
	bad bool
}

func (r *planReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *planReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a list's length, at most what the bytes left could hold.
func (r *planReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(n)
}

func (r *planReader) str() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *planReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
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
