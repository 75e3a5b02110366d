// Package assess scores handling units: 好差评 reviews, case indicators over a period, weighted
// scoring schemes with bonuses and deductions, rankings, a verifiable digest of every result, and
// signals of fake praise, malicious bad reviews and hot spots.
//
// # Inputs
//
// The package reads plain records, so a district can feed it from its own system without adopting
// package ticket: [CaseRecord] (receipt, first-contact and reply due times and completion times,
// callback answers, repeats, returns, reopens, supervisions, unfounded or not), [Review] (the five
// [Level]s 非常满意 … 非常不满意 of 001 (二), the six [Dimension]s 事项管理, 办事流程, 服务效率,
// 服务水平, 服务态度, 便捷性, channel, matter, unit, window, staff, hashed rater and device),
// [Adjustment] (a bonus or deduction item awarded to a unit, 004 §15 (一) 2–3) and [Volume] (a unit's
// service volume, the denominator of its complaint rate, 002 §9). The two lowest levels are bad
// reviews ([Level.Bad]). Unfounded reviews (不属实评价, 000 §6 (二)) are excluded; reviews whose appeal is
// pending still count (DESIGN §6).
//
// # Indicators
//
// [Score] computes each unit's [Indicators] over a [Period] as of an instant: first-contact rate,
// on-time rate (open overdue tickets count against it), resolution rate, satisfaction rate, callback
// coverage, contact and attitude rates, conclusion-report pass rate, complaint rate, overdue count,
// returns, repeats, reopens, supervisions, the five-level review distribution, the bad-review
// rectification rate and per-dimension satisfaction. Each field's doc comment gives its formula and
// says exactly which cases enter its denominator. Rates keep numerator and denominator ([Rate]).
//
// # Schemes
//
// A [Scheme] is plain data (JSON via [LoadScheme], checked by [Scheme.Validate]): weighted items adding
// up to 100 points, each scoring one or more indicators ([ScoreRate], [ScoreInverse], [ScoreBands],
// [ScorePerCount]); bonus and deduction items with per-item and total caps; the levels counted as
// satisfied; how an item without data scores; the minimum sample for ranking; and tie rules. Presets:
// [StreetHotline] (004 §15), [Hebi] (002 §9) and [Beijing3Rates] (响应率, 解决率, 满意率). Where a
// document names indicators but sets no weights, points or sample size, the preset says what it chose.
//
// # Periods and rankings
//
// [Month] and [Quarter] are calendar months and quarters in Asia/Shanghai; [Year] is the assessment
// year of 000 §8 (三), 上年 11 月 1 日 to 当年 10 月 31 日, from [deadline.YearPolicy]. 004 §14 asks for
// a monthly ranking (月通报: [Rank], in every [Result]), a quarterly talk with the bottom three (季约谈:
// [Summons]) and an annual assessment (年终评: score the [Year]). Units below the scheme's minimum
// sample are scored but listed as not ranked. [Breakdown] gives the review distribution by unit,
// channel, matter, window or staff, most concentrated bad reviews first (001 (十三)).
//
// # Integrity
//
// 001 (十) requires statistics that are generated automatically and cannot be altered. All arithmetic
// is fixed-point ([Fixed], six decimals, round half away from zero), so a result is the same on every
// platform and for every order of the input. A [Result] carries the digests (SM3 by default, via
// github.com/emmansun/gmsm; SHA-256 on request) of the canonical encodings of the input, the scheme and
// the result itself; [Verify] recomputes and names the first difference — the input, the scheme, or
// the path of the changed figure such as "units[U-03].total".
//
// # Canonical encoding
//
// Three things are digested, each starting with its own domain string so that no encoding of one can be
// mistaken for another. The building blocks are:
//
//   - str: a string as its byte length (unsigned LEB128 varint) then its bytes;
//   - len: the length of a list as 8 bytes big-endian;
//   - int: a signed varint (zigzag, as encoding/binary's AppendVarint);
//   - time: the byte 0 for the zero time, else the byte 1, the Unix seconds (int) and the nanoseconds
//     (unsigned varint), so that a time's zone never matters;
//   - bool: one byte, 0 or 1; an [Answer] one byte (0 none, 1 yes, 2 no); a [Level] one byte (0–5).
//
// The input ("hotline/assess/input/v1", written as str) is five lists, each preceded by its len:
//
//   - cases, by the 64-bit FNV-1a hash of the ID, then by the ID: str ID, str Unit, bool Complaint,
//     str Matter, str Place, time ReceivedAt, FirstContactDue, FirstContactAt, ReplyDue, RepliedAt,
//     CallbackAt, the bytes Contacted, Resolved, Satisfaction, Attitude, ReportAccepted, int Repeats,
//     Returns, Reopens, Supervisions, bool Unfounded;
//   - reviews, ordered like the cases: str ID, Level, the rated dimensions as len then, by dimension
//     name, str name and Level; str Channel, Matter, Unit, Window, Staff, Rater, Device; time At; bool
//     Unfounded, AppealPending, Rectified;
//   - adjustments: each encoded as str Unit, str Item, int Count, time At, str Evidence; the encodings
//     sorted bytewise and each written as a str;
//   - volumes, by unit: str Unit and Count as 8 bytes big-endian;
//   - the extra Units, sorted, without "" and duplicates, each as str.
//
// Duplicate case or review IDs and duplicate volume units are refused: they would count a record twice.
//
// The scheme ("hotline/assess/scheme/v1") is followed by its encoding/json encoding as one str; the
// field order is fixed and the numbers are [Fixed] decimals.
//
// The result ("hotline/assess/result/v1") is followed by str Algorithm, str InputDigest, str
// SchemeDigest, then the (path, value) pairs that [Verify] compares, each as two strs — every field of
// every unit, in unit order, then the ranking. A digest is written in lower-case hexadecimal.
//
// # Signals
//
// [FakePraise] (刷好评: one rater or device praising in bursts), [MaliciousBad] (恶意差评: one rater
// repeatedly against one unit or staff member) and [HotSpots] (a matter × place whose weekly count jumps
// against its own history, with the z-score used) return [Signal]s and [HotSpot]s carrying the statistic
// and the evidence. They are prompts for a person to check (001 (十) 查处), never verdicts.
//
// The package reads no clock, keeps no state and starts no goroutines; everything it decides it
// explains.
package assess
