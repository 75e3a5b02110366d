package main

import (
	"bytes"
	"context"
	"encoding/base32"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	vars := map[string]string{"HOTLINE_DB": db, "HOTLINE_KEY": testKey}
	do := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, env(vars), &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}
	_, err := do("migrate", "up")
	require.NoError(t, err)
	_, err = do("users", "create", "-username", "zhang", "-name", "张三", "-unit", "yy-hotline", "-role", "hotline_office")
	assert.ErrorContains(t, err, "HOTLINE_USER_PASSWORD", "no password")
	vars["HOTLINE_USER_PASSWORD"] = "short"
	_, err = do("users", "create", "-username", "zhang", "-name", "张三", "-unit", "yy-hotline", "-role", "hotline_office")
	assert.Error(t, err, "a short password")
	vars["HOTLINE_USER_PASSWORD"] = "a long enough password"
	out, err := do("users", "create", "-username", "zhang", "-name", "张三", "-unit", "yy-hotline", "-role", "hotline_office")
	require.NoError(t, err)
	assert.Contains(t, out, "created zhang")
	out, err = do("users", "totp", "-username", "zhang")
	require.NoError(t, err)
	m := regexp.MustCompile(`secret=([A-Z2-7]+)`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(m[1])
	require.NoError(t, err)
	assert.Len(t, secret, 20)
	assert.Contains(t, out, "otpauth://totp/hotline:zhang?")
	out, err = do("users", "list")
	require.NoError(t, err)
	assert.Regexp(t, `zhang\s+张三\s+yy-hotline\s+hotline_office\s+totp\s+active`, out)
	out, err = do("users", "totp", "-username", "zhang", "-off")
	require.NoError(t, err)
	assert.Contains(t, out, "removed")
	_, err = do("users", "sideways")
	assert.ErrorIs(t, err, errUsage)
	_, err = do("users")
	assert.ErrorIs(t, err, errUsage)
}
