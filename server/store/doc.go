// Package store is the durable storage under the reference server, on an embedded SQLite file,
// PostgreSQL 15+ or MariaDB 10.11 / MySQL 8, through bun.
//
// [Open] picks the dialect from the DSN and checks the connection (for SQLite it reads back WAL,
// synchronous=FULL, foreign keys and the busy timeout, and uses immediate transactions for writers).
// [Store.Migrate] applies the embedded migrations under bun's lock (one templated schema; the SQL
// differs per dialect only for column types and the append-only triggers); the embedded default is
// migrated at Open, the others by an explicit call; [Store.Unlock] clears a lock a killed migrator
// left behind.
//
// Tickets are event-sourced: the history of ticket events is the record (ticket_events, append-only,
// enforced by triggers on every dialect), and a projection row per ticket carries what listing and
// sweeping need plus a snapshot of the ticket without its history and without the citizen's identity.
// [Store.Intake] issues the number from a per-day counter (in blocks on PostgreSQL and MariaDB), claims
// the idempotency key, runs the lifecycle's accept and writes the projection, the sealed identity, the
// event, its notices and the chained audit row in one transaction — on PostgreSQL in one round trip
// of prepared statements, guarded by the database (pgintake.go), and intakes that arrive together
// share that round trip and its commit, each still all or nothing (pggroup.go); [Store.Apply] does
// the same for a transition under the ticket's version (a stale one is a [*VersionError] with the
// current version).
// [Store.VerifyTickets] and [Store.Rebuild] replay every history. Appeals, objections and
// reconsiderations follow the same pattern ([Store.FileAppeal], [Store.ApplyCase]).
//
// Each ticket change also writes, in its transaction, a notice to the outbox for each party that
// must hear of it (notices.go: payloads are server/notify's Notice, ids and states only) and the
// ticket's next sweep instant. [Store.SweepDue] is the deadline sweeper's step: the tickets whose
// instant has passed, read through its index with FOR UPDATE SKIP LOCKED, get their due-soon,
// overdue and callback-due notices (once each, under ids derived from what they announce), their
// flags and, if asked, an urging event. [Store.ClaimOutbox], [Store.AckOutbox] and
// [Store.FailOutbox] are the outbox worker's: claims under a lease, back-off and dead letters.
// [Store.SetCalendar] swaps the lifecycle's calendar at run time and [Store.Reclock] recomputes the
// clocks of open tickets on it.
//
// Citizens' identities are sealed with SM4-GCM, bound to their ticket, under keys from outside the
// database ([Options.Keys]); equality lookups for repeat detection ([Store.CallerTickets]) use keyed
// HMAC-SM3 blind indexes. No snapshot, event, outbox or audit row holds a plaintext identity.
//
// Every write appends to an SM3 hash chain in its own transaction. There are [AuditShards] independent
// chains; a row goes to the one its subject (ticket, case, unit, credential id) hashes to, under that
// chain's head lock only, so writes about different subjects commit side by side. [Store.VerifyAudit]
// names the first bad row (shard and seq, [AuditShardError]), and [Store.Checkpoint] exports one SM2
// signature over every shard's size and head that [Store.VerifyCheckpoint] later checks, so a
// truncation is caught too.
//
// Every method that reads or changes domain data takes the acting [Principal] and runs in one
// transaction; what the principal may see or change is decided here (a handling unit: tickets it or a
// unit below it handles; a hotline office: its jurisdiction; supervisors and auditors: all, auditors
// read-only), so no caller can skip it. Maintenance methods (Migrate, Rollback, Unlock, Pending) and
// [Store.Authenticate], which makes a principal from an API key, take none.
//
// Instants are stored as microseconds since the Unix epoch (UTC) in BIGINT columns, the same on every
// dialect. Enumerations are stored by their text form, never as integers. Domain types are never
// given bun tags: each table has its own row struct, and the mappings to the domain packages live in
// ticketmap.go, casemap.go, unitmap.go, routermap.go and reviewmap.go.
package store
