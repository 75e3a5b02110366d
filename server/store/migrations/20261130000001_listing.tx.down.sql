{{- if eq .Dialect "postgres"}}
-- The extension stays: other objects of the database may use it.
DROP INDEX IF EXISTS tickets_attention
--bun:split
DROP INDEX IF EXISTS tickets_title_trgm
{{- end}}
