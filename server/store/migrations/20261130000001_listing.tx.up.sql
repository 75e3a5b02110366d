{{- if eq .Dialect "postgres"}}
-- Indexes for listing at 10 million tickets (see BENCHMARKS.md), PostgreSQL only.
--
-- A trigram index on the title, so that a search for text in the title (LIKE '%…%') reads the
-- tickets that contain it instead of every ticket when the text is rare: without it a rare term
-- took seconds. pg_trgm is a trusted contrib extension (PostgreSQL 13+): the database owner may
-- create it. A term under three characters has no trigram and is still found by reading the newest
-- tickets first, which is fast for the common two-character words.
CREATE EXTENSION IF NOT EXISTS pg_trgm
--bun:split
CREATE INDEX IF NOT EXISTS tickets_title_trgm ON tickets USING gin (title gin_trgm_ops)
--bun:split
-- The tickets with a running stage or met late, newest first: the due-soon and overdue filters
-- imply its predicate, and read these instead of every ticket (due soon took 0.3 s without it).
CREATE INDEX IF NOT EXISTS tickets_attention ON tickets (received_us, id) WHERE next_due_us IS NOT NULL OR overdue = 1
{{- end}}
