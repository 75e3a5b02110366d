package assess

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// window is the time frame of one computation: the period and the knowledge instant.
type window struct {
	start, end time.Time // the period [start, end)
	h          time.Time // horizon: min(end, asOf)
	asOf       time.Time
}

func newWindow(p Period, asOf time.Time) window {
	h := p.End
	if asOf.Before(h) {
		h = asOf
	}
	return window{start: p.Start, end: p.End, h: h, asOf: asOf}
}

// in reports whether t is non-zero and in [start, h).
func (w *window) in(t time.Time) bool {
	return !t.IsZero() && !t.Before(w.start) && t.Before(w.h)
}

// lastMoment returns the last instant before due. A due time is the exclusive end of a period (a
// deadline.Deadline's At: "within N working days" ends at 24:00 of the last day, which is midnight of
// the next day), so a due of 2026-11-01 00:00 is an October duty: its last moment is in October.
func lastMoment(due time.Time) time.Time { return due.Add(-time.Nanosecond) }

// unitTable maps unit names to dense indexes, sorted by name.
type unitTable struct {
	names []string
	index map[string]int32
}

// buildUnits indexes every unit named anywhere in in and returns, for each case, its unit's index.
// The map is used once per record here; the scoring loop then works on dense arrays only.
func buildUnits(in *Input) (unitTable, []int32) {
	index := make(map[string]int32)
	var names []string
	add := func(u string) int32 {
		if i, ok := index[u]; ok {
			return i
		}
		i := int32(len(names))
		index[u] = i
		names = append(names, u)
		return i
	}
	caseUnit := make([]int32, len(in.Cases))
	prev, prevIdx := "", int32(-1)
	for i := range in.Cases {
		u := in.Cases[i].Unit
		if prevIdx < 0 || u != prev {
			prev, prevIdx = u, add(u)
		}
		caseUnit[i] = prevIdx
	}
	for i := range in.Reviews {
		add(in.Reviews[i].Unit)
	}
	for i := range in.Adjustments {
		add(in.Adjustments[i].Unit)
	}
	for i := range in.Volumes {
		add(in.Volumes[i].Unit)
	}
	for _, u := range in.Units {
		if u != "" {
			add(u)
		}
	}
	// Renumber in name order so that output is sorted and independent of input order.
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		switch {
		case names[a] < names[b]:
			return -1
		case names[a] > names[b]:
			return 1
		}
		return 0
	})
	remap := make([]int32, len(names))
	sorted := make([]string, len(names))
	for newIdx, old := range order {
		remap[old] = int32(newIdx)
		sorted[newIdx] = names[old]
		index[names[old]] = int32(newIdx)
	}
	for i, u := range caseUnit {
		caseUnit[i] = remap[u]
	}
	return unitTable{names: sorted, index: index}, caseUnit
}

// ratingMask is a bit set of ratings: bit r.Rank() set means rating r counts as satisfied.
type ratingMask uint8

func maskOf(ratings []Rating) ratingMask {
	var m ratingMask
	for _, r := range ratings {
		if r.Valid() {
			m |= 1 << r.Rank()
		}
	}
	return m
}

func (m ratingMask) has(r Rating) bool { return r.Valid() && m&(1<<r.Rank()) != 0 }

// computeIndicators computes every unit's indicators in one pass over the cases and one over the
// reviews, accumulating into a dense slice indexed by unit. It assumes validated input.
func computeIndicators(in *Input, units unitTable, caseUnit []int32, w window, satisfied ratingMask) ([]Indicators, error) {
	out := make([]Indicators, len(units.names))
	for i := range out {
		out[i].Unit = units.names[i]
	}
	for i := range in.Cases {
		c := &in.Cases[i]
		x := &out[caseUnit[i]]
		accumulateCase(x, c, &w, satisfied)
	}
	for i := range in.Reviews {
		r := &in.Reviews[i]
		if r.Unfounded || !w.in(r.At) {
			continue
		}
		accumulateReview(&out[units.index[r.Unit]], r, satisfied)
	}
	volumes := make([]int64, len(out))
	hasVolume := make([]bool, len(out))
	for _, v := range in.Volumes {
		j := units.index[v.Unit]
		volumes[j], hasVolume[j] = v.Count, true
	}
	for j := range out {
		if err := finishIndicators(&out[j], volumes[j], hasVolume[j]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// accumulateCase adds one case to x. It is shared by the fast path and, in tests, the naive one.
func accumulateCase(x *Indicators, c *CaseRecord, w *window, satisfied ratingMask) {
	if w.in(c.ReceivedAt) {
		x.Received++
		x.Returns += int64(c.Returns)
		x.Repeats += int64(c.Repeats)
		x.Reopens += int64(c.Reopens)
		x.Supervisions += int64(c.Supervisions)
		if c.Complaint && !c.Unfounded {
			x.Complaints++
		}
	}
	if !c.FirstContactDue.IsZero() && w.in(lastMoment(c.FirstContactDue)) {
		x.FirstContact.Den++
		if !c.FirstContactAt.IsZero() && c.FirstContactAt.Before(c.FirstContactDue) {
			x.FirstContact.Num++
		}
	}
	if w.in(c.RepliedAt) {
		if !c.ReplyDue.IsZero() {
			x.OnTime.Den++
			if !c.RepliedAt.Before(c.ReplyDue) {
				x.Overdue++
			} else {
				x.OnTime.Num++
			}
		}
		x.CallbackCoverage.Den++
		if c.ReportAccepted.Known() {
			x.Report.Den++
			if c.ReportAccepted == Yes {
				x.Report.Num++
			}
		}
		if !c.CallbackAt.IsZero() && !c.CallbackAt.After(w.asOf) {
			x.CallbackCoverage.Num++
			countAnswer(&x.Contacted, c.Contacted)
			if !c.Unfounded {
				countAnswer(&x.Resolution, c.Resolved)
				countAnswer(&x.Attitude, c.Attitude)
				if c.Satisfaction.Valid() {
					x.Satisfaction.Den++
					if satisfied.has(c.Satisfaction) {
						x.Satisfaction.Num++
					}
				}
			}
		}
	} else if c.ReceivedAt.Before(w.h) && !c.ReplyDue.IsZero() && !c.ReplyDue.After(w.h) &&
		(c.RepliedAt.IsZero() || !c.RepliedAt.Before(w.h)) {
		// Open overdue at the horizon: counts against the on-time rate (002 §9 按期办结率; see Indicators).
		x.OnTime.Den++
		x.Overdue++
	}
}

func countAnswer(r *Rate, a Answer) {
	if a.Known() {
		r.Den++
		if a == Yes {
			r.Num++
		}
	}
}

func accumulateReview(x *Indicators, r *Review, satisfied ratingMask) {
	x.Ratings[r.Rating.Rank()-1]++
	x.Reviews++
	x.ReviewSatisfaction.Den++
	if satisfied.has(r.Rating) {
		x.ReviewSatisfaction.Num++
	}
	if r.Rating.Bad() {
		x.BadReviews++
		x.Rectification.Den++
		if r.Rectified {
			x.Rectification.Num++
		}
	}
	for d, l := range r.Dimensions {
		if i := d.index(); i >= 0 && l.Valid() {
			x.DimensionSatisfaction[i].Den++
			if satisfied.has(l) {
				x.DimensionSatisfaction[i].Num++
			}
		}
	}
}

// finishIndicators sets the complaint rate and checks that every rate of x is a proper fraction.
//
// The complaint rate (被投诉率, 002 §9) divides the unit's complaints by its service volume. The
// complaints are services the unit rendered, so they are part of that volume: a [Volume] below the
// complaint count (in particular a volume of 0 with complaints) is an input error naming the unit —
// never an undefined rate that lets the scheme reweight the complaints away, nor a rate above 100%.
// A volume of 0 with no complaints is "no data" (0/0), as for every other rate.
func finishIndicators(x *Indicators, volume int64, hasVolume bool) error {
	x.Complaint.Num = x.Complaints
	if hasVolume {
		if volume < x.Complaints {
			return fieldErr(ErrInvalidInput, "volumes (unit "+x.Unit+")", "count", strconv.FormatInt(volume, 10),
				fmt.Sprintf("is below the unit's %d complaints in the period; complaints are part of its service volume (002 §9 被投诉率)", x.Complaints))
		}
		x.Complaint.Den = volume
	} else {
		x.Complaint.Den = x.Received
	}
	return x.checkRates()
}

// checkRates reports the first rate of x that is not a proper fraction (see [Rate.check]).
func (x *Indicators) checkRates() error {
	rates := [...]struct {
		name string
		r    Rate
	}{
		{"first_contact", x.FirstContact}, {"on_time", x.OnTime}, {"resolution", x.Resolution},
		{"satisfaction", x.Satisfaction}, {"callback_coverage", x.CallbackCoverage}, {"contacted", x.Contacted},
		{"attitude", x.Attitude}, {"report", x.Report}, {"complaint", x.Complaint},
		{"rectification", x.Rectification}, {"review_satisfaction", x.ReviewSatisfaction},
	}
	for _, f := range rates {
		if err := f.r.check("unit " + x.Unit + " " + f.name); err != nil {
			return err
		}
	}
	for i, r := range x.DimensionSatisfaction {
		if err := r.check(fmt.Sprintf("unit %s dimension_satisfaction[%d]", x.Unit, i)); err != nil {
			return err
		}
	}
	return nil
}
