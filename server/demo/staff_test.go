package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func TestStaffAccounts(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	accounts, fresh, err := demo.StaffAccounts(ctx, st, now)
	require.NoError(t, err)
	assert.True(t, fresh)
	require.Len(t, accounts, len(demo.KeyRoles()), "one account per role")
	for i, a := range accounts {
		assert.Equal(t, demo.KeyRoles()[i].Role, a.Role)
		sess, err := st.Login(ctx, store.LoginRequest{Username: a.Username, Password: demo.StaffPassword}, store.DefaultSessionPolicy(), now)
		require.NoError(t, err, a.Username)
		assert.Equal(t, a.Unit, sess.Staff.Unit)
		assert.Equal(t, a.Role, sess.Staff.Role)
	}
	again, fresh, err := demo.StaffAccounts(ctx, st, now)
	require.NoError(t, err)
	assert.False(t, fresh, "a second run creates nothing")
	assert.Equal(t, accounts, again)
}

func ExampleAccounts() {
	for _, a := range demo.Accounts() {
		fmt.Println(a.Username, a.Role)
	}
	// Output:
	// office hotline_office
	// fgb handling_unit
	// dzb supervisor
	// audit auditor
	// admin admin
}
