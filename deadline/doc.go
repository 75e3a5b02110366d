// Package deadline counts the time limits (期限) of China's government-service complaint handling:
// a working-day calendar, period counting by 民法典 第二百零一条–第二百零三条, the limits the source
// documents set as plain-data policies with presets, a clock for a ticket's stages, and the
// assessment year.
//
// The other packages of this module (ticket, appeal, assess) build on it; it imports only the
// standard library and the module's internal helpers (internal/strictjson, internal/enum). Nothing in it reads a clock: every instant, including "now", is a parameter.
//
// # Calendar
//
// [China] returns the official mainland calendar: weekends, the State Council's holidays and make-up
// working days (调休上班) for every published year from 2007, and, beyond the last published year,
// provisional days off from the statutory holidays of 《全国年节及纪念日放假办法》. A district loads a
// newer notice or local overrides at run time with [Calendar.WithNotices] and
// [Calendar.WithOverrides]. [Calendar.AddWorkdays] and [Calendar.WorkdaysBetween] take constant
// time; see [Calendar] for the details and BENCHMARKS.md in this directory for the figures. Dates are
// read in Asia/Shanghai ([Location]); the zone database is embedded.
//
// Beyond the last published year the days off are provisional: weekends and the statutory holidays
// of the 2024 revision (元旦 1 January, 春节 除夕 to 初三, 清明, 劳动节 1–2 May, 端午, 中秋, 国庆节 1–3
// October). The law's 第六条 also gives a weekday off for a holiday that falls on a weekend, but
// which weekday, and which weekends become make-up working days, only the year's notice says, so
// neither is guessed. Every result that rests on such a date says so: [Deadline].Provisional,
// [StageStatus].Provisional, [WindowCheck].Window.Provisional, [Extension].Provisional, and
// [Calendar.IsProvisional] and [Calendar.ProvisionalBetween] for raw dates.
//
// Loaders ([ParseNotice], [ParseHolidayCN], [ParseOverrides], [LoadNotices], [LoadHolidayCN],
// [ParsePolicy]) decode through the module's one strict JSON loader and refuse trailing data,
// duplicate or case-variant keys and unknown fields; each has a documented maximum size
// ([MaxNoticeBytes], [MaxOverridesBytes], [MaxPolicyBytes], [MaxNoticeFiles]) checked before the data
// is read. A notice's and a district's dates are both [ScheduleDay] values. Day kinds ([DayKind]),
// units ([Unit]) and stage states ([State]) are string enumerations whose value is their wire form,
// with a Chinese Label and a Parse function; an unknown value is refused with an [*EnumError].
//
// The package holds no mutable state. [China] parses the embedded notices on its first call (a few
// milliseconds, see BENCHMARKS.md) through a [sync.OnceValue] and returns that same immutable
// calendar to every caller afterwards: a value built once and never changed, so that a program which
// imports the package but never calls China pays nothing. Loading data at run time never changes it:
// [Calendar.WithNotices] and [Calendar.WithOverrides] return new calendars.
//
// # Counting a period
//
// [Calendar.Due] turns a receipt instant, a [Period] and the district's [Counting] options into a
// [Deadline]: the instant the period ends, its last day, whether it rests on provisional calendar
// data, and a one-line explanation.
//
//   - 民法典 第二百零一条: the day of receipt is not counted; day 1 of "within N working days" is the
//     first working day after the receipt date, also when the receipt falls on a weekend or holiday.
//   - 民法典 第二百零三条第一款: a period counted in calendar days whose last day is a statutory holiday
//     or rest day ends on the next working day.
//   - 民法典 第二百零三条第二款: the last day ends at 24:00, or when business stops
//     (Counting.BusinessClose).
//   - A district may set a daily cut-off (Counting.Cutoff, default none): a receipt on a working day at
//     or after it counts as received on the next working day.
//   - "Same day" (当天, 即时) — and a period of 0 days in any unit — ends at the end of the receipt
//     day, or at its business close; a receipt on a non-working day, after the cut-off or after
//     business close ends at the end (or business close) of the next working day instead. A deadline
//     is never before its receipt.
//
// For example, received 2025-09-30 10:00, "within 1 working day" ends 2025-10-09 24:00: 10-01 to
// 10-08 is the National Day holiday.
//
// # Policies and presets
//
// A [Policy] is plain data — a name, the [Counting] options, the due-soon lead (预警) and a list of
// [Limit] values, each a [Key], a [Period], extension rules and the article it comes from; a Name and
// a Version (the document a preset follows) that a ticket records. Load one with [ParsePolicy] or
// [ReadPolicy] (strict JSON, at most [MaxPolicyBytes]), check one with [Policy.Validate] (every error
// a [*PolicyError] naming the field; linear in the number of limits), look a limit up with
// [Policy.Limit], override limits with [Policy.With], or start from a preset ([Presets], [Preset] by
// name). All limits are in working days.
//
//	preset (name)                          key                     days       source
//	ShanghaiOneNet (shanghai-one-net)      first_contact           1          000 §5; 001 (六)
//	                                       reply_general           5          000 §5; 001 (六)
//	                                       reply_complex           15, ext.   000 §5; 001 (六)
//	                                       appeal_close            15         000 §6 (二)
//	                                       objection_return        5          000 §7 (二)
//	StateCouncilForwarded                  first_contact           1          000 §5
//	  (state-council-forwarded)            reply_general           5          000 §5
//	                                       reply_complex           15, ≤ 25   000 §5
//	                                       reply_cap               25         000 §5
//	                                       return_upstream         5          000 §4 (一)
//	StreetHotline (street-hotline)         first_contact           1          004 §8 (一)
//	                                       reply_quick             1          004 §8 (二)
//	                                       reply_general           5, ≤ 10    004 §8 (二); §9 第一款
//	                                       reply_complex           10, ext.   004 §8 (二); §9 第二款
//	                                       extension_general       3 (window) 004 §9 第一款
//	                                       extension_complex       5 (window, written report,
//	                                                               street → district → city) 004 §9 第二款
//	                                       reopen                  3          004 §11
//	HebiProvincial (hebi-provincial)       first_contact           1          002 §6 (一) 1
//	                                       reply_general           5          002 §6 (一) 1
//	                                       reply_complex           15         002 §6 (一) 1
//	Hebi12345 (hebi-12345)                 reply_quick             same day   002 §6 (二) 1 (1)
//	                                       reply_transfer          10         002 §6 (二) 1 (3)
//	                                       reply_joint             15, ext.   002 §6 (二) 1 (4)
//	HebiServiceHall (hebi-service-hall)    service_hall_complaint  5          002 §6 (三) 2 (1)
//	                                       suggestion_feedback     5          002 §6 (三) 2 (2)
//	CouldNotGetItDone (could-not-get-it-done)
//	                                       reply_quick             same day   003 四 (四) 1
//	                                       reply_general           3, ≤ 10    003 四 (四) 2, 4
//	                                       reply_complex           7, ≤ 10    003 四 (四) 3, 4
//	                                       reply_special           10         003 四 (四) 4
//	                                       reply_refusal           3          003 四 (四) 5
//	                                       cause_analysis          same day   003 六 (二)
//	Appeals (appeals)                      appeal_close            15         000 §6 (二)
//	                                       objection_return        5          000 §7 (二)
//
// "ext." means extendable with approval and no fixed cap; "≤ n" is Limit.ExtendTo. Where the
// documents differ — complex matters take 15 working days under 000 and 002, 10 under 004 and 7
// under 003 — each is its own preset and a district chooses or composes. Every limit counts from the
// moment the party that must act received the ticket (收到工单后, 接到转交后), which the caller passes as
// [Stage].Start, except [Reopen], which counts from the re-dispatch after the dissatisfied callback
// (004 §11). The appeal and objection limits count from the receipt of the ticket, not of the appeal
// (000 §6 (二), §7 (二)). [ParsePolicy] and [Policy.Validate] errors wrap [ErrInvalidPolicy].
//
// # The clock
//
// A ticket's timed steps are [Stage] values: a key, the instant the clock started, the instant it was
// done (zero while open) and an approved extension. [Calendar.Status] answers, at an instant now, the
// stage's [Deadline], its [State] (pending, due soon 预警, overdue 超期, done in time, done late; each
// with a Chinese [State.Label]) and the remaining working days (0 on the last day, negative once
// overdue). The due-soon lead is Policy.DueSoon (1 working day in every preset: due soon from the
// start of the last day). An approved extension is recorded as Stage.ExtendedTo and shifts that
// stage's deadline only.
//
// [Calendar.Window] checks an "apply within N days" window — a request at an instant is in time or
// not, with the instant the window closed — and [Calendar.Extend] checks an extension request in
// full: the limit must be extendable, the new length within Limit.ExtendTo, the request inside the
// window of Limit.ExtensionWindow and before the current deadline; it returns the new deadline with
// the written-report and approval requirements (004 §9). Refusals are [*ExtensionError] and
// [*WindowError] values, the latter carrying the instant the window closed so a refusal can tell the
// unit the date.
//
// # Assessment year
//
// [AssessmentYear] is the assessment period of 000 第八条 (三): from 1 November of the previous year to
// 31 October. An assessment year is named after the calendar year of its last day (assessment year
// 2026 runs 2025-11-01 to 2026-10-31). [YearPolicy.YearOf] names the assessment year of an instant
// (read in Asia/Shanghai) and [YearPolicy.Bounds] returns its first instant and the first instant
// after it.
//
// # Sources
//
// Document numbers follow the project's seed files: 000 = 沪府办〔2020〕49号 (上海市“一网通办”政务服务投诉
// 建议办理工作暂行办法), 001 = 沪府办发〔2019〕20号 (“好差评”制度工作方案), 002 = 鹤壁市政务服务平台咨询投诉
// 建议处理暂行办法, 003 = 普政务服务办〔2023〕2号 (“办不成事”反映窗口运行方案), 004 = 友谊路街道“12345”市民
// 服务热线管理实施办法. The embedded holiday data comes from github.com/NateScarlet/holiday-cn (MIT
// licence; see data/holiday-cn/SOURCE.md).
package deadline
