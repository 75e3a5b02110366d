package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
	"github.com/uptrace/bun"
	"golang.org/x/crypto/argon2"
)

// Staff accounts are the people who sign in to the pages (server/web): a unit's staff acting in a
// role, as an API key does for a system. 等保 level 3 (GB/T 22239-2019 8.1.4.1) asks for
// identification and authentication with a password kept secret, a limit on failed attempts, a
// session that ends when idle, and a second factor for administrators; so a password is stored only
// as its argon2id hash (RFC 9106), failures are counted and lock the account for a while, a session
// ends after an idle time and a maximum age, and an account may carry a TOTP secret (RFC 6238),
// sealed like a citizen's identity.

// Errors of sign-in.
var (
	// ErrBadLogin: the user name, password or second factor is wrong (which one is not said). It
	// wraps ErrForbidden.
	ErrBadLogin = fmt.Errorf("%w: wrong user name, password or second factor", ErrForbidden)
	// ErrLocked is wrapped by *LockedError: too many failures; it wraps ErrForbidden.
	ErrLocked = fmt.Errorf("%w: account locked after repeated failures", ErrForbidden)
	// ErrSessionExpired: the session is unknown, idle too long or too old; it wraps ErrForbidden.
	ErrSessionExpired = fmt.Errorf("%w: session expired", ErrForbidden)
)

// LockedError reports an account locked until Until.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "store: account locked until " + e.Until.Format(time.RFC3339)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// SessionPolicy says how sign-in and sessions are guarded.
type SessionPolicy struct {
	// IdleTimeout ends a session not used for this long.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, used or not.
	MaxAge time.Duration
	// MaxFailures consecutive failures lock the account for Lockout.
	MaxFailures int
	Lockout     time.Duration
}

// DefaultSessionPolicy: 30 minutes idle, 12 hours at most, 5 failures lock the account for 15
// minutes.
func DefaultSessionPolicy() SessionPolicy {
	return SessionPolicy{IdleTimeout: 30 * time.Minute, MaxAge: 12 * time.Hour, MaxFailures: 5, Lockout: 15 * time.Minute}
}

// Validate checks every field is positive and the idle timeout is not longer than the maximum age.
func (p SessionPolicy) Validate() error {
	switch {
	case p.IdleTimeout <= 0:
		return fmt.Errorf("%w: session policy: idle timeout must be positive", ErrInvalid)
	case p.MaxAge < p.IdleTimeout:
		return fmt.Errorf("%w: session policy: maximum age must be at least the idle timeout", ErrInvalid)
	case p.MaxFailures <= 0:
		return fmt.Errorf("%w: session policy: maximum failures must be positive", ErrInvalid)
	case p.Lockout <= 0:
		return fmt.Errorf("%w: session policy: lockout must be positive", ErrInvalid)
	}
	return nil
}

// MinPasswordLength is the shortest password an account may have, in characters.
const MinPasswordLength = 10

// NewStaff is an account to create.
type NewStaff struct {
	Username string // 1–64 bytes of letters, digits, ".", "-", "_"
	Name     string // the person's name as shown on the pages, at most 128 bytes
	Unit     string
	Role     Role // any role but system
	Password string
}

// Staff is an account as the pages see it: never its password hash or TOTP secret.
type Staff struct {
	ID, Username, Name, Unit string
	Role                     Role
	TOTP                     bool
	LockedUntil              time.Time
	Disabled                 bool
	Created                  time.Time
}

// Principal is who the account acts as: actor "staff:<username>".
func (u Staff) Principal() Principal {
	return Principal{Actor: "staff:" + u.Username, Unit: u.Unit, Role: u.Role}
}

type staffRow struct {
	bun.BaseModel `bun:"table:staff_users"`
	ID            string `bun:"id,pk"`
	Username      string `bun:"username"`
	DisplayName   string `bun:"display_name"`
	UnitID        string `bun:"unit_id"`
	Role          string `bun:"role"`
	PasswordHash  string `bun:"password_hash"`
	TOTPSecret    []byte `bun:"totp_secret"`
	TOTPLastStep  int64  `bun:"totp_last_step"`
	Failures      int    `bun:"failures"`
	LockedUntilUS *int64 `bun:"locked_until_us"`
	CreatedUS     int64  `bun:"created_us"`
	UpdatedUS     int64  `bun:"updated_us"`
	DisabledUS    *int64 `bun:"disabled_us"`
}

func (r staffRow) staff() Staff {
	u := Staff{ID: r.ID, Username: r.Username, Name: r.DisplayName, Unit: r.UnitID, Role: Role(r.Role),
		TOTP: len(r.TOTPSecret) > 0, Disabled: r.DisabledUS != nil, Created: fromMicros(r.CreatedUS)}
	if r.LockedUntilUS != nil {
		u.LockedUntil = fromMicros(*r.LockedUntilUS)
	}
	return u
}

type sessionRow struct {
	bun.BaseModel `bun:"table:staff_sessions"`
	TokenHash     []byte `bun:"token_hash,pk"`
	UserID        string `bun:"user_id"`
	CreatedUS     int64  `bun:"created_us"`
	SeenUS        int64  `bun:"seen_us"`
	ExpiresUS     int64  `bun:"expires_us"`
}

func validUsername(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}

// CreateStaff creates an account (admin only). The password is stored only as its argon2id hash.
func (s *Store) CreateStaff(ctx context.Context, p Principal, n NewStaff, now time.Time) (Staff, error) {
	if err := p.validate(); err != nil {
		return Staff{}, err
	}
	if p.Role != RoleAdmin {
		return Staff{}, forbidden(p, "create staff accounts")
	}
	switch {
	case !validUsername(n.Username):
		return Staff{}, fmt.Errorf("%w: user name must be 1–64 letters, digits, '.', '-' or '_'", ErrInvalid)
	case strings.TrimSpace(n.Name) == "" || len(n.Name) > 128:
		return Staff{}, fmt.Errorf("%w: name must be 1–128 bytes", ErrInvalid)
	case !n.Role.Valid() || n.Role == RoleSystem:
		return Staff{}, fmt.Errorf("%w: role %q is not a staff role", ErrInvalid, n.Role)
	case utf8.RuneCountInString(n.Password) < MinPasswordLength || len(n.Password) > 1024:
		return Staff{}, fmt.Errorf("%w: password must be %d–1024 characters", ErrInvalid, MinPasswordLength)
	}
	if err := (Principal{Actor: "x", Unit: n.Unit, Role: n.Role}).validate(); err != nil {
		return Staff{}, err
	}
	hash, err := hashPassword(n.Password)
	if err != nil {
		return Staff{}, err
	}
	row := staffRow{ID: newID(), Username: n.Username, DisplayName: n.Name, UnitID: n.Unit, Role: string(n.Role),
		PasswordHash: hash, CreatedUS: micros(now), UpdatedUS: micros(now)}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w: user name %s", ErrDuplicate, n.Username)
			}
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "staff.create", "staff:"+row.ID, "username="+n.Username,
			"role="+string(n.Role), "unit="+n.Unit)
	})
	if err != nil {
		return Staff{}, err
	}
	return row.staff(), nil
}

// StaffAccounts lists the accounts, by user name (admin only).
func (s *Store) StaffAccounts(ctx context.Context, p Principal) ([]Staff, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleAdmin {
		return nil, forbidden(p, "list staff accounts")
	}
	var rows []staffRow
	if err := s.db.NewSelect().Model(&rows).Order("username ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Staff, len(rows))
	for i, r := range rows {
		out[i] = r.staff()
	}
	return out, nil
}

func totpAAD(id string) []byte { return []byte("staff_users.totp_secret:" + id) }

// SetStaffTOTP gives the account a TOTP secret (RFC 6238), sealed at rest, or removes it with a nil
// secret (admin only). Every session of the account ends.
func (s *Store) SetStaffTOTP(ctx context.Context, p Principal, username string, secret []byte, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin {
		return forbidden(p, "change staff accounts")
	}
	if len(secret) > 0 && (len(secret) < 16 || len(secret) > 64) {
		return fmt.Errorf("%w: a TOTP secret is 16–64 bytes", ErrInvalid)
	}
	if len(secret) > 0 {
		if err := s.haveKeys(); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var row staffRow
		if err := s.forUpdate(tx.NewSelect().Model(&row).Where("username = ?", username)).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: user %s", ErrNotFound, username)
			}
			return err
		}
		var sealed []byte
		if len(secret) > 0 {
			var err error
			if sealed, err = s.keys.Cipher.Seal(secret, totpAAD(row.ID)); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model((*staffRow)(nil)).Set("totp_secret = ?", sealed).Set("totp_last_step = 0").
			Set("updated_us = ?", micros(now)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "staff.totp", "staff:"+row.ID, fmt.Sprintf("enabled=%t", len(secret) > 0))
	})
}

// LoginRequest is a sign-in attempt.
type LoginRequest struct {
	Username, Password string
	// SecondFactor checks the code the user typed against the account's TOTP secret, when it has
	// one, and returns the time step it matched: a step not after the last one used is refused, so a
	// code works once.
	SecondFactor func(secret []byte) (step int64, ok bool)
}

// Session is a signed-in session: the token for the cookie (returned only here) and the account.
type Session struct {
	Token   string
	Staff   Staff
	Expires time.Time
}

const sessionPrefix = "hls_"

func hashToken(token string) []byte {
	sum := sm3.Sum([]byte(token))
	return sum[:]
}

// Login checks a user name, password and (for an account that has one) TOTP code and opens a
// session. Every failure is counted and audited; MaxFailures in a row lock the account for Lockout
// (a *LockedError, also while locked, without checking the password). The failure does not say
// which part was wrong (ErrBadLogin). Like Authenticate it takes no principal: it makes one.
func (s *Store) Login(ctx context.Context, req LoginRequest, pol SessionPolicy, now time.Time) (Session, error) {
	if err := pol.Validate(); err != nil {
		return Session{}, err
	}
	var row staffRow
	err := s.db.NewSelect().Model(&row).Where("username = ?", req.Username).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || !validUsername(req.Username) {
		// Spend the time a real check takes, so a user name's existence does not show in the timing,
		// and audit the failure without the name typed (it may be a password typed in the wrong box).
		_ = checkPassword(dummyHash, req.Password)
		if err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return s.appendAudit(ctx, tx, now, "anonymous", "staff.login_failed", "staff:unknown")
		}); err != nil {
			return Session{}, err
		}
		return Session{}, ErrBadLogin
	}
	if err != nil {
		return Session{}, err
	}
	if row.LockedUntilUS != nil && now.Before(fromMicros(*row.LockedUntilUS)) {
		until := fromMicros(*row.LockedUntilUS)
		if err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return s.appendAudit(ctx, tx, now, "staff:"+row.Username, "staff.login_failed", "staff:"+row.ID,
				"locked_until="+until.UTC().Format(time.RFC3339))
		}); err != nil {
			return Session{}, err
		}
		return Session{}, &LockedError{Until: until}
	}
	ok := row.DisabledUS == nil && checkPassword(row.PasswordHash, req.Password)
	step := row.TOTPLastStep
	if ok && len(row.TOTPSecret) > 0 {
		ok = false
		if req.SecondFactor != nil && s.haveKeys() == nil {
			if secret, err := s.keys.Cipher.Open(row.TOTPSecret, totpAAD(row.ID)); err == nil {
				var matched bool
				if step, matched = req.SecondFactor(secret); matched && step > row.TOTPLastStep {
					ok = true
				}
			}
		}
	}
	var sess Session
	var locked *LockedError
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var cur staffRow
		if err := s.forUpdate(tx.NewSelect().Model(&cur).Where("id = ?", row.ID)).Scan(ctx); err != nil {
			return err
		}
		subject := "staff:" + row.ID
		if !ok {
			failures := cur.Failures + 1
			q := tx.NewUpdate().Model((*staffRow)(nil)).Where("id = ?", row.ID)
			if failures >= pol.MaxFailures {
				until := now.Add(pol.Lockout)
				locked = &LockedError{Until: until}
				q = q.Set("failures = 0").Set("locked_until_us = ?", micros(until))
			} else {
				q = q.Set("failures = ?", failures)
			}
			if _, err := q.Exec(ctx); err != nil {
				return err
			}
			fields := []string{fmt.Sprintf("failures=%d", failures)}
			if locked != nil {
				fields = append(fields, "locked_until="+locked.Until.UTC().Format(time.RFC3339))
			}
			return s.appendAudit(ctx, tx, now, "staff:"+row.Username, "staff.login_failed", subject, fields...)
		}
		var raw [32]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return err
		}
		token := sessionPrefix + hex.EncodeToString(raw[:])
		expires := now.Add(pol.MaxAge)
		if _, err := tx.NewUpdate().Model((*staffRow)(nil)).Set("failures = 0").Set("locked_until_us = NULL").
			Set("totp_last_step = ?", step).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		// Sessions of the account that ended are dropped here, so the table does not grow.
		if _, err := tx.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ? AND (expires_us <= ? OR seen_us <= ?)",
			row.ID, micros(now), micros(now.Add(-pol.IdleTimeout))).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&sessionRow{TokenHash: hashToken(token), UserID: row.ID, CreatedUS: micros(now),
			SeenUS: micros(now), ExpiresUS: micros(expires)}).Exec(ctx); err != nil {
			return err
		}
		cur.Failures, cur.LockedUntilUS = 0, nil
		sess = Session{Token: token, Staff: cur.staff(), Expires: expires}
		return s.appendAudit(ctx, tx, now, "staff:"+row.Username, "staff.login", subject, "role="+row.Role, "unit="+row.UnitID)
	})
	switch {
	case err != nil:
		return Session{}, err
	case locked != nil:
		return Session{}, locked
	case !ok:
		return Session{}, ErrBadLogin
	}
	return sess, nil
}

// sessionTouch is how stale a session's last-seen instant may get before a request writes it again:
// a page's several requests do not each write.
const sessionTouch = time.Minute

// StaffSession returns the account of a session token and marks the session used. An unknown token,
// a session idle longer than the policy's IdleTimeout or older than its MaxAge, and a disabled
// account are ErrSessionExpired; an ended session is removed.
func (s *Store) StaffSession(ctx context.Context, token string, pol SessionPolicy, now time.Time) (Staff, error) {
	if !strings.HasPrefix(token, sessionPrefix) || len(token) != len(sessionPrefix)+64 {
		return Staff{}, ErrSessionExpired
	}
	h := hashToken(token)
	var sr sessionRow
	err := s.db.NewSelect().Model(&sr).Where("token_hash = ?", h).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, ErrSessionExpired
	}
	if err != nil {
		return Staff{}, err
	}
	var row staffRow
	err = s.db.NewSelect().Model(&row).Where("id = ?", sr.UserID).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Staff{}, err
	}
	seen := fromMicros(sr.SeenUS)
	if err != nil || row.DisabledUS != nil || !now.Before(fromMicros(sr.ExpiresUS)) || !now.Before(seen.Add(pol.IdleTimeout)) {
		if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("token_hash = ?", h).Exec(ctx); err != nil {
			return Staff{}, err
		}
		return Staff{}, ErrSessionExpired
	}
	if now.Sub(seen) >= sessionTouch {
		if _, err := s.db.NewUpdate().Model((*sessionRow)(nil)).Set("seen_us = ?", micros(now)).
			Where("token_hash = ? AND seen_us < ?", h, micros(now)).Exec(ctx); err != nil {
			return Staff{}, err
		}
	}
	return row.staff(), nil
}

// Logout ends the session of token (an unknown token is not an error) and audits it.
func (s *Store) Logout(ctx context.Context, token string, now time.Time) error {
	h := hashToken(token)
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var sr sessionRow
		err := tx.NewSelect().Model(&sr).Where("token_hash = ?", h).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*sessionRow)(nil)).Where("token_hash = ?", h).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, "staff:"+sr.UserID, "staff.logout", "staff:"+sr.UserID)
	})
}

// The argon2id parameters (RFC 9106 §4, the second recommended option scaled to OWASP's minimum of
// 19 MiB): memory in KiB, passes, lanes, salt and key lengths.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonSalt    = 16
	argonKey     = 32
)

// hashPassword returns the PHC string of password's argon2id hash with a random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSalt)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKey)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// dummyHash is checked against when the user name is unknown.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// checkPassword reports whether password matches the PHC string stored (with the parameters it
// names, so hashes made under older parameters still check).
func checkPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<21 || t == 0 || t > 16 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
