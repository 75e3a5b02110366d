package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/audit"
)

// fill writes n intakes, each dispatched, so the chain and the event tables have rows.
func fill(t *testing.T, s *Store, n int) []string {
	t.Helper()
	ctx := context.Background()
	seedUnits(t, s)
	var ids []string
	for i := range n {
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(fmt.Sprintf("工单%d", i))}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
		require.NoError(t, err)
		ids = append(ids, res.ID)
	}
	return ids
}

// The database itself refuses UPDATE and DELETE on the chained and event tables, on every dialect.
func TestAppendOnlyTriggers(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 1)
		for _, q := range []string{
			"UPDATE audit_log SET actor = 'mallory'",
			"DELETE FROM audit_log",
			"UPDATE ticket_events SET actor = 'mallory'",
			"DELETE FROM ticket_events",
		} {
			_, err := s.db.ExecContext(ctx, q)
			require.Error(t, err, q)
			assert.Contains(t, err.Error(), "append-only", q)
		}
		if s.dialect == Postgres {
			_, err := s.db.ExecContext(ctx, "TRUNCATE audit_log")
			require.Error(t, err)
		}
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// dropTriggers plays an attacker with DDL rights, so the chain itself must catch the tampering.
func dropTriggers(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, tbl := range appendOnly {
		var qs []string
		switch s.dialect {
		case Postgres:
			qs = []string{"DROP TRIGGER " + tbl + "_append_only ON " + tbl}
		default:
			qs = []string{"DROP TRIGGER " + tbl + "_no_update", "DROP TRIGGER " + tbl + "_no_delete"}
		}
		for _, q := range qs {
			_, err := s.db.ExecContext(ctx, q)
			require.NoError(t, err, q)
		}
	}
}

func breakAt(t *testing.T, err error) int64 {
	t.Helper()
	var be *audit.BreakError
	require.ErrorAs(t, err, &be)
	return be.Seq
}

func TestAuditTamper(t *testing.T) {
	type tamper struct {
		name  string
		sql   []string
		first int64 // the first bad row named
	}
	// fill(4) writes 5 unit rows then 8 ticket rows: 13 chained rows.
	cases := []tamper{
		{"flip a byte of a field", []string{"UPDATE audit_log SET actor = 'operator-8' WHERE seq = 7"}, 7},
		{"flip a byte of a hash", []string{"UPDATE audit_log SET subject = CONCAT(subject, 'x') WHERE seq = 9"}, 9},
		{"delete a row", []string{"DELETE FROM audit_log WHERE seq = 6"}, 6},
		{"reorder two rows", []string{
			"UPDATE audit_log SET seq = 1000 WHERE seq = 8",
			"UPDATE audit_log SET seq = 8 WHERE seq = 9",
			"UPDATE audit_log SET seq = 9 WHERE seq = 1000"}, 8},
		{"truncate the tail", []string{"DELETE FROM audit_log WHERE seq > 10"}, 11},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				fill(t, s, 4)
				require.NoError(t, s.VerifyAudit(ctx, auditor))
				dropTriggers(t, s)
				for _, q := range c.sql {
					if s.dialect == SQLite {
						q = strings.ReplaceAll(q, "CONCAT(subject, 'x')", "subject || 'x'")
					}
					_, err := s.db.ExecContext(ctx, q)
					require.NoError(t, err, q)
				}
				err := s.VerifyAudit(ctx, auditor)
				require.Error(t, err)
				assert.Equal(t, c.first, breakAt(t, err), "%v", err)
			})
		})
	}
}

// A signed checkpoint, exported, catches a truncation that also rewound the head and removed the
// stored checkpoints.
func TestAuditCheckpointCatchesTruncation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 3)
		priv, err := audit.GenerateKey()
		require.NoError(t, err)
		cp, err := s.Checkpoint(ctx, auditor, priv, at("2026-11-23 18:00"))
		require.NoError(t, err)
		require.NoError(t, s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, cp))
		dropTriggers(t, s)
		var head auditHeadRow
		require.NoError(t, s.db.NewSelect().Model(&head).Where("id = 1").Scan(ctx))
		var prev auditRow
		require.NoError(t, s.db.NewSelect().Model(&prev).Where("seq = ?", head.Seq-2).Scan(ctx))
		for _, q := range []string{"DELETE FROM audit_log WHERE seq > " + fmt.Sprint(head.Seq-2), "DELETE FROM audit_checkpoints"} {
			_, err := s.db.ExecContext(ctx, q)
			require.NoError(t, err)
		}
		_, err = s.db.NewUpdate().Model((*auditHeadRow)(nil)).Set("seq = ?", prev.Seq).Set("hash = ?", prev.Hash).Where("id = 1").Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, s.VerifyAudit(ctx, auditor), "the database alone can no longer tell")
		err = s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, cp)
		require.Error(t, err, "the exported checkpoint can")
	})
}

// No plaintext phone or ID number anywhere in the database: the SQLite file (and its WAL) scanned as
// raw bytes, and every column of every table on PostgreSQL and MariaDB.
func TestNoPlaintextIdentity(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 3)
		needles := [][]byte{[]byte(testPhone), []byte(testID), []byte("张三"), []byte("友谊路1号")}
		if s.dialect == SQLite {
			var path string
			require.NoError(t, s.db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path))
			files, _ := filepath.Glob(path + "*")
			require.NotEmpty(t, files)
			for _, f := range files {
				raw, err := os.ReadFile(f)
				require.NoError(t, err)
				for _, n := range needles {
					assert.False(t, bytes.Contains(raw, n), "%s holds %q", f, n)
				}
			}
		}
		// Every table, every column, as text and as bytes.
		var tables []string
		switch s.dialect {
		case SQLite:
			require.NoError(t, s.db.NewRaw("SELECT name FROM sqlite_master WHERE type = 'table'").Scan(ctx, &tables))
		case Postgres:
			require.NoError(t, s.db.NewRaw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").Scan(ctx, &tables))
		default:
			require.NoError(t, s.db.NewRaw("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(ctx, &tables))
		}
		require.NotEmpty(t, tables)
		for _, tbl := range tables {
			rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+tbl)
			require.NoError(t, err)
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				require.NoError(t, rows.Scan(ptrs...))
				for i, v := range vals {
					var b []byte
					switch x := v.(type) {
					case []byte:
						b = x
					case string:
						b = []byte(x)
					}
					for _, n := range needles {
						assert.False(t, bytes.Contains(b, n), "%s.%s holds %q", tbl, cols[i], n)
					}
				}
			}
			require.NoError(t, rows.Err())
			rows.Close()
		}
	})
}

func TestVerifyAndRebuildTickets(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		// A projection edited behind the store's back is reported and rebuilt from the history.
		_, err = s.db.ExecContext(ctx, "UPDATE tickets SET state = 'closed', lead_unit = 'unit-b' WHERE id = ?", ids[1])
		require.NoError(t, err)
		mm, err = s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		require.Len(t, mm, 1)
		assert.Equal(t, ids[1], mm[0].ID)
		assert.Contains(t, mm[0].Reason, "projection")
		_, err = s.Rebuild(ctx, admin, at("2026-11-24 09:00"))
		require.NoError(t, err)
		mm, err = s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		// A history edited (triggers dropped) no longer replays.
		dropTriggers(t, s)
		edit := "REPLACE(body, 'dispatched', 'handling')"
		if s.dialect == Postgres {
			edit = "convert_to(replace(convert_from(body, 'UTF8'), 'dispatched', 'handling'), 'UTF8')"
		}
		_, err = s.db.ExecContext(ctx, "UPDATE ticket_events SET body = "+edit+" WHERE ticket_id = ? AND seq = 2", ids[2])
		require.NoError(t, err)
		mm, err = s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		require.Len(t, mm, 1)
		assert.Equal(t, ids[2], mm[0].ID)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
