package ticket

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/emmansun/gmsm/sm3"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Event is one transition in a ticket's history: who did what, when, why, with what, and what it did.
//
// The caller supplies Actor, Role, Action, Reason and Payload in a [Request]; [Machine.Apply] fills in
// the rest from the ticket, the table and the policy. [Machine.Replay] checks the derived fields and
// the chained Digest of every stored event against a fresh computation; see there for what that
// detects and what it cannot.
type Event struct {
	// Seq is the event's position in the history, from 1.
	Seq int `json:"seq"`
	// At is when the action was taken (the now passed to Apply).
	At time.Time `json:"at"`
	// Actor names who acted: a person, unit or system identifier.
	Actor string `json:"actor"`
	// Role is the capacity the actor acted in.
	Role Role `json:"role"`
	// Action is what was done.
	Action Action `json:"action"`
	// Reason is why, in the actor's words.
	Reason string `json:"reason,omitempty"`
	// Payload is what the action carried.
	Payload Payload `json:"payload,omitzero"`

	// From and To are the states before and after (equal for actions that only count, such as
	// supervision and urging).
	From State `json:"from"`
	To   State `json:"to"`
	// Notes explain what the transition did beyond the state change, each citing its rule: a late
	// first contact, a deadline set or shifted ("(provisional)" when it rests on calendar dates beyond
	// the published schedule), an automatic supervision.
	Notes []string `json:"notes,omitempty"`
	// Under records the policies the ticket is handled under, on the accepting event (and on any
	// event that changes them).
	Under *Under `json:"under,omitempty"`
	// Dues records the deadline of every set clock after the event, as the calendar of the moment
	// gave it. [Machine.Replay] takes the deadlines an event set from here rather than recounting them
	// on its own calendar, so that a history recorded under a provisional holiday schedule still
	// replays once the schedule is published (the history is what happened; recomputing the running
	// clocks is a separate step); the Digest covers them, so an edited deadline is still refused.
	Dues []ClockDue `json:"dues,omitempty"`
	// Reclocked lists the running clocks whose deadlines had been recomputed on a new holiday
	// schedule since the previous event (a store's reclock), as the ticket held them when this event
	// was applied: replay sets them before applying the event.
	Reclocked []ClockDue `json:"reclocked,omitempty"`
	// ExtensionDue is the reply deadline an extension request would give, for [ActionRequestExtension].
	ExtensionDue *deadline.Deadline `json:"extension_due,omitempty"`
	// Digest is the hex SM3 digest of the previous event's Digest ("" for the first) and this event's
	// canonical JSON encoding (every field but Digest, instants in UTC): a chain over the whole
	// history, which [Machine.Replay] recomputes.
	Digest string `json:"digest"`
}

// ClockDue is the deadline of one of a ticket's clocks, named by its limit.
type ClockDue struct {
	Key deadline.Key      `json:"key"`
	Due deadline.Deadline `json:"due"`
}

// digest returns e's Digest given the previous event's, or an error when e cannot be encoded (an
// enum value outside its set in the payload).
func (e Event) digest(prev string) (string, error) {
	c := e
	c.Digest = ""
	c.At = c.At.UTC()
	c.Payload = e.Payload.clone()
	p := &c.Payload
	if p.Intake != nil {
		p.Intake.Received = p.Intake.Received.UTC()
	}
	if p.Extension != nil {
		p.Extension.Requested = p.Extension.Requested.UTC()
	}
	if p.Callback != nil {
		p.Callback.At = p.Callback.At.UTC()
	}
	if p.Closure != nil {
		p.Closure.At = p.Closure.At.UTC()
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	h := sm3.New()
	h.Write([]byte(prev))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Request is an action a caller wants to apply to a ticket.
type Request struct {
	Actor   string  `json:"actor"`
	Role    Role    `json:"role"`
	Action  Action  `json:"action"`
	Reason  string  `json:"reason,omitempty"`
	Payload Payload `json:"payload,omitzero"`
}

// Request returns the request e was made from.
func (e Event) Request() Request {
	return Request{Actor: e.Actor, Role: e.Role, Action: e.Action, Reason: e.Reason, Payload: e.Payload}
}

// String returns a one-line account of the event, e.g.
// "#3 2026-11-24 09:30 承办单位 unit-7: 先行联系 已派单→办理中".
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %s: %s %s→%s", e.Seq, e.At.Format("2006-01-02 15:04"), e.Role.Label(),
		e.Actor, e.Action.Label(), e.From.Label(), e.To.Label())
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	for _, n := range e.Notes {
		b.WriteString("; ")
		b.WriteString(n)
	}
	return b.String()
}

// Payload is what an action carries. Exactly the field the action's [Transition.Carries] names must
// be set; every other field must be nil.
type Payload struct {
	Intake      *Intake      `json:"intake,omitempty"`
	Refusal     *Refusal     `json:"refusal,omitempty"`
	Dispatch    *Dispatch    `json:"dispatch,omitempty"`
	Return      *Return      `json:"return,omitempty"`
	Extension   *Extension   `json:"extension,omitempty"`
	Approval    *Approval    `json:"approval,omitempty"`
	Reply       *Reply       `json:"reply,omitempty"`
	Callback    *Callback    `json:"callback,omitempty"`
	Supervision *Supervision `json:"supervision,omitempty"`
	Repeat      *Repeat      `json:"repeat,omitempty"`
	Closure     *Closure     `json:"closure,omitempty"`
	// AppealReview is what closing a bad review as unfounded carries ([ActionCloseUnfounded]).
	AppealReview *AppealReview `json:"appeal_review,omitempty"`
}

// Intake is what accepting a ticket records (受理, 003 附件1 登记表).
type Intake struct {
	Number     Number     `json:"number"`
	Upstream   string     `json:"upstream,omitempty"`
	Channel    Channel    `json:"channel"`
	Kind       Kind       `json:"kind"`
	Urgency    Urgency    `json:"urgency,omitempty"`
	Complexity Complexity `json:"complexity,omitempty"`
	Title      string     `json:"title,omitempty"`
	Content    string     `json:"content"`
	Citizen    Person     `json:"citizen"`
	Place      Place      `json:"place,omitzero"`
	Matter     Matter     `json:"matter,omitzero"`
	// Received is when the item reached the hotline; zero means the time of the accept action. A
	// 国办 item's return-upstream window and cap count from it.
	Received time.Time `json:"received,omitzero"`
}

// Refusal is why a ticket is screened out (不予受理, 002 第五条), archived as a general suggestion or
// returned upstream (000 第四条 (一)).
type Refusal struct {
	// Code is a reason code the citizen can be told, e.g. a [ScreenReason] code such as
	// "out_of_scope.petition"; screening (ticket/screen, Result.Refusal) fills it in.
	Code string `json:"code"`
	// Explanation is the reason in words.
	Explanation string `json:"explanation,omitempty"`
	// Redirect says where to go instead (信访, 纪检监察, 行政复议, 涉法涉诉 …), if anywhere.
	Redirect string `json:"redirect,omitempty"`
}

// Dispatch is what a dispatch or designation carries (派单, 004 第六条).
type Dispatch struct {
	Lead         string       `json:"lead"`
	CoHandling   []string     `json:"co_handling,omitempty"`
	DispatchMode DispatchMode `json:"dispatch_mode"`
	// Mode is the handling mode; zero keeps the ticket's mode.
	Mode HandlingMode `json:"mode,omitempty"`
	// Complexity grades the matter; zero keeps the ticket's complexity.
	Complexity Complexity `json:"complexity,omitempty"`
}

// Return is what a unit's return carries (退单, 000 第七条 (二), 004 第七条).
type Return struct {
	// SuggestedUnit is the unit the returning unit says should handle it (建议承办单位).
	SuggestedUnit string `json:"suggested_unit"`
	// Basis is the grounds (相关依据) for saying the matter is not the unit's.
	Basis string `json:"basis"`
}

// Extension is an extension request (延期申请, 004 第九条) and, on the ticket, its progress.
type Extension struct {
	// Days is the reply period asked for in total, in the reply limit's unit, counted from dispatch
	// (e.g. 10 for "extend to 10 working days").
	Days int `json:"days"`
	// Explanation is the detailed reason (详细说明延期理由).
	Explanation string `json:"explanation"`
	// WrittenReport is the written report (书面报告) a complex extension needs (004 第九条第二款).
	WrittenReport string `json:"written_report,omitempty"`

	// The fields below are filled in by the lifecycle, not by the requester.

	// Window is the extension limit the request was filed under.
	Window string `json:"window,omitempty"`
	// Requested is when the request was filed.
	Requested time.Time `json:"requested,omitzero"`
	// Approvals lists who must approve, in order; Approved those who have.
	Approvals []string `json:"approvals,omitempty"`
	Approved  []string `json:"approved,omitempty"`
	// Decision is how the request was decided; unset while it is pending.
	Decision ExtensionDecision `json:"decision,omitempty"`
}

// Approval is what approving, escalating or refusing an extension carries. (Closing as stored carries
// a [Closure] naming its approver.)
type Approval struct {
	// Approver is the approving body, matching the policy's approval chain (e.g. "街道热线办").
	Approver string `json:"approver"`
}

// Reply is a unit's reply (办结, 000 第四条 (三), (六); 004 第八条 (三), (四)).
type Reply struct {
	// Report is the conclusion report (办结报告).
	Report string `json:"report"`
	// Summary is the reply summary (答复要点) that may be published.
	Summary string `json:"summary"`
	// Outcome is what the reply concludes.
	Outcome ReplyOutcome `json:"outcome"`
	// ReviewedBy names the leader in charge who reviewed the report (分管领导审核), where required.
	ReviewedBy string `json:"reviewed_by,omitempty"`
}

// Callback records the hotline office's callback (回访, 004 第十一条; 000 第四条 (四)).
type Callback struct {
	// Contacted reports whether the unit contacted the citizen and learned the demand (联系情况).
	Contacted bool `json:"contacted"`
	// Resolved reports whether the matter was resolved (办理结果).
	Resolved bool `json:"resolved"`
	// Result, Efficiency and Attitude are the citizen's satisfaction with the result, the efficiency
	// and the attitude (办理结果、办理效率、办理态度).
	Result     Satisfaction `json:"result"`
	Efficiency Satisfaction `json:"efficiency"`
	Attitude   Satisfaction `json:"attitude"`
	// At is when the callback was made; set by the lifecycle from the action's time (a value the
	// request carries is ignored), so the ticket's latest callback says when it happened.
	At time.Time `json:"at,omitzero"`
}

// Dissatisfied reports whether the citizen said they are dissatisfied with the result, the efficiency
// or the attitude (004 第十二条 (二) 4).
func (c Callback) Dissatisfied() bool {
	return c.Result == Dissatisfied || c.Efficiency == Dissatisfied || c.Attitude == Dissatisfied
}

// Supervision is why a ticket is supervised (督办, 004 第十二条).
type Supervision struct {
	Trigger SupervisionTrigger `json:"trigger"`
}

// Repeat links a repeat complaint to the ticket (重复投诉, 004 第十二条 (二) 2).
type Repeat struct {
	// Of is the number of the later ticket that repeats this one.
	Of Number `json:"of"`
}

// Closure is how a ticket was closed (结案 / 存电办结).
type Closure struct {
	// Approver is who approved a close as stored (e.g. "市政府办公厅", 000 第四条 (三)); empty for a
	// plain close, whose actor is the event's.
	Approver string `json:"approver,omitempty"`
	// Stored reports whether the ticket was closed as stored (存电办结); set by the lifecycle.
	Stored bool `json:"stored,omitempty"`
	// Unfounded is the appeal review that found the ticket's bad review unfounded, for a ticket
	// closed as unfounded (按不属实评价办结, [ActionCloseUnfounded]); set by the lifecycle.
	Unfounded *AppealReview `json:"unfounded,omitempty"`
	// At is when it was closed; set by the lifecycle.
	At time.Time `json:"at,omitzero"`
}

// AppealReview is the appeal review (申诉复核, 000 第六条 (二)) that found a bad review unfounded
// (不属实评价): the competent department of the city or the district upheld the unit's appeal, so the
// unit closes the review's ticket as unfounded through the 12345 hotline and the review is not
// adopted (评价结果不予采纳). It is what [ActionCloseUnfounded] carries. With the appeal package, the
// upheld appeal's request gives Review (its ReviewID) and Reviewer and Level (its Reviewer's Unit and
// Level, whose identifiers "city" and "district" are the same).
type AppealReview struct {
	// Appeal is the appeal's reference in the system that handled it, if it has one.
	Appeal string `json:"appeal,omitempty"`
	// Review is the bad review found unfounded (评价编号). Required.
	Review string `json:"review"`
	// Reviewer is the competent department (政务服务主管部门) that reviewed and upheld the appeal.
	// Required.
	Reviewer string `json:"reviewer"`
	// Level is the reviewer's level: 000 第六条 (二) names the city's and the district's competent
	// departments. Required.
	Level ReviewerLevel `json:"level"`
}
