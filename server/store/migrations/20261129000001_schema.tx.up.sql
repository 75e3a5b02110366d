-- The schema of the reference server's store. One file for every dialect: the template fills in the
-- column types that differ ({{.Dialect}}), and the append-only triggers are written per dialect below.
-- Instants are microseconds since the Unix epoch (UTC); enumerations are their text form.
CREATE TABLE IF NOT EXISTS tickets (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	number {{.V 64}} NOT NULL,
	source_platform {{.V 64}} NULL,
	upstream {{.V 128}} NULL,
	state {{.V 32}} NOT NULL,
	channel {{.V 32}} NOT NULL,
	kind {{.V 32}} NOT NULL,
	urgency {{.V 32}} NOT NULL,
	complexity {{.V 32}} NOT NULL,
	mode {{.V 32}} NOT NULL,
	region_code {{.V 32}} NOT NULL,
	matter_code {{.V 64}} NOT NULL,
	lead_unit {{.V 64}} NOT NULL,
	title {{.V 500}} NOT NULL,
	received_us BIGINT NOT NULL,
	next_due_us BIGINT NULL,
	due_soon_us BIGINT NULL,
	due_first_contact_us BIGINT NULL,
	due_reply_us BIGINT NULL,
	due_redo_us BIGINT NULL,
	due_cap_us BIGINT NULL,
	overdue SMALLINT NOT NULL,
	due_soon SMALLINT NOT NULL,
	supervised SMALLINT NOT NULL,
	supervisions INTEGER NOT NULL,
	urgings INTEGER NOT NULL,
	returns INTEGER NOT NULL,
	reopenings INTEGER NOT NULL,
	repeats INTEGER NOT NULL,
	replies INTEGER NOT NULL,
	extensions INTEGER NOT NULL,
	version BIGINT NOT NULL,
	caller_phone_bi {{.Hash}} NULL,
	caller_id_bi {{.Hash}} NULL,
	identity {{.Blob}} NULL,
	snapshot {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}tickets_number ON tickets (number)
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}tickets_upstream ON tickets (source_platform, upstream)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_received ON tickets (received_us, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_state ON tickets (state, received_us, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_region ON tickets (region_code, received_us, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_next_due ON tickets (next_due_us)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_caller_phone ON tickets (caller_phone_bi)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_caller_id ON tickets (caller_id_bi)
--bun:split
CREATE TABLE IF NOT EXISTS ticket_units (
	ticket_id {{.V 36}} NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	role {{.V 16}} NOT NULL,
	received_us BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, unit_id)
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}ticket_units_unit ON ticket_units (unit_id, received_us, ticket_id)
--bun:split
CREATE TABLE IF NOT EXISTS ticket_events (
	ticket_id {{.V 36}} NOT NULL,
	seq INTEGER NOT NULL,
	at_us BIGINT NOT NULL,
	actor {{.V 128}} NOT NULL,
	role {{.V 32}} NOT NULL,
	action {{.V 32}} NOT NULL,
	from_state {{.V 32}} NOT NULL,
	to_state {{.V 32}} NOT NULL,
	body {{.Blob}} NOT NULL,
	PRIMARY KEY (ticket_id, seq)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS ticket_numbers (
	prefix {{.V 32}} NOT NULL,
	day INTEGER NOT NULL,
	last BIGINT NOT NULL,
	PRIMARY KEY (prefix, day)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS idempotency_keys (
	sender {{.V 64}} NOT NULL,
	idem_key {{.V 255}} NOT NULL,
	body_hash {{.Hash}} NOT NULL,
	ticket_id {{.V 36}} NOT NULL,
	result {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	expires_us BIGINT NOT NULL,
	PRIMARY KEY (sender, idem_key)
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}idempotency_keys_expires ON idempotency_keys (expires_us)
--bun:split
CREATE TABLE IF NOT EXISTS audit_log (
	shard INTEGER NOT NULL,
	seq BIGINT NOT NULL,
	at_us BIGINT NOT NULL,
	actor {{.V 128}} NOT NULL,
	action {{.V 64}} NOT NULL,
	subject {{.V 128}} NOT NULL,
	fields {{.Blob}} NOT NULL,
	hash {{.Hash}} NOT NULL,
	PRIMARY KEY (shard, seq)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS audit_head (
	id INTEGER NOT NULL PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash {{.Hash}} NOT NULL
){{.TableOptions}}
--bun:split
{{.InsertIgnore}} INTO audit_head (id, seq, hash) VALUES {{.AuditHeads}}{{.OnConflictNothing}}
--bun:split
CREATE TABLE IF NOT EXISTS audit_checkpoints (
	size BIGINT NOT NULL PRIMARY KEY,
	head {{.Hash}} NOT NULL,
	shards {{.Blob}} NOT NULL,
	sig {{.Blob}} NOT NULL,
	at_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS units (
	id {{.V 64}} NOT NULL PRIMARY KEY,
	parent_id {{.V 64}} NULL,
	name {{.V 255}} NOT NULL,
	region_code {{.V 32}} NOT NULL,
	body {{.Blob}} NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}units_parent ON units (parent_id)
--bun:split
CREATE TABLE IF NOT EXISTS regions (
	code {{.V 32}} NOT NULL PRIMARY KEY,
	parent_code {{.V 32}} NULL,
	body {{.Blob}} NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS catalogue (
	code {{.V 64}} NOT NULL PRIMARY KEY,
	body {{.Blob}} NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS config_versions (
	name {{.V 32}} NOT NULL PRIMARY KEY,
	version BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS reviews (
	id {{.V 64}} NOT NULL PRIMARY KEY,
	unit_id {{.V 64}} NOT NULL,
	ticket_id {{.V 36}} NULL,
	rating {{.V 32}} NOT NULL,
	at_us BIGINT NOT NULL,
	body {{.Blob}} NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}reviews_unit ON reviews (unit_id, at_us, id)
--bun:split
CREATE TABLE IF NOT EXISTS review_voids (
	review_id {{.V 64}} NOT NULL PRIMARY KEY,
	actor {{.V 128}} NOT NULL,
	reason {{.V 500}} NOT NULL,
	at_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS cases (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	family {{.V 32}} NOT NULL,
	ticket_id {{.V 36}} NULL,
	unit_id {{.V 64}} NOT NULL,
	state {{.V 32}} NOT NULL,
	version BIGINT NOT NULL,
	snapshot {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}cases_unit ON cases (unit_id, created_us, id)
--bun:split
CREATE TABLE IF NOT EXISTS case_events (
	case_id {{.V 36}} NOT NULL,
	seq INTEGER NOT NULL,
	at_us BIGINT NOT NULL,
	actor {{.V 128}} NOT NULL,
	action {{.V 64}} NOT NULL,
	body {{.Blob}} NOT NULL,
	PRIMARY KEY (case_id, seq)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS credentials (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	unit_id {{.V 64}} NOT NULL,
	role {{.V 32}} NOT NULL,
	label {{.V 255}} NOT NULL,
	secret_hash {{.Hash}} NOT NULL,
	created_us BIGINT NOT NULL,
	revoked_us BIGINT NULL
){{.TableOptions}}
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}credentials_secret ON credentials (secret_hash)
--bun:split
CREATE TABLE IF NOT EXISTS outbox (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	topic {{.V 64}} NOT NULL,
	subject {{.V 128}} NOT NULL,
	payload {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	sent_us BIGINT NULL,
	attempts INTEGER NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}outbox_pending ON outbox (sent_us, created_us)
{{- if eq .Dialect "postgres"}}
--bun:split
CREATE OR REPLACE FUNCTION hotline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'hotline: % on append-only table %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$
{{- range .AppendOnly}}
--bun:split
DROP TRIGGER IF EXISTS {{.}}_append_only ON {{.}}
--bun:split
CREATE TRIGGER {{.}}_append_only BEFORE UPDATE OR DELETE ON {{.}} FOR EACH ROW EXECUTE FUNCTION hotline_append_only()
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_truncate ON {{.}}
--bun:split
CREATE TRIGGER {{.}}_no_truncate BEFORE TRUNCATE ON {{.}} FOR EACH STATEMENT EXECUTE FUNCTION hotline_append_only()
{{- end}}
{{- else if eq .Dialect "mysql"}}
{{- range .AppendOnly}}
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_update
--bun:split
CREATE TRIGGER {{.}}_no_update BEFORE UPDATE ON {{.}} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: UPDATE on append-only table {{.}}'
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_delete
--bun:split
CREATE TRIGGER {{.}}_no_delete BEFORE DELETE ON {{.}} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: DELETE on append-only table {{.}}'
{{- end}}
{{- else}}
{{- range .AppendOnly}}
--bun:split
CREATE TRIGGER IF NOT EXISTS {{.}}_no_update BEFORE UPDATE ON {{.}} BEGIN SELECT RAISE(ABORT, 'hotline: UPDATE on append-only table {{.}}'); END
--bun:split
CREATE TRIGGER IF NOT EXISTS {{.}}_no_delete BEFORE DELETE ON {{.}} BEGIN SELECT RAISE(ABORT, 'hotline: DELETE on append-only table {{.}}'); END
{{- end}}
{{- end}}
