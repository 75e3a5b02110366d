-- Drops the schema (the triggers go with their tables).
DROP TABLE IF EXISTS outbox
--bun:split
DROP TABLE IF EXISTS credentials
--bun:split
DROP TABLE IF EXISTS case_events
--bun:split
DROP TABLE IF EXISTS cases
--bun:split
DROP TABLE IF EXISTS review_voids
--bun:split
DROP TABLE IF EXISTS reviews
--bun:split
DROP TABLE IF EXISTS config_versions
--bun:split
DROP TABLE IF EXISTS catalogue
--bun:split
DROP TABLE IF EXISTS regions
--bun:split
DROP TABLE IF EXISTS units
--bun:split
DROP TABLE IF EXISTS audit_checkpoints
--bun:split
DROP TABLE IF EXISTS audit_head
--bun:split
DROP TABLE IF EXISTS audit_log
--bun:split
DROP TABLE IF EXISTS idempotency_keys
--bun:split
DROP TABLE IF EXISTS ticket_numbers
--bun:split
DROP TABLE IF EXISTS ticket_events
--bun:split
DROP TABLE IF EXISTS ticket_units
--bun:split
DROP TABLE IF EXISTS tickets
{{- if eq .Dialect "postgres"}}
--bun:split
DROP FUNCTION IF EXISTS hotline_append_only()
{{- end}}
