package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
)

// Key names an API key for [Seed] to issue: the unit it acts for and the role it acts in.
type Key struct {
	Unit string
	Role store.Role
}

// SeedAdmin is the administrator [Seed] writes as: actor admin-1 of unit city.
func SeedAdmin() store.Principal {
	return store.Principal{Actor: "admin-1", Unit: "city", Role: store.RoleAdmin}
}

// Seed puts units into s (parents before children, in the order given) and issues an API key for
// each entry of keys, in the order of their names, as [SeedAdmin] at now. It returns each key's
// Authorization header value ("Bearer …") by name; a refusal fails tb. It is the setup most tests of
// code built on the store (an API, a console) start from.
func Seed(tb testing.TB, s *store.Store, now time.Time, units []routing.Unit, keys map[string]Key) map[string]string {
	tb.Helper()
	out, err := SeedContext(context.Background(), s, now, units, keys)
	if err != nil {
		tb.Fatalf("storetest: seeding: %v", err)
	}
	return out
}

// SeedContext is [Seed] without a testing.TB: it returns the first refusal.
func SeedContext(ctx context.Context, s *store.Store, now time.Time, units []routing.Unit, keys map[string]Key) (map[string]string, error) {
	admin := SeedAdmin()
	for _, u := range units {
		if err := s.PutUnit(ctx, admin, u, now); err != nil {
			return nil, fmt.Errorf("unit %s: %w", u.ID, err)
		}
	}
	out := make(map[string]string, len(keys))
	for _, name := range slices.Sorted(maps.Keys(keys)) {
		k := keys[name]
		_, secret, err := s.CreateCredential(ctx, admin, k.Unit, k.Role, name, now)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", name, err)
		}
		out[name] = "Bearer " + secret
	}
	return out, nil
}
