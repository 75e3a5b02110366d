-- Service windows with their QR codes (001 (四)), the citizen's comment on a review, and the published
-- rankings (001 (八), (十)). Templated per dialect like the schema; the published rankings and the
-- comments are append-only (001 (十): 统计分析结果自动生成、不可更改).
CREATE TABLE IF NOT EXISTS service_windows (
	id {{.V 64}} NOT NULL PRIMARY KEY,
	unit_id {{.V 64}} NOT NULL,
	hall {{.V 128}} NOT NULL,
	name {{.V 128}} NOT NULL,
	body {{.Blob}} NOT NULL,
	updated_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}service_windows_unit ON service_windows (unit_id, id)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}service_windows_hall ON service_windows (hall, id)
--bun:split
CREATE TABLE IF NOT EXISTS review_notes (
	review_id {{.V 64}} NOT NULL PRIMARY KEY,
	comment {{.V 500}} NOT NULL,
	at_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE TABLE IF NOT EXISTS published_rankings (
	id {{.V 36}} NOT NULL PRIMARY KEY,
	label {{.V 255}} NOT NULL,
	period {{.V 32}} NOT NULL,
	scheme {{.V 64}} NOT NULL,
	scheme_version {{.V 64}} NOT NULL,
	scope {{.V 64}} NOT NULL,
	digest {{.V 128}} NOT NULL,
	chain_size BIGINT NOT NULL,
	chain_head {{.V 128}} NOT NULL,
	result {{.Blob}} NOT NULL,
	scheme_json {{.Blob}} NOT NULL,
	input {{if eq .Dialect "mysql"}}LONGBLOB{{else}}{{.Blob}}{{end}} NOT NULL,
	created_us BIGINT NOT NULL
){{.TableOptions}}
--bun:split
CREATE INDEX {{.IndexIfNotExists}}published_rankings_created ON published_rankings (created_us, id)
{{- if eq .Dialect "postgres"}}
--bun:split
DROP TRIGGER IF EXISTS review_notes_append_only ON review_notes
--bun:split
CREATE TRIGGER review_notes_append_only BEFORE UPDATE OR DELETE ON review_notes FOR EACH ROW EXECUTE FUNCTION hotline_append_only()
--bun:split
DROP TRIGGER IF EXISTS published_rankings_append_only ON published_rankings
--bun:split
CREATE TRIGGER published_rankings_append_only BEFORE UPDATE OR DELETE ON published_rankings FOR EACH ROW EXECUTE FUNCTION hotline_append_only()
{{- else if eq .Dialect "mysql"}}
--bun:split
DROP TRIGGER IF EXISTS review_notes_no_update
--bun:split
CREATE TRIGGER review_notes_no_update BEFORE UPDATE ON review_notes FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: UPDATE on append-only table review_notes'
--bun:split
DROP TRIGGER IF EXISTS review_notes_no_delete
--bun:split
CREATE TRIGGER review_notes_no_delete BEFORE DELETE ON review_notes FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: DELETE on append-only table review_notes'
--bun:split
DROP TRIGGER IF EXISTS published_rankings_no_update
--bun:split
CREATE TRIGGER published_rankings_no_update BEFORE UPDATE ON published_rankings FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: UPDATE on append-only table published_rankings'
--bun:split
DROP TRIGGER IF EXISTS published_rankings_no_delete
--bun:split
CREATE TRIGGER published_rankings_no_delete BEFORE DELETE ON published_rankings FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hotline: DELETE on append-only table published_rankings'
{{- else}}
--bun:split
CREATE TRIGGER IF NOT EXISTS review_notes_no_update BEFORE UPDATE ON review_notes BEGIN SELECT RAISE(ABORT, 'hotline: UPDATE on append-only table review_notes'); END
--bun:split
CREATE TRIGGER IF NOT EXISTS review_notes_no_delete BEFORE DELETE ON review_notes BEGIN SELECT RAISE(ABORT, 'hotline: DELETE on append-only table review_notes'); END
--bun:split
CREATE TRIGGER IF NOT EXISTS published_rankings_no_update BEFORE UPDATE ON published_rankings BEGIN SELECT RAISE(ABORT, 'hotline: UPDATE on append-only table published_rankings'); END
--bun:split
CREATE TRIGGER IF NOT EXISTS published_rankings_no_delete BEFORE DELETE ON published_rankings BEGIN SELECT RAISE(ABORT, 'hotline: DELETE on append-only table published_rankings'); END
{{- end}}
