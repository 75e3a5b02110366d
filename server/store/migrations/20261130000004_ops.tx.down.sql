-- Drops the sweeper's and the outbox worker's columns with their indexes (on MySQL a column's indexes go
-- with it; SQLite refuses to drop an indexed column, so the indexes go first).
{{- if ne .Dialect "mysql"}}
DROP INDEX IF EXISTS tickets_sweep_at
--bun:split
DROP INDEX IF EXISTS tickets_provisional
--bun:split
DROP INDEX IF EXISTS outbox_due
--bun:split
DROP INDEX IF EXISTS outbox_dead
--bun:split
{{- end}}
ALTER TABLE tickets DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}sweep_at_us
--bun:split
ALTER TABLE tickets DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}provisional
--bun:split
ALTER TABLE outbox DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}due_us
--bun:split
ALTER TABLE outbox DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}claim
--bun:split
ALTER TABLE outbox DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}dead_us
--bun:split
ALTER TABLE outbox DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}last_error
