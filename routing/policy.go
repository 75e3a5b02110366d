package routing

import (
	"errors"
	"fmt"
	"io"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// A Policy is the plain-data set of choices a district makes about dispatch.
// The documents differ (Shanghai puts sector lines first, Hebi the territory
// first), so each difference is a field, not a constant. Presets: [Shanghai],
// [Hebi], [StreetHotline]; see [Presets].
type Policy struct {
	// Name identifies the policy, e.g. "shanghai"; required. A ticket
	// records it with Version to say what it was routed under.
	Name string `json:"name"`
	// Version distinguishes editions of a policy with the same name, e.g.
	// "000-2020" for the 2020 edition of document 000.
	Version string `json:"version,omitempty"`
	// Label is the Chinese name for display.
	Label string `json:"label,omitempty"`
	// Source names the documents and articles the policy follows.
	Source string `json:"source,omitempty"`

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
	// (004 §12 (一) 职责不清、管辖争议 … 指定主办责任单位). 0 means no limit; at most MaxRequestReturns.
	MaxReturns int `json:"max_returns"`

	// BuckPassingBounces is the number of returns between the same two units
	// (either direction) at which the decision flags buck-passing for
	// supervision (004 §12 (二) 1 工单派发出现推诿情况; 000 §8 (二) 差评确责推诿扯皮).
	// 0 disables the flag; the counts are reported regardless. At most
	// MaxRequestReturns.
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

// Shanghai returns the policy of 沪府办〔2020〕49号 (000), version
// "000-2020": sector lines first (000 §4 (二) 条块结合、以条为主), districts
// take the fallback (各区托底), upheld returns go to the suggested unit and the
// suggested unit's objection goes to designation (000 §7 (二)). A preset
// cannot know unit IDs: a directory that holds 市政府办公厅 sets
// ObjectionAuthority (and DefaultAuthority, if wanted) to its ID. MaxReturns
// (3) and BuckPassingBounces (2) are this package's defaults; the document
// gives no number.
func Shanghai() Policy {
	return Policy{
		Name:                "shanghai",
		Version:             "000-2020",
		Label:               "上海市“一网通办”政务服务投诉建议派单",
		Source:              "沪府办〔2020〕49号 (000) §4 (二), §7 (二)",
		SectorLineFirst:     true,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelCounty,
		FollowSuggestedUnit: true,
		MaxReturns:          3,
		BuckPassingBounces:  2,
	}
}

// Hebi returns the policy of the Hebi measures (002), version "002-2020":
// territory first (002 §6 属地管理优先), then 谁主管谁负责; joint handling
// (协办, 002 §6 (二)) under a lead unit. MaxReturns and BuckPassingBounces
// are this package's defaults.
func Hebi() Policy {
	return Policy{
		Name:                "hebi",
		Version:             "002-2020",
		Label:               "鹤壁市政务服务平台咨询投诉建议派单",
		Source:              "鹤壁市政务服务平台咨询投诉建议处理暂行办法 (002) §6",
		SectorLineFirst:     false,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelCounty,
		FollowSuggestedUnit: true,
		MaxReturns:          3,
		BuckPassingBounces:  2,
	}
}

// StreetHotline returns the policy of a street hotline office such as
// 友谊路街道 (004), version "004" (the document is undated): 法定、商定、指定
// within the street (004 §6), the street takes the fallback (004 §15
// (一) 2 托底事项), and a case bounced back and forth goes to the leader in
// charge (004 §6 由分管领导指定处置单位; 004 §12 (一)) after 2 returns,
// a number this package chose (004 gives none).
func StreetHotline() Policy {
	return Policy{
		Name:                "street-hotline",
		Version:             "004",
		Label:               "友谊路街道“12345”市民服务热线派单",
		Source:              "友谊路街道“12345”市民服务热线管理实施办法 (004) §6, §12, §15",
		SectorLineFirst:     true,
		JointHandling:       true,
		MatterFallback:      true,
		FallbackLevel:       LevelTown,
		FollowSuggestedUnit: true,
		MaxReturns:          2,
		BuckPassingBounces:  2,
	}
}

// Presets returns the preset policies: [Shanghai], [Hebi], [StreetHotline].
func Presets() []Policy { return []Policy{Shanghai(), Hebi(), StreetHotline()} }

// Preset returns the preset policy with the given Name. The error for an
// unknown name is a [*PolicyError] wrapping [ErrInvalidPolicy].
func Preset(name string) (Policy, error) {
	var names []string
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Policy{}, &PolicyError{Policy: name, Field: "name", Reason: fmt.Sprintf("no preset has this name (presets: %q)", names)}
}

// Validate reports whether p is usable: a name, bounded texts, a fallback
// level of province, city, county or town, and no negative counts. The error
// is a [*PolicyError] wrapping [ErrInvalidPolicy], or the [errors.Join] of
// several. The unit IDs it names are checked against a directory by
// [NewRouter].
func (p Policy) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.Name == "":
		bad("name", "a name is required")
	case len(p.Name) > MaxNameBytes:
		bad("name", "longer than %d bytes (MaxNameBytes)", MaxNameBytes)
	}
	for _, f := range [...]struct{ field, value string }{
		{"version", p.Version}, {"label", p.Label}, {"source", p.Source},
	} {
		if len(f.value) > MaxTextBytes {
			bad(f.field, "longer than %d bytes (MaxTextBytes)", MaxTextBytes)
		}
	}
	for _, f := range [...]struct{ field, value string }{
		{"default_authority", p.DefaultAuthority}, {"objection_authority", p.ObjectionAuthority},
	} {
		if len(f.value) > MaxNameBytes {
			bad(f.field, "longer than %d bytes (MaxNameBytes)", MaxNameBytes)
		}
	}
	switch p.FallbackLevel {
	case LevelProvince, LevelCity, LevelCounty, LevelTown:
	default:
		bad("fallback_level", "%q: want province, city, county or town", enum.Clip(string(p.FallbackLevel)))
	}
	// A request carries at most MaxRequestReturns returns: a larger count could never be reached.
	switch {
	case p.MaxReturns < 0:
		bad("max_returns", "%d: must not be negative", p.MaxReturns)
	case p.MaxReturns > MaxRequestReturns:
		bad("max_returns", "%d: more than a request can carry (MaxRequestReturns = %d); 0 means no limit", p.MaxReturns, MaxRequestReturns)
	}
	switch {
	case p.BuckPassingBounces < 0:
		bad("buck_passing_bounces", "%d: must not be negative", p.BuckPassingBounces)
	case p.BuckPassingBounces > MaxRequestReturns:
		bad("buck_passing_bounces", "%d: more than a request can carry (MaxRequestReturns = %d); 0 disables the flag", p.BuckPassingBounces, MaxRequestReturns)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// ParsePolicy decodes a policy from JSON (the field names of [Policy];
// fallback_level takes "county", "town"… or the Chinese labels) through the
// module's strict loader (at most [MaxPolicyBytes]; no trailing data, no
// duplicate, case-variant or unknown keys), and validates it. Errors are
// [*PolicyError]s wrapping [ErrInvalidPolicy] (and [ErrMalformed] for a
// document that does not decode). The unit IDs it names are checked against a
// directory by [NewRouter].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return validated(p, strictjson.Decode(data, &p, MaxPolicyBytes))
}

// ReadPolicy is [ParsePolicy] reading from r; it reads at most
// [MaxPolicyBytes]+1 bytes.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return validated(p, strictjson.Read(r, &p, MaxPolicyBytes))
}

// validated returns p if it decoded (err == nil) and validates.
func validated(p Policy, err error) (Policy, error) {
	if err != nil {
		pe := &PolicyError{Policy: p.Name, Reason: "malformed JSON: " + err.Error(), Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
		var se *strictjson.Error
		if errors.As(err, &se) {
			pe.Field = se.Path
		}
		return Policy{}, pe
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}
