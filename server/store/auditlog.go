package store

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"iter"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/audit"
)

// AuditShards is the number of independent audit chains. Each write's row goes to the chain its
// subject (a ticket, case, unit or credential id) hashes to, so one subject's rows stay in one chain in
// order, and writes about different subjects lock different head rows and commit side by side instead
// of one at a time. Rows with no subject go to shard 0. Changing it re-shards nothing: it is fixed by
// the schema (one audit_head row per shard).
const AuditShards = 16

// auditShard is the shard a subject's rows are chained in (FNV-1a, deterministic across processes).
func auditShard(subject string) int {
	if subject == "" {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(subject))
	return int(h.Sum32() % AuditShards)
}

// AuditShardError says in which audit shard Err (usually a *audit.BreakError naming the seq within
// the shard) was found.
type AuditShardError struct {
	Shard int
	Err   error
}

func (e *AuditShardError) Error() string {
	return fmt.Sprintf("store: audit shard %d: %v", e.Shard, e.Err)
}

func (e *AuditShardError) Unwrap() error { return e.Err }

type auditRow struct {
	bun.BaseModel `bun:"table:audit_log"`
	Shard         int    `bun:"shard,pk"`
	Seq           int64  `bun:"seq,pk"`
	AtUS          int64  `bun:"at_us"`
	Actor         string `bun:"actor"`
	Action        string `bun:"action"`
	Subject       string `bun:"subject"`
	Fields        []byte `bun:"fields"`
	Hash          []byte `bun:"hash"`
}

type auditHeadRow struct {
	bun.BaseModel `bun:"table:audit_head"`
	ID            int    `bun:"id,pk"` // the shard
	Seq           int64  `bun:"seq"`
	Hash          []byte `bun:"hash"`
}

type checkpointRow struct {
	bun.BaseModel `bun:"table:audit_checkpoints"`
	Size          int64  `bun:"size,pk"`
	Head          []byte `bun:"head"`
	Shards        []byte `bun:"shards"` // JSON []audit.Head, one per shard
	Sig           []byte `bun:"sig"`
	AtUS          int64  `bun:"at_us"`
}

// appendAudit chains one entry after its shard's head, in tx. It takes that shard's head lock (a row
// lock on audit_head on PostgreSQL and MySQL; SQLite's writer already holds the database lock), so a
// shard's rows are sequenced without gaps in commit order. Callers call it last, to hold the lock
// briefly, and once per transaction (two shards locked in either order could deadlock).
func (s *Store) appendAudit(ctx context.Context, tx bun.Tx, at time.Time, actor, action, subject string, fields ...string) error {
	shard := auditShard(subject)
	var head auditHeadRow
	if s.dialect == MySQL {
		if err := tx.NewSelect().Model(&head).Where("id = ?", shard).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("store: reading audit head %d: %w", shard, err)
		}
		head.Seq++
	} else {
		// One round trip takes the lock and the next number; the hash returned is still the old one.
		if err := tx.NewRaw("UPDATE audit_head SET seq = seq + 1 WHERE id = ? RETURNING seq, hash", shard).Scan(ctx, &head.Seq, &head.Hash); err != nil {
			return fmt.Errorf("store: reading audit head %d: %w", shard, err)
		}
	}
	row, err := auditNext(shard, head, at, actor, action, subject, fields)
	if err != nil {
		return err
	}
	if err := execBatch(ctx, tx,
		tx.NewInsert().Model(&row),
		tx.NewUpdate().Model((*auditHeadRow)(nil)).Set("seq = ?", row.Seq).Set("hash = ?", row.Hash).Where("id = ?", shard),
	); err != nil {
		return fmt.Errorf("store: appending audit row %d/%d: %w", shard, row.Seq, err)
	}
	if s.dialect == Postgres {
		// The head the PostgreSQL intake remembers for this shard is out of date (see
		// intakePostgres).
		s.pg.heads[shard].stale.Store(true)
	}
	return nil
}

// auditNext returns the row chained in shard after its head, whose Seq is already the new row's and
// whose Hash is the previous row's.
func auditNext(shard int, head auditHeadRow, at time.Time, actor, action, subject string, fields []string) (auditRow, error) {
	if fields == nil {
		fields = []string{}
	}
	e := audit.Entry{Seq: head.Seq, At: fromMicros(micros(at)), Actor: actor, Action: action, Subject: subject, Fields: fields}
	hash := audit.Next(head.Hash, e)
	fb, err := json.Marshal(fields)
	if err != nil {
		return auditRow{}, err
	}
	return auditRow{Shard: shard, Seq: e.Seq, AtUS: micros(e.At), Actor: actor, Action: action, Subject: subject, Fields: fb, Hash: hash}, nil
}

// Audit appends an entry of its own (a reveal of masked data, an export, a login) to the chain. Fields
// must carry ids and masked values only.
func (s *Store) Audit(ctx context.Context, p Principal, action, subject string, fields []string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if action == "" || len(action) > 64 || len(subject) > 128 {
		return fmt.Errorf("%w: audit action must be 1–64 bytes and subject at most 128", ErrInvalid)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.appendAudit(ctx, tx, now, p.Actor, action, subject, append([]string{"role=" + string(p.Role), "unit=" + p.Unit}, fields...)...)
	})
}

// auditRows streams one shard's chain in sequence order, decoding each row; a row that cannot be
// decoded is yielded as a *CorruptError.
func (s *Store) auditRows(ctx context.Context, shard int) iter.Seq2[audit.Row, error] {
	return func(yield func(audit.Row, error) bool) {
		const page = 1000
		after := int64(0)
		for {
			var rows []auditRow
			if err := s.db.NewSelect().Model(&rows).Where("shard = ? AND seq > ?", shard, after).Order("seq ASC").Limit(page).Scan(ctx); err != nil {
				yield(audit.Row{}, err)
				return
			}
			for _, r := range rows {
				var fields []string
				if err := json.Unmarshal(r.Fields, &fields); err != nil {
					if !yield(audit.Row{}, &CorruptError{Table: "audit_log", Key: fmt.Sprintf("%d/%d", r.Shard, r.Seq), Err: err}) {
						return
					}
					continue
				}
				e := audit.Entry{Seq: r.Seq, At: fromMicros(r.AtUS), Actor: r.Actor, Action: r.Action, Subject: r.Subject, Fields: fields}
				if !yield(audit.Row{Entry: e, Hash: r.Hash}, nil) {
					return
				}
				after = r.Seq
			}
			if len(rows) < page {
				return
			}
		}
	}
}

func mayAudit(p Principal) bool {
	return p.Role == RoleAuditor || p.Role == RoleSupervisor || p.Role == RoleAdmin
}

// AuditCheckpoint is a signed checkpoint over every shard: Shards[i] is shard i's size and head;
// the embedded audit.Checkpoint's Size is their total and its Head the SM3 digest of the canonical
// list (see shardsDigest), so the one SM2 signature covers every shard. JSON is how it is exported.
type AuditCheckpoint struct {
	audit.Checkpoint
	Shards []audit.Head `json:"shards"`
}

// shardsScheme is hashed into the digest of a shard list.
const shardsScheme = "hotline/audit/shards/v1"

// shardsDigest is SM3 over the scheme and, per shard in order, its index, size and length-prefixed
// head; nil when every shard is empty (an empty chain has no head).
func shardsDigest(heads []audit.Head) (size int64, digest []byte) {
	h := sm3.New()
	var b []byte
	b = binary.BigEndian.AppendUint32(b, uint32(len(shardsScheme)))
	b = append(b, shardsScheme...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(heads)))
	for i, hd := range heads {
		b = binary.BigEndian.AppendUint32(b, uint32(i))
		b = binary.BigEndian.AppendUint64(b, uint64(hd.Size))
		b = binary.BigEndian.AppendUint32(b, uint32(len(hd.Hash)))
		b = append(b, hd.Hash...)
		size += hd.Size
	}
	if size == 0 {
		return 0, nil
	}
	h.Write(b)
	return size, h.Sum(nil)
}

// verifyShard checks shard's chain reaches want, naming the shard in the error.
func (s *Store) verifyShard(ctx context.Context, shard int, want audit.Head) error {
	if err := audit.VerifyHead(s.auditRows(ctx, shard), want); err != nil {
		return &AuditShardError{Shard: shard, Err: err}
	}
	return nil
}

func (s *Store) auditHeads(ctx context.Context, q *bun.SelectQuery) ([]audit.Head, error) {
	var rows []auditHeadRow
	if err := q.Model(&rows).Order("id ASC").Scan(ctx); err != nil {
		return nil, err
	}
	if len(rows) != AuditShards {
		return nil, &CorruptError{Table: "audit_head", Key: "*", Err: fmt.Errorf("%d head rows, want %d", len(rows), AuditShards)}
	}
	heads := make([]audit.Head, AuditShards)
	for i, r := range rows {
		if r.ID != i {
			return nil, &CorruptError{Table: "audit_head", Key: fmt.Sprint(r.ID), Err: fmt.Errorf("head row %d where %d belongs", r.ID, i)}
		}
		heads[i] = audit.Head{Size: r.Seq, Hash: r.Hash}
	}
	return heads, nil
}

// VerifyAudit recomputes every shard's chain and checks it reaches its stored head and the latest
// stored checkpoint's (size, head) for that shard. It returns nil, or an *AuditShardError naming the
// shard and wrapping a *audit.BreakError naming the first bad row in it (a flipped byte, a deleted or
// reordered row, the chain cut short of its head or of the checkpoint).
func (s *Store) VerifyAudit(ctx context.Context, p Principal) error {
	if err := p.validate(); err != nil {
		return err
	}
	if !mayAudit(p) {
		return forbidden(p, "verify the audit chain")
	}
	heads, err := s.auditHeads(ctx, s.db.NewSelect())
	if err != nil {
		return err
	}
	var cps []checkpointRow
	if err := s.db.NewSelect().Model(&cps).Order("size DESC").Limit(1).Scan(ctx); err != nil {
		return err
	}
	var cpHeads []audit.Head
	if len(cps) == 1 {
		if err := json.Unmarshal(cps[0].Shards, &cpHeads); err != nil || len(cpHeads) != AuditShards {
			if err == nil {
				err = fmt.Errorf("%d shards, want %d", len(cpHeads), AuditShards)
			}
			return &CorruptError{Table: "audit_checkpoints", Key: fmt.Sprint(cps[0].Size), Err: err}
		}
	}
	for shard, want := range heads {
		if cpHeads != nil && cpHeads[shard].Size > want.Size {
			want = cpHeads[shard]
		}
		if err := s.verifyShard(ctx, shard, want); err != nil {
			return err
		}
		if cpHeads != nil {
			if err := s.verifyShard(ctx, shard, cpHeads[shard]); err != nil {
				return fmt.Errorf("store: checkpoint at size %d: %w", cps[0].Size, err)
			}
		}
	}
	return nil
}

// Checkpoint locks every shard's head, signs their sizes and heads once with priv (SM2) and stores
// the signed checkpoint, verifies the chains, and returns the checkpoint for export: a later
// [Store.VerifyCheckpoint] with the exported copy catches a shard truncated past it, even if the
// stored checkpoints were removed too.
func (s *Store) Checkpoint(ctx context.Context, p Principal, priv *sm2.PrivateKey, now time.Time) (AuditCheckpoint, error) {
	if err := p.validate(); err != nil {
		return AuditCheckpoint{}, err
	}
	if !mayAudit(p) {
		return AuditCheckpoint{}, forbidden(p, "sign an audit checkpoint")
	}
	var cp AuditCheckpoint
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		heads, err := s.auditHeads(ctx, s.forUpdate(tx.NewSelect()))
		if err != nil {
			return err
		}
		size, digest := shardsDigest(heads)
		c, err := audit.Sign(priv, audit.Checkpoint{Size: size, Head: digest, At: fromMicros(micros(now))})
		if err != nil {
			return err
		}
		sb, err := json.Marshal(heads)
		if err != nil {
			return err
		}
		cp = AuditCheckpoint{Checkpoint: c, Shards: heads}
		_, err = tx.NewInsert().Model(&checkpointRow{Size: c.Size, Head: c.Head, Shards: sb, Sig: c.Sig, AtUS: micros(now)}).
			On(s.onConflictIgnore("size")).Exec(ctx)
		return err
	})
	if err != nil {
		return AuditCheckpoint{}, err
	}
	if err := s.VerifyAudit(ctx, p); err != nil {
		return AuditCheckpoint{}, err
	}
	return cp, nil
}

// VerifyCheckpoint checks an exported checkpoint: that its shard list has every shard and matches
// its signed size and digest, its signature under pub, and that every stored shard still reaches its
// (size, head).
func (s *Store) VerifyCheckpoint(ctx context.Context, p Principal, pub *ecdsa.PublicKey, cp AuditCheckpoint) error {
	if err := p.validate(); err != nil {
		return err
	}
	if !mayAudit(p) {
		return forbidden(p, "verify an audit checkpoint")
	}
	if len(cp.Shards) != AuditShards {
		return fmt.Errorf("%w: checkpoint has %d shards, want %d", audit.ErrMalformed, len(cp.Shards), AuditShards)
	}
	size, digest := shardsDigest(cp.Shards)
	if size != cp.Size || !bytes.Equal(digest, cp.Head) {
		return fmt.Errorf("%w: the shard list does not match the signed size and head", audit.ErrMalformed)
	}
	if err := audit.VerifySignature(pub, cp.Checkpoint); err != nil {
		return err
	}
	for shard, want := range cp.Shards {
		if err := s.verifyShard(ctx, shard, want); err != nil {
			return err
		}
	}
	return nil
}

// onConflictIgnore returns the ON clause that makes an insert skip an existing key.
func (s *Store) onConflictIgnore(cols string) string {
	if s.dialect == MySQL {
		return "DUPLICATE KEY UPDATE " + cols + " = " + cols
	}
	return "CONFLICT (" + cols + ") DO NOTHING"
}
