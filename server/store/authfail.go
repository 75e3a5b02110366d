package store

// Failed logins in the audit chain.
//
// Every refused API key is counted, and the chain records the count — but not with one row per
// attempt, or a flood of bad keys would grow the chain without bound. The counting is per minute and
// per subject (the credential id of a revoked or expired key, the fingerprint of an unknown one, one
// subject for malformed keys) and reason, in the auth_failures table:
//
//   - the chain gets an "auth.failure" row when a subject's count in the minute reaches 1, 2, 4, 8, …
//     (a power of two), carrying that count: a burst of n attempts with one key costs about log2(n)+1
//     rows, and the chain tells the number of attempts within a factor of two;
//   - at most [AuthFailureSubjects] subjects are counted on their own per minute; the attempts with
//     further keys in that minute (random keys, say) are counted together under the subject
//     "key:*", so a flood of distinct keys adds at most log2(n)+1 rows too;
//   - the exact counts stay in auth_failures for [AuthFailureRetention] (they are operational data,
//     not the record: the chain is).
//
// The server also gives each client address a budget of failed logins: past it, refused keys are
// answered 429 without reaching this method, so neither the counters nor the chain see a flood's
// full rate (the server's metrics count those).

import (
	"context"
	"fmt"
	"math/bits"
	"time"

	"github.com/uptrace/bun"
)

// Bounds of the failed-login record.
const (
	// AuthFailureSubjects is how many subjects per minute are counted on their own.
	AuthFailureSubjects = 32
	// AuthFailureRetention is how long the per-minute counters are kept.
	AuthFailureRetention = 30 * 24 * time.Hour
	// AuthFailureOverflow is the subject the attempts beyond AuthFailureSubjects are counted under.
	AuthFailureOverflow = "key:*"
)

type authFailureRow struct {
	bun.BaseModel `bun:"table:auth_failures"`
	WindowUS      int64  `bun:"window_us,pk"`
	Subject       string `bun:"subject,pk"`
	Reason        string `bun:"reason,pk"`
	Attempts      int64  `bun:"attempts"`
}

// authSubject is what a refused key is counted and chained under.
func authSubject(e *AuthError) string {
	switch {
	case e.Credential != "":
		return "credential:" + e.Credential
	case e.Fingerprint != "":
		return "key:" + e.Fingerprint
	}
	return "key:malformed"
}

// RecordAuthFailure counts a refused API key (the *AuthError [Store.Authenticate] returned) and
// chains the count when it reaches a power of two; see the top of this file. It returns the count of
// the subject in the minute. Like Authenticate it takes no principal: nobody is logged in.
func (s *Store) RecordAuthFailure(ctx context.Context, failure *AuthError, now time.Time) (int64, error) {
	if failure == nil {
		return 0, fmt.Errorf("%w: no failure to record", ErrInvalid)
	}
	switch failure.Reason {
	case AuthMalformed, AuthUnknown, AuthRevoked, AuthExpired, AuthWrongUse:
	default:
		return 0, fmt.Errorf("%w: failure reason %q", ErrInvalid, clip(string(failure.Reason)))
	}
	if now.IsZero() {
		return 0, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	window := now.UTC().Truncate(time.Minute)
	subject, reason := authSubject(failure), string(failure.Reason)
	var count int64
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []authFailureRow
		if err := tx.NewSelect().Model(&rows).Column("subject").Where("window_us = ?", micros(window)).Scan(ctx); err != nil {
			return err
		}
		known := map[string]bool{}
		for _, r := range rows {
			known[r.Subject] = true
		}
		if !known[subject] && len(known) >= AuthFailureSubjects {
			subject = AuthFailureOverflow
		}
		if len(rows) == 0 {
			// The minute's first failure clears the counters past their retention.
			if _, err := tx.NewDelete().Model((*authFailureRow)(nil)).
				Where("window_us < ?", micros(window.Add(-AuthFailureRetention))).Exec(ctx); err != nil {
				return err
			}
		}
		n, err := s.countFailure(ctx, tx, window, subject, reason)
		if err != nil {
			return err
		}
		count = n
		if bits.OnesCount64(uint64(n)) != 1 {
			return nil
		}
		fields := []string{"reason=" + reason, "window=" + window.Format(time.RFC3339), fmt.Sprintf("count=%d", n)}
		if failure.Fingerprint != "" && subject != AuthFailureOverflow {
			fields = append(fields, "fingerprint="+failure.Fingerprint)
		}
		return s.appendAudit(ctx, tx, now, "anonymous", "auth.failure", subject, fields...)
	})
	return count, err
}

// countFailure adds one to the counter of (window, subject, reason) and returns it.
func (s *Store) countFailure(ctx context.Context, tx bun.Tx, window time.Time, subject, reason string) (int64, error) {
	var n int64
	if s.dialect == MySQL {
		// LAST_INSERT_ID(expr) hands the new value to this connection (the transaction's).
		if _, err := tx.ExecContext(ctx, "INSERT INTO auth_failures (window_us, subject, reason, attempts) VALUES (?, ?, ?, LAST_INSERT_ID(1)) "+
			"ON DUPLICATE KEY UPDATE attempts = LAST_INSERT_ID(attempts + 1)", micros(window), subject, reason); err != nil {
			return 0, err
		}
		if err := tx.QueryRowContext(ctx, "SELECT LAST_INSERT_ID()").Scan(&n); err != nil {
			return 0, err
		}
		return n, nil
	}
	err := tx.NewRaw("INSERT INTO auth_failures (window_us, subject, reason, attempts) VALUES (?, ?, ?, 1) "+
		"ON CONFLICT (window_us, subject, reason) DO UPDATE SET attempts = auth_failures.attempts + 1 RETURNING attempts",
		micros(window), subject, reason).Scan(ctx, &n)
	return n, err
}

// AuthFailureCount is the failed logins of one subject and reason in one minute.
type AuthFailureCount struct {
	Window   time.Time `json:"window"`
	Subject  string    `json:"subject"`
	Reason   string    `json:"reason"`
	Attempts int64     `json:"attempts"`
}

// AuthFailures returns the failed-login counters of the minutes from since on, newest first, at most
// limit (admin and auditor).
func (s *Store) AuthFailures(ctx context.Context, p Principal, since time.Time, limit int) ([]AuthFailureCount, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role != RoleAdmin && p.Role != RoleAuditor {
		return nil, forbidden(p, "read failed logins")
	}
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("%w: limit %d outside 1–1000", ErrInvalid, limit)
	}
	var rows []authFailureRow
	if err := s.db.NewSelect().Model(&rows).Where("window_us >= ?", micros(since.UTC().Truncate(time.Minute))).
		Order("window_us DESC", "subject ASC", "reason ASC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]AuthFailureCount, len(rows))
	for i, r := range rows {
		out[i] = AuthFailureCount{Window: fromMicros(r.WindowUS), Subject: r.Subject, Reason: r.Reason, Attempts: r.Attempts}
	}
	return out, nil
}
