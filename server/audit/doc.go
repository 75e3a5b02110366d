// Package audit is the server's tamper-evident audit trail: an append-only hash chain of [Entry]
// values, verified by recomputation ([Verify]), with SM2-signed [Checkpoint]s so that cutting rows off
// the end is caught too. It is pure — no database, no clock — so the store appends with it and the
// command verifies with it.
//
// Every transition, reveal of masked data, export and login becomes an Entry. An Entry carries ids
// (ticket id, unit id, credential id) and masked values (138****8000) only — never a citizen's name,
// phone, ID number, credit code or address in plain text: the chain is shown to auditors and exported
// for checking, and it can never be edited, so what it holds must be safe to show for ever.
//
// # The chain
//
// Row n's hash is [Next](hash of row n−1, entry n), the first row's previous hash being empty:
//
//	SM3( "hotline/audit/v1"
//	   ‖ len(prev) ‖ prev
//	   ‖ seq (8 bytes) ‖ at: Unix seconds of the UTC instant (8 bytes) ‖ nanoseconds (4 bytes)
//	   ‖ len(actor) ‖ actor ‖ len(action) ‖ action ‖ len(subject) ‖ subject
//	   ‖ count(fields) ‖ len(field₁) ‖ field₁ ‖ … )
//
// every integer big-endian, every len a 4-byte count, so no two different entries encode alike. The
// time is hashed at nanosecond precision: a store whose column keeps microseconds (PostgreSQL,
// MariaDB DATETIME(6)) must truncate At to what it stores before calling Next, or its own rows will not
// verify. SM3 (GB/T 32905) is the hash the 密评 assessment of GB/T 39786 expects.
//
// Sequence numbers start at 1 and have no gaps. [Verify] walks the rows in sequence order and returns
// a *[BreakError] naming the first sequence number that does not verify: a changed byte in a row (its
// hash no longer matches), a deleted row (the sequence skips it), rows out of order, or — against an
// expected size and head ([VerifyHead], [VerifyCheckpoint]) — rows missing at the end.
//
// # Checkpoints
//
// A chain alone cannot show that its last rows were deleted: what remains still verifies. So the
// operator periodically exports a [Checkpoint] — the chain's size and head hash at a time, signed
// with SM2 (GB/T 32918) by [Sign] — and keeps it outside the database. [VerifyCheckpoint] checks the
// signature, the chain, that row Size still has hash Head, and that no row up to Size is missing.
// Keys are stored as PEM: [MarshalPrivateKey] (PKCS #8) and [MarshalPublicKey] (PKIX).
//
// A long chain can be checked incrementally: [VerifyFrom] reads only the rows after a head already
// verified (or a checkpoint's size and head) and returns the new head.
package audit
