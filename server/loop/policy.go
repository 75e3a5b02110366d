package loop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// Policy is the scoring decisions a district takes when it turns tickets into assessment records:
// plain data with a Name and Version, checked by [Policy.Validate]. Start from a preset
// ([StreetHotline], [Shanghai], [Hebi]; [Presets], [Preset]) and change what the district decides
// otherwise. [CaseRecord] refuses an invalid policy.
type Policy struct {
	// Name identifies the policy, e.g. "street-hotline".
	Name string `json:"name"`
	// Version distinguishes editions of the policy with the same name, e.g. "2026-11".
	Version string `json:"version,omitempty"`
	// Ratings maps the citizen's satisfaction with the result at the callback (three levels, 000
	// §4 (四); 004 §11 (三)) to a 好差评 rating (five levels, 001 (二)), the scale assess scores. The
	// documents define no such mapping: it decides which callbacks the scheme's satisfied ratings
	// count, so it is the district's.
	Ratings Ratings `json:"ratings"`
	// AttitudeSatisfied lists the callback's attitude levels that answer "satisfied with the unit's
	// attitude" yes (004 §11 (三)); the others answer no. It may not hold 不满意: a citizen who says
	// so is dissatisfied with the attitude (004 §12 (二) 4).
	AttitudeSatisfied []ticket.Satisfaction `json:"attitude_satisfied"`
	// ComplaintKinds lists the ticket kinds that are complaints against the handling unit itself
	// (被投诉, 002 §9), as opposed to complaints the unit handles about somebody else: a 好差评 bad
	// review rates the unit's own service; on a 政务服务 complaint platform (000, 002) a 投诉 is about
	// the department's service, while on a street hotline (004) it is about a neighbour's noise.
	ComplaintKinds []ticket.Kind `json:"complaint_kinds,omitempty"`
}

// Ratings maps each callback satisfaction level to a 好差评 rating.
type Ratings struct {
	Satisfied       assess.Rating `json:"satisfied"`        // 满意
	FairlySatisfied assess.Rating `json:"fairly_satisfied"` // 基本满意
	Dissatisfied    assess.Rating `json:"dissatisfied"`     // 不满意
}

// Rating returns the rating of callback level s, and whether s is a known level.
func (r Ratings) Rating(s ticket.Satisfaction) (assess.Rating, bool) {
	switch s {
	case ticket.Satisfied:
		return r.Satisfied, true
	case ticket.FairlySatisfied:
		return r.FairlySatisfied, true
	case ticket.Dissatisfied:
		return r.Dissatisfied, true
	}
	return "", false
}

// sameWords is the mapping by name: 满意 → 满意, 基本满意 → 基本满意, 不满意 → 不满意. No callback
// reaches 非常满意 or 非常不满意.
func sameWords() Ratings {
	return Ratings{Satisfied: assess.Satisfied, FairlySatisfied: assess.FairlySatisfied, Dissatisfied: assess.Dissatisfied}
}

// StreetHotline returns the policy for a street hotline office (004, 友谊路街道): callback levels
// map to the ratings of the same name; an attitude of 满意 or 基本满意 is satisfied (only 不满意
// is dissatisfaction, 004 §12 (二) 4); only a 好差评 bad review (kind review) is a complaint against
// the unit — the complaints a street handles are about others (004 §2).
func StreetHotline() Policy {
	return Policy{Name: "street-hotline", Version: "2026-11", Ratings: sameWords(),
		AttitudeSatisfied: []ticket.Satisfaction{ticket.Satisfied, ticket.FairlySatisfied},
		ComplaintKinds:    []ticket.Kind{ticket.KindReview}}
}

// Shanghai returns the policy for 上海 “一网通办” 政务服务 complaints (000): as [StreetHotline],
// but a complaint (投诉) is about the government service itself (000 §1–§2: 政务服务投诉建议), so it
// counts against the unit as a bad review does.
func Shanghai() Policy {
	p := StreetHotline()
	p.Name = "shanghai"
	p.ComplaintKinds = []ticket.Kind{ticket.KindComplaint, ticket.KindReview}
	return p
}

// Hebi returns the policy for 鹤壁 (002): complaints on the 政务服务 platforms are against the
// department's service and enter its 被投诉率 (002 §9), as bad reviews do.
func Hebi() Policy {
	p := Shanghai()
	p.Name = "hebi"
	return p
}

// Presets returns every preset, StreetHotline first.
func Presets() []Policy { return []Policy{StreetHotline(), Shanghai(), Hebi()} }

// Preset returns the preset named name, or a *PolicyError wrapping [ErrInvalidPolicy] that lists
// the names there are.
func Preset(name string) (Policy, error) {
	var names []string
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Policy{}, &PolicyError{Policy: name, Field: "name", Reason: "no such preset (" + strings.Join(names, ", ") + ")"}
}

// Validate reports the first problem of p, or nil: a *PolicyError wrapping [ErrInvalidPolicy].
// The ratings must be valid and keep the callback's order (满意 no worse than 基本满意, 基本满意 no
// worse than 不满意), 满意 must not be a bad review and 不满意 must be one (001 (二): the two lowest
// levels are bad reviews); the attitude levels and complaint kinds must be known, without repeats.
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "is empty")
	}
	r := p.Ratings
	for _, f := range []struct {
		name string
		l    assess.Rating
	}{{"ratings.satisfied", r.Satisfied}, {"ratings.fairly_satisfied", r.FairlySatisfied}, {"ratings.dissatisfied", r.Dissatisfied}} {
		if !f.l.Valid() {
			return bad(f.name, "%q is not one of the five ratings", clip(string(f.l)))
		}
	}
	switch {
	case worse(r.Satisfied, r.FairlySatisfied):
		return bad("ratings.satisfied", "%s is worse than 基本满意's %s", r.Satisfied.Label(), r.FairlySatisfied.Label())
	case worse(r.FairlySatisfied, r.Dissatisfied):
		return bad("ratings.fairly_satisfied", "%s is worse than 不满意's %s", r.FairlySatisfied.Label(), r.Dissatisfied.Label())
	case r.Satisfied.Bad():
		return bad("ratings.satisfied", "%s is a bad review (001 (二))", r.Satisfied.Label())
	case !r.Dissatisfied.Bad():
		return bad("ratings.dissatisfied", "%s is not a bad review: 不满意 must stay one (001 (二))", r.Dissatisfied.Label())
	}
	if len(p.AttitudeSatisfied) == 0 {
		return bad("attitude_satisfied", "is empty")
	}
	for i, s := range p.AttitudeSatisfied {
		field := fmt.Sprintf("attitude_satisfied[%d]", i)
		switch {
		case !s.Valid():
			return bad(field, "%q is not a callback level", clip(string(s)))
		case s == ticket.Dissatisfied:
			return bad(field, "不满意 is dissatisfaction with the attitude (004 §12 (二) 4)")
		case slices.Contains(p.AttitudeSatisfied[:i], s):
			return bad(field, "%s is repeated", s)
		}
	}
	for i, k := range p.ComplaintKinds {
		field := fmt.Sprintf("complaint_kinds[%d]", i)
		switch {
		case !k.Valid():
			return bad(field, "%q is not a ticket kind", clip(string(k)))
		case slices.Contains(p.ComplaintKinds[:i], k):
			return bad(field, "%s is repeated", k)
		}
	}
	return nil
}

// worse reports whether rating a is worse than rating b.
func worse(a, b assess.Rating) bool { return a.Rank() > b.Rank() }
