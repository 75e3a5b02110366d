// Package store is the durable storage under the reference server: one opener for an embedded
// SQLite file, PostgreSQL or MariaDB/MySQL, embedded migrations, event-sourced tickets with a
// projection row and a snapshot per ticket, idempotent intake, optimistic concurrency, identities
// encrypted at rest with blind indexes for equality, and an append-only SM3 audit chain written in
// the same transaction as every change.
//
// Every exported method that reads or changes domain data takes the acting [Principal] and runs in
// one transaction; what a principal may see or change is decided here, so no caller can skip it.
//
// Instants are stored as microseconds since the Unix epoch (UTC) in BIGINT columns, the same on every
// dialect, so range filters and keyset pagination compare integers. Enumerations are stored by their
// text form, never as integers. Domain types are never given bun tags: each table has its own row
// struct and an explicit mapping.
package store
