package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A RoutingPolicy is the plain-data set of choices a district makes about
// dispatch. The documents differ (Shanghai puts sector lines first, Hebi the
// territory first), so each difference is a field, not a constant. Presets:
// [ShanghaiPolicy], [HebiPolicy], [StreetPolicy].
type RoutingPolicy struct {
	// Name identifies the policy in decisions' trails.
	Name string `json:"name"`

	// SectorLineFirst: for a sector-line matter, the competent departments of
	// its line are preferred over territorial bodies before the narrowest
	// area is chosen (000 §4 (二) 条块结合、以条为主); for a territorial
	// matter, territorial bodies (units without a line) are preferred. When
	// false, the narrowest area is chosen first (002 §6 属地管理优先) and the
	// line decides only among units of that area.
	SectorLineFirst bool `json:"sector_line_first"`

	// JointHandling lets several competent units of the same narrowest area
	// handle a matter jointly, with a lead unit picked by the line or the
	// territory (商定: 004 §6 经多方商定后进行联合处置; 002 §6 (二) 协办).
	// When false, any such tie needs designation.
	JointHandling bool `json:"joint_handling"`

	// MatterFallback lets a matter nobody is responsible for at the place fall
	// back to its parent matter in the catalogue (050203 → 0502 → 05). When
	// false, only units listing the request's exact matter code are
	// competent, and a matter nobody lists goes to the fallback (托底).
	MatterFallback bool `json:"matter_fallback"`

	// FallbackLevel is the narrowest level whose territorial government takes
	// the cases nobody is competent for (托底): LevelCounty for 000 §4 (二)
	// 各区托底, LevelTown when a street takes them (004 §15 托底事项). If the
	// directory has no territorial government there, the next broader one
	// takes it.
	FallbackLevel RegionLevel `json:"fallback_level"`

	// FollowSuggestedUnit: after an upheld return, the ticket goes to the
	// suggested unit it names (000 §7 (二) 注明"建议承办单位"，由"12345"市民服务
	// 热线另行转送). When false the rules are applied again without the
	// returned unit and the suggestion is only recorded.
	FollowSuggestedUnit bool `json:"follow_suggested_unit"`

	// MaxReturns is the number of returns on one ticket after which it is no
	// longer re-dispatched by the rules but goes to the designating authority
	// (004 §12 (一) 职责不清、管辖争议 … 指定主办责任单位). 0 means no limit.
	MaxReturns int `json:"max_returns"`

	// BuckPassingBounces is the number of returns between the same two units
	// (either direction) at which the decision flags buck-passing for
	// supervision (004 §12 (二) 1 工单派发出现推诿情况; 000 §8 (二) 差评确责推诿扯皮).
	// 0 disables the flag; the counts are reported regardless.
	BuckPassingBounces int `json:"buck_passing_bounces"`

	// DefaultAuthority is the ID of the unit that designates when the units
	// in dispute share no designating authority (e.g. the city office,
	// 市政府办公厅). Empty: the dispatching hotline office (000 §4 (二) 对争议
	// 事项，由热线管理办公室指定转送), left to the caller.
	DefaultAuthority string `json:"default_authority,omitempty"`

	// ObjectionAuthority is the ID of the unit that designates when a
	// suggested unit objects in turn: under 000 §7 (二) "建议承办单位"如提出异议，
	// 由市政府办公厅指定办理, the directory's 市政府办公厅, whichever units are
	// involved. Empty: as for any dispute, the lowest designating authority
	// the two units share, else DefaultAuthority.
	ObjectionAuthority string `json:"objection_authority,omitempty"`
}

// ShanghaiPolicy returns the policy of 沪府办〔2020〕49号 (000): sector lines
// first, districts take the fallback, upheld returns go to the suggested
// unit, the suggested unit's objection goes to designation. A preset cannot
// know unit IDs: a directory that holds 市政府办公厅 sets ObjectionAuthority
// (and DefaultAuthority, if wanted) to its ID. MaxReturns (3) and
// BuckPassingBounces (2) are this package's defaults; the documents give no
// number.
func ShanghaiPolicy() RoutingPolicy {
	return RoutingPolicy{
		Name:                "shanghai-000",
		SectorLineFirst:     true,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelCounty,
		FollowSuggestedUnit: true,
		MaxReturns:          3,
		BuckPassingBounces:  2,
	}
}

// HebiPolicy returns the policy of the Hebi measures (002): territory first
// (属地管理优先), then 谁主管谁负责; joint handling (协办) under a lead unit.
// MaxReturns and BuckPassingBounces are this package's defaults.
func HebiPolicy() RoutingPolicy {
	return RoutingPolicy{
		Name:                "hebi-002",
		SectorLineFirst:     false,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelCounty,
		FollowSuggestedUnit: true,
		MaxReturns:          3,
		BuckPassingBounces:  2,
	}
}

// StreetPolicy returns the policy of a street hotline office such as
// 友谊路街道 (004): 法定、商定、指定 within the street, the street takes the
// fallback, and a case bounced back and forth goes to the leader in charge
// (004 §6 由分管领导指定处置单位; 004 §12 (一)) after 2 returns, a number this
// package chose (004 gives none).
func StreetPolicy() RoutingPolicy {
	return RoutingPolicy{
		Name:                "street-004",
		SectorLineFirst:     true,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelTown,
		FollowSuggestedUnit: true,
		MaxReturns:          2,
		BuckPassingBounces:  2,
	}
}

// Validate reports whether p is usable. Errors wrap [ErrInvalidPolicy].
func (p RoutingPolicy) Validate() error {
	var errs []error
	if p.FallbackLevel < LevelProvince || p.FallbackLevel > LevelTown {
		errs = append(errs, fmt.Errorf("%w: fallback_level %q: want province, city, county or town",
			ErrInvalidPolicy, p.FallbackLevel))
	}
	if p.MaxReturns < 0 {
		errs = append(errs, fmt.Errorf("%w: max_returns %d: must not be negative", ErrInvalidPolicy, p.MaxReturns))
	}
	if p.BuckPassingBounces < 0 {
		errs = append(errs, fmt.Errorf("%w: buck_passing_bounces %d: must not be negative", ErrInvalidPolicy, p.BuckPassingBounces))
	}
	return errors.Join(errs...)
}

// ParseRoutingPolicy decodes a policy from JSON (the field names of
// [RoutingPolicy]; fallback_level takes "county", "town"… or the Chinese
// labels), rejecting unknown fields and trailing data, and validates it.
// Errors wrap [ErrInvalidPolicy]. The unit IDs it names are checked against a
// directory by [NewRouter].
func ParseRoutingPolicy(data []byte) (RoutingPolicy, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p RoutingPolicy
	if err := dec.Decode(&p); err != nil {
		return RoutingPolicy{}, fmt.Errorf("%w: policy JSON: %w", ErrInvalidPolicy, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return RoutingPolicy{}, fmt.Errorf("%w: policy JSON: data after the policy object", ErrInvalidPolicy)
	}
	if err := p.Validate(); err != nil {
		return RoutingPolicy{}, err
	}
	return p, nil
}
