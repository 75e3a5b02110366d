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
	"unicode/utf8"

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
	ExpiresUS     *int64 `bun:"expires_us"`
}

// RoleDisplay is the role of a wall display's key (大屏令牌, 004 §14 在大屏滚动播放): a display cannot
// type a password, so the admin issues it a key like any other — hashed, expiring, revocable, on the
// audit chain — that opens the big screen of its unit (a hotline office of the directory) and
// nothing else. [Store.Authenticate] refuses it (it is no API key); [Store.AuthenticateDisplay]
// accepts only it. It is no principal's role: the server reads the screen's aggregated figures
// (counts, scores, hot spots — no ticket, no citizen) on the display's behalf.
const RoleDisplay Role = "display"

// credentialPrefix starts every API key, so a leaked one is recognisable in logs and scanners.
const credentialPrefix = "hlk_"

// Lifetimes of API keys.
const (
	// DefaultCredentialLifetime is how long a key issued without an expiry ([Store.CreateCredential])
	// lasts.
	DefaultCredentialLifetime = 365 * 24 * time.Hour
	// MaxCredentialLifetime bounds a key's expiry: keys are rotated at least this often.
	MaxCredentialLifetime = 3 * 365 * 24 * time.Hour
	// MaxCredentialLabel bounds a key's label, in bytes.
	MaxCredentialLabel = 255
)

// hashSecret is the stored form of an API key: SM3 of the key. The keys are 256 random bits, so a
// fast hash is enough (no dictionary to search); the database never holds a usable key.
func hashSecret(secret string) []byte {
	sum := sm3.Sum([]byte(secret))
	return sum[:]
}

// fingerprintLen is the length of a key fingerprint in hexadecimal digits (32 bits of the hash).
const fingerprintLen = 8

// fingerprintOf is a key's fingerprint: the first 32 bits of its stored hash, in hexadecimal. It
// names a key in the key list and in the audit chain's failed logins without being any use to
// someone who reads it (the key has 256 random bits).
func fingerprintOf(hash []byte) string {
	if len(hash) < fingerprintLen/2 {
		return ""
	}
	return hex.EncodeToString(hash[:fingerprintLen/2])
}

// Credential is an API key as the key list shows it: never the key itself.
type Credential struct {
	ID   string `json:"id"`
	Unit string `json:"unit"`
	Role Role   `json:"role"`
	// Label says what the key is for ("12345 市平台对接").
	Label string `json:"label"`
	// Fingerprint is the first 32 bits of the key's SM3 hash in hexadecimal: failed logins name keys
	// by it in the audit chain.
	Fingerprint string    `json:"fingerprint"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
	// Revoked is when the key was revoked; zero while it is not.
	Revoked time.Time `json:"revoked,omitzero"`
}

// Credential states, as [Credential.Status] reports them.
const (
	CredentialActive  = "active"
	CredentialExpired = "expired"
	CredentialRevoked = "revoked"
)

// Status is "revoked", "expired" (at now) or "active".
func (c Credential) Status(now time.Time) string {
	switch {
	case !c.Revoked.IsZero():
		return CredentialRevoked
	case !now.Before(c.Expires):
		return CredentialExpired
	}
	return CredentialActive
}

func credentialOf(r credentialRow) Credential {
	c := Credential{ID: r.ID, Unit: r.UnitID, Role: Role(r.Role), Label: r.Label, Fingerprint: fingerprintOf(r.SecretHash),
		Created: fromMicros(r.CreatedUS)}
	if r.ExpiresUS != nil {
		c.Expires = fromMicros(*r.ExpiresUS)
	}
	if r.RevokedUS != nil {
		c.Revoked = fromMicros(*r.RevokedUS)
	}
	return c
}

// CredentialSpec is an API key to issue.
type CredentialSpec struct {
	// Unit is the unit the key acts for. A hotline office's or a handling unit's key must name a unit
	// of the directory; the other roles' name their organisation.
	Unit string
	// Role is one of hotline_office, handling_unit, supervisor, auditor, admin, system for an
	// upstream platform (the 12345 city platform, the 好差评 platform) that sends intakes and reviews,
	// or display for a wall display's big screen ([RoleDisplay]).
	Role Role
	// Label says what the key is for; at most [MaxCredentialLabel] bytes of text.
	Label string
	// Expires is when the key stops working: after the time of issue, at most
	// [MaxCredentialLifetime] later.
	Expires time.Time
}

// IssueCredential issues an API key (admin only). The key is returned once and stored only hashed.
// A hotline office's or handling unit's key must name a unit of the directory.
func (s *Store) IssueCredential(ctx context.Context, p Principal, spec CredentialSpec, now time.Time) (Credential, string, error) {
	return s.issueCredential(ctx, p, spec, now, true)
}

func (s *Store) issueCredential(ctx context.Context, p Principal, spec CredentialSpec, now time.Time, checkUnit bool) (Credential, string, error) {
	if err := p.validate(); err != nil {
		return Credential{}, "", err
	}
	if p.Role != RoleAdmin {
		return Credential{}, "", forbidden(p, "issue credentials")
	}
	if err := spec.check(now); err != nil {
		return Credential{}, "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Credential{}, "", err
	}
	secret := credentialPrefix + hex.EncodeToString(raw[:])
	row := credentialRow{ID: newID(), UnitID: spec.Unit, Role: string(spec.Role), Label: spec.Label, SecretHash: hashSecret(secret),
		CreatedUS: micros(now), ExpiresUS: nullMicros(spec.Expires)}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if checkUnit && (spec.Role == RoleHotlineOffice || spec.Role == RoleHandlingUnit || spec.Role == RoleDisplay) {
			n, err := tx.NewSelect().Model((*unitRow)(nil)).Where("id = ?", spec.Unit).Count(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: a %s key needs a unit of the directory, and %q is not one", ErrInvalid, spec.Role, spec.Unit)
			}
		}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "credential.create", row.ID, "role="+string(spec.Role), "unit="+spec.Unit,
			"expires="+spec.Expires.UTC().Format(time.RFC3339), "fingerprint="+fingerprintOf(row.SecretHash))
	})
	if err != nil {
		return Credential{}, "", err
	}
	return credentialOf(row), secret, nil
}

func (spec CredentialSpec) check(now time.Time) error {
	switch spec.Role {
	case RoleHotlineOffice, RoleHandlingUnit, RoleSupervisor, RoleAuditor, RoleAdmin, RoleSystem, RoleDisplay:
	default:
		return fmt.Errorf("%w: credential role %q: want hotline_office, handling_unit, supervisor, auditor, admin, system or display", ErrInvalid, clip(string(spec.Role)))
	}
	if strings.TrimSpace(spec.Unit) == "" || len(spec.Unit) > 64 {
		return fmt.Errorf("%w: credential unit must be 1–64 bytes", ErrInvalid)
	}
	if len(spec.Label) > MaxCredentialLabel || !utf8.ValidString(spec.Label) || strings.ContainsFunc(spec.Label, isControl) {
		return fmt.Errorf("%w: credential label must be at most %d bytes of text", ErrInvalid, MaxCredentialLabel)
	}
	switch {
	case now.IsZero():
		return fmt.Errorf("%w: zero time", ErrInvalid)
	case !spec.Expires.After(now):
		return fmt.Errorf("%w: credential expiry must be after its issue", ErrInvalid)
	case spec.Expires.Sub(now) > MaxCredentialLifetime:
		return fmt.Errorf("%w: credential expiry more than %d days ahead", ErrInvalid, MaxCredentialLifetime/(24*time.Hour))
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// clip bounds a caller's value quoted in an error.
func clip(s string) string {
	const n = 32
	if len(s) <= n {
		return s
	}
	for i := n; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

// CreateCredential issues an API key for unit in role (admin only) that expires
// [DefaultCredentialLifetime] after now, for seeding and tests: unlike [Store.IssueCredential] (the
// API's and the command's way) it does not look the unit up in the directory, so keys can be issued
// before the directory is loaded. It returns the key's id and the key, once.
func (s *Store) CreateCredential(ctx context.Context, p Principal, unit string, role Role, label string, now time.Time) (id, secret string, err error) {
	c, secret, err := s.issueCredential(ctx, p, CredentialSpec{Unit: unit, Role: role, Label: label, Expires: now.Add(DefaultCredentialLifetime)}, now, false)
	return c.ID, secret, err
}

// AuthReason says why a key was refused.
type AuthReason string

// The reasons a key is refused.
const (
	// AuthMalformed: not the shape of a key this server issues.
	AuthMalformed AuthReason = "malformed"
	// AuthUnknown: no key has this hash.
	AuthUnknown AuthReason = "unknown"
	// AuthRevoked: the key was revoked.
	AuthRevoked AuthReason = "revoked"
	// AuthExpired: the key's expiry has passed.
	AuthExpired AuthReason = "expired"
	// AuthWrongUse: a wall display's key presented as an API key, or an API key presented as a
	// display's ([RoleDisplay]).
	AuthWrongUse AuthReason = "wrong_use"
)

// AuthError is a refused API key. It names the key only by its fingerprint (unknown keys) or its
// credential id (revoked and expired ones); a malformed key is not named at all, since it may be any
// text. It wraps [ErrForbidden].
type AuthError struct {
	Reason AuthReason
	// Fingerprint is the presented key's fingerprint (see [Credential]); empty for a malformed key.
	Fingerprint string
	// Credential is the id of the revoked or expired key.
	Credential string
}

func (e *AuthError) Error() string {
	switch {
	case e.Credential != "":
		return fmt.Sprintf("store: API key %s (credential %s) is %s", e.Fingerprint, e.Credential, e.Reason)
	case e.Fingerprint != "":
		return fmt.Sprintf("store: API key %s is %s", e.Fingerprint, e.Reason)
	}
	return "store: API key is " + string(e.Reason)
}

func (e *AuthError) Unwrap() error { return ErrForbidden }

// Authenticate returns the principal of an API key at now, or an *AuthError (wrapping ErrForbidden)
// for a malformed, unknown, revoked or expired key, or a wall display's key ([RoleDisplay]), which is
// no API key. It is the one method without a principal: it makes one. It writes nothing;
// [Store.RecordAuthFailure] records a refusal.
func (s *Store) Authenticate(ctx context.Context, secret string, now time.Time) (Principal, error) {
	row, err := s.liveCredential(ctx, secret, now)
	if err != nil {
		return Principal{}, err
	}
	if Role(row.Role) == RoleDisplay {
		return Principal{}, &AuthError{Reason: AuthWrongUse, Fingerprint: fingerprintOf(row.SecretHash), Credential: row.ID}
	}
	return Principal{Actor: "credential:" + row.ID, Unit: row.UnitID, Role: Role(row.Role)}, nil
}

// AuthenticateDisplay returns the wall display's key secret at now ([RoleDisplay]): its id, unit and
// expiry. Any other key, and a malformed, unknown, revoked or expired one, is an *AuthError wrapping
// ErrForbidden. It writes nothing.
func (s *Store) AuthenticateDisplay(ctx context.Context, secret string, now time.Time) (Credential, error) {
	row, err := s.liveCredential(ctx, secret, now)
	if err != nil {
		return Credential{}, err
	}
	if Role(row.Role) != RoleDisplay {
		return Credential{}, &AuthError{Reason: AuthWrongUse, Fingerprint: fingerprintOf(row.SecretHash), Credential: row.ID}
	}
	return credentialOf(row), nil
}

// liveCredential finds the key secret by its hash and checks it is neither revoked nor expired at now.
func (s *Store) liveCredential(ctx context.Context, secret string, now time.Time) (credentialRow, error) {
	if !strings.HasPrefix(secret, credentialPrefix) || len(secret) != len(credentialPrefix)+64 {
		return credentialRow{}, &AuthError{Reason: AuthMalformed}
	}
	hash := hashSecret(secret)
	var row credentialRow
	err := s.db.NewSelect().Model(&row).Where("secret_hash = ?", hash).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return row, &AuthError{Reason: AuthUnknown, Fingerprint: fingerprintOf(hash)}
	case err != nil:
		return row, err
	case row.RevokedUS != nil:
		return row, &AuthError{Reason: AuthRevoked, Fingerprint: fingerprintOf(hash), Credential: row.ID}
	case row.ExpiresUS == nil || *row.ExpiresUS <= micros(now):
		return row, &AuthError{Reason: AuthExpired, Fingerprint: fingerprintOf(hash), Credential: row.ID}
	}
	return row, nil
}

// Credentials lists every API key, revoked and expired ones included, oldest first (admin only).
// The keys themselves are not stored and so never listed.
func (s *Store) Credentials(ctx context.Context, p Principal) ([]Credential, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleAdmin {
		return nil, forbidden(p, "list credentials")
	}
	var rows []credentialRow
	if err := s.db.NewSelect().Model(&rows).Order("created_us ASC", "id ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Credential, len(rows))
	for i, r := range rows {
		out[i] = credentialOf(r)
	}
	return out, nil
}

// RevokeCredential revokes credential id (admin only). A key that is unknown or already revoked is
// ErrNotFound.
func (s *Store) RevokeCredential(ctx context.Context, p Principal, id string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "revoke credentials")
	}
	if id == "" || len(id) > 36 {
		return fmt.Errorf("%w: active credential %q", ErrNotFound, clip(id))
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
