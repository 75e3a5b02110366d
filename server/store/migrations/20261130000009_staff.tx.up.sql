-- Staff accounts and their sessions, for the pages people use (server/web): a unit's staff sign in
-- with a password (argon2id) and, optionally, a TOTP second factor; failures are counted and lock the
-- account for a while. A session is kept by the SM3 digest of its token, never the token itself.
CREATE TABLE IF NOT EXISTS staff_users (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	username {{.V 64}} NOT NULL,
	display_name {{.V 128}} NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	role {{.V 32}} NOT NULL,
	password_hash {{.V 255}} NOT NULL,
	totp_secret {{.Blob}} NULL,
	totp_last_step BIGINT NOT NULL,
	failures INTEGER NOT NULL,
	locked_until_us BIGINT NULL,
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL,
	disabled_us BIGINT NULL
){{.TableOptions}}
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}staff_users_username ON staff_users (username)
--bun:split
CREATE TABLE IF NOT EXISTS staff_sessions (
	token_hash {{.Hash}} NOT NULL PRIMARY KEY,
	user_id {{.V 36}} NOT NULL,
	created_us BIGINT NOT NULL,
	seen_us BIGINT NOT NULL,
	expires_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}staff_sessions_user ON staff_sessions (user_id)
