// Package screen decides what happens to an item when it reaches the hotline (受理 screening): accept
// it, refuse it with a reason and where to go instead, ask for missing elements, archive it as a
// general suggestion, or return it upstream. It is pure: plain-data policies, no clock, no
// goroutines, and every decision names the rule and the article it rests on.
//
// The articles cited are from the source documents: 000 = 沪府办〔2020〕49号 (上海 12345 与“一网通办”),
// 002 = 鹤壁市政务服务平台咨询投诉建议处理暂行办法, 003 = 普陀区“办不成事”反映窗口运行方案.
//
// # Policies
//
// A [Policy] is plain data (JSON, [Policy.Validate], [ParsePolicy], [ReadPolicy]):
//
//   - categories — each a stable reason code (security.state, no_content, unclear, harassment,
//     insult, repeat_answered, out_of_scope.petition, out_of_scope.discipline,
//     out_of_scope.reconsideration, out_of_scope.litigation, illegal in the presets), the message
//     the citizen is told, where to go instead for matters outside government service (002 第五条
//     (三)), the article, an [Action] ([ActionRefuse], or [ActionFlag] for hints a person should look
//     at) and its tests: a word list, a minimum length (缺乏具体内容), demand words of which one must
//     occur (诉求不明), a contact count (无理纠缠) or "repeats an answered ticket" (重复投诉);
//   - intake rules per channel and kind ([Rule]): the required [Element] values, whether items go
//     back upstream instead of being refused (国办转办), and which reasons archive an item instead of
//     refusing it (000 第四条 (一));
//   - the remit: region-code prefixes inside it ("31" for Shanghai).
//
// [Shanghai] (000 第四条 (一) with 002's content filter) and [Hebi] (002 第五条) are the presets,
// listed by [Presets] and found by name with [Preset].
//
// # Screening
//
// [New] validates a policy and compiles every word of every category into one Aho–Corasick
// automaton; [Screener.Screen] then reads an item's text once, however many words the policy has,
// normalising it rune by rune on the way ([Normalize]: width, spaces and punctuation, case, CJK
// radicals, common traditional characters), so "颠 覆，國家" and "⺠族分裂" do not hide a listed word.
// The [Result] gives the [Outcome], every [Reason] with its matched words and their byte ranges in
// the original text, the missing elements by name, the rule and the article. [Result.Due] counts the
// deadline a refusal (003 四 (四) 5) or a return upstream (000 第四条 (一)) starts, and
// [Result.Refusal] gives the lifecycle action of package ticket that applies the outcome.
//
// [InputOf] builds the [Input] from a [ticket.Intake]; what only the caller knows (recent contacts,
// a repeat found by package repeat, an item routing found outside the remit) is set on the Input.
//
// A *[Screener] is immutable and safe for concurrent use. The zero Screener is refused by Screen
// with [ErrNotBuilt], never a panic. BENCHMARKS.md has the figures: screening a 2,000-character
// complaint against 5,000 words, side by side with the best Go Aho–Corasick library.
package screen
