package notify

import "time"

// Topics of the ticket notifications the store writes to the outbox. A message's Topic is one of
// them; the Payload of each is a [Notice].
const (
	// TopicDispatch: a ticket was dispatched (派单) or designated (指定) to a unit; to the lead and
	// co-handling units (000 §4 (二); 004 §6).
	TopicDispatch = "ticket.dispatch"
	// TopicReturn: a unit returned a ticket (退单); to the hotline office, which dispatches it again
	// (004 §7).
	TopicReturn = "ticket.return"
	// TopicExtension: an extension (延期) was requested or passed up (to the hotline office), or
	// decided (to the unit) (004 §9).
	TopicExtension = "ticket.extension"
	// TopicReply: the unit replied (办结); to the citizen, who is told the reply (000 §4 (六)).
	TopicReply = "ticket.reply"
	// TopicReopen: a dissatisfied callback sent the ticket back (不满退回); to the unit and its leader
	// in charge (004 §11: 同步向其分管领导汇报).
	TopicReopen = "ticket.reopen"
	// TopicSupervise: the ticket was put under supervision (督办); to the units and the leader
	// (000 §4 (五); 004 §12).
	TopicSupervise = "ticket.supervise"
	// TopicUrge: the ticket was urged (催办) once a clock ran out; to the units and the leader
	// (002 §6 (二) 1 (6)).
	TopicUrge = "ticket.urge"
	// TopicDueSoon: a stage clock entered its due-soon window (预警); to the units and the leader, or
	// to the hotline office while no unit has the ticket.
	TopicDueSoon = "ticket.due_soon"
	// TopicOverdue: a stage clock ran out (超期); to the same parties as TopicDueSoon.
	TopicOverdue = "ticket.overdue"
	// TopicCallbackDue: a replied ticket awaits its callback (回访, 100% of replied tickets: 000 §4
	// (四), 004 §11); to the hotline office.
	TopicCallbackDue = "ticket.callback_due"
)

// Topics returns every ticket topic, in the order above.
func Topics() []string {
	return []string{TopicDispatch, TopicReturn, TopicExtension, TopicReply, TopicReopen, TopicSupervise,
		TopicUrge, TopicDueSoon, TopicOverdue, TopicCallbackDue}
}

// The roles a [Recipient] names.
const (
	// ToHandlingUnit is a handling unit (承办单位), named by Recipient.Unit.
	ToHandlingUnit = "handling_unit"
	// ToLeader is the leader in charge (分管领导) of the unit named by Recipient.Unit.
	ToLeader = "leader"
	// ToHotlineOffice is the hotline office (热线办) whose jurisdiction holds Recipient.Region.
	ToHotlineOffice = "hotline_office"
	// ToCitizen is the citizen who raised the ticket. The notice does not carry who that is: the
	// adapter reads the contact through the server's API with a system credential (the read is
	// audited), so no identity sits in the outbox or passes through a queue.
	ToCitizen = "citizen"
)

// Recipient is one party a notice is for: a role and the unit (or, for the hotline office, the
// region) that says which one. Resolving it to people, phone numbers or accounts is the adapter's job.
type Recipient struct {
	Role   string `json:"role"`
	Unit   string `json:"unit,omitempty"`
	Region string `json:"region,omitempty"`
}

// Notice is the Payload of a ticket notification: ids, states and instants only — never a name, a
// phone number, an address, the title or the content of the ticket.
type Notice struct {
	// Ticket is the ticket's id; Number its number (工单编号).
	Ticket string `json:"ticket"`
	Number string `json:"number"`
	// Topic repeats the message's topic.
	Topic string `json:"topic"`
	// State is the ticket's state when the notice was written; Version the ticket's version then.
	State   string `json:"state"`
	Version int64  `json:"version"`
	// Action is the lifecycle action that caused the notice; empty for the sweeper's notices.
	Action string `json:"action,omitempty"`
	// Clock is the stage clock a due-soon or overdue notice is about (e.g. "reply"), and Due its
	// deadline.
	Clock string    `json:"clock,omitempty"`
	Due   time.Time `json:"due,omitzero"`
	// Provisional reports that Due rests on calendar dates beyond the published holiday schedule.
	Provisional bool `json:"provisional,omitempty"`
	// Lead is the lead unit, if any; Region the region code of the ticket's place.
	Lead   string `json:"lead,omitempty"`
	Region string `json:"region,omitempty"`
	// To lists who must hear of it.
	To []Recipient `json:"to"`
}
