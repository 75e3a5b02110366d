package report

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
)

// ErrInvalidInput is wrapped by every refusal of [Build]'s input.
var ErrInvalidInput = errors.New("report: invalid input")

// Input is what a report is built from.
type Input struct {
	// Title names the report's scope for its heading, e.g. "宝山区热线办".
	Title string
	// Period is the month (or any period) reported on; AsOf the instant of computation.
	Period assess.Period
	AsOf   time.Time
	// Scheme scores the units; Policy joins tickets to assessment records (server/loop).
	Scheme assess.Scheme
	Policy loop.Policy
	// Units are the units in scope, each listed in the report (with its name) even without data.
	Units []routing.Unit
	// Tickets yields the tickets that can enter the period's indicators; an error stops the build.
	Tickets iter.Seq2[*ticket.Ticket, error]
	// Reviews are the reviews received in the period (voided ones marked unfounded).
	Reviews []assess.Review
	// Unit, when set, is the unit the report is for: its section alone is shown, with its place in
	// the ranking of the units in scope. "" reports on the district.
	Unit string
	// Chain is the audit chain's head the figures were computed at, shown with the digest.
	Chain Chain
}

// Chain is the audit chain's size and head (the store's ChainHead).
type Chain struct {
	Size int64  `json:"size"`
	Head string `json:"head"`
}

// Count is the number of tickets with one value of an attribute.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int64  `json:"n"`
}

// Counts are the tickets received in the period by kind, channel and matter (largest first).
type Counts struct {
	Received  int64   `json:"received"`
	ByKind    []Count `json:"by_kind"`
	ByChannel []Count `json:"by_channel"`
	ByMatter  []Count `json:"by_matter"`
}

// Section is one unit's part of a report (or the district's).
type Section struct {
	Unit string `json:"unit"`
	Name string `json:"name"`
	// Indicators are assess.Score's (summed over the units for the district).
	Indicators assess.Indicators `json:"indicators"`
	// Total and Standing are the unit's score and place in the ranking (absent for the district).
	Total    *assess.Fixed    `json:"total,omitempty"`
	Standing *assess.Standing `json:"standing,omitempty"`
	// Counts are the tickets the unit leads that were received in the period (the district: all).
	Counts Counts `json:"counts"`
}

// Report is a built report.
type Report struct {
	Title  string        `json:"title"`
	Period assess.Period `json:"period"`
	AsOf   time.Time     `json:"as_of"`
	// Unit is the unit the report is for, "" for the district.
	Unit     string    `json:"unit,omitempty"`
	District Section   `json:"district"`
	Units    []Section `json:"units"`
	// Undispatched counts the tickets received in the period that no unit holds.
	Undispatched int64 `json:"undispatched"`
	Chain        Chain `json:"chain"`
	// Scheme, Input and Result are what assess.Score read and gave: Verify(Input, Scheme, Result)
	// checks the report.
	Scheme assess.Scheme `json:"scheme"`
	Input  assess.Input  `json:"input"`
	Result assess.Result `json:"result"`

	names map[string]string
}

// Name returns unit's name in the report, or its id.
func (r *Report) Name(unit string) string {
	if n := r.names[unit]; n != "" {
		return n
	}
	return unit
}

// counter counts one attribute.
type counter struct {
	n      map[string]int64
	labels map[string]string
}

func (c *counter) add(key, label string) {
	if c.n == nil {
		c.n, c.labels = map[string]int64{}, map[string]string{}
	}
	c.n[key]++
	c.labels[key] = label
}

func (c *counter) list() []Count {
	out := make([]Count, 0, len(c.n))
	for k, n := range c.n {
		out = append(out, Count{Key: k, Label: c.labels[k], N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out
}

type tally struct {
	received              int64
	kind, channel, matter counter
}

func (t *tally) add(tk *ticket.Ticket) {
	t.received++
	t.kind.add(string(tk.Kind), tk.Kind.Label())
	t.channel.add(string(tk.Channel), tk.Channel.Label())
	code, label := tk.Matter.Code(), tk.Matter.Label()
	if code == "" {
		label = "未分类"
	}
	t.matter.add(code, label)
}

func (t *tally) counts() Counts {
	return Counts{Received: t.received, ByKind: t.kind.list(), ByChannel: t.channel.list(), ByMatter: t.matter.list()}
}

// Build builds the report: it reads in.Tickets once, keeping only their assessment records and the
// counts, and scores them with the reviews.
func Build(in Input) (*Report, error) {
	if err := in.Scheme.Validate(); err != nil {
		return nil, err
	}
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	if in.Tickets == nil {
		return nil, fmt.Errorf("%w: no tickets stream", ErrInvalidInput)
	}
	if in.AsOf.IsZero() || !in.Period.Start.Before(in.Period.End) {
		return nil, fmt.Errorf("%w: a report needs a period and the instant it is computed at", ErrInvalidInput)
	}
	horizon := in.Period.End
	if in.AsOf.Before(horizon) {
		horizon = in.AsOf
	}
	r := &Report{Title: in.Title, Period: in.Period, AsOf: in.AsOf, Unit: in.Unit, Chain: in.Chain, Scheme: in.Scheme,
		names: map[string]string{}}
	seen := map[string]bool{}
	for _, u := range in.Units {
		if u.ID == "" || seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		r.names[u.ID] = u.Name
		r.Input.Units = append(r.Input.Units, u.ID)
	}
	if in.Unit != "" && !seen[in.Unit] {
		r.Input.Units = append(r.Input.Units, in.Unit)
	}
	all := &tally{}
	byUnit := map[string]*tally{}
	for t, err := range in.Tickets {
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, fmt.Errorf("%w: a nil ticket", ErrInvalidInput)
		}
		received := !t.Received.Before(in.Period.Start) && t.Received.Before(horizon)
		if received {
			all.add(t)
		}
		c, err := loop.CaseRecord(t, in.Policy)
		if errors.Is(err, loop.ErrNotDispatched) {
			if received {
				r.Undispatched++
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("report: ticket %s: %w", t.Number, err)
		}
		r.Input.Cases = append(r.Input.Cases, c)
		if received {
			u := byUnit[c.Unit]
			if u == nil {
				u = &tally{}
				byUnit[c.Unit] = u
			}
			u.add(t)
		}
	}
	r.Input.Reviews = in.Reviews
	res, err := assess.Score(r.Input, in.Scheme, assess.Query{Period: in.Period, AsOf: in.AsOf})
	if err != nil {
		return nil, err
	}
	r.Result = res
	standing := map[string]assess.Standing{}
	for _, s := range res.Ranking.Ranked {
		standing[s.Unit] = s
	}
	for _, s := range res.Ranking.NotRanked {
		standing[s.Unit] = s
	}
	r.District = Section{Unit: "", Name: in.Title, Counts: all.counts()}
	for _, us := range res.Units {
		sum(&r.District.Indicators, &us.Indicators)
		if in.Unit != "" && us.Unit != in.Unit {
			continue
		}
		sec := Section{Unit: us.Unit, Name: r.Name(us.Unit), Indicators: us.Indicators}
		total, st := us.Total, standing[us.Unit]
		sec.Total, sec.Standing = &total, &st
		if t := byUnit[us.Unit]; t != nil {
			sec.Counts = t.counts()
		} else {
			sec.Counts = Counts{ByKind: []Count{}, ByChannel: []Count{}, ByMatter: []Count{}}
		}
		r.Units = append(r.Units, sec)
	}
	r.District.Indicators.Unit = ""
	return r, nil
}

// sum adds x's rates (numerators and denominators) and counts to d.
func sum(d, x *assess.Indicators) {
	add := func(a *assess.Rate, b assess.Rate) { a.Num += b.Num; a.Den += b.Den }
	d.Received += x.Received
	add(&d.FirstContact, x.FirstContact)
	add(&d.OnTime, x.OnTime)
	d.Overdue += x.Overdue
	add(&d.Resolution, x.Resolution)
	add(&d.Satisfaction, x.Satisfaction)
	add(&d.CallbackCoverage, x.CallbackCoverage)
	add(&d.Contacted, x.Contacted)
	add(&d.Attitude, x.Attitude)
	add(&d.Report, x.Report)
	d.Complaints += x.Complaints
	add(&d.Complaint, x.Complaint)
	d.Returns += x.Returns
	d.Repeats += x.Repeats
	d.Reopens += x.Reopens
	d.Supervisions += x.Supervisions
	for i := range d.Ratings {
		d.Ratings[i] += x.Ratings[i]
	}
	d.Reviews += x.Reviews
	d.BadReviews += x.BadReviews
	add(&d.Rectification, x.Rectification)
	add(&d.ReviewSatisfaction, x.ReviewSatisfaction)
	for i := range d.DimensionSatisfaction {
		add(&d.DimensionSatisfaction[i], x.DimensionSatisfaction[i])
	}
}

// RateText writes a rate as a bulletin prints it: "93.33%（14/15）", or "—（0/0）" with no data.
func RateText(r assess.Rate) string {
	if !r.Defined() {
		return fmt.Sprintf("—（%d/%d）", r.Num, r.Den)
	}
	return fmt.Sprintf("%s（%d/%d）", r.Value().Percent(), r.Num, r.Den)
}
