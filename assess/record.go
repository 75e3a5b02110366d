package assess

import (
	"fmt"
	"time"
)

// CaseRecord is one ticket as the assessment sees it: plain fields a district can fill from its own
// system without adopting package ticket. Zero times mean "did not happen" (or, for a due time, "this
// case has no such stage"). Times are instants; the package reads them in Asia/Shanghai only to cut
// periods.
type CaseRecord struct {
	ID   string `json:"id"`
	Unit string `json:"unit"` // handling unit (承办单位) assessed for this case
	// Complaint marks a complaint against the unit itself (被投诉, 002 §9), as opposed to a complaint
	// the unit handles about somebody else.
	Complaint bool   `json:"complaint,omitempty"`
	Matter    string `json:"matter,omitempty"` // matter category, for hot spots
	Place     string `json:"place,omitempty"`  // place (region code, street, estate), for hot spots

	ReceivedAt      time.Time `json:"received_at"`                // dispatched to the unit
	FirstContactDue time.Time `json:"first_contact_due,omitzero"` // 先行联系 due, exclusive end (deadline.Deadline.At; 004 §8: 1 working day)
	FirstContactAt  time.Time `json:"first_contact_at,omitzero"`  // zero: never contacted
	ReplyDue        time.Time `json:"reply_due,omitzero"`         // 办结 due, exclusive end, extensions applied
	RepliedAt       time.Time `json:"replied_at,omitzero"`        // zero: still open
	CallbackAt      time.Time `json:"callback_at,omitzero"`       // 回访 done; zero: no callback
	Contacted       Answer    `json:"contacted,omitempty"`        // callback: 联系情况 (004 §11 (一))
	Resolved        Answer    `json:"resolved,omitempty"`         // callback: 办理结果, 实际解决 (004 §11 (二))
	Satisfaction    Rating    `json:"satisfaction,omitempty"`     // callback: 市民满意情况 (004 §11 (三)), "" = no answer
	Attitude        Answer    `json:"attitude,omitempty"`         // callback: satisfied with the unit's attitude (004 §11 (三))
	ReportAccepted  Answer    `json:"report_accepted,omitempty"`  // quality check of the conclusion report (办结报告)
	Repeats         int       `json:"repeats,omitempty"`          // repeat complaints on this case (重复投诉)
	Returns         int       `json:"returns,omitempty"`          // returns (退单) by the unit
	Reopens         int       `json:"reopens,omitempty"`          // 不满退回 after callback (004 §11)
	Supervisions    int       `json:"supervisions,omitempty"`     // supervision count (督办次数)
	// Unfounded marks a bad-review ticket whose review was ruled 不属实评价 on appeal (000 §6 (二)):
	// "评价结果不予采纳", so the citizen's verdicts on it (resolution, satisfaction, attitude) and the
	// complaint itself are excluded; the unit's handling duties (first contact, on-time reply,
	// callback) still count.
	Unfounded bool `json:"unfounded,omitempty"`
}

// maxCaseCount bounds the per-case counts (repeats, returns, reopens, supervisions) so that sums over
// any realistic number of cases stay exact.
const maxCaseCount = 1_000_000

func (c *CaseRecord) validate(i int) error {
	if c.ID == "" {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("cases[%d]", i), "id", "", "is empty")
	}
	bad := func(field, value, reason string) error {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("cases[%d] (id %s)", i, clip(c.ID)), field, value, reason)
	}
	if c.Unit == "" {
		return bad("unit", "", "is empty")
	}
	if c.ReceivedAt.IsZero() {
		return bad("received_at", "", "is zero")
	}
	for _, f := range [...]struct {
		name string
		t    time.Time
	}{{"first_contact_due", c.FirstContactDue}, {"first_contact_at", c.FirstContactAt}, {"reply_due", c.ReplyDue}, {"replied_at", c.RepliedAt}, {"callback_at", c.CallbackAt}} {
		if !f.t.IsZero() && f.t.Before(c.ReceivedAt) {
			return bad(f.name, f.t.Format(time.RFC3339), "is before received_at "+c.ReceivedAt.Format(time.RFC3339))
		}
	}
	if c.Satisfaction != "" && !c.Satisfaction.Valid() {
		return bad("satisfaction", clip(string(c.Satisfaction)), "is not \"\" (no answer) or one of the five ratings")
	}
	for _, f := range [...]struct {
		name string
		a    Answer
	}{{"contacted", c.Contacted}, {"resolved", c.Resolved}, {"attitude", c.Attitude}, {"report_accepted", c.ReportAccepted}} {
		if f.a != NoAnswer && !f.a.Known() {
			return bad(f.name, clip(string(f.a)), "is not \"yes\", \"no\" or \"\" (no answer)")
		}
	}
	if c.CallbackAt.IsZero() && (c.Contacted.Known() || c.Resolved.Known() || c.Attitude.Known() || c.Satisfaction != "") {
		return bad("callback_at", "", "is zero but callback answers are given")
	}
	for _, f := range [...]struct {
		name string
		n    int
	}{{"repeats", c.Repeats}, {"returns", c.Returns}, {"reopens", c.Reopens}, {"supervisions", c.Supervisions}} {
		if f.n < 0 || f.n > maxCaseCount {
			return bad(f.name, fmt.Sprint(f.n), fmt.Sprintf("is not in [0, %d]", maxCaseCount))
		}
	}
	return nil
}

// Adjustment is one occurrence (or Count occurrences) of a bonus or deduction item of the scheme
// (004 §15 (一) 2–3) for a unit, dated At, with the evidence that supports it.
type Adjustment struct {
	Unit     string    `json:"unit"`
	Item     string    `json:"item"`            // ID of an [AdjustmentItem] of the scheme
	Count    int       `json:"count,omitempty"` // occurrences; 0 means 1
	At       time.Time `json:"at"`
	Evidence string    `json:"evidence,omitempty"` // e.g. the ticket numbers or the verified media report
}

// Volume is a unit's service volume (办件量) in the period, the denominator of its complaint rate
// (002 §9 被投诉率) when given. Without a Volume a unit's complaint rate is taken over the cases it
// received in the period.
type Volume struct {
	Unit  string `json:"unit"`
	Count int64  `json:"count"`
}

// Input is everything one scoring run reads. Its order does not matter: results and digests are the
// same for every permutation of every slice.
type Input struct {
	Cases       []CaseRecord `json:"cases,omitempty"`
	Reviews     []Review     `json:"reviews,omitempty"`
	Adjustments []Adjustment `json:"adjustments,omitempty"`
	Volumes     []Volume     `json:"volumes,omitempty"`
	// Units lists units that must appear in the result even with no data (they are then listed as not
	// ranked for want of a sample).
	Units []string `json:"units,omitempty"`
}
