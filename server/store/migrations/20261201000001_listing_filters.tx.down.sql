-- Back to the listing indexes of 20261130000001 and 20261130000004.
{{- if eq .Dialect "mysql"}}
ALTER TABLE tickets DROP INDEX {{if not .MySQL8}}IF EXISTS {{end}}tickets_channel
--bun:split
ALTER TABLE tickets DROP INDEX {{if not .MySQL8}}IF EXISTS {{end}}tickets_district
--bun:split
ALTER TABLE tickets DROP COLUMN {{if not .MySQL8}}IF EXISTS {{end}}region_district
{{- else}}
DROP INDEX IF EXISTS tickets_channel
--bun:split
DROP INDEX IF EXISTS tickets_district
--bun:split
DROP INDEX IF EXISTS tickets_district_attention
--bun:split
DROP INDEX IF EXISTS tickets_provisional
--bun:split
CREATE INDEX IF NOT EXISTS tickets_provisional ON tickets (provisional, id)
{{- end}}
{{- if eq .Dialect "postgres"}}
--bun:split
DROP INDEX IF EXISTS tickets_title_bigrams
--bun:split
DROP FUNCTION IF EXISTS hotline_title_bigrams(text)
{{- end}}
