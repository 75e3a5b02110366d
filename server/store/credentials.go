package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/uptrace/bun"
)

type credentialRow struct {
	bun.BaseModel `bun:"table:credentials"`
	ID            string `bun:"id,pk"`
	UnitID        string `bun:"unit_id"`
	Role          string `bun:"role"`
	Label         string `bun:"label"`
	SecretHash    []byte `bun:"secret_hash"`
	CreatedUS     int64  `bun:"created_us"`
	RevokedUS     *int64 `bun:"revoked_us"`
}

// credentialPrefix starts every API key, so a leaked one is recognisable in logs and scanners.
const credentialPrefix = "hlk_"

// hashSecret is the stored form of an API key: SM3 of the key. The keys are 256 random bits, so a
// fast hash is enough (no dictionary to search); the database never holds a usable key.
func hashSecret(secret string) []byte {
	sum := sm3.Sum([]byte(secret))
	return sum[:]
}

// CreateCredential issues an API key for unit in role (admin only). The key is returned once and
// stored only hashed.
func (s *Store) CreateCredential(ctx context.Context, p Principal, unit string, role Role, label string, now time.Time) (id, secret string, err error) {
	if err := p.validate(); err != nil {
		return "", "", err
	}
	if p.Role != RoleAdmin {
		return "", "", forbidden(p, "issue credentials")
	}
	if !role.Valid() || len(unit) > 64 || len(label) > 255 {
		return "", "", fmt.Errorf("%w: credential role %q, unit or label", ErrInvalid, role)
	}
	if err := (Principal{Actor: "x", Unit: unit, Role: role}).validate(); err != nil {
		return "", "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	secret = credentialPrefix + hex.EncodeToString(raw[:])
	id = newID()
	row := credentialRow{ID: id, UnitID: unit, Role: string(role), Label: label, SecretHash: hashSecret(secret), CreatedUS: micros(now)}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "credential.create", id, "role="+string(role), "unit="+unit)
	})
	if err != nil {
		return "", "", err
	}
	return id, secret, nil
}

// Authenticate returns the principal of an API key, or ErrForbidden for an unknown or revoked key.
// It is the one method without a principal: it makes one.
func (s *Store) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, credentialPrefix) || len(secret) != len(credentialPrefix)+64 {
		return Principal{}, fmt.Errorf("%w: malformed API key", ErrForbidden)
	}
	var row credentialRow
	err := s.db.NewSelect().Model(&row).Where("secret_hash = ?", hashSecret(secret)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && row.RevokedUS != nil) {
		return Principal{}, fmt.Errorf("%w: unknown or revoked API key", ErrForbidden)
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{Actor: "credential:" + row.ID, Unit: row.UnitID, Role: Role(row.Role)}, nil
}

// RevokeCredential revokes credential id (admin only).
func (s *Store) RevokeCredential(ctx context.Context, p Principal, id string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "revoke credentials")
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*credentialRow)(nil)).Set("revoked_us = ?", micros(now)).
			Where("id = ? AND revoked_us IS NULL", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: active credential %s", ErrNotFound, id)
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "credential.revoke", id, "role="+string(p.Role))
	})
}
