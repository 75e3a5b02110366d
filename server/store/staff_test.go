package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var staffAdmin = Principal{Actor: "admin-1", Unit: "u-admin", Role: RoleAdmin}

func auditActions(t *testing.T, s *Store, action string) int {
	t.Helper()
	n, err := s.db.NewSelect().Table("audit_log").Where("action = ?", action).Count(context.Background())
	require.NoError(t, err)
	return int(n)
}

func TestStaffCreateValidates(t *testing.T) {
	s := openFresh(t, dialects(t)[SQLite])
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	good := NewStaff{Username: "zhang.san", Name: "张三", Unit: "yy-hotline", Role: RoleHotlineOffice, Password: "correct horse 12"}
	tests := []struct {
		name string
		p    Principal
		edit func(*NewStaff)
		want error
	}{
		{"not admin", Principal{Actor: "o", Unit: "yy-hotline", Role: RoleHotlineOffice}, nil, ErrForbidden},
		{"bad user name", staffAdmin, func(n *NewStaff) { n.Username = "张三" }, ErrInvalid},
		{"empty name", staffAdmin, func(n *NewStaff) { n.Name = " " }, ErrInvalid},
		{"system role", staffAdmin, func(n *NewStaff) { n.Role = RoleSystem }, ErrInvalid},
		{"unknown role", staffAdmin, func(n *NewStaff) { n.Role = "citizen" }, ErrInvalid},
		{"short password", staffAdmin, func(n *NewStaff) { n.Password = "123456789" }, ErrInvalid},
		{"office without unit", staffAdmin, func(n *NewStaff) { n.Unit = "" }, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := good
			if tt.edit != nil {
				tt.edit(&n)
			}
			_, err := s.CreateStaff(ctx, tt.p, n, now)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	u, err := s.CreateStaff(ctx, staffAdmin, good, now)
	require.NoError(t, err)
	assert.Equal(t, Principal{Actor: "staff:zhang.san", Unit: "yy-hotline", Role: RoleHotlineOffice}, u.Principal())
	_, err = s.CreateStaff(ctx, staffAdmin, good, now)
	assert.ErrorIs(t, err, ErrDuplicate)
	var hash string
	require.NoError(t, s.db.NewSelect().Table("staff_users").Column("password_hash").Where("username = ?", "zhang.san").Scan(ctx, &hash))
	assert.Contains(t, hash, "$argon2id$v=19$m=19456,t=2,p=1$")
	assert.NotContains(t, hash, good.Password)
}

// TestStaffLogin walks sign-in, lockout, idle timeout, maximum age and logout on every dialect
// (等保 level 3: GB/T 22239-2019 8.1.4.1 a, b, d).
func TestStaffLogin(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		pol := DefaultSessionPolicy()
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		_, err := s.CreateStaff(ctx, staffAdmin, NewStaff{Username: "li", Name: "李四", Unit: "yy-fgb", Role: RoleHandlingUnit,
			Password: "0123456789ab"}, now)
		require.NoError(t, err)

		sess, err := s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now)
		require.NoError(t, err)
		assert.Equal(t, "yy-fgb", sess.Staff.Unit)
		assert.Equal(t, now.Add(12*time.Hour), sess.Expires)
		got, err := s.StaffSession(ctx, sess.Token, pol, now.Add(29*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, "li", got.Username)
		// Used at 29 minutes, the session lives another 30.
		_, err = s.StaffSession(ctx, sess.Token, pol, now.Add(58*time.Minute))
		require.NoError(t, err)
		_, err = s.StaffSession(ctx, sess.Token, pol, now.Add(58*time.Minute+pol.IdleTimeout))
		assert.ErrorIs(t, err, ErrSessionExpired, "idle too long")
		_, err = s.StaffSession(ctx, sess.Token, pol, now.Add(60*time.Minute))
		assert.ErrorIs(t, err, ErrSessionExpired, "an expired session is removed")

		// The maximum age ends a session however busy.
		sess, err = s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now)
		require.NoError(t, err)
		for at := now; at.Before(now.Add(pol.MaxAge)); at = at.Add(20 * time.Minute) {
			_, err = s.StaffSession(ctx, sess.Token, pol, at)
			require.NoError(t, err, "at %s", at)
		}
		_, err = s.StaffSession(ctx, sess.Token, pol, now.Add(pol.MaxAge))
		assert.ErrorIs(t, err, ErrSessionExpired)

		// Logout ends it.
		sess, err = s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now)
		require.NoError(t, err)
		require.NoError(t, s.Logout(ctx, sess.Token, now))
		_, err = s.StaffSession(ctx, sess.Token, pol, now)
		assert.ErrorIs(t, err, ErrSessionExpired)
		require.NoError(t, s.Logout(ctx, sess.Token, now), "twice is no error")

		// Four failures, a success resets the count; five in a row lock the account.
		for i := 0; i < pol.MaxFailures-1; i++ {
			_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "wrong password"}, pol, now)
			assert.ErrorIs(t, err, ErrBadLogin)
		}
		_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now)
		require.NoError(t, err)
		for i := 0; i < pol.MaxFailures-1; i++ {
			_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "wrong password"}, pol, now)
			assert.ErrorIs(t, err, ErrBadLogin)
		}
		_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "wrong password"}, pol, now)
		var le *LockedError
		require.True(t, errors.As(err, &le), "%v", err)
		assert.Equal(t, now.Add(pol.Lockout), le.Until)
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now.Add(pol.Lockout-time.Second))
		assert.ErrorIs(t, err, ErrLocked, "the right password does not open a locked account")
		_, err = s.Login(ctx, LoginRequest{Username: "li", Password: "0123456789ab"}, pol, now.Add(pol.Lockout))
		require.NoError(t, err, "the lock ends")

		// An unknown user name is the same failure.
		_, err = s.Login(ctx, LoginRequest{Username: "nobody", Password: "0123456789ab"}, pol, now)
		assert.ErrorIs(t, err, ErrBadLogin)

		assert.Equal(t, 2*(pol.MaxFailures-1)+1+1+1, auditActions(t, s, "staff.login_failed"))
		assert.Equal(t, 5, auditActions(t, s, "staff.login"))
		assert.Equal(t, 1, auditActions(t, s, "staff.logout"))
		require.NoError(t, s.VerifyAudit(ctx, Principal{Actor: "auditor", Unit: "x", Role: RoleAuditor}))
	})
}

func TestStaffSecondFactor(t *testing.T) {
	s := openFresh(t, dialects(t)[SQLite])
	ctx := context.Background()
	pol := DefaultSessionPolicy()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	_, err := s.CreateStaff(ctx, staffAdmin, NewStaff{Username: "wang", Name: "王五", Unit: "yy-hotline", Role: RoleHotlineOffice,
		Password: "0123456789ab"}, now)
	require.NoError(t, err)
	secret := []byte("0123456789abcdef0123")
	require.NoError(t, s.SetStaffTOTP(ctx, staffAdmin, "wang", secret, now))
	var sealed []byte
	require.NoError(t, s.db.NewSelect().Table("staff_users").Column("totp_secret").Where("username = ?", "wang").Scan(ctx, &sealed))
	assert.NotContains(t, string(sealed), string(secret), "sealed at rest")

	code := func(step int64, ok bool) func([]byte) (int64, bool) {
		return func(got []byte) (int64, bool) {
			assert.Equal(t, secret, got)
			return step, ok
		}
	}
	_, err = s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab"}, pol, now)
	assert.ErrorIs(t, err, ErrBadLogin, "no code")
	_, err = s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab", SecondFactor: code(100, false)}, pol, now)
	assert.ErrorIs(t, err, ErrBadLogin, "wrong code")
	sess, err := s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab", SecondFactor: code(100, true)}, pol, now)
	require.NoError(t, err)
	assert.True(t, sess.Staff.TOTP)
	_, err = s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab", SecondFactor: code(100, true)}, pol, now)
	assert.ErrorIs(t, err, ErrBadLogin, "a code works once")
	_, err = s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab", SecondFactor: code(101, true)}, pol, now)
	require.NoError(t, err)

	require.NoError(t, s.SetStaffTOTP(ctx, staffAdmin, "wang", nil, now))
	_, err = s.StaffSession(ctx, sess.Token, pol, now)
	assert.ErrorIs(t, err, ErrSessionExpired, "changing the second factor ends the sessions")
	_, err = s.Login(ctx, LoginRequest{Username: "wang", Password: "0123456789ab"}, pol, now)
	require.NoError(t, err)
	assert.ErrorIs(t, s.SetStaffTOTP(ctx, staffAdmin, "nobody", secret, now), ErrNotFound)
	assert.ErrorIs(t, s.SetStaffTOTP(ctx, staffAdmin, "wang", []byte("short"), now), ErrInvalid)

	list, err := s.StaffAccounts(ctx, staffAdmin)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.False(t, list[0].TOTP)
	_, err = s.StaffAccounts(ctx, Principal{Actor: "o", Unit: "yy-hotline", Role: RoleHotlineOffice})
	assert.ErrorIs(t, err, ErrForbidden)
}

func TestSessionPolicyValidate(t *testing.T) {
	require.NoError(t, DefaultSessionPolicy().Validate())
	for name, edit := range map[string]func(*SessionPolicy){
		"idle":     func(p *SessionPolicy) { p.IdleTimeout = 0 },
		"max age":  func(p *SessionPolicy) { p.MaxAge = time.Minute },
		"failures": func(p *SessionPolicy) { p.MaxFailures = 0 },
		"lockout":  func(p *SessionPolicy) { p.Lockout = -time.Second },
	} {
		p := DefaultSessionPolicy()
		edit(&p)
		assert.ErrorIs(t, p.Validate(), ErrInvalid, name)
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	h, err := hashPassword("0123456789ab")
	require.NoError(t, err)
	assert.True(t, checkPassword(h, "0123456789ab"))
	assert.False(t, checkPassword(h, "0123456789ac"))
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=18$m=19456,t=2,p=1$AA$AA",
		"$argon2id$v=19$m=99999999,t=2,p=1$AA$AA", "$argon2id$v=19$m=19456,t=2,p=1$!!$AA", dummyHash + "$"} {
		assert.False(t, checkPassword(bad, "x"), bad)
	}
}
