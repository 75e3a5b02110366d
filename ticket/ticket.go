package ticket

import (
	"slices"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Person is the citizen or enterprise who raised a ticket (来电市民 / 办理对象 / 企业). Its fields are
// personal information: show them masked to anyone not handling the ticket (000 第十条, 002 第十一条,
// 004 第十六条).
type Person struct {
	// Name is the citizen's name, or the contact person's name for an enterprise.
	Name string `json:"name,omitempty"`
	// Phone is the contact telephone number.
	Phone string `json:"phone,omitempty"`
	// IDNumber is the resident identity card number (GB 11643), if given.
	IDNumber string `json:"id_number,omitempty"`
	// Enterprise is the enterprise's name when an enterprise raised the ticket; empty for a citizen.
	Enterprise string `json:"enterprise,omitempty"`
	// CreditCode is the enterprise's unified social credit code (GB 32100), if given.
	CreditCode string `json:"credit_code,omitempty"`
	// Address is the contact address.
	Address string `json:"address,omitempty"`
}

// IsEnterprise reports whether an enterprise, rather than a citizen, raised the ticket.
func (p Person) IsEnterprise() bool { return p.Enterprise != "" || p.CreditCode != "" }

// Place is where the matter happens: a region code (行政区划代码, GB/T 2260 with street and community
// levels as the district uses them) and an address.
type Place struct {
	RegionCode string `json:"region_code,omitempty"`
	Address    string `json:"address,omitempty"`
}

// MaxMatterLevels is how many levels a matter category has at most.
const MaxMatterLevels = 3

// MatterLevel is one level of a matter category: a code of the district's dispatch catalogue and its
// label.
type MatterLevel struct {
	Code  string `json:"code"`
	Label string `json:"label,omitempty"`
}

// Matter is the coded category of what the ticket is about (事项), from the top level down, one to
// [MaxMatterLevels] levels, e.g. 市容环境 / 噪声扰民 / 施工噪声.
type Matter struct {
	Levels []MatterLevel `json:"levels,omitempty"`
}

// Code returns the code of the most specific level, or "" for an empty matter.
func (m Matter) Code() string {
	if len(m.Levels) == 0 {
		return ""
	}
	return m.Levels[len(m.Levels)-1].Code
}

// Label returns the labels of all levels joined by " / ".
func (m Matter) Label() string {
	s := ""
	for i, l := range m.Levels {
		if i > 0 {
			s += " / "
		}
		if l.Label != "" {
			s += l.Label
		} else {
			s += l.Code
		}
	}
	return s
}

// Assignment is who handles a ticket (派单, 004 第六条; 002 第六条 (二) 1 (4)).
type Assignment struct {
	// Lead is the lead unit (牵头单位), or the only handling unit.
	Lead string `json:"lead,omitempty"`
	// CoHandling lists the co-handling units (协办单位) of a joint dispatch.
	CoHandling []string `json:"co_handling,omitempty"`
	// DispatchMode is the principle the dispatch followed (法定 / 商定 / 指定).
	DispatchMode DispatchMode `json:"dispatch_mode,omitempty"`
	// DesignatedBy names the leader who designated the unit, for [DispatchDesignated].
	DesignatedBy string `json:"designated_by,omitempty"`
	// Dispatched is when the current lead unit received the ticket; the first-contact, reply and
	// extension clocks count from it.
	Dispatched time.Time `json:"dispatched,omitzero"`
	// Returned lists the units that returned the ticket (退单), oldest first.
	Returned []string `json:"returned,omitempty"`
	// SuggestedUnit is the unit the last return suggested (建议承办单位, 000 第七条 (二)).
	SuggestedUnit string `json:"suggested_unit,omitempty"`
}

// Clock is one stage deadline of a ticket: which policy limit it follows, when it started, when it
// is due, and whether the stage was met and in time.
type Clock struct {
	// Key is the policy limit the clock follows, e.g. [deadline.FirstContact].
	Key deadline.Key `json:"key"`
	// Label is the limit's Chinese label, copied from the policy.
	Label string `json:"label,omitempty"`
	// Source cites the document and article of the limit, copied from the policy.
	Source string `json:"source,omitempty"`
	// Start is the instant the period counts from.
	Start time.Time `json:"start"`
	// ExtendedTo, when positive, is the length an approved extension gave the period, in the limit's
	// unit from Start (004 第九条).
	ExtendedTo int `json:"extended_to,omitempty"`
	// Due is the deadline of the period, after any approved extension.
	Due deadline.Deadline `json:"due"`
	// Met is when the stage was completed; zero while the clock runs.
	Met time.Time `json:"met,omitzero"`
	// Late reports whether the stage was completed at or after Due.At.
	Late bool `json:"late,omitempty"`
}

// Stage returns the clock as a [deadline.Stage], for [deadline.Calendar.Status] and
// [deadline.Calendar.Extend].
func (c Clock) Stage() deadline.Stage {
	return deadline.Stage{Key: c.Key, Start: c.Start, Done: c.Met, ExtendedTo: c.ExtendedTo}
}

// Running reports whether the clock is set and its stage not yet completed.
func (c Clock) Running() bool { return c.Key != "" && c.Met.IsZero() }

// Overdue reports whether the clock is set and its stage was not completed before now and now is at or
// after the deadline, or the stage was completed late.
func (c Clock) Overdue(now time.Time) bool {
	if c.Key == "" {
		return false
	}
	if !c.Met.IsZero() {
		return c.Late
	}
	return !now.Before(c.Due.At)
}

// Deadlines are the stage clocks of a ticket. An unset clock has an empty Key.
type Deadlines struct {
	// Upstream is the window for returning a 国办 item upstream (000 第四条 (一)), from receipt.
	Upstream Clock `json:"upstream,omitzero"`
	// Analysis is the same-day cause analysis of a 办不成事 case (003 六 (二)), from receipt; met by
	// the dispatch of the handling form.
	Analysis Clock `json:"analysis,omitzero"`
	// RefusalReply is the time to tell the applicant why a matter is refused (003 四 (四) 5).
	RefusalReply Clock `json:"refusal_reply,omitzero"`
	// FirstContact is the first-contact clock (004 第八条 (一)), from dispatch.
	FirstContact Clock `json:"first_contact,omitzero"`
	// Reply is the reply clock: from dispatch by mode and complexity (004 第八条 (二); 002 第六条
	// (二)), shifted by approved extensions (004 第九条). A reopening leaves it as the first reply
	// left it, Met and Late included, so the first reply's timeliness stays on record.
	Reply Clock `json:"reply,omitzero"`
	// Redo is the clock of the redo after a dissatisfied callback (不满退回, 004 第十一条: 3 working
	// days), from the reopening; where the policy has no Reopen limit, the reply limit counted from
	// the reopening. Once set, the replies that follow meet Redo rather than Reply; a further
	// reopening restarts it. A return clears it with the unit's other clocks.
	Redo Clock `json:"redo,omitzero"`
	// Cap is the overall cap counted from receipt, e.g. 25 working days for a 国办 “一般” item (000
	// 第五条).
	Cap Clock `json:"cap,omitzero"`
	// AppealClose is the close of a bad review found unfounded on appeal (000 第六条 (二): 15 working
	// days), from the unit's receipt of the ticket; set, and met, when the ticket is closed as
	// unfounded.
	AppealClose Clock `json:"appeal_close,omitzero"`
}

// replying returns the clock the next reply meets: Redo once the ticket has been reopened, else Reply.
func (d *Deadlines) replying() *Clock {
	if d.Redo.Key != "" {
		return &d.Redo
	}
	return &d.Reply
}

// Counters are the counts a ticket carries (督办次数 of 003's 承办单, 004 第十二条).
type Counters struct {
	Supervisions int `json:"supervisions"` // 督办次数
	Urgings      int `json:"urgings"`      // 催办次数
	Returns      int `json:"returns"`      // 退单次数
	Reopenings   int `json:"reopenings"`   // 不满退回次数
	Repeats      int `json:"repeats"`      // 重复投诉次数
	Replies      int `json:"replies"`      // 答复次数
	Extensions   int `json:"extensions"`   // 批准延期次数
}

// Ticket is a work order (工单): what was raised, by whom, where, about what, who handles it, its
// stage deadlines, its counters and its history.
//
// The state and every derived field are what the history says: a ticket changes only through
// [Machine.Apply], which appends an [Event], and [Machine.Replay] rebuilds an equal ticket from the
// events. A *Ticket is not safe for concurrent use: callers that share one must serialise calls to
// Apply (the reference server does so with a version number on each transition).
type Ticket struct {
	// Number is the ticket number (工单编号).
	Number Number `json:"number"`
	// Upstream is the number the sending system gave the item (国办, 区热线办, 省平台), if any.
	Upstream string `json:"upstream,omitempty"`

	Channel    Channel      `json:"channel"`
	Kind       Kind         `json:"kind"`
	Urgency    Urgency      `json:"urgency,omitempty"`
	Complexity Complexity   `json:"complexity,omitempty"`
	Mode       HandlingMode `json:"mode,omitempty"`

	// Title is a one-line summary of the demand.
	Title string `json:"title,omitempty"`
	// Content is the demand as recorded (诉求内容 / 情况记录).
	Content string `json:"content"`
	Citizen Person `json:"citizen"`
	Place   Place  `json:"place,omitzero"`
	Matter  Matter `json:"matter,omitzero"`

	// Received is when the hotline accepted the ticket (受理时间).
	Received time.Time `json:"received"`
	// ReceivedBy names who accepted it (受理人员).
	ReceivedBy string `json:"received_by,omitempty"`

	// State is the lifecycle state the history leads to.
	State      State      `json:"state"`
	Assignment Assignment `json:"assignment,omitzero"`
	Deadlines  Deadlines  `json:"deadlines,omitzero"`
	Counters   Counters   `json:"counters"`
	// Supervised reports whether the ticket is under supervision (督办).
	Supervised bool `json:"supervised,omitempty"`

	// Refusal is why the ticket was screened out, archived or returned upstream, when it was.
	Refusal *Refusal `json:"refusal,omitempty"`
	// Extension is the pending or last decided extension request.
	Extension *Extension `json:"extension,omitempty"`
	// Reply is the latest reply (办结报告 and 答复要点).
	Reply *Reply `json:"reply,omitempty"`
	// Callback is the latest callback (回访).
	Callback *Callback `json:"callback,omitempty"`
	// Closure records how the ticket was closed, once it is.
	Closure *Closure `json:"closure,omitempty"`

	// Under is what the ticket is handled under, recorded at intake.
	Under Under `json:"under,omitzero"`

	// History is every event, oldest first.
	History []Event `json:"history"`
}

// Clone returns a deep copy of t that shares nothing with it, so that both can be applied to.
func (t *Ticket) Clone() *Ticket {
	if t == nil {
		return nil
	}
	c := *t
	c.Citizen = t.Citizen
	c.Matter.Levels = slices.Clone(t.Matter.Levels)
	c.Assignment.CoHandling = slices.Clone(t.Assignment.CoHandling)
	c.Assignment.Returned = slices.Clone(t.Assignment.Returned)
	c.Refusal = clonePtr(t.Refusal)
	if t.Extension != nil {
		x := *t.Extension
		x.Approvals, x.Approved = slices.Clone(x.Approvals), slices.Clone(x.Approved)
		c.Extension = &x
	}
	c.Reply = clonePtr(t.Reply)
	c.Callback = clonePtr(t.Callback)
	if t.Closure != nil {
		cl := *t.Closure
		cl.Unfounded = clonePtr(cl.Unfounded)
		c.Closure = &cl
	}
	if t.History == nil {
		return &c
	}
	c.History = make([]Event, len(t.History))
	for i, e := range t.History {
		e.Payload = e.Payload.clone()
		e.Notes = slices.Clone(e.Notes)
		e.Under = clonePtr(e.Under)
		c.History[i] = e
	}
	return &c
}
