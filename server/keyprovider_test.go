package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

// A district replaces the store's API keys with its own identity platform: the key provider maps its
// tokens onto principals, and a token it refuses is a failed login like an unknown key.
func TestWithKeyProvider(t *testing.T) {
	kp := server.KeyProviderFunc(func(_ context.Context, key string, _ time.Time) (store.Principal, error) {
		if key == "district-sso-token" {
			return store.Principal{Actor: "sso:operator-7", Unit: "office", Role: store.RoleHotlineOffice}, nil
		}
		return store.Principal{}, &store.AuthError{Reason: store.AuthUnknown}
	})
	f := newServer(t, server.WithKeyProvider(kp))
	seedTickets(t, f.store) // the office's unit in the directory

	tests := []struct {
		name, header string
		want         int
	}{
		{"a token the provider accepts", "Bearer district-sso-token", http.StatusOK},
		{"a token the provider refuses", "Bearer something-else", http.StatusUnauthorized},
		{"no token", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.header != "" {
				h = []string{"Authorization", tt.header}
			}
			rec := f.on(t).get("/v1/tickets", h...)
			assert.Equal(t, tt.want, rec.Code, rec.Body.String())
		})
	}
	assert.Error(t, func() error { _, err := server.New(server.Deps{}, server.WithKeyProvider(nil)); return err }())
}
