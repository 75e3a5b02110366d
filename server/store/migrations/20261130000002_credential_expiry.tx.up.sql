-- API keys expire: every credential gets an expiry (the ones issued before this migration expire a year
-- after they were issued), and failed logins are counted per key fingerprint and minute so that a
-- flood of bad keys is recorded without growing the audit chain by a row per attempt (see
-- authfail.go).
ALTER TABLE credentials ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}expires_us BIGINT NULL
--bun:split
UPDATE credentials SET expires_us = created_us + 31536000000000 WHERE expires_us IS NULL
--bun:split
CREATE TABLE IF NOT EXISTS auth_failures (
	window_us BIGINT NOT NULL,
	subject {{.V 64}} NOT NULL,
	reason {{.V 16}} NOT NULL,
	attempts BIGINT NOT NULL,
	PRIMARY KEY (window_us, subject, reason)
){{.TableOptions}}
