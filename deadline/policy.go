package deadline

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Key names a limit within a [Policy]. The keys below are the ones the presets use and the other
// packages of this module look up; a district may add keys of its own.
type Key string

const (
	FirstContact         Key = "first_contact"          // 先行联系
	ReplyQuick           Key = "reply_quick"            // 即办 / 简易问题 / 能及时办理的事项
	ReplyGeneral         Key = "reply_general"          // 一般事项 / 确有问题的整改反馈
	ReplyComplex         Key = "reply_complex"          // 复杂、疑难事项
	ReplySpecial         Key = "reply_special"          // 特殊问题 (延时办理，明确办理时限)
	ReplyCap             Key = "reply_cap"              // 办理期限上限 (国办"一般"类留言)
	ReplyTransfer        Key = "reply_transfer"         // 转办
	ReplyJoint           Key = "reply_joint"            // 协办
	ReplyRefusal         Key = "reply_refusal"          // 不予受理问题的答复
	CauseAnalysis        Key = "cause_analysis"         // 当天原因分析
	ServiceHallComplaint Key = "service_hall_complaint" // 大厅投诉答复
	SuggestionFeedback   Key = "suggestion_feedback"    // 意见建议采纳情况反馈
	ExtensionGeneral     Key = "extension_general"      // 一般事项延期申请
	ExtensionComplex     Key = "extension_complex"      // 复杂事项 (市级) 延期申请
	Reopen               Key = "reopen"                 // 不满退回重办, counted from the re-dispatch
	ReturnUpstream       Key = "return_upstream"        // 退回国办
	AppealClose          Key = "appeal_close"           // 差评申诉：按不属实评价办结
	ObjectionReturn      Key = "objection_return"       // 差评确责：作退单处理
)

// Limit is one time limit of a policy: how long something may take, counted from its start (a
// ticket's receipt unless the key's doc says otherwise), and how it may be extended.
type Limit struct {
	Key   Key    `json:"key"`
	Label string `json:"label"` // Chinese label for display, e.g. "先行联系".
	Period
	// ExtendTo, when positive, is the most an approved extension may extend the period to, counted in
	// Unit from the same start.
	//
	// A window limit — [ExtensionGeneral], [ExtensionComplex], or any limit that another names as its
	// ExtensionWindow — is different: its Period is the window within which an extension request must
	// be filed, its WrittenReport and Approvals are what [Calendar.Extend] reports for the request, and
	// its ExtendTo only restates the cap (the cap enforced is the extended limit's own ExtendTo).
	ExtendTo int `json:"extend_to,omitempty"`
	// Extendable reports whether an extension may be requested at all.
	Extendable bool `json:"extendable,omitempty"`
	// WrittenReport reports whether an extension request needs a written report (书面报告).
	WrittenReport bool `json:"written_report,omitempty"`
	// Approvals lists, in order, who must approve an extension (e.g. 街道热线办, 区热线办, 市热线办).
	Approvals []string `json:"approvals,omitempty"`
	// ExtensionWindow, when set, names the limit of the same policy whose period is the window within
	// which an extension of this limit must be requested (e.g. [ReplyGeneral] → [ExtensionGeneral]).
	ExtensionWindow Key `json:"extension_window,omitempty"`
	// Source cites the document and article the limit comes from, e.g. "004 §8 (二)".
	Source string `json:"source,omitempty"`
}

// Policy is a named set of limits with the counting options and the due-soon lead that apply to
// them. It is plain data: build one, load one from JSON with [ParsePolicy], or start from a preset
// such as [StreetHotline] and override what a district does differently.
type Policy struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Source   string   `json:"source,omitempty"`
	Counting Counting `json:"counting"`
	// DueSoon is the lead before a deadline from which a stage is due soon (预警); zero means never.
	DueSoon Period `json:"due_soon"`
	// QualityCheck reports whether replies pass a quality check (质检) before the callback.
	QualityCheck bool    `json:"quality_check,omitempty"`
	Limits       []Limit `json:"limits"`
}

// ErrInvalidPolicy is wrapped by every error [Policy.Validate] returns.
var ErrInvalidPolicy = errors.New("deadline: invalid policy")

// ErrNoLimit is returned when a policy has no limit under the key asked for.
var ErrNoLimit = errors.New("deadline: policy has no such limit")

// PolicyError describes what is wrong with a policy.
type PolicyError struct {
	Policy string // the policy's name
	Field  string // e.g. "limits[2].days"
	Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("deadline: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// Validate reports the first problem of p, or nil.
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "must not be empty")
	}
	if err := p.Counting.validate(); err != nil {
		return bad("counting", "%v", err)
	}
	if err := p.DueSoon.validate(true); err != nil {
		return bad("due_soon", "%v", err)
	}
	// A window limit (one that some limit names as its ExtensionWindow, or one of the keys the
	// presets use for windows) may carry the cap and the approvals of the extension it governs.
	window := func(k Key) bool {
		return k == ExtensionGeneral || k == ExtensionComplex ||
			slices.ContainsFunc(p.Limits, func(l Limit) bool { return l.ExtensionWindow == k })
	}
	seen := map[Key]int{}
	for i, l := range p.Limits {
		f := fmt.Sprintf("limits[%d]", i)
		if l.Key == "" {
			return bad(f+".key", "must not be empty")
		}
		if j, dup := seen[l.Key]; dup {
			return bad(f+".key", "%q already set by limits[%d]", l.Key, j)
		}
		seen[l.Key] = i
		if err := l.Period.validate(false); err != nil {
			return bad(f, "%s: %v", l.Key, err)
		}
		if l.ExtendTo < 0 {
			return bad(f+".extend_to", "%s: %d is negative", l.Key, l.ExtendTo)
		}
		if l.ExtendTo > 0 && l.Unit != SameDay && l.ExtendTo < l.Days && !window(l.Key) {
			return bad(f+".extend_to", "%s: extends to %d, shorter than the period of %d", l.Key, l.ExtendTo, l.Days)
		}
		if l.ExtendTo > 0 && !l.Extendable && !window(l.Key) {
			return bad(f+".extend_to", "%s: given for a limit that is not extendable", l.Key)
		}
		if len(l.Approvals) > 0 && !l.Extendable && !window(l.Key) {
			return bad(f+".approvals", "%s: approvals given for a limit that is not extendable", l.Key)
		}
		if l.ExtensionWindow != "" && !l.Extendable {
			return bad(f+".extension_window", "%s: given for a limit that is not extendable", l.Key)
		}
		if l.ExtensionWindow == l.Key && l.Key != "" {
			return bad(f+".extension_window", "%s: names the limit itself", l.Key)
		}
	}
	for i, l := range p.Limits {
		if l.ExtensionWindow == "" {
			continue
		}
		if _, ok := seen[l.ExtensionWindow]; !ok {
			return bad(fmt.Sprintf("limits[%d].extension_window", i), "%s: no limit %q in the policy", l.Key, l.ExtensionWindow)
		}
	}
	return nil
}

func (p Period) validate(zeroOK bool) error {
	switch p.Unit {
	case SameDay:
		if p.Days != 0 {
			return fmt.Errorf("days: %d given for a same-day period", p.Days)
		}
		return nil
	case WorkingDays, CalendarDays:
	case "":
		if zeroOK && p.Days == 0 {
			return nil
		}
		return errors.New("unit: missing (working_days, calendar_days or same_day)")
	default:
		return fmt.Errorf("unit: unknown %q (working_days, calendar_days or same_day)", p.Unit)
	}
	if p.Days < 0 {
		return fmt.Errorf("days: %d is negative", p.Days)
	}
	if p.Days == 0 && !zeroOK {
		return errors.New("days: must be positive (use unit same_day for 当天)")
	}
	if p.Days > maxPeriodDays {
		return fmt.Errorf("days: %d is implausibly long (more than %d)", p.Days, maxPeriodDays)
	}
	return nil
}

// maxPeriodDays is the longest period a policy or an extension may set: about ten years.
const maxPeriodDays = 3660

func (c Counting) validate() error {
	for _, f := range []struct {
		name string
		v    TimeOfDay
	}{{"business_close", c.BusinessClose}, {"cutoff", c.Cutoff}} {
		if f.v < 0 || f.v >= 24*60 {
			return fmt.Errorf("%s: %d minutes is not a time of day", f.name, int(f.v))
		}
	}
	return nil
}

// Limit returns the limit under key k, and whether there is one.
func (p Policy) Limit(k Key) (Limit, bool) {
	i := slices.IndexFunc(p.Limits, func(l Limit) bool { return l.Key == k })
	if i < 0 {
		return Limit{}, false
	}
	return p.Limits[i], true
}

// LimitFor returns the limit under key k, or an error wrapping [ErrNoLimit] that names the policy and
// the key.
func (p Policy) LimitFor(k Key) (Limit, error) {
	if l, ok := p.Limit(k); ok {
		return l, nil
	}
	return Limit{}, fmt.Errorf("%w: policy %q has no %q limit", ErrNoLimit, p.Name, k)
}

// With returns a copy of p in which each of limits replaces the limit with the same key, or is added.
func (p Policy) With(limits ...Limit) Policy {
	q := p
	q.Limits = slices.Clone(p.Limits)
	for _, l := range limits {
		if i := slices.IndexFunc(q.Limits, func(m Limit) bool { return m.Key == l.Key }); i >= 0 {
			q.Limits[i] = l
		} else {
			q.Limits = append(q.Limits, l)
		}
	}
	return q
}

// ParsePolicy decodes a policy from JSON, rejecting unknown fields and anything after the policy
// object, and validates it. Every error wraps [ErrInvalidPolicy]; an error in a time of day also
// wraps [ErrTimeOfDay].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := decodeStrict(data, &p); err != nil {
		return Policy{}, fmt.Errorf("%w: policy JSON: %w", ErrInvalidPolicy, err)
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}
