// Package assess scores handling units: 好差评 reviews, case indicators over a period, weighted
// scoring schemes with bonuses and deductions, rankings, a verifiable Merkle digest of every result,
// and signals of fake praise, malicious bad reviews and hot spots.
//
// # Inputs
//
// The package reads plain records, so a district can feed it from its own system without adopting
// package ticket: [CaseRecord] (receipt, first-contact and reply due times and completion times,
// callback answers, repeats, returns, reopens, supervisions, unfounded or not), [Review] (one of the
// five [Rating]s 非常满意 … 非常不满意 of 001 (二), the six [Dimension]s 事项管理, 办事流程, 服务效率,
// 服务水平, 服务态度, 便捷性, [Channel], matter, unit, window, staff, hashed rater and device),
// [Adjustment] (a bonus or deduction item awarded to a unit, 004 §15 (一) 2–3) and [Volume] (a unit's
// service volume, the denominator of its complaint rate, 002 §9). The two lowest ratings are bad
// reviews ([Rating.Bad]). Unfounded reviews (不属实评价, 000 §6 (二)) are excluded; reviews whose
// appeal is pending still count, since only a review 复核认定为不属实 is 不予采纳 (000 §6 (二)).
//
// # Vocabulary
//
// Every enumeration ([Rating], [Answer], [Dimension], [Channel], [Algorithm], [IndicatorID],
// [ScoringKind], [AdjustmentKind], [MissingRule], [TieRule], [PeriodKind], [SignalKind], [GroupBy],
// [RecordKind]) is a string type whose value is its wire form, built on the module's one enum
// mechanism: String is the wire value, Label the Chinese label ("未知(x)" for a value outside the
// set), ParseX accepts either, and UnmarshalText refuses unknown values with an [*EnumError] wrapping
// [ErrInvalidEnum].
// [Channel] uses package ticket's wire values for the same channels. Policies — a [Scheme] and the
// signal policies — report problems with one [*PolicyError]{Policy, Field, Reason} wrapping
// [ErrInvalidPolicy]; input records and periods with [*FieldError]; a result that does not verify
// with [*MismatchError].
//
// # Indicators
//
// [Score] computes each unit's [Indicators] over a [Period] as of an instant: first-contact rate,
// on-time rate (open overdue tickets count against it), resolution rate, satisfaction rate, callback
// coverage, contact and attitude rates, conclusion-report pass rate, complaint rate, overdue count,
// returns, repeats, reopens, supervisions, the five-rating review distribution, the bad-review
// rectification rate and per-dimension satisfaction. Each field's doc comment gives its formula and
// says exactly which cases enter its denominator. Rates keep numerator and denominator ([Rate]) and
// are always proper fractions: input that would make one exceed 100% — a [Volume] below the unit's
// complaint count, say — is an input error naming the unit.
//
// # Schemes
//
// A [Scheme] (考核方案) is plain data (JSON via [ParseScheme] or [ReadScheme], checked by
// [Scheme.Validate]): weighted items adding up to 100 points, each scoring one or more indicators
// ([ScoreRate], [ScoreInverse], [ScoreBands], [ScorePerCount]); bonus and deduction items with per-item
// and total caps; the ratings counted as satisfied; how an item without data scores; the sample and
// its minimum for ranking; tie rules; and the digest algorithm. [Presets] lists the presets and
// [Preset] finds one by name: [StreetHotline] (004 §15), [Hebi] (002 §9), [Beijing3Rates] (响应率,
// 解决率, 满意率) and [ShanghaiReviews] (the public 好差评 ranking of 001 (八)). Where a document names
// indicators but sets no weights, points or sample size, the preset says what it chose.
//
// # Periods and rankings
//
// [Month] and [Quarter] are calendar months and quarters in Asia/Shanghai; [Year] is the assessment
// year of 000 §8 (三), 上年 11 月 1 日 to 当年 10 月 31 日, from [deadline.YearPolicy]. Each refuses
// arguments out of range with an error. 004 §14 asks for a monthly ranking (月通报: [Rank], in every
// [Result]), a quarterly talk with the bottom three (季约谈: [Summons]) and an annual assessment (年终评:
// score the [Year]). Units below the scheme's minimum sample are scored but listed as not ranked.
// [Breakdown] gives the review distribution by unit, channel, matter, window or staff, most
// concentrated bad reviews first (001 (十三)). [Fixed.Round] and [Fixed.Text] round a figure half away
// from zero (四舍五入) to the decimals a bulletin prints.
//
// # Integrity
//
// 001 (十) requires statistics that are generated automatically and cannot be altered (统计分析结果自动
// 生成、不可更改). All arithmetic is fixed-point ([Fixed], six decimals, round half away from zero), so
// a result is the same on every platform and for every order of the input. A [Result] carries three
// digests — SM3 by default (github.com/emmansun/gmsm), SHA-256 when the scheme's Algorithm says so:
//
//   - InputDigest, the root of a Merkle tree over the canonical records of the input, built as RFC
//     6962 §2.1 builds it: a leaf hash is H(0x00 ‖ leaf), a node hash H(0x01 ‖ left ‖ right), and a
//     list of n > 1 leaves splits at the largest power of two below n ([MerkleRoot]);
//   - SchemeDigest, of the scheme;
//   - Digest, of the algorithm, both digests and every figure of the result.
//
// [Verify] recomputes a result and names the first difference: a record of the input that was changed,
// is missing or was added ("input[case:C-7]", from [Result.Records], the leaves of the tree), the
// scheme, or the path of a changed figure such as "units[U-03].total". [Result.Public] drops the
// records for publication; [ProveUnit] then gives a unit an [InclusionProof] — its own cases and their
// RFC 6962 audit paths — that [VerifyInclusion] checks against the published InputDigest without
// seeing any other record.
//
// # Canonical records
//
// Each record of the input is one leaf. Its encoding starts with 0x00 (the RFC 6962 leaf prefix) and a
// tag byte for its kind, followed by its fields, written with these building blocks:
//
//   - str: a string as its byte length (unsigned LEB128 varint) then its bytes;
//   - int: a signed varint (zigzag, as encoding/binary's AppendVarint);
//   - time: the byte 0 for the zero time, else the byte 1, the Unix seconds (int) and the nanoseconds
//     (unsigned varint), so that a time's zone never matters;
//   - bool: one byte, 0 or 1; an [Answer] one byte (0 none, 1 yes, 2 no); a [Rating] one byte, its
//     [Rating.Rank] (0 none, 1 非常满意 … 5 非常不满意).
//
// The kinds, in the order their leaves appear in the tree, with their tag and canonical ID:
//
//   - case (tag 1, ID its ID): str ID, str Unit, bool Complaint, str Matter, str Place, time ReceivedAt,
//     FirstContactDue, FirstContactAt, ReplyDue, RepliedAt, CallbackAt, the bytes Contacted, Resolved,
//     Satisfaction, Attitude, ReportAccepted, int Repeats, Returns, Reopens, Supervisions, bool
//     Unfounded;
//   - review (tag 2, ID its ID): str ID, Rating, the number of rated dimensions (unsigned varint) then,
//     by dimension wire value, str name and Rating; str Channel, Matter, Unit, Window, Staff, Rater,
//     Device; time At; bool Unfounded, AppealPending, Rectified;
//   - adjustment (tag 3, ID "<unit>/<item>/<At in RFC 3339, UTC>#<n>", n numbering equal prefixes in
//     the bytewise order of their encodings): str Unit, str Item, int Count, time At, str Evidence;
//   - volume (tag 4, ID its unit): str Unit, int Count;
//   - unit (tag 5, ID the unit; the extra Units without "" and duplicates): str the unit.
//
// Within a kind, leaves are ordered by the 64-bit FNV-1a hash of the canonical ID, then by the ID.
// Duplicate case or review IDs and duplicate volume units are refused: they would count a record twice.
//
// The scheme digest is H(str "hotline/assess/scheme/v2" ‖ str its encoding/json encoding); the field
// order is fixed and the numbers are [Fixed] decimals. The result digest is H(str
// "hotline/assess/result/v2" ‖ str Algorithm ‖ str InputDigest ‖ str SchemeDigest ‖ the (path, value)
// pairs that [Verify] compares, each as two strs — every field of every unit, in unit order, then the
// ranking). Digests are written in lower-case hexadecimal.
//
// # Signals
//
// [FakePraise] (刷好评: one rater or device praising in bursts), [MaliciousBad] (恶意差评: one rater
// repeatedly against one unit or staff member) and [HotSpots] (a matter × place whose weekly count jumps
// against its own history, with the z-score used; 001 (七) "差评集中的问题") return [Signal]s and
// [HotSpot]s carrying the statistic and the evidence. They are prompts for a person to check (001 (十)
// 查处), never verdicts.
//
// # Purity
//
// The package reads no clock and keeps no state; everything it decides it explains. Its one use of
// goroutines is the input digest of [Score], [DigestInput], [Verify] and [ProveUnit]: the leaves of the
// Merkle tree hash independently, so once the records are in canonical order they are hashed on up to
// GOMAXPROCS goroutines, and so are the subtrees of 4,096 leaves, while [Score] validates the input and
// computes the indicators. The result is the same whatever the schedule.
package assess
