-- Attachments (000 第四条 (三), 第六条 (一)), the knowledge base (知识库, 004 第六条 (八); 003 七 (二)) and
-- the case library (案例库, 003 五 (四)). Attachments, their blobs, the versions of knowledge entries and
-- the events of library cases are append-only, like the other records.
CREATE TABLE IF NOT EXISTS attachments (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	subject_kind {{.V 16}} NOT NULL,
	subject_id {{.V 36}} NOT NULL,
	subject_version BIGINT NOT NULL,
	purpose {{.V 32}} NOT NULL,
	name {{.V 255}} NOT NULL,
	media_type {{.V 128}} NOT NULL,
	size BIGINT NOT NULL,
	digest {{.Hash}} NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	actor {{.V 128}} NOT NULL,
	created_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}attachments_subject ON attachments (subject_kind, subject_id, created_us)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}attachments_digest ON attachments (digest)
--bun:split
CREATE TABLE IF NOT EXISTS attachment_blobs (
	digest {{.Hash}} NOT NULL PRIMARY KEY,
	blob_id {{.V 36}} NOT NULL,
	size BIGINT NOT NULL,
	created_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS attachment_chunks (
	blob_id {{.V 36}} NOT NULL,
	n INTEGER NOT NULL,
	data {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	PRIMARY KEY (blob_id, n)
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}attachment_chunks_created ON attachment_chunks (created_us)
--bun:split
CREATE TABLE IF NOT EXISTS kb_entries (
	id {{.V 64}} NOT NULL PRIMARY KEY,
	num BIGINT NOT NULL,
	version BIGINT NOT NULL,
	keeper {{.V 64}} NOT NULL,
	body {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}kb_entries_num ON kb_entries (num)
--bun:split
CREATE TABLE IF NOT EXISTS kb_entry_versions (
	entry_id {{.V 64}} NOT NULL,
	version BIGINT NOT NULL,
	at_us BIGINT NOT NULL,
	actor {{.V 128}} NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	changed {{.V 255}} NOT NULL,
	body {{.Blob}} NOT NULL,
	PRIMARY KEY (entry_id, version)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS kb_docs (
	num BIGINT NOT NULL PRIMARY KEY,
	kind {{.V 8}} NOT NULL,
	ref {{.V 64}} NOT NULL,
	live SMALLINT NOT NULL,
	valid_from_us BIGINT NOT NULL,
	valid_until_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}kb_docs_kind ON kb_docs (kind, live, num)
--bun:split
CREATE TABLE IF NOT EXISTS kb_blocks (
	term {{.V 40}} NOT NULL,
	blk INTEGER NOT NULL,
	data {{.Blob}} NOT NULL,
	PRIMARY KEY (term, blk)
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS kb_terms (
	term {{.V 40}} NOT NULL PRIMARY KEY,
	df BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS kb_tags (
	facet {{.V 8}} NOT NULL,
	code {{.V 64}} NOT NULL,
	num BIGINT NOT NULL,
	PRIMARY KEY (facet, code, num)
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}kb_tags_num ON kb_tags (num)
--bun:split
CREATE TABLE IF NOT EXISTS kb_counter (
	id INTEGER NOT NULL PRIMARY KEY,
	last BIGINT NOT NULL
){{.TableOptions}}
--bun:split
{{.InsertIgnore}} INTO kb_counter (id, last) VALUES (1, 0){{.OnConflictNothing}}
--bun:split
CREATE TABLE IF NOT EXISTS library_cases (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	num BIGINT NOT NULL,
	ticket_id {{.V 36}} NOT NULL,
	state {{.V 16}} NOT NULL,
	version BIGINT NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	body {{.Blob}} NOT NULL,
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}library_cases_ticket ON library_cases (ticket_id)
--bun:split
CREATE UNIQUE INDEX {{.IndexIfNotExists}}library_cases_num ON library_cases (num)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}library_cases_state ON library_cases (state, updated_us)
--bun:split
CREATE TABLE IF NOT EXISTS library_case_events (
	case_id {{.V 36}} NOT NULL,
	seq INTEGER NOT NULL,
	at_us BIGINT NOT NULL,
	actor {{.V 128}} NOT NULL,
	unit_id {{.V 64}} NOT NULL,
	action {{.V 16}} NOT NULL,
	body {{.Blob}} NOT NULL,
	PRIMARY KEY (case_id, seq)
){{.TableOptions}}
{{- define "pg"}}
--bun:split
DROP TRIGGER IF EXISTS {{.}}_append_only ON {{.}}
--bun:split
CREATE TRIGGER {{.}}_append_only BEFORE UPDATE OR DELETE ON {{.}} FOR EACH ROW EXECUTE FUNCTION hotline_append_only()
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_truncate ON {{.}}
--bun:split
CREATE TRIGGER {{.}}_no_truncate BEFORE TRUNCATE ON {{.}} FOR EACH STATEMENT EXECUTE FUNCTION hotline_append_only()
{{- end}}
{{- define "mysql"}}
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_update
--bun:split
CREATE TRIGGER {{.}}_no_update BEFORE UPDATE ON {{.}} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: UPDATE on append-only table {{.}}'
--bun:split
DROP TRIGGER IF EXISTS {{.}}_no_delete
--bun:split
CREATE TRIGGER {{.}}_no_delete BEFORE DELETE ON {{.}} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: DELETE on append-only table {{.}}'
{{- end}}
{{- define "sqlite"}}
--bun:split
CREATE TRIGGER IF NOT EXISTS {{.}}_no_update BEFORE UPDATE ON {{.}} BEGIN SELECT RAISE(ABORT, 'hotline: UPDATE on append-only table {{.}}'); END
--bun:split
CREATE TRIGGER IF NOT EXISTS {{.}}_no_delete BEFORE DELETE ON {{.}} BEGIN SELECT RAISE(ABORT, 'hotline: DELETE on append-only table {{.}}'); END
{{- end}}
{{- if eq .Dialect "postgres"}}
{{- template "pg" "attachments"}}
{{- template "pg" "attachment_blobs"}}
{{- template "pg" "kb_entry_versions"}}
{{- template "pg" "library_case_events"}}
{{- else if eq .Dialect "mysql"}}
{{- template "mysql" "attachments"}}
{{- template "mysql" "attachment_blobs"}}
{{- template "mysql" "kb_entry_versions"}}
{{- template "mysql" "library_case_events"}}
{{- else}}
{{- template "sqlite" "attachments"}}
{{- template "sqlite" "attachment_blobs"}}
{{- template "sqlite" "kb_entry_versions"}}
{{- template "sqlite" "library_case_events"}}
{{- end}}
