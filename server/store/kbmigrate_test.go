package store

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The attachment, knowledge and case-library migration renders for every dialect, Oracle MySQL 8
// included (no CREATE INDEX IF NOT EXISTS), with its append-only triggers.
func TestKnowledgeMigrationRenders(t *testing.T) {
	for _, r := range renderMigration(t, "20261130000008_knowledge.tx.up.sql") {
		for _, tbl := range []string{"attachments", "attachment_blobs", "kb_entry_versions", "library_case_events"} {
			assert.True(t, strings.Contains(r.sql, tbl+"_no_update") || strings.Contains(r.sql, tbl+"_append_only"),
				"%s: a trigger on %s", r.data.Dialect, tbl)
		}
	}
}

// The database itself refuses to rewrite attachments and knowledge versions.
func TestKnowledgeAppendOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		attachPDF(t, s, unitA, id, "general", at("2026-11-23 10:00"))
		importCorpus(t, s)
		for _, q := range []string{
			"UPDATE attachments SET name = 'x'", "DELETE FROM attachments",
			"UPDATE attachment_blobs SET size = 0", "UPDATE kb_entry_versions SET actor = 'mallory'", "DELETE FROM kb_entry_versions",
		} {
			_, err := s.db.ExecContext(t.Context(), q)
			require.Error(t, err, q)
			assert.Contains(t, err.Error(), "append-only", q)
		}
	})
}
