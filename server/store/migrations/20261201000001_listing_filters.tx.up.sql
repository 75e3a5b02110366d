-- Indexes so that every listing filter reads a page, not the tickets around it, at 10 million
-- tickets (issue 11; the figures and plans are in BENCHMARKS.md).
--
-- tickets_district: a hotline office's jurisdiction is a region-code prefix, usually a district (the
-- first six digits). The listing adds the district's equality to the office's LIKE (implied by it),
-- and this index then yields the district's tickets newest first: the office's overdue page, its
-- title search and its channel pages read the district's tickets instead of all of them and
-- dropping fifteen in sixteen. MariaDB indexes no expression: there the district is a virtual
-- generated column (stored in the index only).
--
-- tickets_district_attention: the same over tickets_attention's rows (20261130000001: a running
-- deadline or met late), for the office's overdue and due-soon pages: the newest tickets are open
-- and not yet due, so reading tickets_attention and dropping other districts' read thousands of rows
-- (12 000 at 10 million), and the planner prefers that smaller index to the whole district's.
-- PostgreSQL only, where tickets_attention is; the others read tickets_district.
--
-- tickets_channel: the tickets of a channel newest first. On PostgreSQL only the channels other than
-- the phone (most tickets come by phone, and a page of phone tickets is found among the newest
-- tickets anyway), so that most intakes add no entry; SQLite's planner proves no inequality, so
-- there (and on MariaDB, which has no partial index) it holds every ticket.
--
-- tickets_provisional: only the provisional tickets (Reclock reads them by id), where the dialect
-- has partial indexes; the others keep the (provisional, id) index of 20261130000004.
{{- if eq .Dialect "mysql"}}
ALTER TABLE tickets ADD COLUMN {{if not .MySQL8}}IF NOT EXISTS {{end}}region_district VARBINARY(24) GENERATED ALWAYS AS (LEFT(region_code, 6)) VIRTUAL
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_district ON tickets (region_district, received_us, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_channel ON tickets (channel, received_us, id)
{{- else}}
CREATE INDEX {{.IndexIfNotExists}}tickets_district ON tickets ((substr(region_code, 1, 6)), received_us, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_channel ON tickets (channel, received_us, id){{if eq .Dialect "postgres"}} WHERE channel <> 'phone'{{end}}
--bun:split
DROP INDEX IF EXISTS tickets_provisional
--bun:split
CREATE INDEX IF NOT EXISTS tickets_provisional ON tickets (id) WHERE provisional = 1
{{- end}}
{{- if eq .Dialect "postgres"}}
--bun:split
CREATE INDEX IF NOT EXISTS tickets_district_attention ON tickets ((substr(region_code, 1, 6)), received_us, id) WHERE next_due_us IS NOT NULL OR overdue = 1
--bun:split
-- Text in the title, PostgreSQL: tickets_title_trgm (20261130000001) serves a term of three characters
-- or more, but a two-character term (most Chinese words: 噪声, 粪池) has no trigram, and a rare one
-- read every ticket. hotline_title_bigrams lists the title's pairs of neighbouring characters:
-- regexp_replace turns each character c into "c c" ("噪声扰民" is "噪 噪声 声扰 扰民 民"), and the
-- words between the spaces are the pairs, with the first and last character (a space of the title
-- only shortens words, so every two-character element is a pair of the title). A two-character term
-- without a space is in the title exactly when it is an element, so the listing asks "the title's
-- pairs contain the term": this GIN index serves it without rechecking a row, and the planner knows
-- the term's share from the statistics of the indexed expression (the larger target keeps rarer
-- pairs' frequencies, which are otherwise guessed at 0.5%). Not STRICT (string_to_array is not), so
-- that PostgreSQL inlines it into the two built-in calls: ~3 µs a title instead of ~15 µs for each
-- intake and change of a ticket and each title a filter reads.
CREATE OR REPLACE FUNCTION hotline_title_bigrams(s text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT string_to_array(regexp_replace(s, '(.)', '\1 \1', 'g'), ' ') $$
--bun:split
CREATE INDEX IF NOT EXISTS tickets_title_bigrams ON tickets USING gin (hotline_title_bigrams(title))
--bun:split
ALTER INDEX tickets_title_bigrams ALTER COLUMN 1 SET STATISTICS 1000
--bun:split
-- Statistics of the new indexes' expressions (the districts' shares, the titles' pairs), without
-- which the planner guesses them.
ANALYZE tickets
{{- end}}
