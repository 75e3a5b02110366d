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
// Three things are digested, each with its own domain string so that no encoding of one can be
// mistaken for another:
//
//   - the input ("hotline/assess/input/v1"): cases and reviews each in canonical order — by the 64-bit
//     FNV-1a hash of the ID, then by the ID — adjustments sorted by their full encoding, volumes by
//     unit, and the extra units sorted and de-duplicated. Every string
//     is written as its byte length (unsigned LEB128 varint) then its bytes; every count of a record as
//     a signed (zigzag) varint; every time as the byte 0 when zero, else the byte 1, its Unix seconds
//     (signed varint) and nanoseconds (unsigned varint), so a time's zone never matters; every boolean,
//     level and answer as one byte. Each list is preceded by its length as 8 bytes big-endian.
//     Duplicate case or review IDs and duplicate volume units are refused: they would count a record
//     twice.
//   - the scheme ("hotline/assess/scheme/v1"): its JSON encoding by encoding/json, whose field order is
//     fixed and whose numbers are [Fixed] decimals.
//   - the result ("hotline/assess/result/v1"): the algorithm, input digest and scheme digest, then the
//     list of (path, value) pairs that [Verify] compares — every field of every unit, in unit order,
//     then the ranking — each pair as two length-prefixed strings.
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
