// Package appeal implements the three review procedures around a 12345 ticket: bad-review appeals
// (差评申诉复核), responsibility objections (差评确责异议) and a citizen's reconsideration (复查复核),
// each as a small state machine with its actors, its windows and the effects the caller applies.
//
// The package takes plain inputs — a [TicketRef] with the ticket's ID, handling unit and receipt
// instant, IDs as strings — and depends on no other package of the module but
// [github.com/hotline12345/hotline/deadline] (and the module's internal helpers). It records nothing
// outside its procedures: it returns
// [Effect] values (void a review, close a ticket as unfounded, return it naming a suggested unit,
// send it for designation, reopen it) that the caller applies to its own tickets and scores.
//
// # Use
//
// The engine is a [Machine], built and validated by [NewMachine] from a calendar, the deadline policy
// whose limits bound the windows and an appeal [Policy]; it files the three procedures — an [*Appeal]
// from a [Request], an [*Objection] from an [ObjectionRequest], a [*Reconsideration] from a
// [ReconsiderationRequest] — and replays them from storage. The zero Machine refuses every call with
// a [*PolicyError].
//
//	m, err := appeal.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), appeal.Shanghai())
//	a, err := m.FileAppeal(req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "U1"}, now)
//	effects, err := a.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "…"}, reviewer, later)
//
// Every procedure has an explicit transition table ([AppealTable], [ObjectionTable],
// [ReconsiderationTable]): state × action → next state, the roles allowed, the guard and the
// article. Apply takes the action, the actor and the instant (no clock is read), appends an [Event]
// to the history and returns the effects. A refused action leaves the procedure unchanged and returns
// a [*TransitionError] naming the procedure, state, action and field, wrapping [ErrIllegalTransition],
// [ErrForbiddenRole], [ErrMissingField] or [ErrInvalidValue]; or a [*LateError] wrapping [ErrLate].
// Nothing panics on bad input, and no error quotes more than a clipped piece of it.
//
// [Machine.ReplayAppeal] and its siblings rebuild a procedure from its request and stored history;
// the state is what the history says. Each event must carry its sequence number (Event.Seq: 1, 2, 3…
// in order) and reproduce the transition it recorded; a gap, a reordering, a duplicate, a refused
// event or a different outcome is a [*HistoryError] naming the event, wrapping [ErrHistoryMismatch].
// Replay is linear in the number of events, and a history longer than any path through the table
// fails at the first event the table refuses (see BENCHMARKS.md).
//
// Enumerations ([Ground], [Basis], [ReviewerLevel], [Role], [State], [ActionKind]) are string types
// whose value is their wire form, with a Chinese Label, a Parse function and an UnmarshalText that
// refuses unknown values with an [*EnumError]. Roles and reviewer levels use ticket's wire values for
// the same office ("hotline_office", "handling_unit"; "city", "district").
//
// # Rules and articles
//
// Documents: 000 = 沪府办〔2020〕49号 《上海市“一网通办”政务服务投诉建议办理工作暂行办法》;
// 002 = 《鹤壁市政务服务平台咨询投诉建议处理暂行办法》.
//
// Bad-review appeal, 000 第六条:
//   - (一) A handling unit, or a staff member, may claim a bad review is an unfounded review
//     (不属实评价) on one of three grounds ([Ground]): the main facts and circumstances do not exist or
//     are untrue, a mistaken rating (误评), a malicious bad review (恶意差评). The unit appeals to its
//     competent department; a staff member files with their own unit first, and the unit appeals
//     ([ActionEndorse]) or declines ([ActionDecline]) — two levels, unless [Policy].StaffFilesDirectly.
//     A written defence (书面申辩) and evidence (举证, at least one reference) are required.
//   - (二) The city-level or district-level competent department ([Policy].ReviewerLevels) reviews.
//     Upheld: the review is unfounded, "评价结果不予采纳" — [VoidReview] — and the unit closes the ticket
//     as unfounded within 15 working days of receiving it — [CloseTicketAsUnfounded] with that instant.
//     Rejected: the review stands. While the appeal is pending the review still counts
//     ([Appeal.CountsInScores]).
//
// Responsibility objection, 000 第七条:
//   - (一) A unit claims the matter is not within the remit of this department, system or level
//     ([Basis]), stating the basis and suggesting the unit to send it to.
//   - (二) The objecting unit's competent department reviews. Upheld: the unit returns the ticket within
//     5 working days of receiving it, naming the suggested unit — [ReturnTicket]; the objecting unit is
//     excluded when the hotline re-dispatches. When the suggested unit objects in turn
//     ([ActionObject], a second level on the same record), the city office (市政府办公厅,
//     [Policy].Designator) designates — [Designate].
//
// Reconsideration, 002 第六条 (二) 3: a citizen dissatisfied with the result may ask for
// reconsideration; when it finds the unit handled the matter improperly, the ticket goes back to the
// unit to be handled again — [ReopenTicket].
//
// # Windows
//
// The documents fix when the effect must happen: closed as unfounded within 15 working days of the
// ticket's receipt (000 第六条 (二), [deadline.AppealClose]); returned within 5 working days of receipt
// (000 第七条 (二), [deadline.ObjectionReturn]). A filing after that instant can no longer have its
// effect in time, so it is refused with a [*LateError] that names the window's last day, the instant it
// closed, the limit and the article. The same holds for a unit taking up a staff member's appeal and
// for an upheld decision; a rejection is never late (it has no effect to carry out). Refusing a late
// upheld decision is this package's reading: 000 pairs the finding with closing the ticket within the
// 15 (or 5) days and says nothing of a finding that comes later, when the ticket can no longer be
// closed or returned through the hotline as the article requires. A district that wants late
// findings recorded leaves [Windows].Effect empty (its effects then carry no due date).
//
// Once the window has closed, the hotline office may record a pending procedure as lapsed
// ([ActionLapse]), so that it does not stay open for ever; the review then keeps counting. The
// documents name no such step: it is the package's bookkeeping for a procedure whose effect can no
// longer happen in time, and its rows cite the article whose window closed.
//
// For example, a ticket received on Friday 2025-09-26, just before 国庆, must be returned after an
// upheld objection by the end of 2025-10-10 (day 1 is the make-up Sunday 09-28; 10-01 to 10-08 are
// off) and closed as unfounded after an upheld appeal by the end of 2025-10-23 (the make-up Saturday
// 10-11 counts). The tests check these and other windows across 春节 2025 and 2026, 元旦 2026 and
// 国庆 2026 against days worked out by hand from the State Council schedule.
//
// Which limits bound what is policy ([Policy].Appeal, .Objection, .Reconsideration: a [Windows] of a
// filing key and an effect key naming limits of the [deadline.Policy] given to [NewMachine]). Windows
// are counted by [deadline.Calendar.Window] under the deadline policy's counting rules: the receipt day
// is not counted, the last day ends at 24:00, make-up working days (调休上班) count, statutory holidays
// do not. 002 sets no window for reconsideration, so [Hebi] sets none: no key means no window —
// nothing is late and effects carry no due date. A district that sets one counts it from the reply to
// the citizen ([ReconsiderationRequest].RepliedAt). The suggested unit's objection in turn has no
// window either: 000 sets none, so an upheld objection stays open to it ([Objection.Final] is false)
// for as long as the policy names a designating authority.
//
// A replay does not re-check windows: they were checked when the action was taken, and a holiday
// schedule published since must not undo history. The effects a replay recomputes carry due dates
// under the calendar and limits of the [Machine] that replays, so a provisional date becomes the
// published one. A replay is therefore no proof that an action was in time: that was decided live.
//
// # Presets
//
// [Shanghai] (000 第六条, 第七条; use with [deadline.ShanghaiOneNet] or [deadline.Appeals]) and [Hebi]
// (002 第六条 (二) 3; use with [deadline.Hebi12345]), listed by [Presets] and found by name with
// [Preset]. [ParsePolicy] and [ReadPolicy] load a policy from JSON through the module's strict loader
// (at most [MaxPolicyBytes]).
package appeal
