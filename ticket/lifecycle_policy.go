package ticket

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// ErrInvalidPolicy is wrapped by every error [Policy.Validate], [ParsePolicy] and [ReadPolicy] return.
var ErrInvalidPolicy = errors.New("ticket: invalid policy")

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
const MaxPolicyBytes = 64 << 10

// Policy is the lifecycle rules that are counts and switches rather than time limits (time limits
// come from the [deadline.Policy]). It is plain data: build one, load one with [ParsePolicy] or
// [ReadPolicy], or start from a preset ([StreetHotline], [Presets]). A ticket records the Policy it
// was accepted under ([Ticket].Under) and is handled under it to the end.
type Policy struct {
	// Name identifies the policy, e.g. "street-hotline".
	Name string `json:"name"`
	// Version distinguishes editions of the policy with the same name, e.g. "2026-11".
	Version string `json:"version,omitempty"`
	// SuperviseAtRepeats, when positive, puts a ticket under supervision when its count of repeat
	// complaints reaches it (004 §12 (二) 2: 3 次及以上).
	SuperviseAtRepeats int `json:"supervise_at_repeats,omitempty"`
	// SuperviseDissatisfied puts a ticket under supervision when the citizen is dissatisfied at the
	// callback (004 §12 (二) 4).
	SuperviseDissatisfied bool `json:"supervise_dissatisfied,omitempty"`
	// StoreAfterReplies, when positive, lets the hotline office close a ticket as stored once it has
	// been answered this many times and the citizen is still dissatisfied (000 §4 (三): 多次答复).
	// Replies with a stored outcome of 004 §8 (三) may be closed as stored regardless.
	StoreAfterReplies int `json:"store_after_replies,omitempty"`
	// UrgeOnlyOverdue allows urging only when a stage clock is overdue (002 §6 (二) 1 (6)).
	UrgeOnlyOverdue bool `json:"urge_only_overdue,omitempty"`
	// ReviewStateCouncilReports requires the conclusion report of a 国办 item to name the leader who
	// reviewed it (000 §4 (三): 经本单位分管领导审核盖章).
	ReviewStateCouncilReports bool `json:"review_state_council_reports,omitempty"`
	// ReviewRedoReplies requires the reply to a reopened ticket to name the unit's leader in charge
	// who reviewed and signed it (004 §11: 由其分管领导审核后在处理结果书上签字反馈).
	ReviewRedoReplies bool `json:"review_redo_replies,omitempty"`
	// FirstContactByOffice makes first contact the hotline office's, counted from its own receipt
	// of the ticket (004 §8 (一): 友谊路街道热线办在收到区热线办工单后1个工作日内先行联系来电市民):
	// the FirstContact clock starts at intake rather than at dispatch, and the office may record the
	// first contact while the ticket is received (it stays received) or dispatched. Without it, first
	// contact is the handling unit's, from its receipt of the ticket (000 §5: 承办单位在收到工单后的1
	// 个工作日内，先行联系), and the clock starts at each dispatch.
	FirstContactByOffice bool `json:"first_contact_by_office,omitempty"`
}

// StreetHotline returns the policy of 004 (友谊路街道) with the rules of 000 and 002 that the SDK
// applies everywhere: supervision at the third repeat complaint and at a dissatisfied callback, close
// as stored after two answers, urging only when overdue, leader review of 国办 conclusion reports and
// of the reply after a reopening, and first contact by the street hotline office from its receipt
// (004 §8 (一)). Its name is that of [deadline.StreetHotline], the time limits it goes with.
func StreetHotline() Policy {
	return Policy{
		Name:                      "street-hotline",
		Version:                   "2026-11",
		SuperviseAtRepeats:        3,
		SuperviseDissatisfied:     true,
		StoreAfterReplies:         2,
		UrgeOnlyOverdue:           true,
		ReviewStateCouncilReports: true,
		ReviewRedoReplies:         true,
		FirstContactByOffice:      true,
	}
}

// Shanghai returns the rules of 000 (上海市 12345 工单办理): those of [StreetHotline] except that the
// handling unit makes first contact, from its own receipt of the ticket (000 §5: 承办单位在收到工单后
// 的1个工作日内，先行联系), rather than the hotline office from intake.
func Shanghai() Policy {
	p := StreetHotline()
	p.Name = "shanghai"
	p.FirstContactByOffice = false
	return p
}

// Presets returns every preset policy, [StreetHotline] first.
func Presets() []Policy { return []Policy{StreetHotline(), Shanghai()} }

// Preset returns the preset policy named name, or an error wrapping [ErrInvalidPolicy] that lists
// the names there are.
func Preset(name string) (Policy, error) {
	var names []string
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Policy{}, &PolicyError{Policy: clipText(name), Field: "name", Reason: "no such preset (have " + strings.Join(names, ", ") + ")"}
}

// Validate reports the first problem of p, or nil: a [*PolicyError] wrapping [ErrInvalidPolicy].
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: clipText(p.Name), Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "must not be empty")
	case len(p.Name) > 64 || len(p.Version) > 64:
		return bad("name", "name and version are at most 64 bytes each")
	case p.SuperviseAtRepeats < 0 || p.SuperviseAtRepeats > 1000:
		return bad("supervise_at_repeats", "%d outside 0–1000", p.SuperviseAtRepeats)
	case p.StoreAfterReplies < 0 || p.StoreAfterReplies > 1000:
		return bad("store_after_replies", "%d outside 0–1000", p.StoreAfterReplies)
	}
	return nil
}

// validateCounts is the part of Validate that the lifecycle relies on, without building messages:
// Apply checks a stored ticket's recorded policy with it on every call.
func (p Policy) validateCounts() error {
	if p.SuperviseAtRepeats < 0 || p.SuperviseAtRepeats > 1000 || p.StoreAfterReplies < 0 || p.StoreAfterReplies > 1000 || p.Name == "" {
		return p.Validate()
	}
	return nil
}

// ParsePolicy decodes a policy from JSON through the module's strict loader (at most
// [MaxPolicyBytes]; no unknown, duplicate or case-variant keys; no trailing data) and validates it.
// Every error wraps [ErrInvalidPolicy].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := strictjson.Decode(data, &p, MaxPolicyBytes); err != nil {
		return Policy{}, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	if err := strictjson.Read(r, &p, MaxPolicyBytes); err != nil {
		return Policy{}, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// clipText shortens a name quoted in an error.
func clipText(s string) string {
	if len(s) <= 64 {
		return s
	}
	cut := 64
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
