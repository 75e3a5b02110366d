// Package sweep is the deadline sweeper of the reference server: it finds the tickets whose stage
// clocks have crossed into their due-soon window (预警, the deadline policy's lead) or run out (超期)
// and records it, and it schedules the callback (回访) of every replied ticket.
//
// A [Sweeper] runs rounds ([Sweeper.Run], [Sweeper.Round]); each round calls
// [store.Store.SweepDue] batch after batch until no ticket is due. For each ticket taken, in one
// transaction, the store:
//
//   - writes a due-soon notice when a running clock enters its due-soon window, and an overdue notice
//     when it runs out, to the handling units and the lead unit's leader in charge (the hotline office
//     while no unit has the ticket) — each once per clock and deadline, whichever instance writes it;
//   - with [Policy].Urge, applies 催办 (urging) as the system to the ticket whose clock ran out, once
//     per clock and deadline, where the lifecycle allows it (002 §6 (二) 1 (6): 对超出办理期限的,由政务
//     热线平台下达催办单或直接电话催办) — an event in the ticket's history, counted in its 催办次数;
//   - writes the callback-due notice of a replied ticket to the hotline office (000 §4 (四): 实行100%
//     回访; 004 §11: 对所有已办结的事项，热线办做到100%回访);
//   - refreshes the projection's due-soon and overdue flags, and sets when to look at the ticket next.
//
// The notices become messages of the outbox, delivered by [github.com/hotline12345/hotline/server/outbox].
//
// # Cost
//
// Every write to a ticket records the next instant the sweeper has work on it (its earliest due-soon
// or due instant), and the sweeper reads, through the index on that instant, only the tickets whose
// instant has passed. A sweep therefore costs the tickets that changed, not the tickets that are
// open (BENCHMARKS.md: the same with ten times as many open tickets). A due ticket costs a few
// column comparisons, not a decoded snapshot and a working-day count: every write also stores the
// ticket's sweep plan — its running clocks' due and due-soon instants, counted on the calendar then
// (and again by a reclock) — and the sweep compares the round's instant with those. A ticket
// written before the plan existed is read the slow way once, and gets its plan.
//
// # Several instances
//
// Sweepers on several server instances share the work: on PostgreSQL and MariaDB 10.6+ each batch
// takes its tickets with FOR UPDATE SKIP LOCKED, so two batches never hold the same ticket; on SQLite
// the single writer serialises them. A notice's id is derived from what it announces (ticket, kind,
// clock, deadline), so even a ticket swept twice — by two instances with skewed clocks, or after a
// crash between a sweep and its next — writes it once, and its urging goes with that first write.
//
// # A new holiday schedule
//
// The State Council publishes the next year's holidays each autumn; deadlines counted over dates
// beyond the published schedule are provisional (deadline.Deadline.Provisional). With
// [WithHolidays] the sweeper watches a directory of holiday files (holiday-cn format, one a year;
// [LoadHolidays]); when a file is added or changed it gives the store the new calendar and
// recomputes the clocks of open tickets ([store.Store.Reclock]) a few pages a round: only the
// tickets marked provisional when a new year is published, every open ticket when a published year
// was revised ([Compare]). Recomputed tickets are no longer marked provisional, and each one gets an
// audit row with its clocks' old and new deadlines; the sweep plans of the tickets read are
// recomputed too (their due-soon instants are counted on the calendar). No restart is needed.
package sweep
