-- Drops the failed-login counters and the credentials' expiry.
DROP TABLE IF EXISTS auth_failures
--bun:split
ALTER TABLE credentials DROP COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF EXISTS {{end}}expires_us
