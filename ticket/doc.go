// Package ticket is the 12345 work order (工单): what a ticket carries and the lifecycle it goes through
// from intake to close, with ID and credit-code validation at intake. The parts of an item's path meet
// in this order:
//
//  1. ticket/screen screens the [Intake]: accept, refuse, ask for missing elements, archive or return
//     upstream, each with reason codes; its result gives the lifecycle action and payload that apply
//     an outcome other than accept.
//  2. [Machine.Accept] creates the [Ticket] under a recorded [Policy] and deadline policy.
//  3. ticket/repeat links it to earlier tickets of the same caller, keyed by a hash, or of the same
//     place and matter.
//  4. The [Machine] takes it through dispatch, first contact, extensions, reply, quality check,
//     callback, reopening, supervision and close — or, for a bad review found unfounded on appeal,
//     close as unfounded — recording every step as an [Event].
//  5. Anyone who does not handle it sees the copy ticket/privacy's Policy.MaskTicket gives.
//
// Example_intake shows the whole path in one program.
//
// # The work order
//
// A [Ticket] carries its [Number] (工单编号), [Channel] (渠道), [Kind] (咨询 / 求助 / 投诉 / 建议 / 办事 /
// 评价), [Urgency] for 国办 items (一般 / 特殊紧急, 000 §5), [Complexity] (简易 / 一般 / 复杂 / 特殊, 004 §8
// (二), 003 四 (四)), [HandlingMode] (即办 / 直办 / 转办 / 协办 / 呈办, 002 §6 (二) 1), the citizen or
// enterprise ([Person]), the [Place] (region code and address), the [Matter] (a coded category of up
// to three levels), the [Assignment] (lead unit, co-handling units, dispatch mode 法定 / 商定 / 指定,
// 004 §6), its stage [Deadlines], its [Counters] (supervisions, urgings, returns, reopenings, repeats),
// what it is handled [Under] and its History of [Event] values. Every enum is a string type whose value
// is its wire form ("phone", "complaint", "handling"); its Label method gives the Chinese label
// (未知(x) for a value outside the set), its ParseX function accepts either, and an unknown value
// is an [*EnumError] wrapping [ErrInvalidEnum].
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
// that may act, what the action must carry, the guards that must hold ([Guard]: the quality check of
// 002 §6 (一) 2, no archive for 国办 items of 000 §4 (一), reviews only for 000 §6 (二), the approval
// step of 004 §9, …), what it does to the stage clocks, and the articles it comes from. Code, tests
// and the diagram below all use it.
//
// A [Machine] applies the table under a working-day [deadline.Calendar], a [deadline.Policy] (the time
// limits) and a ticket [Policy] (the counts and switches: [StreetHotline], [Shanghai], [Presets],
// [ParsePolicy]) — no limit is written in this package. [NewMachine] validates both and is the only
// way to build one:
//
//	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
//	t, err := m.Accept(intake, "operator-7", ticket.RoleHotlineOffice, now)
//	ev, err := m.Apply(t, ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit,
//		Action: ticket.ActionFirstContact}, now)
//
// [Machine.Apply] checks the stored ticket ([ErrInvalidTicket] with a [*TicketError] naming the field:
// stored data is input too), its recorded deadline policy ([ErrPolicyMismatch]), the row, the role
// ([ErrForbiddenRole]), the payload ([ErrMissingField], [ErrInvalidPayload]), the row's guards and the
// rules ([ErrNotApplicable], [ErrOutsideWindow], [ErrWrongKind]), then
// updates the ticket and appends an [Event] recording actor, role, time, action, payload, reason and
// notes explaining what the rules did. An action with no row is [ErrIllegalTransition]. Every refusal
// is a [*TransitionError] naming the state, the action and the role; on error the ticket is
// unchanged. [Machine.Allowed] lists the actions a role may take on a ticket now (its rows and guards,
// as Apply would check them), and [Machine.Clocks] each stage clock with its deadline, due-soon
// instant, state and remaining working days.
//
// The rules, each taken from the deadline policy or the ticket [Policy]:
//
//   - First contact after its deadline (FirstContact) is recorded as late, not refused, citing the
//     limit's own article. With [Policy].FirstContactByOffice (the street preset, 004 §8 (一): 友谊路
//     街道热线办在收到区热线办工单后1个工作日内先行联系来电市民) first contact is the hotline
//     office's, counted from intake: the office may record it while the ticket is received (which
//     stays received) or dispatched, dispatches and returns leave the clock alone, and an immediate
//     answer meets it. Without it (000 §5: 承办单位在收到工单后的1个工作日内，先行联系) the clock
//     starts at each dispatch and the unit, or the office for it, records the contact once
//     dispatched.
//   - The reply limit follows the mode (转办 ReplyTransfer, 协办 ReplyJoint, 002 §6 (二) 1), else the
//     complexity (ReplyQuick / ReplyGeneral / ReplyComplex / ReplySpecial, 004 §8 (二), 003 四 (四)),
//     counted from the dispatch; see [ReplyKey].
//   - An extension is requested within the window of the reply limit's ExtensionWindow (004 §9: 3
//     working days for general matters, 5 with a written report for complex ones), refused outside it
//     with the instant the window closed; it is approved along the limit's Approvals in order,
//     escalating from the street office to the district and city offices (004 §9 第二款) — each step
//     by its own role: the hotline office of the ticket's level first, the upper offices after it, a
//     leader where the chain names one (004 §4 (三); [GuardApproverStep]) — and moves
//     the reply deadline to at most the limit's ExtendTo — and never past a running reply cap: an
//     extension that would end after the cap's deadline is refused with a [*CapError] naming both
//     deadlines (000 §5: “一般”类留言的办理期限，最长不超过25个工作日, from receipt).
//   - A quality check comes between reply and callback only where the policy has one (002 §6 (一) 2).
//   - The callback records contact, resolution and satisfaction with result, efficiency and attitude
//     (004 §11, 000 §4 (四)), and when it was made ([Callback].At); a dissatisfied callback is
//     supervised (004 §12 (二) 4) and reopened (不满退回) on the Reopen clock, 3 working days in 004
//     §11, whose redo reply the unit's leader in charge signs ([Policy].ReviewRedoReplies). The redo
//     runs on its own clock, [Deadlines].Redo, and the replies after a reopening meet it (late
//     recorded against it); [Deadlines].Reply keeps the first reply's deadline, instant and
//     lateness, for audits and the on-time rate.
//   - Supervision and urging are counted at any open state (督办次数, 004 §12); with
//     [Policy].UrgeOnlyOverdue, urging needs a running clock past its deadline (002 §6 (二) 1 (6)); the
//     repeat that reaches [Policy].SuperviseAtRepeats puts the ticket under supervision (004 §12 (二) 2).
//   - 国办 items: return upstream within ReturnUpstream (000 §4 (一)), cap ReplyCap for the “一般”
//     category (000 §5), conclusion reports reviewed by the unit's leader in charge (000 §4 (三)).
//   - Close as stored (存电办结) needs approval and a stored outcome (004 §8 (三)) or repeated answers with
//     the citizen still dissatisfied (000 §4 (三)).
//   - Close as unfounded (按不属实评价办结, [ActionCloseUnfounded] → [StateClosedUnfounded], 000 §6 (二)):
//     when the city's or the district's competent department upholds the unit's appeal against a bad
//     review, the unit closes the review's ticket through the 12345 hotline — itself on the hotline
//     system ([RoleHandlingUnit]), or the hotline office records it on its behalf
//     ([RoleHotlineOffice]) — carrying the [AppealReview] (review, reviewer, level), which the
//     ticket's [Closure] keeps. Only a ticket of kind [KindReview] may be (others: [ErrWrongKind] with
//     a [*KindError]), and only once its unit has it in hand: from handling, a pending extension, a
//     reply, a quality check, a callback (a dissatisfied one too) or a reopening. The AppealClose
//     limit counts from the unit's receipt of the ticket (its dispatch to the current lead unit:
//     “自收到工单之日起”, 15 working days in 000) into [Deadlines].AppealClose; a later close is
//     recorded as late, not refused, and a policy without the limit records no deadline and says so.
//     A reply clock still running no longer applies: the limit for rectifying a well-founded review
//     gives way to the appeal's.
//
// A ticket records what it is handled under ([Ticket].Under, and the accepting [Event].Under): the
// deadline policy's name and version ([PolicyRef], [DeadlineRef]) and the ticket [Policy] in full. It
// is handled to the end under them: [Machine.Apply] uses the recorded ticket Policy and refuses a
// machine with another deadline policy ([*PolicyMismatchError]). Notes flag a deadline that rests on
// calendar dates beyond the published schedule: "reply due 2027-01-08 00:00 (provisional)".
//
// The state and every derived field are what the history says: [Machine.Replay] rebuilds the ticket
// from its events under the recorded policies, and refuses ([ErrHistoryMismatch]) an empty history or
// one whose recorded transitions, notes or chained digests ([Event].Digest) do not match what the
// lifecycle gives — so an edited actor, reason or phone number is detected; see [Machine.Replay] for
// what a digest chain cannot detect. [Machine.Apply] costs the same whatever the length of the
// history, and Replay is linear in it (BENCHMARKS.md).
//
// # Screening, repeats and privacy
//
// Three nested packages build on the work order, each with its own policy, presets and loaders:
//
//   - [github.com/hotline12345/hotline/ticket/screen] screens an intake (内容过滤, 002 §5): refusal
//     categories with word lists in one automaton that normalises as it scans, missing elements,
//     archive as a general suggestion and return upstream (000 §4 (一)); its result names the
//     lifecycle action that applies it.
//   - [github.com/hotline12345/hotline/ticket/repeat] links repeat complaints (004 §12 (二) 2) by a
//     keyed caller hash and character n-grams; on the lifecycle side the earlier ticket counts the
//     repeat ([ActionMarkRepeat]) and is supervised at [Policy].SuperviseAtRepeats (keep it equal to
//     the index's SupervisionAt).
//   - [github.com/hotline12345/hotline/ticket/privacy] masks names, phones, ID numbers and addresses by
//     audience (000 §10, 002 §11, 004 §16), in fields and in free text, and masks a whole ticket with
//     its history for anyone outside the case.
//
// This package keeps the identity validators the lifecycle needs at intake: [ValidateIDCard] checks
// the GB 11643 check digit (and province and birth date), [ValidateCreditCode] the GB 32100 check
// character, and [ParseMobile] the mobile-number format, folding full-width and other Unicode digits;
// [Machine.Accept] refuses an intake whose ID number or credit code fails. Their errors,
// [*IdentifierError], never repeat the value.
//
// # Concurrency
//
// The [Table], [Machine], [deadline.Calendar] and policies are immutable values, safe for concurrent
// use. A *[Ticket] is not: callers that share one must serialise calls to [Machine.Apply] (the
// reference server does so with a version number checked on every transition).
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
//	    state "不属实办结 closed_unfounded" as closed_unfounded
//	    [*] --> new
//	    new --> received: 受理 accept (热线办、系统)
//	    received --> refused: 不予受理 refuse (热线办、系统)
//	    received --> archived: 归档 archive (热线办) [not_state_council]
//	    received --> returned_upstream: 退回上级 return_upstream (热线办)
//	    received --> replied: 即办答复 answer (热线办)
//	    received --> dispatched: 派单 dispatch (热线办、系统) / 指定 designate (分管领导)
//	    returned --> dispatched: 派单 dispatch (热线办、系统) / 指定 designate (分管领导)
//	    dispatched --> returned: 退单 return (承办单位)
//	    handling --> returned: 退单 return (承办单位)
//	    received --> received: 先行联系 first_contact (热线办) [office_first_contact]
//	    dispatched --> handling: 先行联系 first_contact (热线办、承办单位)
//	    handling --> extension_requested: 申请延期 request_extension (承办单位)
//	    extension_requested --> extension_requested: 审核延期并上报 escalate_extension (热线办、上级热线办) [approver_step]
//	    extension_requested --> handling: 批准延期 approve_extension (热线办、分管领导、上级热线办) [approver_step] / 不予延期 refuse_extension (热线办、分管领导、上级热线办) [approver_step]
//	    handling --> replied: 办结答复 reply (承办单位)
//	    reopened --> replied: 办结答复 reply (承办单位)
//	    replied --> checked: 质检通过 pass_quality_check (热线办) [quality_check]
//	    replied --> handling: 质检未通过 fail_quality_check (热线办) [quality_check]
//	    replied --> called_back: 回访 callback (热线办) [no_quality_check]
//	    checked --> called_back: 回访 callback (热线办)
//	    called_back --> reopened: 不满退回 reopen (热线办) [reopenable]
//	    refused --> closed: 结案 close (热线办、上级热线办)
//	    called_back --> closed: 结案 close (热线办、上级热线办) [not_dissatisfied]
//	    replied --> closed_stored: 存电办结 close_stored (热线办) [storable]
//	    checked --> closed_stored: 存电办结 close_stored (热线办) [storable]
//	    called_back --> closed_stored: 存电办结 close_stored (热线办) [storable]
//	    handling --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    extension_requested --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    reopened --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    replied --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    checked --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    called_back --> closed_unfounded: 按不属实评价办结 close_unfounded (热线办、承办单位) [review]
//	    archived --> [*]
//	    returned_upstream --> [*]
//	    closed --> [*]
//	    closed_stored --> [*]
//	    closed_unfounded --> [*]
//	    note right of handling
//	        counted, state unchanged, at open states
//	        督办 supervise / 催办 urge [overdue] / 关联重复投诉 mark_repeat
//	    end note
package ticket
