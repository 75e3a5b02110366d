// Package ticket is the 12345 work order (工单): what a ticket carries, the lifecycle it goes through
// from intake to close, and the intake checks that come before it (screening, repeat detection,
// privacy masking, ID and credit-code validation).
//
// # The work order
//
// A [Ticket] carries its [Number] (工单编号), [Channel] (渠道), [Kind] (咨询 / 求助 / 投诉 / 建议 / 办事 /
// 评价), [Urgency] for 国办 items (一般 / 特殊紧急, 000 §5), [Complexity] (简易 / 一般 / 复杂 / 特殊, 004 §8
// (二), 003 四 (四)), handling [Mode] (即办 / 直办 / 转办 / 协办 / 呈办, 002 §6 (二) 1), the citizen or
// enterprise ([Person]), the [Place] (region code and address), the [Matter] (a coded category of up
// to three levels), the [Assignment] (lead unit, co-handling units, dispatch mode 法定 / 商定 / 指定,
// 004 §6), its stage [Deadlines], its [Counters] (supervisions, urgings, returns, reopenings, repeats)
// and its History of [Event] values. Every enum has a Label method giving its Chinese label, and
// marshals to an English identifier (accepting either when parsing).
//
// Ticket numbers have the form PREFIX-YYYYMMDD-SEQUENCE-C, e.g. "SH12345-20261123-000123-4", with an
// ISO/IEC 7064 MOD 37,36 check character; see [Number] and [ParseNumber]. Generating sequences belongs
// to the storage (the reference server).
//
// [RegistrationForm] and [HandlingForm] print a ticket as the 登记表 and 承办单 (with 督办次数) of 003's
// annexes.
//
// # The lifecycle
//
// [Lifecycle] returns the one transition table: for each state and action, the next state, the roles
// that may act, what the action must carry, what it does to the stage clocks, and the articles it comes
// from. Code, tests and the diagram below all use it.
//
// A [Machine] applies the table under a working-day [deadline.Calendar], a [deadline.Policy] and the
// lifecycle [Rules] the caller chooses — no limit is written in this package:
//
//	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetRules())
//	t, err := m.Accept(intake, "operator-7", ticket.RoleHotlineOffice, now)
//	ev, err := m.Apply(t, ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit,
//		Action: ticket.ActionFirstContact}, now)
//
// [Machine.Apply] checks the row, the role ([ErrForbiddenRole]), the payload ([ErrMissingPayload],
// [ErrInvalidPayload]) and the rules ([ErrNotApplicable], [ErrOutsideWindow]), then updates the ticket
// and appends an [Event] recording actor, role, time, action, payload, reason and notes explaining
// what the rules did. An action with no row is [ErrIllegalTransition]. Every refusal is a
// [*TransitionError] naming the state, the action and the role; on error the ticket is unchanged.
//
// The rules, each taken from the policy or the [Rules]:
//
//   - First contact after its deadline (FirstContact, 004 §8 (一)) is recorded as late, not refused.
//   - The reply limit follows the mode (转办 ReplyTransfer, 协办 ReplyJoint, 002 §6 (二) 1), else the
//     complexity (ReplyQuick / ReplyGeneral / ReplyComplex / ReplySpecial, 004 §8 (二), 003 四 (四)),
//     counted from the dispatch; see [ReplyKey].
//   - An extension is requested within the window of the reply limit's ExtensionWindow (004 §9: 3
//     working days for general matters, 5 with a written report for complex ones), refused outside it
//     with the instant the window closed; it is approved along the limit's Approvals in order,
//     escalating from the street office to the district and city offices (004 §9 第二款), and moves
//     the reply deadline to at most the limit's ExtendTo.
//   - A quality check comes between reply and callback only where the policy has one (002 §6 (一) 2).
//   - The callback records contact, resolution and satisfaction with result, efficiency and attitude
//     (004 §11, 000 §4 (四)); a dissatisfied callback is supervised (004 §12 (二) 4) and reopened (不满
//     退回) on the Reopen clock (004 §11).
//   - Supervision is counted at any open state (督办次数, 004 §12); urging only when a clock is overdue
//     (002 §6 (二) 1 (6)); the repeat that reaches [Rules].SuperviseAtRepeats puts the ticket under
//     supervision (004 §12 (二) 2).
//   - 国办 items: return upstream within ReturnUpstream (000 §4 (一)), cap ReplyCap for the “一般”
//     category (000 §5), conclusion reports reviewed by the unit's leader in charge (000 §4 (三)).
//   - Close as stored (存电办结) needs approval and a stored outcome (004 §8 (三)) or repeated answers with
//     the citizen still dissatisfied (000 §4 (三)).
//
// The state and every derived field are what the history says: [Machine.Replay] rebuilds the ticket
// from its events, and refuses ([ErrHistoryMismatch]) a history whose recorded transitions or notes do
// not match what the lifecycle gives.
//
// # Concurrency
//
// The [Table], [Machine], [deadline.Calendar] and policies are immutable values, safe for concurrent
// use. A *[Ticket] is not: callers that share one must serialise calls to [Machine.Apply] (the reference
// server does so with a version number checked on every transition).
//
// # Diagram
//
// The transition table as rendered by [Table.Mermaid] (kept in testdata/lifecycle.mmd):
//
//	stateDiagram-v2
//	    state "待受理 new" as new
//	    state "已受理 received" as received
//	    state "不予受理 refused" as refused
//	    state "已归档 archived" as archived
//	    state "已退回上级 returned_upstream" as returned_upstream
//	    state "已派单 dispatched" as dispatched
//	    state "已退单 returned" as returned
//	    state "办理中 handling" as handling
//	    state "延期申请中 extension_requested" as extension_requested
//	    state "已办结 replied" as replied
//	    state "质检通过 checked" as checked
//	    state "已回访 called_back" as called_back
//	    state "不满退回 reopened" as reopened
//	    state "已结案 closed" as closed
//	    state "存电办结 closed_stored" as closed_stored
//	    [*] --> new
//	    new --> received: 受理 accept (热线办、系统)
//	    received --> refused: 不予受理 refuse (热线办、系统)
//	    received --> archived: 归档 archive (热线办)
//	    received --> returned_upstream: 退回上级 return_upstream (热线办)
//	    received --> replied: 即办答复 answer (热线办)
//	    received --> dispatched: 派单 dispatch (热线办、系统) / 指定 designate (分管领导)
//	    returned --> dispatched: 派单 dispatch (热线办、系统) / 指定 designate (分管领导)
//	    dispatched --> returned: 退单 return (承办单位)
//	    handling --> returned: 退单 return (承办单位)
//	    dispatched --> handling: 先行联系 first_contact (热线办、承办单位)
//	    handling --> extension_requested: 申请延期 request_extension (承办单位)
//	    extension_requested --> extension_requested: 审核延期并上报 escalate_extension (热线办、上级热线办)
//	    extension_requested --> handling: 批准延期 approve_extension (热线办、分管领导、上级热线办) / 不予延期 refuse_extension (热线办、分管领导、上级热线办)
//	    handling --> replied: 办结答复 reply (承办单位)
//	    reopened --> replied: 办结答复 reply (承办单位)
//	    replied --> checked: 质检通过 pass_quality_check (热线办)
//	    replied --> handling: 质检未通过 fail_quality_check (热线办)
//	    replied --> called_back: 回访 callback (热线办)
//	    checked --> called_back: 回访 callback (热线办)
//	    called_back --> reopened: 不满退回 reopen (热线办)
//	    refused --> closed: 结案 close (热线办、上级热线办)
//	    called_back --> closed: 结案 close (热线办、上级热线办)
//	    replied --> closed_stored: 存电办结 close_stored (热线办)
//	    checked --> closed_stored: 存电办结 close_stored (热线办)
//	    called_back --> closed_stored: 存电办结 close_stored (热线办)
//	    archived --> [*]
//	    returned_upstream --> [*]
//	    closed --> [*]
//	    closed_stored --> [*]
//	    note right of handling
//	        counted, state unchanged, at open states
//	        督办 supervise / 催办 urge / 关联重复投诉 mark_repeat
//	    end note
package ticket
