package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve -key-rate sets the per-key rate limit: over it, 429 with Retry-After.
func TestServeKeyRate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	out, errOut, err := runKeys(t, db, "create", "-unit", "dcj", "-role", "supervisor")
	require.NoError(t, err, errOut)
	secret := keyLineRe.FindStringSubmatch(out)[1]

	base, _, _, stop := startServeOn(t, db, "-key-rate", "0.001") // a burst of 1, then one token every 1000 s
	client := &http.Client{Timeout: 5 * time.Second}
	get := func() *http.Response {
		req, err := http.NewRequest(http.MethodGet, base+"/v1/units", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, http.StatusOK, get().StatusCode)
	resp := get()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	require.NoError(t, stop())

	for _, bad := range []map[string]string{{"HOTLINE_KEY": testKey, "HOTLINE_KEY_RATE": "fast"}, {"HOTLINE_KEY": testKey, "HOTLINE_KEY_RATE": "-1"}} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", db}, env(bad), &stdout, &stderr)
		require.Error(t, err)
		assert.True(t, strings.Contains(err.Error(), "HOTLINE_KEY_RATE") || strings.Contains(err.Error(), "rate limit"), err.Error())
	}
}
