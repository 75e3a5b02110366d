package store

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// auditEntries returns the audit rows with action, oldest first within each shard.
func auditEntries(t *testing.T, s *Store, action string) []auditRow {
	t.Helper()
	var rows []auditRow
	require.NoError(t, s.db.NewSelect().Model(&rows).Where("action = ?", action).Order("shard ASC", "seq ASC").Scan(context.Background()))
	return rows
}

func fieldsOf(t *testing.T, r auditRow) []string {
	t.Helper()
	var f []string
	require.NoError(t, json.Unmarshal(r.Fields, &f))
	return f
}

func TestCredentialExpiryListRevoke(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-30 09:00")
		c, secret, err := s.IssueCredential(ctx, admin, CredentialSpec{Unit: "unit-a", Role: RoleHandlingUnit, Label: "街道对接",
			Expires: now.Add(30 * 24 * time.Hour)}, now)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(secret, "hlk_"))
		assert.Len(t, c.Fingerprint, 8)
		assert.Equal(t, fingerprintOf(hashSecret(secret)), c.Fingerprint)
		assert.Equal(t, CredentialActive, c.Status(now))

		p, err := s.Authenticate(ctx, secret, now.Add(30*24*time.Hour-time.Second))
		require.NoError(t, err)
		assert.Equal(t, Principal{Actor: "credential:" + c.ID, Unit: "unit-a", Role: RoleHandlingUnit}, p)

		t.Run("expired at its expiry", func(t *testing.T) {
			_, err := s.Authenticate(ctx, secret, now.Add(30*24*time.Hour))
			var ae *AuthError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, AuthExpired, ae.Reason)
			assert.Equal(t, c.ID, ae.Credential)
			assert.ErrorIs(t, err, ErrForbidden)
			assert.NotContains(t, err.Error(), secret)
		})
		t.Run("unknown and malformed keys", func(t *testing.T) {
			other := "hlk_" + strings.Repeat("ab", 32)
			_, err := s.Authenticate(ctx, other, now)
			var ae *AuthError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, AuthUnknown, ae.Reason)
			assert.Equal(t, fingerprintOf(hashSecret(other)), ae.Fingerprint)
			_, err = s.Authenticate(ctx, "13812345678", now)
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, AuthMalformed, ae.Reason)
			assert.Empty(t, ae.Fingerprint, "a malformed key may be any text: it is not fingerprinted")
			assert.NotContains(t, err.Error(), "13812345678")
		})

		list, err := s.Credentials(ctx, admin)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, c, list[0])
		raw, err := json.Marshal(list)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), secret[4:], "the list never holds the key")

		require.NoError(t, s.RevokeCredential(ctx, admin, c.ID, now.Add(time.Hour)))
		_, err = s.Authenticate(ctx, secret, now.Add(2*time.Hour))
		var ae *AuthError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, AuthRevoked, ae.Reason)
		assert.ErrorIs(t, s.RevokeCredential(ctx, admin, c.ID, now), ErrNotFound, "revoked twice")
		assert.ErrorIs(t, s.RevokeCredential(ctx, admin, "no-such-id", now), ErrNotFound)
		list, err = s.Credentials(ctx, admin)
		require.NoError(t, err)
		assert.Equal(t, CredentialRevoked, list[0].Status(now.Add(2*time.Hour)))

		for _, p := range []Principal{office, unitA, superv, auditor, system} {
			_, err := s.Credentials(ctx, p)
			assert.ErrorIs(t, err, ErrForbidden, p.Role)
			assert.ErrorIs(t, s.RevokeCredential(ctx, p, c.ID, now), ErrForbidden, p.Role)
		}
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		assert.Len(t, auditEntries(t, s, "credential.create"), 1)
		assert.Len(t, auditEntries(t, s, "credential.revoke"), 1)
	})
}

func TestIssueCredentialRefuses(t *testing.T) {
	s := openFresh(t, dialects(t)[SQLite])
	ctx := context.Background()
	seedUnits(t, s)
	now := at("2026-11-30 09:00")
	ok := CredentialSpec{Unit: "office-bs", Role: RoleHotlineOffice, Label: "x", Expires: now.Add(time.Hour)}
	tests := []struct {
		name string
		edit func(*CredentialSpec)
		want string
	}{
		{"unknown role", func(c *CredentialSpec) { c.Role = "root" }, "role"},
		{"no unit", func(c *CredentialSpec) { c.Unit = " " }, "unit"},
		{"unit not in directory", func(c *CredentialSpec) { c.Unit = "nowhere" }, "directory"},
		{"handling unit not in directory", func(c *CredentialSpec) { c.Unit, c.Role = "nowhere", RoleHandlingUnit }, "directory"},
		{"expired at issue", func(c *CredentialSpec) { c.Expires = now }, "after"},
		{"no expiry", func(c *CredentialSpec) { c.Expires = time.Time{} }, "after"},
		{"too long", func(c *CredentialSpec) { c.Expires = now.Add(MaxCredentialLifetime + time.Hour) }, "days"},
		{"label too long", func(c *CredentialSpec) { c.Label = strings.Repeat("x", MaxCredentialLabel+1) }, "label"},
		{"label with a newline", func(c *CredentialSpec) { c.Label = "a\nb" }, "label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := ok
			tt.edit(&spec)
			_, secret, err := s.IssueCredential(ctx, admin, spec, now)
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, secret)
		})
	}
	_, _, err := s.IssueCredential(ctx, office, ok, now)
	assert.ErrorIs(t, err, ErrForbidden)
	// Supervisors, auditors, admins and platforms name their organisation, which need not be a unit.
	for _, r := range []Role{RoleSupervisor, RoleAuditor, RoleAdmin, RoleSystem} {
		_, _, err := s.IssueCredential(ctx, admin, CredentialSpec{Unit: "dcj", Role: r, Expires: now.Add(time.Hour)}, now)
		assert.NoError(t, err, r)
	}
	creds, err := s.Credentials(ctx, admin)
	require.NoError(t, err)
	assert.Len(t, creds, 4, "nothing refused was stored")
}

// Failed logins: counted per subject and minute; chained at 1, 2, 4, 8, …; at most
// AuthFailureSubjects subjects a minute on their own, the rest under key:*.
func TestRecordAuthFailure(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := at("2026-11-30 09:00")
		unknown := &AuthError{Reason: AuthUnknown, Fingerprint: "0badc0de"}
		var counts []int64
		for i := range 20 {
			n, err := s.RecordAuthFailure(ctx, unknown, now.Add(time.Duration(i)*time.Second))
			require.NoError(t, err)
			counts = append(counts, n)
		}
		assert.Equal(t, int64(20), counts[19])
		rows := auditEntries(t, s, "auth.failure")
		require.Len(t, rows, 5, "chained at 1, 2, 4, 8 and 16")
		var chained []string
		for _, r := range rows {
			assert.Equal(t, "key:0badc0de", r.Subject)
			assert.Equal(t, "anonymous", r.Actor)
			for _, f := range fieldsOf(t, r) {
				if strings.HasPrefix(f, "count=") {
					chained = append(chained, f)
				}
			}
		}
		assert.Equal(t, []string{"count=1", "count=2", "count=4", "count=8", "count=16"}, chained)

		t.Run("a new minute counts afresh", func(t *testing.T) {
			n, err := s.RecordAuthFailure(ctx, unknown, now.Add(time.Minute))
			require.NoError(t, err)
			assert.Equal(t, int64(1), n)
		})
		t.Run("revoked and expired keys are chained under their credential", func(t *testing.T) {
			_, err := s.RecordAuthFailure(ctx, &AuthError{Reason: AuthExpired, Fingerprint: "12345678", Credential: "c-1"}, now)
			require.NoError(t, err)
			var found bool
			for _, r := range auditEntries(t, s, "auth.failure") {
				if r.Subject == "credential:c-1" {
					found = true
					assert.Contains(t, fieldsOf(t, r), "reason=expired")
				}
			}
			assert.True(t, found)
		})
		t.Run("a flood of distinct keys folds into key:*", func(t *testing.T) {
			minute := now.Add(10 * time.Minute)
			before := len(auditEntries(t, s, "auth.failure"))
			const n = AuthFailureSubjects + 100
			for i := range n {
				_, err := s.RecordAuthFailure(ctx, &AuthError{Reason: AuthUnknown, Fingerprint: fingerprintOf(hashSecret(string(rune('a'+i%26)) + strings.Repeat("x", i)))}, minute)
				require.NoError(t, err)
			}
			added := len(auditEntries(t, s, "auth.failure")) - before
			// 32 subjects once each, then key:* at 1, 2, 4, …, 64 (100 attempts).
			assert.Equal(t, AuthFailureSubjects+7, added)
			counts, err := s.AuthFailures(ctx, auditor, minute, 1000)
			require.NoError(t, err)
			var total int64
			var overflow int64
			for _, c := range counts {
				total += c.Attempts
				if c.Subject == AuthFailureOverflow {
					overflow = c.Attempts
				}
			}
			assert.Equal(t, int64(n), total, "every attempt is counted")
			assert.Equal(t, int64(100), overflow)
		})
		t.Run("concurrent failures chain each power of two once", func(t *testing.T) {
			minute := now.Add(20 * time.Minute)
			fp := &AuthError{Reason: AuthUnknown, Fingerprint: "feedface"}
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					_, err := s.RecordAuthFailure(ctx, fp, minute)
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			var n int
			for _, r := range auditEntries(t, s, "auth.failure") {
				if r.Subject == "key:feedface" {
					n++
				}
			}
			assert.Equal(t, 4, n, "1, 2, 4, 8")
		})
		t.Run("old counters are cleared", func(t *testing.T) {
			later := now.Add(AuthFailureRetention + time.Hour)
			_, err := s.RecordAuthFailure(ctx, unknown, later)
			require.NoError(t, err)
			counts, err := s.AuthFailures(ctx, admin, now.Add(-time.Hour), 1000)
			require.NoError(t, err)
			require.Len(t, counts, 1)
			assert.Equal(t, later.UTC().Truncate(time.Minute), counts[0].Window)
		})
		_, err := s.AuthFailures(ctx, office, now, 10)
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.RecordAuthFailure(ctx, &AuthError{Reason: "bored"}, now)
		assert.ErrorIs(t, err, ErrInvalid)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// Reveal (000 第十条, 004 第十六条): the staff handling the ticket, and a supervisor of a supervised
// ticket, reveal one field with a reason; the chain records who, which ticket and field and why,
// never the value.
func TestReveal(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("噪声")}, now)
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a1"), now.Add(time.Minute))
		require.NoError(t, err)

		tests := []struct {
			name  string
			p     Principal
			field RevealField
			want  string
			err   error
		}{
			{"the office of the jurisdiction", office, RevealPhone, testPhone, nil},
			{"the lead unit", unitA1, RevealIDNumber, testID, nil},
			{"the unit above the lead", unitA, RevealName, "张三", nil},
			{"another district's office", office2, RevealPhone, "", ErrNotFound},
			{"another unit", unitB, RevealAddress, "", ErrNotFound},
			{"a supervisor of a ticket not under supervision", superv, RevealPhone, "", ErrForbidden},
			{"an auditor", auditor, RevealPhone, "", ErrForbidden},
			{"an admin", admin, RevealPhone, "", ErrForbidden},
			{"the system", system, RevealPhone, "", ErrForbidden},
			{"an unknown field", office, "enterprise", "", ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(auditEntries(t, s, "ticket.reveal"))
				v, err := s.Reveal(ctx, tt.p, res.ID, tt.field, "回访联系市民", now.Add(time.Hour))
				if tt.err != nil {
					assert.ErrorIs(t, err, tt.err)
					assert.Empty(t, v)
					assert.Len(t, auditEntries(t, s, "ticket.reveal"), before, "a refused reveal is not chained")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tt.want, v)
				rows := auditEntries(t, s, "ticket.reveal")
				require.Len(t, rows, before+1)
				last := rows[len(rows)-1] // one ticket's rows are one shard's, in order
				assert.Equal(t, res.ID, last.Subject)
				f := fieldsOf(t, last)
				assert.Contains(t, f, "field="+string(tt.field))
				assert.Contains(t, f, "reason=回访联系市民")
				assert.Contains(t, f, "unit="+tt.p.Unit)
				assert.NotContains(t, strings.Join(f, " "), tt.want, "the value is not chained")
			})
		}
		t.Run("reasons are required and bounded", func(t *testing.T) {
			for _, r := range []string{"", " ", "x", strings.Repeat("因", MaxRevealReason+1), "a\x00b"} {
				_, err := s.Reveal(ctx, office, res.ID, RevealPhone, r, now)
				assert.ErrorIs(t, err, ErrInvalid, "%q", r)
			}
		})
		t.Run("the reason is chained masked where it repeats the identity", func(t *testing.T) {
			_, err := s.Reveal(ctx, office, res.ID, RevealPhone, "张三来电 13812345678 要求回电", now)
			require.NoError(t, err)
			all := ""
			for _, r := range auditEntries(t, s, "ticket.reveal") {
				all += strings.Join(fieldsOf(t, r), " ")
			}
			assert.NotContains(t, all, testPhone)
			assert.NotContains(t, all, "张三")
		})
		t.Run("a supervisor of a supervised ticket (004 §12)", func(t *testing.T) {
			rec, err := s.Get(ctx, superv, res.ID)
			require.NoError(t, err)
			_, err = s.Apply(ctx, superv, res.ID, rec.Version, ticket.Request{Action: ticket.ActionSupervise, Reason: "重复投诉三次",
				Payload: ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerRepeat}}}, now.Add(2*time.Hour))
			require.NoError(t, err)
			v, err := s.Reveal(ctx, superv, res.ID, RevealPhone, "督办核实", now.Add(3*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, testPhone, v)
		})
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

func TestStats(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		for _, title := range []string{"一", "二", "三"} {
			_, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(title)}, now)
			require.NoError(t, err)
		}
		st, err := s.Stats(ctx, system, now)
		require.NoError(t, err)
		assert.Equal(t, map[string]int64{"received": 3}, st.ByState)
		require.Len(t, st.AuditSizes, AuditShards)
		var total int64
		for _, n := range st.AuditSizes {
			total += n
		}
		assert.GreaterOrEqual(t, total, int64(3+5), "the intakes and the units")
		late, err := s.Stats(ctx, auditor, now.AddDate(0, 1, 0))
		require.NoError(t, err)
		assert.Equal(t, int64(3), late.Overdue, "a month later every stage is past due")
		assert.Equal(t, int64(0), late.DueSoon)
		assert.Equal(t, int64(0), st.Overdue)
		for _, p := range []Principal{office, unitA} {
			_, err := s.Stats(ctx, p, now)
			assert.ErrorIs(t, err, ErrForbidden)
		}
	})
}

func TestPutUnitsRegionsCatalogue(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := at("2026-11-23 09:00")
		regions := []routing.Region{
			{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
			{Code: "310113003", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
		}
		matters := []routing.Matter{{Code: "07", Name: "市容环境", Kind: routing.MatterTerritorial}}
		require.NoError(t, s.PutRegions(ctx, admin, regions, now))
		require.NoError(t, s.PutCatalogue(ctx, admin, matters, now))
		units := []routing.Unit{
			{ID: "bs-gov", Name: "宝山区政府", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}, Territorial: true},
			{ID: "yy-gov", Name: "友谊路街道办事处", Kind: routing.UnitStreet, Parent: "bs-gov", Areas: []routing.RegionCode{"310113003"},
				Matters: []routing.MatterCode{"07"}, Territorial: true},
		}
		require.NoError(t, s.PutUnits(ctx, admin, units, now))
		got, err := s.Units(ctx, office)
		require.NoError(t, err)
		assert.Len(t, got, 2)
		r, err := s.Router(ctx, office)
		require.NoError(t, err)
		d, err := r.Route(routing.Request{Place: "310113003", Matters: []routing.MatterCode{"07"}})
		require.NoError(t, err)
		assert.Equal(t, "yy-gov", d.Lead)

		t.Run("an inconsistent import changes nothing", func(t *testing.T) {
			bad := []routing.Unit{{ID: "x", Name: "x", Kind: routing.UnitStreet, Areas: []routing.RegionCode{"310115"}}}
			err := s.PutUnits(ctx, admin, append([]routing.Unit{{ID: "bs-gov", Name: "改名", Kind: routing.UnitDistrictGovernment}}, bad...), now)
			require.ErrorIs(t, err, ErrInvalid)
			got, err := s.Units(ctx, office)
			require.NoError(t, err)
			assert.Len(t, got, 2)
			assert.Equal(t, "宝山区政府", got[0].Name)
		})
		t.Run("duplicates and empties are refused", func(t *testing.T) {
			assert.ErrorIs(t, s.PutUnits(ctx, admin, nil, now), ErrInvalid)
			assert.ErrorIs(t, s.PutUnits(ctx, admin, []routing.Unit{units[0], units[0]}, now), ErrInvalid)
			assert.ErrorIs(t, s.PutUnits(ctx, office, units, now), ErrForbidden)
		})
		rg, err := s.Regions(ctx, unitA)
		require.NoError(t, err)
		assert.Equal(t, regions, rg)
		cat, err := s.Catalogue(ctx, unitA)
		require.NoError(t, err)
		assert.Equal(t, matters, cat)
		imports := auditEntries(t, s, "units.import")
		require.Len(t, imports, 1)
		assert.Contains(t, fieldsOf(t, imports[0]), "rows=2")
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// The expiry migration renders for every dialect: no IF NOT EXISTS on SQLite's ALTER TABLE or on
// Oracle MySQL 8's.
func TestExpiryMigrationRenders(t *testing.T) {
	for _, name := range []string{"20261130000002_credential_expiry.tx.up.sql", "20261130000002_credential_expiry.tx.down.sql"} {
		for _, r := range renderMigration(t, name) {
			if r.data.Dialect == SQLite || r.data.MySQL8 {
				assert.NotContains(t, r.sql, "COLUMN IF", "%s %v", name, r.data)
			} else {
				assert.Contains(t, r.sql, "COLUMN IF", "%s %v", name, r.data)
			}
		}
	}
}
