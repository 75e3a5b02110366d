package appeal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// Windows names the limits of a [deadline.Policy] that bound one procedure. An empty key means no
// window: nothing is refused as late and the effect carries no due date.
type Windows struct {
	// Filing names the limit within which the procedure must be filed — and, for a staff member's
	// appeal, taken up by the unit — counted from the procedure's start (see [Policy]).
	Filing deadline.Key `json:"filing,omitempty"`
	// Effect names the limit by which an upheld decision's effect must be carried out, counted from the
	// same start. An upheld decision after it closes is refused, the effect's due date is its end, and
	// once it has closed a pending procedure may lapse.
	Effect deadline.Key `json:"effect,omitempty"`
}

// Policy says which windows bound appeals, objections and reconsideration, who may review, and how a
// staff member appeals. It is plain data: start from [Shanghai] or [Hebi], override, or load one from
// JSON with [ParsePolicy]. The limits the keys name come from the [deadline.Policy] given to
// [NewMachine].
//
// Windows are counted from the ticket's receipt for appeals and objections ("自收到工单之日起",
// 000 第六条 (二), 第七条 (二)), and from the reply to the citizen for reconsideration.
type Policy struct {
	Name string `json:"name"`
	// Version names the edition of the rules, e.g. the document a preset follows ("000").
	Version string `json:"version,omitempty"`
	Label   string `json:"label,omitempty"`
	Source  string `json:"source,omitempty"`

	// Appeal bounds bad-review appeals (000 第六条): in [Shanghai] both keys are
	// [deadline.AppealClose], 15 working days from receipt.
	Appeal Windows `json:"appeal"`
	// Objection bounds responsibility objections (000 第七条): in [Shanghai] both keys are
	// [deadline.ObjectionReturn], 5 working days from receipt.
	Objection Windows `json:"objection"`
	// Reconsideration bounds a citizen's reconsideration request (002 第六条 (二) 3), counted from the
	// reply. The document sets no window, so [Hebi] sets none.
	Reconsideration Windows `json:"reconsideration"`

	// ReviewerLevels lists the levels of competent department allowed to review (000 第六条 (二):
	// 市级 or 区级政务服务主管部门). It must not be empty.
	ReviewerLevels []ReviewerLevel `json:"reviewer_levels"`
	// StaffFilesDirectly lets a staff member file an appeal straight with the competent department.
	// The zero value, false, is the rule of 000 第六条 (一): a staff member files with their own unit
	// first, and the unit appeals to its competent department (two levels).
	StaffFilesDirectly bool `json:"staff_files_directly,omitempty"`
	// Designator is the authority that designates the handling unit when the suggested unit objects
	// in turn (000 第七条 (二): 市政府办公厅). Empty means the policy has no such step: a suggested
	// unit's objection is refused.
	Designator string `json:"designator,omitempty"`
}

// CityOffice is the designating authority of 000 第七条 (二).
const CityOffice = "市政府办公厅"

// Shanghai returns the policy of 沪府办〔2020〕49号 (000): appeals bounded by the 15 working days of
// 第六条 (二), objections by the 5 working days of 第七条 (二), reviews by the city- or district-level
// competent department, a staff member's appeal through their unit (第六条 (一)), and designation by
// the city office (第七条 (二)). Reconsideration has no window. Use it with [deadline.ShanghaiOneNet]
// or [deadline.Appeals].
func Shanghai() Policy {
	return Policy{
		Name:            "shanghai-appeals",
		Version:         "000",
		Label:           "上海市“好差评”差评申诉复核与差评确责",
		Source:          "沪府办〔2020〕49号 (000) 第六条, 第七条",
		Appeal:          Windows{Filing: deadline.AppealClose, Effect: deadline.AppealClose},
		Objection:       Windows{Filing: deadline.ObjectionReturn, Effect: deadline.ObjectionReturn},
		Reconsideration: Windows{},
		ReviewerLevels:  []ReviewerLevel{ReviewerCity, ReviewerDistrict},
		Designator:      CityOffice,
	}
}

// Hebi returns the policy of 鹤壁市 (002) for a citizen's reconsideration (复查复核, 第六条 (二) 3):
// the document sets no window, so there is none, and the city's competent department
// (市政务服务和大数据管理局, 第四条) reviews. 002 has no bad-review appeals or objections: their
// windows are unset and no designating authority is named. Use it with [deadline.Hebi12345].
func Hebi() Policy {
	return Policy{
		Name:           "hebi-reconsideration",
		Version:        "002",
		Label:          "鹤壁市 12345政务热线 复查复核",
		Source:         "鹤壁市政务服务平台咨询投诉建议处理暂行办法 (002) 第六条 (二) 3",
		ReviewerLevels: []ReviewerLevel{ReviewerCity},
	}
}

// Validate reports the first problem of p, or nil. It checks the policy alone; [NewMachine] also
// checks that every key it names is a limit of the deadline policy.
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "must not be empty")
	}
	if strings.TrimSpace(p.Version) != p.Version {
		return bad("version", "%q has surrounding spaces", clip(p.Version))
	}
	for _, w := range p.windows() {
		for _, k := range []struct {
			field string
			key   deadline.Key
		}{{w.field + ".filing", w.w.Filing}, {w.field + ".effect", w.w.Effect}} {
			if k.key != "" && strings.TrimSpace(string(k.key)) != string(k.key) {
				return bad(k.field, "key %q has surrounding spaces", clip(string(k.key)))
			}
			if k.key != "" && strings.TrimSpace(string(k.key)) == "" {
				return bad(k.field, "key is blank")
			}
		}
	}
	if len(p.ReviewerLevels) == 0 {
		return bad("reviewer_levels", "must name at least one level (city, district)")
	}
	for i, l := range p.ReviewerLevels {
		if !l.Valid() {
			return bad(fmt.Sprintf("reviewer_levels[%d]", i), "unknown level %q (city, district)", clip(string(l)))
		}
		if j := slices.Index(p.ReviewerLevels, l); j < i {
			return bad(fmt.Sprintf("reviewer_levels[%d]", i), "%q already listed at [%d]", string(l), j)
		}
	}
	if p.Designator != "" && strings.TrimSpace(p.Designator) == "" {
		return bad("designator", "is blank")
	}
	return nil
}

type namedWindows struct {
	field string
	w     Windows
}

func (p Policy) windows() []namedWindows {
	return []namedWindows{{"appeal", p.Appeal}, {"objection", p.Objection}, {"reconsideration", p.Reconsideration}}
}

// AllowsLevel reports whether a competent department of level l may review under p.
func (p Policy) AllowsLevel(l ReviewerLevel) bool { return slices.Contains(p.ReviewerLevels, l) }

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
const MaxPolicyBytes = 64 << 10

// ParsePolicy decodes a policy from JSON through the module's strict loader — no unknown fields, no
// duplicate or case-variant keys, nothing after the policy object, at most [MaxPolicyBytes] — and
// validates it. Every error is a [*PolicyError] wrapping [ErrInvalidPolicy].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), func(e error) error { return policyJSONError(data, e) })
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), func(e error) error { return policyJSONError(nil, e) })
}

func policyJSONError(data []byte, err error) error {
	field := ""
	// Name the policy when the document says it, so the error reads like Validate's.
	var named struct {
		Name string `json:"name"`
	}
	if len(data) <= MaxPolicyBytes {
		_ = json.Unmarshal(data, &named)
	}
	var se *strictjson.Error
	if errors.As(err, &se) {
		field = se.Path
	}
	return &PolicyError{Policy: named.Name, Field: field, Reason: "policy JSON: " + err.Error(), err: fmt.Errorf("%w: %w", ErrMalformed, err)}
}

// Presets returns every preset policy, in a fixed order: [Shanghai], [Hebi].
func Presets() []Policy { return []Policy{Shanghai(), Hebi()} }

// Preset returns the preset policy with the given name, or a [*PolicyError] listing the names.
func Preset(name string) (Policy, error) {
	ps := Presets()
	names := make([]string, len(ps))
	for i, p := range ps {
		if p.Name == name {
			return p, nil
		}
		names[i] = p.Name
	}
	return Policy{}, &PolicyError{Policy: name, Field: "name", Reason: "no preset of that name (have " + strings.Join(names, ", ") + ")"}
}
