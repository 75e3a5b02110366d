package store

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/audit"
)

type auditRow struct {
	bun.BaseModel `bun:"table:audit_log"`
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
	ID            int    `bun:"id,pk"`
	Seq           int64  `bun:"seq"`
	Hash          []byte `bun:"hash"`
}

type checkpointRow struct {
	bun.BaseModel `bun:"table:audit_checkpoints"`
	Size          int64  `bun:"size,pk"`
	Head          []byte `bun:"head"`
	Sig           []byte `bun:"sig"`
	AtUS          int64  `bun:"at_us"`
}

// appendAudit chains one entry after the head, in tx. It takes the head lock (a row lock on
// audit_head on PostgreSQL and MySQL; SQLite's writer already holds the database lock), so rows are
// sequenced without gaps in commit order. Callers call it last, to hold the lock briefly.
func (s *Store) appendAudit(ctx context.Context, tx bun.Tx, at time.Time, actor, action, subject string, fields ...string) error {
	var head auditHeadRow
	if s.dialect == MySQL {
		if err := tx.NewSelect().Model(&head).Where("id = 1").For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("store: reading the audit head: %w", err)
		}
		head.Seq++
	} else {
		// One round trip takes the lock and the next number; the hash returned is still the old one.
		if err := tx.NewRaw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").Scan(ctx, &head.Seq, &head.Hash); err != nil {
			return fmt.Errorf("store: reading the audit head: %w", err)
		}
	}
	if fields == nil {
		fields = []string{}
	}
	e := audit.Entry{Seq: head.Seq, At: fromMicros(micros(at)), Actor: actor, Action: action, Subject: subject, Fields: fields}
	hash := audit.Next(head.Hash, e)
	fb, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	row := auditRow{Seq: e.Seq, AtUS: micros(e.At), Actor: actor, Action: action, Subject: subject, Fields: fb, Hash: hash}
	if err := execBatch(ctx, tx,
		tx.NewInsert().Model(&row),
		tx.NewUpdate().Model((*auditHeadRow)(nil)).Set("seq = ?", e.Seq).Set("hash = ?", hash).Where("id = 1"),
	); err != nil {
		return fmt.Errorf("store: appending audit row %d: %w", e.Seq, err)
	}
	return nil
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

// auditRows streams the chain in sequence order, decoding each row; a row that cannot be decoded is
// yielded as a *CorruptError.
func (s *Store) auditRows(ctx context.Context) iter.Seq2[audit.Row, error] {
	return func(yield func(audit.Row, error) bool) {
		const page = 1000
		after := int64(0)
		for {
			var rows []auditRow
			if err := s.db.NewSelect().Model(&rows).Where("seq > ?", after).Order("seq ASC").Limit(page).Scan(ctx); err != nil {
				yield(audit.Row{}, err)
				return
			}
			for _, r := range rows {
				var fields []string
				if err := json.Unmarshal(r.Fields, &fields); err != nil {
					if !yield(audit.Row{}, &CorruptError{Table: "audit_log", Key: fmt.Sprint(r.Seq), Err: err}) {
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

// VerifyAudit recomputes the whole chain and checks it reaches the stored head and every stored
// checkpoint's (size, head). It returns nil, or a *audit.BreakError naming the first bad row (a
// flipped byte, a deleted or reordered row), or an error saying the chain was cut short of the head
// or of a checkpoint.
func (s *Store) VerifyAudit(ctx context.Context, p Principal) error {
	if err := p.validate(); err != nil {
		return err
	}
	if !mayAudit(p) {
		return forbidden(p, "verify the audit chain")
	}
	var head auditHeadRow
	if err := s.db.NewSelect().Model(&head).Where("id = 1").Scan(ctx); err != nil {
		return err
	}
	var cps []checkpointRow
	if err := s.db.NewSelect().Model(&cps).Order("size DESC").Limit(1).Scan(ctx); err != nil {
		return err
	}
	want := audit.Head{Size: head.Seq, Hash: head.Hash}
	if len(cps) == 1 && cps[0].Size > want.Size {
		want = audit.Head{Size: cps[0].Size, Hash: cps[0].Head}
	}
	if err := audit.VerifyHead(s.auditRows(ctx), want); err != nil {
		return err
	}
	for _, cp := range cps {
		if err := audit.VerifyHead(s.auditRows(ctx), audit.Head{Size: cp.Size, Hash: cp.Head}); err != nil {
			return fmt.Errorf("store: checkpoint at size %d: %w", cp.Size, err)
		}
	}
	return nil
}

// Checkpoint verifies the chain, signs its current size and head with priv (SM2) and stores the
// signed checkpoint, which it returns for export: a later [Store.VerifyCheckpoint] with the exported
// copy catches a chain truncated past it, even if the stored checkpoints were removed too.
func (s *Store) Checkpoint(ctx context.Context, p Principal, priv *sm2.PrivateKey, now time.Time) (audit.Checkpoint, error) {
	if err := p.validate(); err != nil {
		return audit.Checkpoint{}, err
	}
	if !mayAudit(p) {
		return audit.Checkpoint{}, forbidden(p, "sign an audit checkpoint")
	}
	var cp audit.Checkpoint
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var head auditHeadRow
		if err := s.forUpdate(tx.NewSelect().Model(&head).Where("id = 1")).Scan(ctx); err != nil {
			return err
		}
		c, err := audit.Sign(priv, audit.Checkpoint{Size: head.Seq, Head: head.Hash, At: fromMicros(micros(now))})
		if err != nil {
			return err
		}
		cp = c
		_, err = tx.NewInsert().Model(&checkpointRow{Size: c.Size, Head: c.Head, Sig: c.Sig, AtUS: micros(now)}).
			On(s.onConflictIgnore("size")).Exec(ctx)
		return err
	})
	if err != nil {
		return audit.Checkpoint{}, err
	}
	if err := s.VerifyAudit(ctx, p); err != nil {
		return audit.Checkpoint{}, err
	}
	return cp, nil
}

// VerifyCheckpoint checks an exported checkpoint's signature with pub and that the stored chain still
// reaches it.
func (s *Store) VerifyCheckpoint(ctx context.Context, p Principal, pub *ecdsa.PublicKey, cp audit.Checkpoint) error {
	if err := p.validate(); err != nil {
		return err
	}
	if !mayAudit(p) {
		return forbidden(p, "verify an audit checkpoint")
	}
	return audit.VerifyCheckpoint(pub, cp, s.auditRows(ctx))
}

// onConflictIgnore returns the ON clause that makes an insert skip an existing key.
func (s *Store) onConflictIgnore(cols string) string {
	if s.dialect == MySQL {
		return "DUPLICATE KEY UPDATE " + cols + " = " + cols
	}
	return "CONFLICT (" + cols + ") DO NOTHING"
}
