// Package ledger writes ledgers (台账) as spreadsheets: XLSX for people (Chinese headers, a frozen
// header row, column widths, real date cells) and CSV for other systems (UTF-8 with a byte-order mark,
// so that Excel opens it as UTF-8).
//
// A ledger is a [Sheet] — its name and [Column]s — and a stream of [Row]s (an iterator). The writers
// never hold the rows: [WriteCSV] writes each row as it comes, and [Workbook.AddSheet] hands each row to
// excelize's streaming writer (github.com/xuri/excelize/v2, NewStreamWriter), which keeps at most 16 MB
// of sheet XML in memory and spills the rest to a temporary file; only the compressed workbook is
// assembled in memory when it is written out. A 100,000-ticket ledger therefore streams from the store
// page by page (see BENCHMARKS.md for rows/s and peak memory).
//
// The two ledgers of the documents are defined here over package ticket: the ticket ledger
// ([TicketSheet], [TicketRow]: every ticket of a period and unit, 004 §14 月通报 works from it) and the
// 办不成事 ledger ([WindowSheet], [WindowRow]: 003 六 (五) "做好‘办不成事’事项处理台账", 七 (二) "每月
// 上报窗口台账", with the fields of its 登记表 and 承办单). The rows print what the ticket holds: mask it
// first (ticket/privacy) for anyone who does not handle it; the store does so by role.
//
// Instants are written as Asia/Shanghai wall-clock times (a spreadsheet has no time zones): XLSX cells
// are numbers with a "yyyy-mm-dd hh:mm:ss" or "yyyy-mm-dd" format, CSV cells text in the same layout.
// A text cell of a CSV that starts with =, +, -, @, a tab or a carriage return is prefixed with an
// apostrophe so that a spreadsheet does not run it as a formula (CSV injection); XLSX text cells are
// typed strings and never formulas.
//
// The package is pure: it reads no clock (the ledger's instant is a parameter) and keeps no state.
package ledger
