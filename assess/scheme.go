package assess

import (
	"fmt"
	"slices"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// ScoringKind says how an item turns its indicator value into a fraction of its weight.
type ScoringKind string

// The scoring kinds.
const (
	// ScoreRate awards value × weight: a rate of 95% earns 95% of the weight (values are clamped to
	// [0, 1]). For rates where higher is better.
	ScoreRate ScoringKind = "rate"
	// ScoreInverse awards (1 − value) × weight, clamped to [0, 1]. For rates where lower is better,
	// such as the complaint rate (被投诉率, 002 §9).
	ScoreInverse ScoringKind = "inverse"
	// ScoreBands awards the fraction of the band with the greatest Min not above the value; a value
	// below every band earns 0. Works for rates and counts, in either direction.
	ScoreBands ScoringKind = "bands"
	// ScorePerCount awards max(0, 1 − count × PerCount) × weight: each occurrence of a count
	// indicator (overdue cases, returns, …) takes PerCount of the weight away.
	ScorePerCount ScoringKind = "per_count"
)

// Band is one threshold of [ScoreBands]: values ≥ Min (and below the next band's Min) earn Fraction
// of the weight.
type Band struct {
	Min      Fixed `json:"min"`
	Fraction Fixed `json:"fraction"`
}

// Scoring is how an [Item] scores.
type Scoring struct {
	Kind     ScoringKind `json:"kind"`
	Bands    []Band      `json:"bands,omitempty"`     // for ScoreBands, ascending by Min
	PerCount Fixed       `json:"per_count,omitempty"` // for ScorePerCount, fraction of the weight per occurrence
}

// Item is one weighted part of a scheme. An item with several indicators scores the plain mean of
// their fractions (each indicator scored with the item's Scoring), over the indicators that are
// defined; it is undefined when none is.
type Item struct {
	ID         string        `json:"id"`
	Label      string        `json:"label"`
	Weight     Fixed         `json:"weight"` // points; the weights of a scheme add up to 100
	Indicators []IndicatorID `json:"indicators"`
	Scoring    Scoring       `json:"scoring"`
	Source     string        `json:"source,omitempty"` // the article it comes from
}

// AdjustmentKind is bonus (加分) or deduction (减分).
type AdjustmentKind string

// The adjustment kinds of 004 §15 (一) 2–3.
const (
	Bonus     AdjustmentKind = "bonus"     // 加分
	Deduction AdjustmentKind = "deduction" // 减分
)

// Label returns 加分 or 减分.
func (k AdjustmentKind) Label() string {
	switch k {
	case Bonus:
		return "加分"
	case Deduction:
		return "减分"
	}
	return ""
}

// AdjustmentItem is a bonus or deduction a scheme allows (004 §15 (一) 2–3): Points per occurrence,
// at most Cap in one period for one unit (0: no cap of its own).
type AdjustmentItem struct {
	ID     string         `json:"id"`
	Label  string         `json:"label"`
	Kind   AdjustmentKind `json:"kind"`
	Points Fixed          `json:"points"`
	Cap    Fixed          `json:"cap,omitempty"`
	Source string         `json:"source,omitempty"`
}

// MissingRule says how an item with no data (every indicator undefined: no callbacks, no replies…)
// is scored.
type MissingRule string

// The missing-data rules.
const (
	// MissingReweight leaves the item out and scales the defined items up to the full 100 points.
	MissingReweight MissingRule = "reweight"
	// MissingFull awards the item its full weight: nothing went wrong.
	MissingFull MissingRule = "full"
	// MissingZero awards the item nothing.
	MissingZero MissingRule = "zero"
)

// TieRule says what happens when units are still equal after every tie-break indicator.
type TieRule string

// The tie rules.
const (
	// TieByUnit orders tied units by unit ID and gives each its own rank (1, 2, 3, …).
	TieByUnit TieRule = "unit_id"
	// TieShared gives tied units the same rank and skips the following ones (1, 2, 2, 4); they are
	// listed by unit ID.
	TieShared TieRule = "shared"
)

// Scheme is a scoring scheme as plain data: weighted items, bonus and deduction items with caps, the
// levels that count as satisfied, the missing-data rule, the minimum sample for ranking and the tie
// rules. Load one from JSON with [LoadScheme]; presets are [StreetHotline], [Hebi] and [Beijing3Rates].
type Scheme struct {
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
	Label   string `json:"label,omitempty"`
	Source  string `json:"source,omitempty"`

	Items       []Item           `json:"items"`
	Adjustments []AdjustmentItem `json:"adjustments,omitempty"`
	// BonusCap and DeductionCap bound the total bonus and the total deduction of one unit in one period
	// (0: no total cap).
	BonusCap     Fixed `json:"bonus_cap,omitempty"`
	DeductionCap Fixed `json:"deduction_cap,omitempty"`

	// SatisfiedLevels are the levels counted as satisfied by the satisfaction rates. The presets count
	// 非常满意, 满意 and 基本满意 — everything but the two bad-review levels.
	SatisfiedLevels []Level     `json:"satisfied_levels"`
	Missing         MissingRule `json:"missing"`
	// MinSample is the number of received cases a unit needs in the period to be ranked; units below it
	// are scored but listed as not ranked (tiny samples distort rankings, DESIGN §6).
	MinSample int64 `json:"min_sample"`
	// TieBreak lists indicators compared, in order, between units with equal totals (each in its own
	// better direction; undefined ranks below defined); Ties settles what remains.
	TieBreak []IndicatorID `json:"tie_break,omitempty"`
	Ties     TieRule       `json:"ties"`
}

// fullScore is the sum of the weights of every scheme.
const fullScore = 100 * One

// Validate reports whether s is a usable scheme. The error names the item and field.
func (s *Scheme) Validate() error {
	bad := func(where, field, value, reason string) error {
		return fieldErr(ErrInvalidScheme, where, field, value, reason)
	}
	if s.ID == "" {
		return bad("scheme", "id", "", "is empty")
	}
	if len(s.Items) == 0 {
		return bad("scheme "+s.ID, "items", "", "is empty")
	}
	var sum Fixed
	ids := map[string]bool{}
	for i, it := range s.Items {
		where := fmt.Sprintf("scheme %s items[%d] (id %s)", s.ID, i, it.ID)
		if it.ID == "" {
			return bad(where, "id", "", "is empty")
		}
		if ids[it.ID] {
			return bad(where, "id", it.ID, "is used twice")
		}
		ids[it.ID] = true
		if it.Weight <= 0 || it.Weight > fullScore {
			return bad(where, "weight", it.Weight.String(), "is not in (0, 100]")
		}
		sum += it.Weight
		if len(it.Indicators) == 0 {
			return bad(where, "indicators", "", "is empty")
		}
		for _, id := range it.Indicators {
			if !id.Known() {
				return bad(where, "indicators", string(id), "is not a known indicator")
			}
			switch it.Scoring.Kind {
			case ScoreRate, ScoreInverse:
				if !id.IsRate() {
					return bad(where, "scoring.kind", string(it.Scoring.Kind), "needs rate indicators, and "+string(id)+" is a count")
				}
			case ScorePerCount:
				if id.IsRate() {
					return bad(where, "scoring.kind", string(it.Scoring.Kind), "needs count indicators, and "+string(id)+" is a rate")
				}
			}
		}
		switch it.Scoring.Kind {
		case ScoreRate, ScoreInverse:
		case ScorePerCount:
			if it.Scoring.PerCount <= 0 || it.Scoring.PerCount > One {
				return bad(where, "scoring.per_count", it.Scoring.PerCount.String(), "is not in (0, 1]")
			}
		case ScoreBands:
			if len(it.Scoring.Bands) == 0 {
				return bad(where, "scoring.bands", "", "is empty")
			}
			for j, b := range it.Scoring.Bands {
				if b.Fraction < 0 || b.Fraction > One {
					return bad(where, fmt.Sprintf("scoring.bands[%d].fraction", j), b.Fraction.String(), "is not in [0, 1]")
				}
				if j > 0 && b.Min <= it.Scoring.Bands[j-1].Min {
					return bad(where, fmt.Sprintf("scoring.bands[%d].min", j), b.Min.String(), "is not above the previous band's min")
				}
			}
		default:
			return bad(where, "scoring.kind", string(it.Scoring.Kind), "is not rate, inverse, bands or per_count")
		}
	}
	if sum != fullScore {
		return bad("scheme "+s.ID, "items[].weight", sum.String(), "weights add up to "+sum.String()+", not 100")
	}
	for i, a := range s.Adjustments {
		where := fmt.Sprintf("scheme %s adjustments[%d] (id %s)", s.ID, i, a.ID)
		if a.ID == "" {
			return bad(where, "id", "", "is empty")
		}
		if ids[a.ID] {
			return bad(where, "id", a.ID, "is used twice (items and adjustments share one namespace)")
		}
		ids[a.ID] = true
		if a.Kind != Bonus && a.Kind != Deduction {
			return bad(where, "kind", string(a.Kind), "is not bonus or deduction")
		}
		if a.Points <= 0 || a.Points > fullScore {
			return bad(where, "points", a.Points.String(), "is not in (0, 100]")
		}
		if a.Cap < 0 || a.Cap > fullScore {
			return bad(where, "cap", a.Cap.String(), "is not in [0, 100]")
		}
	}
	if s.BonusCap < 0 || s.BonusCap > fullScore {
		return bad("scheme "+s.ID, "bonus_cap", s.BonusCap.String(), "is not in [0, 100]")
	}
	if s.DeductionCap < 0 || s.DeductionCap > fullScore {
		return bad("scheme "+s.ID, "deduction_cap", s.DeductionCap.String(), "is not in [0, 100]")
	}
	if len(s.SatisfiedLevels) == 0 {
		return bad("scheme "+s.ID, "satisfied_levels", "", "is empty")
	}
	for _, l := range s.SatisfiedLevels {
		if !l.Valid() {
			return bad("scheme "+s.ID, "satisfied_levels", fmt.Sprint(int(l)), "is not a level 1–5")
		}
		if l.Bad() {
			return bad("scheme "+s.ID, "satisfied_levels", fmt.Sprint(int(l)), "is a bad-review level (不满意/非常不满意)")
		}
	}
	switch s.Missing {
	case MissingReweight, MissingFull, MissingZero:
	default:
		return bad("scheme "+s.ID, "missing", string(s.Missing), "is not reweight, full or zero")
	}
	if s.MinSample < 0 {
		return bad("scheme "+s.ID, "min_sample", fmt.Sprint(s.MinSample), "is negative")
	}
	for _, id := range s.TieBreak {
		if !id.Known() {
			return bad("scheme "+s.ID, "tie_break", string(id), "is not a known indicator")
		}
	}
	if s.Ties != TieByUnit && s.Ties != TieShared {
		return bad("scheme "+s.ID, "ties", string(s.Ties), "is not unit_id or shared")
	}
	return nil
}

// MaxSchemeBytes is the largest scheme document [LoadScheme] accepts: 1 MiB, far above any real
// scheme (the presets are about 3 KB).
const MaxSchemeBytes = 1 << 20

// LoadScheme decodes a scheme from JSON through the module's one strict loader and validates it.
// Malformed documents — more than [MaxSchemeBytes], trailing data, duplicate or case-variant keys,
// unknown fields, syntax or type errors — are refused with an error wrapping [ErrMalformed] (and
// strictjson's error naming the offset and path); a well-formed scheme that fails [Scheme.Validate]
// returns that error.
func LoadScheme(data []byte) (Scheme, error) {
	var s Scheme
	if err := strictjson.Decode(data, &s, MaxSchemeBytes); err != nil {
		return Scheme{}, fmt.Errorf("%w: scheme: %w", ErrMalformed, err)
	}
	if err := s.Validate(); err != nil {
		return Scheme{}, err
	}
	return s, nil
}

// Clone returns a deep copy of s.
func (s Scheme) Clone() Scheme {
	s.Items = slices.Clone(s.Items)
	for i := range s.Items {
		s.Items[i].Indicators = slices.Clone(s.Items[i].Indicators)
		s.Items[i].Scoring.Bands = slices.Clone(s.Items[i].Scoring.Bands)
	}
	s.Adjustments = slices.Clone(s.Adjustments)
	s.SatisfiedLevels = slices.Clone(s.SatisfiedLevels)
	s.TieBreak = slices.Clone(s.TieBreak)
	return s
}
