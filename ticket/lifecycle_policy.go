package ticket

import (
	"fmt"
	"strings"
)

// Rules are the lifecycle rules that are counts and switches rather than time limits (time limits
// come from the [deadline.Policy]). Rules is plain data; [StreetRules] is the preset.
type Rules struct {
	Name string `json:"name"`
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

// StreetRules returns the rules of 004 (友谊路街道) with those of 000 and 002 that the SDK applies
// everywhere: supervision at the third repeat complaint and at a dissatisfied callback, close as
// stored after two answers, urging only when overdue, leader review of 国办 conclusion reports and
// of the reply after a reopening, and first contact by the street hotline office from its receipt
// (004 §8 (一)). For items where the handling unit makes first contact (000 §5), set
// FirstContactByOffice to false.
func StreetRules() Rules {
	return Rules{
		Name:                      "street-hotline",
		SuperviseAtRepeats:        3,
		SuperviseDissatisfied:     true,
		StoreAfterReplies:         2,
		UrgeOnlyOverdue:           true,
		ReviewStateCouncilReports: true,
		ReviewRedoReplies:         true,
		FirstContactByOffice:      true,
	}
}

// RulesError describes what is wrong with [Rules].
type RulesError struct {
	Field  string
	Reason string
}

// Error names the field of the rules and what is wrong with it.
func (e *RulesError) Error() string {
	return fmt.Sprintf("ticket: invalid rules: %s: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidRules].
func (e *RulesError) Unwrap() error { return ErrInvalidRules }

// Validate reports the first problem of r, or nil.
func (r Rules) Validate() error {
	switch {
	case strings.TrimSpace(r.Name) == "":
		return &RulesError{"name", "must not be empty"}
	case r.SuperviseAtRepeats < 0 || r.SuperviseAtRepeats > 1000:
		return &RulesError{"supervise_at_repeats", fmt.Sprintf("%d outside 0–1000", r.SuperviseAtRepeats)}
	case r.StoreAfterReplies < 0 || r.StoreAfterReplies > 1000:
		return &RulesError{"store_after_replies", fmt.Sprintf("%d outside 0–1000", r.StoreAfterReplies)}
	}
	return nil
}

// ParseRules decodes rules from JSON, rejecting unknown fields, and validates them.
func ParseRules(data []byte) (Rules, error) {
	return loadJSON[Rules](data, ErrInvalidRules, "rules")
}
