package assess

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// ItemScore is how one scheme item scored for one unit.
type ItemScore struct {
	Item     string `json:"item"`
	Defined  bool   `json:"defined"`  // false: no indicator of the item had data
	Fraction Fixed  `json:"fraction"` // share of the weight earned, 0–1
	Points   Fixed  `json:"points"`   // Weight × Fraction (before any reweighting)
}

// AdjustmentScore is the total of one bonus or deduction item for one unit.
type AdjustmentScore struct {
	Item   string         `json:"item"`
	Kind   AdjustmentKind `json:"kind"`
	Count  int64          `json:"count"`
	Points Fixed          `json:"points"` // after the item's cap
	Capped bool           `json:"capped,omitempty"`
}

// UnitScore is one unit's indicators and score in a [Result].
//
// Base is the weighted sum of the items: Σ Points, where for [MissingReweight] the defined items are
// scaled to 100 (Σ Points × 100 ÷ Σ defined weights), for [MissingFull] an undefined item earns its
// weight and for [MissingZero] nothing. Total = Base + Bonus − Deduction, where Bonus and Deduction are
// the sums of the adjustment items (each capped by its Cap) capped by the scheme's BonusCap and
// DeductionCap. Every step rounds half away from zero to six decimals.
type UnitScore struct {
	Unit        string            `json:"unit"`
	Indicators  Indicators        `json:"indicators"`
	Items       []ItemScore       `json:"items"`
	Adjustments []AdjustmentScore `json:"adjustments,omitempty"`
	Base        Fixed             `json:"base"`
	Bonus       Fixed             `json:"bonus"`
	Deduction   Fixed             `json:"deduction"`
	Total       Fixed             `json:"total"`
	// Sample is the unit's value of the scheme's Sample indicator (received cases unless the
	// scheme says otherwise), compared with its MinSample.
	Sample int64 `json:"sample"`
}

// Query says what to score: the period and the instant of computation (facts dated later are unknown;
// see [Indicators]). The digest algorithm is the scheme's ([Scheme.Algorithm]).
type Query struct {
	Period Period    `json:"period"`
	AsOf   time.Time `json:"as_of"`
}

// Result is the outcome of [Score]: every unit's indicators and score (sorted by unit), the ranking,
// and digests that let anyone check it with [Verify] (001 (十): 统计分析结果自动生成、不可更改).
type Result struct {
	Scheme        string      `json:"scheme"`
	SchemeVersion string      `json:"scheme_version,omitempty"`
	Period        Period      `json:"period"`
	AsOf          time.Time   `json:"as_of"`
	Units         []UnitScore `json:"units"`
	Ranking       Ranking     `json:"ranking"`
	Algorithm     Algorithm   `json:"algorithm"`
	// InputDigest is the root of the Merkle tree over the canonical records of the input (RFC 6962;
	// see the package doc), SchemeDigest the digest of the scheme, and Digest that of both with the
	// query and every figure of the result (see [Verify]).
	InputDigest  string `json:"input_digest"`
	SchemeDigest string `json:"scheme_digest"`
	Digest       string `json:"digest"`
	// Records are the leaves of the input tree, in canonical order: each record's kind, canonical ID
	// and leaf hash. With them [Verify] names the record that changed; [Result.Public] leaves them out
	// for publication. They are not part of Digest (InputDigest commits to them).
	Records []RecordDigest `json:"records,omitempty"`
}

// Public returns r without its records: the form to publish. It verifies just the same, but a changed
// input is then reported as "input_digest" rather than by record. Inclusion proofs ([ProveUnit]) are
// checked against its InputDigest.
func (r Result) Public() Result {
	r.Records = nil
	return r
}

// Unit returns the score of unit u and whether it is in r.
func (r *Result) Unit(u string) (UnitScore, bool) {
	i, ok := slices.BinarySearchFunc(r.Units, u, func(s UnitScore, u string) int { return cmp.Compare(s.Unit, u) })
	if !ok {
		return UnitScore{}, false
	}
	return r.Units[i], true
}

// Score validates in, s and q, computes every unit's indicators over q.Period as of q.AsOf, scores them
// with s, ranks them and digests the lot. The result depends only on the values given: not on the
// order of any input slice, the machine, or the time of the call.
//
// Score uses up to GOMAXPROCS goroutines for the input digest (the leaves of the Merkle tree hash
// independently, and so do its subtrees) and computes the indicators meanwhile; the result is the
// same whatever the schedule. Nothing else in the package starts goroutines.
func Score(in Input, s Scheme, q Query) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	if err := q.validate(); err != nil {
		return Result{}, err
	}
	alg := s.algorithm()
	var (
		records []RecordDigest
		root    Hash
		treeErr error
		done    = make(chan struct{})
	)
	// The input tree reads the records without trusting them (it indexes nothing by their values), so
	// it starts at once; validation and the indicators run meanwhile on this goroutine.
	go func() {
		defer close(done)
		records, root, treeErr = inputTree(&in, alg)
	}()
	if err := validateInput(&in, &s); err != nil {
		<-done
		return Result{}, err
	}
	units, caseUnit := buildUnits(&in)
	ind, indErr := computeIndicators(&in, units, caseUnit, newWindow(q.Period, q.AsOf), maskOf(s.SatisfiedRatings))
	<-done
	if treeErr != nil {
		return Result{}, treeErr
	}
	if indErr != nil {
		return Result{}, indErr
	}
	res, err := finish(&in, &s, q, alg, root.String(), units, ind)
	res.Records = records
	return res, err
}

// finish scores computed indicators, ranks and digests. It is shared with the benchmark baseline.
func finish(in *Input, s *Scheme, q Query, alg Algorithm, inputDigest string, units unitTable, ind []Indicators) (Result, error) {
	w := newWindow(q.Period, q.AsOf)
	adj := make([][]AdjustmentScore, len(ind))
	itemIndex := map[string]int{}
	for i, a := range s.Adjustments {
		itemIndex[a.ID] = i
	}
	counts := make([][]int64, len(ind))
	for _, a := range in.Adjustments {
		if !w.in(a.At) {
			continue
		}
		j := units.index[a.Unit]
		if counts[j] == nil {
			counts[j] = make([]int64, len(s.Adjustments))
		}
		counts[j][itemIndex[a.Item]] += int64(max(a.Count, 1))
	}
	for j := range ind {
		if counts[j] == nil {
			continue
		}
		for i, item := range s.Adjustments {
			if n := counts[j][i]; n > 0 {
				pts := item.Points.Mul(Int(n))
				capped := item.Cap > 0 && pts > item.Cap
				if capped {
					pts = item.Cap
				}
				adj[j] = append(adj[j], AdjustmentScore{Item: item.ID, Kind: item.Kind, Count: n, Points: pts, Capped: capped})
			}
		}
	}
	res := Result{
		Scheme:        s.Name,
		SchemeVersion: s.Version,
		Period:        q.Period,
		AsOf:          q.AsOf,
		Algorithm:     alg,
		InputDigest:   inputDigest,
		Units:         make([]UnitScore, len(ind)),
	}
	for j := range ind {
		res.Units[j] = scoreUnit(s, ind[j], adj[j])
	}
	res.Ranking = Rank(res.Units, *s)
	sd, err := digestScheme(s, alg)
	if err != nil {
		return Result{}, err
	}
	res.SchemeDigest = sd
	res.Digest, err = digestResult(&res)
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// scoreItem returns the fraction of the weight that indicator value v earns under sc.
func scoreItem(sc Scoring, v Fixed) Fixed {
	clamp := func(f Fixed) Fixed { return min(max(f, 0), One) }
	switch sc.Kind {
	case ScoreRate:
		return clamp(v)
	case ScoreInverse:
		return clamp(One - v)
	case ScorePerCount:
		return clamp(One - sc.PerCount.Mul(v))
	case ScoreBands:
		f := Fixed(0)
		for _, b := range sc.Bands {
			if v >= b.Min {
				f = b.Fraction
			}
		}
		return f
	}
	return 0
}

func scoreUnit(s *Scheme, x Indicators, adj []AdjustmentScore) UnitScore {
	sample, _ := x.Value(s.sampleOf())
	u := UnitScore{Unit: x.Unit, Indicators: x, Sample: int64(sample / One), Adjustments: adj, Items: make([]ItemScore, len(s.Items))}
	var sum, definedWeight Fixed
	for i, it := range s.Items {
		var fsum Fixed
		var n int64
		for _, id := range it.Indicators {
			if v, ok := x.Value(id); ok {
				fsum += scoreItem(it.Scoring, v)
				n++
			}
		}
		is := ItemScore{Item: it.ID, Defined: n > 0}
		if n > 0 {
			is.Fraction = Fixed(divRound(int64(fsum), n))
			is.Points = it.Weight.Mul(is.Fraction)
			definedWeight += it.Weight
		} else if s.Missing == MissingFull {
			is.Fraction, is.Points = One, it.Weight
		}
		sum += is.Points
		u.Items[i] = is
	}
	switch {
	case s.Missing != MissingReweight:
		u.Base = sum
	case definedWeight > 0:
		u.Base = Fixed(mulDivRound(int64(sum), int64(fullScore), int64(definedWeight)))
	}
	for _, a := range adj {
		if a.Kind == Bonus {
			u.Bonus = addSat(u.Bonus, a.Points)
		} else {
			u.Deduction = addSat(u.Deduction, a.Points)
		}
	}
	if s.BonusCap > 0 {
		u.Bonus = min(u.Bonus, s.BonusCap)
	}
	if s.DeductionCap > 0 {
		u.Deduction = min(u.Deduction, s.DeductionCap)
	}
	u.Total = addSat(addSat(u.Base, u.Bonus), -u.Deduction)
	return u
}

func (q Query) validate() error {
	if err := q.Period.Validate(); err != nil {
		return err
	}
	if q.AsOf.IsZero() {
		return fieldErr(ErrInvalidPeriod, "query", "as_of", "", "is zero: give the instant the figures are computed at")
	}
	if q.AsOf.Before(q.Period.Start) {
		return fieldErr(ErrInvalidPeriod, "query", "as_of", q.AsOf.Format(time.RFC3339), "is before the period starts at "+q.Period.Start.Format(time.RFC3339))
	}
	return nil
}

// maxAdjustmentCount bounds Adjustment.Count so that points cannot overflow.
const maxAdjustmentCount = 100_000

// MaxRecords bounds the number of cases and the number of reviews one [Score] call reads: records
// are indexed with 32-bit integers.
const MaxRecords = math.MaxInt32

// validateInput checks every record. Duplicate IDs are found later, by the canonical ordering.
func validateInput(in *Input, s *Scheme) error {
	if len(in.Cases) > MaxRecords || len(in.Reviews) > MaxRecords {
		return fieldErr(ErrInvalidInput, "input", "cases/reviews", "", fmt.Sprintf("more than %d records", MaxRecords))
	}
	for i := range in.Cases {
		if err := in.Cases[i].validate(i); err != nil {
			return err
		}
	}
	for i := range in.Reviews {
		if err := in.Reviews[i].validate(i); err != nil {
			return err
		}
	}
	for i, a := range in.Adjustments {
		where := fmt.Sprintf("adjustments[%d]", i)
		switch {
		case a.Unit == "":
			return fieldErr(ErrInvalidInput, where, "unit", "", "is empty")
		case a.Item == "":
			return fieldErr(ErrInvalidInput, where, "item", "", "is empty")
		case !slices.ContainsFunc(s.Adjustments, func(it AdjustmentItem) bool { return it.ID == a.Item }):
			return fieldErr(ErrInvalidInput, where, "item", clip(a.Item), "is not a bonus or deduction item of scheme "+clip(s.Name))
		case a.Count < 0 || a.Count > maxAdjustmentCount:
			return fieldErr(ErrInvalidInput, where, "count", fmt.Sprint(a.Count), fmt.Sprintf("is not in [0, %d]", maxAdjustmentCount))
		case a.At.IsZero():
			return fieldErr(ErrInvalidInput, where, "at", "", "is zero")
		}
	}
	for i, v := range in.Volumes {
		where := fmt.Sprintf("volumes[%d]", i)
		if v.Unit == "" {
			return fieldErr(ErrInvalidInput, where, "unit", "", "is empty")
		}
		if v.Count < 0 {
			return fieldErr(ErrInvalidInput, where, "count", fmt.Sprint(v.Count), "is negative")
		}
	}
	return nil
}
