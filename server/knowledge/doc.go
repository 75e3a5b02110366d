// Package knowledge is the knowledge base (知识库) and the case library (案例库) that let an operator
// answer at once: 003 七 (二) asks each service centre to collect why things could not be done and how
// they were solved into a 办不成事 knowledge base, 003 五 (四) for a case library shared by every
// centre, and 004 第六条 (八) makes the street office keep the knowledge base of its hotline current; an
// answer taken from it is an immediate answer (即办, 002 第六条 (二) 1 (1): 情况清楚、法律法规和政策
// 明确的，工作人员应当即时答复).
//
// The package is pure and storage-free; the store keeps entries, their versions and the index, and
// the server wires the endpoints.
//
// # Knowledge entries
//
// An [Entry] is a question and its answer, the matter codes and places (region codes) it applies to
// (none: every matter, everywhere), its [Source] (the policy document and article), the unit that
// keeps it, and when it is valid (ValidFrom, ValidUntil exclusive). [Entry.Validate] names the field
// at fault; [Changed] lists the fields one version changes, for the history (who changed what, when).
//
// # Case library
//
// A [Case] is a closed 办不成事 ticket (003) or a solved hard ticket written up for others: the
// problem, the cause found (003 六 (二): 详细分析、查找“办不成事”的具体原因), how it was solved, the
// units involved. [FromTicket] drafts one from an eligible ticket ([Eligible]); every text is masked
// with [CasePrivacy] — the citizen's name, phone, ID number and address are hidden wherever they
// recur, and every long number is starred — and [Leaks] scans a case for anything of the citizen
// that is left, so the store can refuse to publish it. A case is drafted, reviewed by someone other
// than its author, then published ([CaseState]: draft → reviewed → published, or withdrawn).
//
// # Search in Chinese
//
// There is no external engine: [Terms] cuts text into overlapping pairs of Han characters (bigrams)
// and words of Latin letters and digits, after NFKC folding (full-width letters and digits become
// ASCII) and lower-casing. The store keeps one posting per (term, entry) — weighted 3 in the
// question, 1 in the answer only — and a document frequency per term. [Plan] picks a query's terms,
// rarest first within a budget of postings, and weighs each with an integer inverse document
// frequency ([Weight]); the score of an entry is the integer sum of the weights of the terms it
// contains times their field weight, ties broken by the entry's number. Everything is integer
// arithmetic evaluated the same way by SQLite, PostgreSQL and MariaDB, so the three return the same
// entries in the same order. [MatterKeys] and [PlaceKeys] give the codes an entry must be tagged with
// to apply to a matter or a place: the code's ancestors and "*" (everything).
//
// # Import and export
//
// [ReadJSON] and [WriteJSON] exchange entries as {"entries": […]} through the module's strict JSON
// loader; [ReadXLSX] and [WriteXLSX] as a spreadsheet with one header row (Chinese or English column
// names). Both are bounded by [MaxImportBytes] and name the entry and field at fault.
package knowledge
