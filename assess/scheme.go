package assess

import (
	"fmt"
	"io"
	"slices"

	"github.com/hotline12345/hotline/internal/strictjson"
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

// Scheme is a scoring scheme (考核方案) as plain data: weighted items, bonus and deduction items with
// caps, the ratings that count as satisfied, the missing-data rule, the sample and its minimum for
// ranking, the tie rules and the digest algorithm. Parse one from JSON with [ParseScheme]; the presets
// are listed by [Presets].
type Scheme struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Label   string `json:"label,omitempty"`
	Source  string `json:"source,omitempty"`

	Items       []Item           `json:"items"`
	Adjustments []AdjustmentItem `json:"adjustments,omitempty"`
	// BonusCap and DeductionCap bound the total bonus and the total deduction of one unit in one period
	// (0: no total cap).
	BonusCap     Fixed `json:"bonus_cap,omitempty"`
	DeductionCap Fixed `json:"deduction_cap,omitempty"`

	// SatisfiedRatings are the ratings counted as satisfied by the satisfaction rates. The presets
	// count 非常满意, 满意 and 基本满意 — everything but the two bad-review ratings.
	SatisfiedRatings []Rating    `json:"satisfied_ratings"`
	Missing          MissingRule `json:"missing"`
	// Sample is the count indicator compared with MinSample ("" means [ReceivedCount], the cases the
	// unit received in the period; a ranking of reviews uses [ReviewCount]). Units below MinSample are
	// scored but listed as not ranked: a handful of cases or reviews says little about a unit, and none
	// of the documents ranks on them (the presets say what minimum they chose).
	Sample    IndicatorID `json:"sample,omitempty"`
	MinSample int64       `json:"min_sample"`
	// TieBreak lists indicators compared, in order, between units with equal totals (each in its own
	// better direction; undefined ranks below defined); Ties settles what remains.
	TieBreak []IndicatorID `json:"tie_break,omitempty"`
	Ties     TieRule       `json:"ties"`
	// Algorithm is the digest algorithm of the results scored under the scheme ("": [SM3]).
	Algorithm Algorithm `json:"algorithm,omitempty"`
}

// fullScore is the sum of the weights of every scheme.
const fullScore = 100 * One

// PolicyError names the policy, the field and the rule it breaks. It wraps [ErrInvalidPolicy]. Schemes
// and the signal policies ([BurstPolicy], [HotSpotPolicy]) report their problems with it.
type PolicyError struct {
	Policy string // the scheme's name, or "burst" / "hot_spot" for the signal policies
	Field  string // the JSON path of the field: "items[2].weight"
	Reason string // what is wrong, quoting the value
}

// Error reads `assess: policy "<name>": <field>: <reason>`.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("assess: policy %q: %s: %s", clip(e.Policy), e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy].
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// sampleOf returns the indicator a scheme's sample is read from.
func (s *Scheme) sampleOf() IndicatorID {
	if s.Sample == "" {
		return ReceivedCount
	}
	return s.Sample
}

// algorithm returns the scheme's digest algorithm, SM3 when unset.
func (s *Scheme) algorithm() Algorithm {
	if s.Algorithm == "" {
		return SM3
	}
	return s.Algorithm
}

// Validate reports whether s is a usable scheme. The error is a [*PolicyError] naming the field.
func (s *Scheme) Validate() error {
	bad := func(field, reason string, args ...any) error {
		return &PolicyError{Policy: s.Name, Field: field, Reason: fmt.Sprintf(reason, args...)}
	}
	if s.Name == "" {
		return bad("name", "is empty")
	}
	if len(s.Items) == 0 {
		return bad("items", "is empty")
	}
	var sum Fixed
	ids := map[string]bool{}
	for i, it := range s.Items {
		f := func(name string) string { return fmt.Sprintf("items[%d].%s", i, name) }
		if it.ID == "" {
			return bad(f("id"), "is empty")
		}
		if ids[it.ID] {
			return bad(f("id"), "%q is used twice", clip(it.ID))
		}
		ids[it.ID] = true
		if it.Weight <= 0 || it.Weight > fullScore {
			return bad(f("weight"), "%s is not in (0, 100]", it.Weight)
		}
		sum += it.Weight
		if len(it.Indicators) == 0 {
			return bad(f("indicators"), "is empty")
		}
		for _, id := range it.Indicators {
			if !id.Valid() {
				return bad(f("indicators"), "%q is not a known indicator", clip(string(id)))
			}
			switch it.Scoring.Kind {
			case ScoreRate, ScoreInverse:
				if !id.IsRate() {
					return bad(f("scoring.kind"), "%s needs rate indicators, and %s is a count", it.Scoring.Kind, id)
				}
			case ScorePerCount:
				if id.IsRate() {
					return bad(f("scoring.kind"), "%s needs count indicators, and %s is a rate", it.Scoring.Kind, id)
				}
			}
		}
		switch it.Scoring.Kind {
		case ScoreRate, ScoreInverse:
		case ScorePerCount:
			if it.Scoring.PerCount <= 0 || it.Scoring.PerCount > One {
				return bad(f("scoring.per_count"), "%s is not in (0, 1]", it.Scoring.PerCount)
			}
		case ScoreBands:
			if len(it.Scoring.Bands) == 0 {
				return bad(f("scoring.bands"), "is empty")
			}
			for j, b := range it.Scoring.Bands {
				if b.Fraction < 0 || b.Fraction > One {
					return bad(f(fmt.Sprintf("scoring.bands[%d].fraction", j)), "%s is not in [0, 1]", b.Fraction)
				}
				if j > 0 && b.Min <= it.Scoring.Bands[j-1].Min {
					return bad(f(fmt.Sprintf("scoring.bands[%d].min", j)), "%s is not above the previous band's min", b.Min)
				}
			}
		default:
			return bad(f("scoring.kind"), "%q is not rate, inverse, bands or per_count", clip(string(it.Scoring.Kind)))
		}
	}
	if sum != fullScore {
		return bad("items[].weight", "weights add up to %s, not 100", sum)
	}
	for i, a := range s.Adjustments {
		f := func(name string) string { return fmt.Sprintf("adjustments[%d].%s", i, name) }
		if a.ID == "" {
			return bad(f("id"), "is empty")
		}
		if ids[a.ID] {
			return bad(f("id"), "%q is used twice (items and adjustments share one namespace)", clip(a.ID))
		}
		ids[a.ID] = true
		if !a.Kind.Valid() {
			return bad(f("kind"), "%q is not bonus or deduction", clip(string(a.Kind)))
		}
		if a.Points <= 0 || a.Points > fullScore {
			return bad(f("points"), "%s is not in (0, 100]", a.Points)
		}
		if a.Cap < 0 || a.Cap > fullScore {
			return bad(f("cap"), "%s is not in [0, 100]", a.Cap)
		}
	}
	if s.BonusCap < 0 || s.BonusCap > fullScore {
		return bad("bonus_cap", "%s is not in [0, 100]", s.BonusCap)
	}
	if s.DeductionCap < 0 || s.DeductionCap > fullScore {
		return bad("deduction_cap", "%s is not in [0, 100]", s.DeductionCap)
	}
	if len(s.SatisfiedRatings) == 0 {
		return bad("satisfied_ratings", "is empty")
	}
	for _, l := range s.SatisfiedRatings {
		if !l.Valid() {
			return bad("satisfied_ratings", "%q is not one of the five ratings", clip(string(l)))
		}
		if l.Bad() {
			return bad("satisfied_ratings", "%s is a bad-review rating (不满意/非常不满意)", l)
		}
	}
	if !s.Missing.Valid() {
		return bad("missing", "%q is not reweight, full or zero", clip(string(s.Missing)))
	}
	if s.Sample != "" && (!s.Sample.Valid() || s.Sample.IsRate()) {
		return bad("sample", "%q is not a count indicator", clip(string(s.Sample)))
	}
	if s.MinSample < 0 {
		return bad("min_sample", "%d is negative", s.MinSample)
	}
	for _, id := range s.TieBreak {
		if !id.Valid() {
			return bad("tie_break", "%q is not a known indicator", clip(string(id)))
		}
	}
	if !s.Ties.Valid() {
		return bad("ties", "%q is not unit_id or shared", clip(string(s.Ties)))
	}
	if s.Algorithm != "" && !s.Algorithm.Valid() {
		return bad("algorithm", "%q is not sm3 or sha256", clip(string(s.Algorithm)))
	}
	return nil
}

// MaxSchemeBytes is the largest scheme document [ParseScheme] and [ReadScheme] accept: 1 MiB, far above any real
// scheme (the presets are about 3 KB).
const MaxSchemeBytes = 1 << 20

// ParseScheme decodes a scheme from JSON through the module's one strict loader and validates it.
// Malformed documents — more than [MaxSchemeBytes], trailing data, duplicate or case-variant keys,
// unknown fields or enum values, syntax or type errors — are refused with an error wrapping
// [ErrMalformed] (and strictjson's error naming the offset and path); a well-formed scheme that fails
// [Scheme.Validate] returns its [*PolicyError].
func ParseScheme(data []byte) (Scheme, error) {
	var s Scheme
	if err := strictjson.Decode(data, &s, MaxSchemeBytes); err != nil {
		return Scheme{}, fmt.Errorf("%w: scheme: %w", ErrMalformed, err)
	}
	return validated(s)
}

// ReadScheme is [ParseScheme] on a reader; it reads at most [MaxSchemeBytes] + 1 bytes.
func ReadScheme(r io.Reader) (Scheme, error) {
	var s Scheme
	if err := strictjson.Read(r, &s, MaxSchemeBytes); err != nil {
		return Scheme{}, fmt.Errorf("%w: scheme: %w", ErrMalformed, err)
	}
	return validated(s)
}

func validated(s Scheme) (Scheme, error) {
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
	s.SatisfiedRatings = slices.Clone(s.SatisfiedRatings)
	s.TieBreak = slices.Clone(s.TieBreak)
	return s
}
