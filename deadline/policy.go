package deadline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
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
	Name string `json:"name"`
	// Version names the edition of the rules, e.g. the document the preset follows ("004"); a ticket
	// records Name and Version so that it can be replayed under the rules it ran under.
	Version  string   `json:"version,omitempty"`
	Label    string   `json:"label"`
	Source   string   `json:"source,omitempty"`
	Counting Counting `json:"counting"`
	// DueSoon is the lead before a deadline from which a stage is due soon (预警); zero means never.
	DueSoon Period `json:"due_soon"`
	// QualityCheck reports whether replies pass a quality check (质检) before the callback.
	QualityCheck bool    `json:"quality_check,omitempty"`
	Limits       []Limit `json:"limits"`
}

// ErrInvalidPolicy is wrapped by every error [Policy.Validate] and [ParsePolicy] return.
var ErrInvalidPolicy = errors.New("deadline: invalid policy")

// ErrNoLimit is returned when a policy has no limit under the key asked for.
var ErrNoLimit = errors.New("deadline: policy has no such limit")

// ErrMalformed is wrapped by the error every loader returns for data that is not well-formed JSON
// of the expected shape (see [ParsePolicy], [ParseNotice]); the [*strictjson.Error] that says where
// is wrapped too.
var ErrMalformed = errors.New("deadline: malformed JSON")

// PolicyError describes what is wrong with a policy: the policy's name, the field at fault and why.
// It wraps [ErrInvalidPolicy] and, where there is one, the underlying error ([ErrMalformed],
// [ErrTimeOfDay], an [*EnumError]).
type PolicyError struct {
	Policy string // the policy's name
	Field  string // e.g. "limits[2].days"; "" for the document as a whole
	Reason string
	err    error
}

func (e *PolicyError) Error() string {
	field := e.Field
	if field == "" {
		field = "(document)"
	}
	return fmt.Sprintf("deadline: policy %q: %s: %s", clip(e.Policy), clip(field), e.Reason)
}

// Unwrap returns [ErrInvalidPolicy] and the underlying error, if any.
func (e *PolicyError) Unwrap() []error {
	if e.err != nil {
		return []error{ErrInvalidPolicy, e.err}
	}
	return []error{ErrInvalidPolicy}
}

// Validate reports the first problem of p, or nil. It takes time linear in the number of limits.
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
	if err := p.Counting.validate(); err != nil {
		return bad("counting", "%v", err)
	}
	if err := p.DueSoon.validate(true); err != nil {
		return bad("due_soon", "%v", err)
	}
	// A window limit (one that some limit names as its ExtensionWindow, or one of the keys the
	// presets use for windows) may carry the cap and the approvals of the extension it governs.
	windows := make(map[Key]bool, len(p.Limits))
	for _, l := range p.Limits {
		if l.ExtensionWindow != "" {
			windows[l.ExtensionWindow] = true
		}
	}
	window := func(k Key) bool { return k == ExtensionGeneral || k == ExtensionComplex || windows[k] }
	seen := make(map[Key]int, len(p.Limits))
	for i, l := range p.Limits {
		f := "limits[" + strconv.Itoa(i) + "]"
		if l.Key == "" {
			return bad(f+".key", "must not be empty")
		}
		if j, dup := seen[l.Key]; dup {
			return bad(f+".key", "%q already set by limits[%d]", clip(string(l.Key)), j)
		}
		seen[l.Key] = i
		if err := l.Period.validate(false); err != nil {
			return bad(f, "%s: %v", clip(string(l.Key)), err)
		}
		k := clip(string(l.Key))
		if l.ExtendTo < 0 {
			return bad(f+".extend_to", "%s: %d is negative", k, l.ExtendTo)
		}
		if l.ExtendTo > maxPeriodDays {
			return bad(f+".extend_to", "%s: %d is implausibly long (more than %d)", k, l.ExtendTo, maxPeriodDays)
		}
		if l.ExtendTo > 0 && l.Unit != SameDay && l.ExtendTo < l.Days && !window(l.Key) {
			return bad(f+".extend_to", "%s: extends to %d, shorter than the period of %d", k, l.ExtendTo, l.Days)
		}
		if l.ExtendTo > 0 && !l.Extendable && !window(l.Key) {
			return bad(f+".extend_to", "%s: given for a limit that is not extendable", k)
		}
		if len(l.Approvals) > 0 && !l.Extendable && !window(l.Key) {
			return bad(f+".approvals", "%s: approvals given for a limit that is not extendable", k)
		}
		if l.ExtensionWindow != "" && !l.Extendable {
			return bad(f+".extension_window", "%s: given for a limit that is not extendable", k)
		}
		if l.ExtensionWindow == l.Key {
			return bad(f+".extension_window", "%s: names the limit itself", k)
		}
	}
	for i, l := range p.Limits {
		if l.ExtensionWindow == "" {
			continue
		}
		if _, ok := seen[l.ExtensionWindow]; !ok {
			return bad("limits["+strconv.Itoa(i)+"].extension_window", "%s: no limit %q in the policy",
				clip(string(l.Key)), clip(string(l.ExtensionWindow)))
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
		return fmt.Errorf("unit: unknown %q (working_days, calendar_days or same_day)", clip(string(p.Unit)))
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

// Limit returns the limit under key k, and whether there is one. The clock's methods
// ([Calendar.Status], [Calendar.Window], [Calendar.Extend]) refuse a missing key with an error
// wrapping [ErrNoLimit].
func (p Policy) Limit(k Key) (Limit, bool) {
	i := slices.IndexFunc(p.Limits, func(l Limit) bool { return l.Key == k })
	if i < 0 {
		return Limit{}, false
	}
	return p.Limits[i], true
}

// limit returns the limit under key k, or an error wrapping [ErrNoLimit] that names the policy and
// the key.
func (p Policy) limit(k Key) (Limit, error) {
	if l, ok := p.Limit(k); ok {
		return l, nil
	}
	return Limit{}, fmt.Errorf("%w: policy %q has no %q limit", ErrNoLimit, clip(p.Name), clip(string(k)))
}

// With returns a copy of p in which each of limits replaces the limit with the same key, or is added.
func (p Policy) With(limits ...Limit) Policy {
	q := p
	q.Limits = slices.Clone(p.Limits)
	at := make(map[Key]int, len(q.Limits)+len(limits))
	for i, l := range q.Limits {
		if _, dup := at[l.Key]; !dup {
			at[l.Key] = i
		}
	}
	for _, l := range limits {
		if i, ok := at[l.Key]; ok {
			q.Limits[i] = l
		} else {
			at[l.Key] = len(q.Limits)
			q.Limits = append(q.Limits, l)
		}
	}
	return q
}

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept: 16 MiB, room
// for about 200,000 limits. Validation takes time linear in the number of limits.
const MaxPolicyBytes = 16 << 20

// ParsePolicy decodes a policy from JSON through the module's strict loader — no unknown fields, no
// duplicate or case-variant keys, nothing after the policy object, at most [MaxPolicyBytes] — and
// validates it. Every error is a [*PolicyError] wrapping [ErrInvalidPolicy]; a malformed document's
// also wraps [ErrMalformed], an error in a time of day [ErrTimeOfDay].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), func(e error) error { return policyJSONError(data, e) })
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), func(e error) error { return policyJSONError(nil, e) })
}

// policyJSONError turns a strict-loader error into a [*PolicyError] naming the JSON path.
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
	return &PolicyError{Policy: named.Name, Field: field, Reason: "policy JSON: " + err.Error(), err: errors.Join(ErrMalformed, err)}
}

// clip bounds a string quoted from input in an error message, so that a huge input is never echoed
// whole.
func clip(s string) string { return enum.Clip(s) }
