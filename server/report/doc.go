// Package report builds the monthly report (月通报, 004 §14; 003 六 (六) 每月运营报告, 七 (二)) of a
// district or of one unit and writes it as an XLSX workbook or a printable Chinese HTML page.
//
// [Build] reads the tickets that can enter the month's indicators (the store's CaseTickets: with
// their histories, without identities) one at a time, turns each into its assessment record with
// server/loop's CaseRecord under a loop.Policy, counts the tickets received in the month by kind,
// channel and matter, and scores the records and the month's reviews with assess.Score under a
// scheme. The figures of the report — first-contact, on-time, resolution and satisfaction rates,
// overdue, returns, repeats, supervisions, bad reviews and their rectification, the score and the
// ranking — are the [assess.Result]'s own, not recomputed: the report carries the input and the
// result, and assess.Verify(report.Input, scheme, report.Result) checks its digest (001 (十): 统计分析
// 结果自动生成、不可更改). The district's row sums the units' rates (numerators and denominators) and
// counts, which is what assess.Score gives for the union of their records.
//
// A ticket that no unit holds (not dispatched: screened out, archived, answered at intake) is counted
// by kind, channel and matter but enters no unit's indicators ([Report.Undispatched]).
//
// The package is pure: it reads no clock (the instant of computation is [Input.AsOf]) and no
// database, and keeps no state.
package report
