package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// breakAt returns the shard and seq of the first bad row err names.
func breakAt(t *testing.T, err error) (int, int64) {
	t.Helper()
	var se *AuditShardError
	require.ErrorAs(t, err, &se)
	var be *audit.BreakError
	require.ErrorAs(t, err, &be)
	return se.Shard, be.Seq
}

// shardHead reads one shard's head row.
func shardHead(t *testing.T, s *Store, shard int) auditHeadRow {
	t.Helper()
	var head auditHeadRow
	require.NoError(t, s.db.NewSelect().Model(&head).Where("id = ?", shard).Scan(context.Background()))
	return head
}

func TestAuditTamper(t *testing.T) {
	type tamper struct {
		name  string
		sql   []string // %[1]d is the shard; %[2]d…: seqs relative to the shard's size before the target rows
		first int64    // the first bad row named, relative likewise
	}
	// fill(4) spreads its rows over the shards; then 10 rows about one subject land in one shard, after
	// whatever that shard already held (base), and are tampered with.
	cases := []tamper{
		{"flip a byte of a field", []string{"UPDATE audit_log SET actor = 'operator-8' WHERE shard = %[1]d AND seq = %[2]d+3"}, 3},
		{"flip a byte of a hash", []string{"UPDATE audit_log SET subject = CONCAT(subject, 'x') WHERE shard = %[1]d AND seq = %[2]d+5"}, 5},
		{"delete a row", []string{"DELETE FROM audit_log WHERE shard = %[1]d AND seq = %[2]d+2"}, 2},
		{"reorder two rows", []string{
			"UPDATE audit_log SET seq = 1000 WHERE shard = %[1]d AND seq = %[2]d+4",
			"UPDATE audit_log SET seq = %[2]d+4 WHERE shard = %[1]d AND seq = %[2]d+5",
			"UPDATE audit_log SET seq = %[2]d+5 WHERE shard = %[1]d AND seq = 1000"}, 4},
		{"truncate the tail", []string{"DELETE FROM audit_log WHERE shard = %[1]d AND seq > %[2]d+6"}, 7},
	}
	const subject = "tamper-target"
	shard := auditShard(subject)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				fill(t, s, 4)
				base := shardHead(t, s, shard).Seq
				for i := range 10 {
					require.NoError(t, s.Audit(ctx, office, "test.mark", subject, []string{fmt.Sprintf("n=%d", i)}, at("2026-11-23 10:00")))
				}
				require.NoError(t, s.VerifyAudit(ctx, auditor))
				dropTriggers(t, s)
				for _, q := range c.sql {
					q = fmt.Sprintf(q, shard, base)
					if s.dialect == SQLite {
						q = strings.ReplaceAll(q, "CONCAT(subject, 'x')", "subject || 'x'")
					}
					_, err := s.db.ExecContext(ctx, q)
					require.NoError(t, err, q)
				}
				err := s.VerifyAudit(ctx, auditor)
				require.Error(t, err)
				gotShard, gotSeq := breakAt(t, err)
				assert.Equal(t, shard, gotShard, "%v", err)
				assert.Equal(t, base+c.first, gotSeq, "%v", err)
			})
		})
	}
}

// One subject's rows stay in one shard, in order; rows without a subject go to shard 0.
func TestAuditShardOfSubject(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		for _, id := range ids {
			var rows []auditRow
			require.NoError(t, s.db.NewSelect().Model(&rows).Where("subject = ?", id).Order("seq ASC").Scan(ctx))
			require.Len(t, rows, 2, "intake and dispatch")
			for _, r := range rows {
				assert.Equal(t, auditShard(id), r.Shard)
			}
			assert.Less(t, rows[0].Seq, rows[1].Seq)
		}
		require.NoError(t, s.Audit(ctx, office, "test.mark", "", nil, at("2026-11-23 10:00")))
		var n int
		require.NoError(t, s.db.NewRaw("SELECT COUNT(*) FROM audit_log WHERE subject = '' AND shard = 0").Scan(ctx, &n))
		assert.Equal(t, 1, n)
		assert.Equal(t, 0, auditShard(""))
	})
}

// Two subjects on different shards append at the same time: while one transaction holds its shard's
// head, a write about a subject on another shard commits; one about a subject on the same shard waits.
// SQLite has one writer at a time, so only PostgreSQL and MariaDB can show it.
func TestAuditShardsAppendConcurrently(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		if s.dialect == SQLite {
			t.Log("SQLite serialises writers on the database lock; nothing to show")
			return
		}
		ctx := context.Background()
		const a = "subject-a"
		var other, same string
		for i := 0; other == "" || same == ""; i++ {
			c := fmt.Sprintf("subject-%d", i)
			switch {
			case auditShard(c) != auditShard(a) && other == "":
				other = c
			case auditShard(c) == auditShard(a) && same == "":
				same = c
			}
		}
		tx, err := s.db.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback() }()
		require.NoError(t, s.appendAudit(ctx, tx, at("2026-11-23 10:00"), "operator-1", "test.mark", a))

		// Another shard: commits while tx holds shard a's head.
		short, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		require.NoError(t, s.Audit(short, office, "test.mark", other, nil, at("2026-11-23 10:01")), "a write on another shard must not wait")

		// The same shard: waits for tx.
		blocked, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel2()
		assert.Error(t, s.Audit(blocked, office, "test.mark", same, nil, at("2026-11-23 10:02")), "a write on the same shard must wait for the head lock")

		require.NoError(t, tx.Commit())
		require.NoError(t, s.Audit(ctx, office, "test.mark", same, nil, at("2026-11-23 10:03")))
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		assert.Equal(t, int64(1), shardHead(t, s, auditShard(other)).Seq)
		assert.Equal(t, int64(2), shardHead(t, s, auditShard(a)).Seq)
	})
}

// A signed checkpoint, exported, catches a truncation that also rewound a shard's head and removed the
// stored checkpoints.
func TestAuditCheckpointCatchesTruncation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		priv, err := audit.GenerateKey()
		require.NoError(t, err)
		cp, err := s.Checkpoint(ctx, auditor, priv, at("2026-11-23 18:00"))
		require.NoError(t, err)
		require.Len(t, cp.Shards, AuditShards)
		require.NoError(t, s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, cp))

		// The export round-trips through JSON and still verifies; a shard list edited after signing does not.
		raw, err := json.Marshal(cp)
		require.NoError(t, err)
		var back AuditCheckpoint
		require.NoError(t, json.Unmarshal(raw, &back))
		require.NoError(t, s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, back))
		forged := back
		forged.Shards = append([]audit.Head(nil), back.Shards...)
		shard := auditShard(ids[2])
		forged.Shards[shard].Size--
		assert.ErrorIs(t, s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, forged), audit.ErrMalformed)

		dropTriggers(t, s)
		head := shardHead(t, s, shard)
		require.GreaterOrEqual(t, head.Seq, int64(2))
		var prev auditRow
		require.NoError(t, s.db.NewSelect().Model(&prev).Where("shard = ? AND seq = ?", shard, head.Seq-1).Scan(ctx))
		for _, q := range []string{fmt.Sprintf("DELETE FROM audit_log WHERE shard = %d AND seq > %d", shard, head.Seq-1), "DELETE FROM audit_checkpoints"} {
			_, err := s.db.ExecContext(ctx, q)
			require.NoError(t, err)
		}
		_, err = s.db.NewUpdate().Model((*auditHeadRow)(nil)).Set("seq = ?", prev.Seq).Set("hash = ?", prev.Hash).Where("id = ?", shard).Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, s.VerifyAudit(ctx, auditor), "the database alone can no longer tell")
		err = s.VerifyCheckpoint(ctx, auditor, &priv.PublicKey, cp)
		require.Error(t, err, "the exported checkpoint can")
		gotShard, gotSeq := breakAt(t, err)
		assert.Equal(t, shard, gotShard)
		assert.Equal(t, head.Seq, gotSeq)
	})
}

// A stored checkpoint alone catches a shard truncated and rewound past it.
func TestAuditStoredCheckpointCatchesTruncation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 2)
		priv, err := audit.GenerateKey()
		require.NoError(t, err)
		_, err = s.Checkpoint(ctx, auditor, priv, at("2026-11-23 18:00"))
		require.NoError(t, err)
		dropTriggers(t, s)
		shard := auditShard(ids[1])
		head := shardHead(t, s, shard)
		var prev auditRow
		require.NoError(t, s.db.NewSelect().Model(&prev).Where("shard = ? AND seq = ?", shard, head.Seq-1).Scan(ctx))
		_, err = s.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM audit_log WHERE shard = %d AND seq > %d", shard, head.Seq-1))
		require.NoError(t, err)
		_, err = s.db.NewUpdate().Model((*auditHeadRow)(nil)).Set("seq = ?", prev.Seq).Set("hash = ?", prev.Hash).Where("id = ?", shard).Exec(ctx)
		require.NoError(t, err)
		err = s.VerifyAudit(ctx, auditor)
		require.Error(t, err)
		gotShard, gotSeq := breakAt(t, err)
		assert.Equal(t, shard, gotShard)
		assert.Equal(t, head.Seq, gotSeq)
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
