package storetest_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// In a test, storetest.EachDialect(t, func(t *testing.T, s *store.Store) { … }) runs the body on every
// database available, and storetest.SQLite(t) gives one SQLite store. New, shown here, is the same
// without a *testing.T.
func Example() {
	ctx := context.Background()
	s, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	pending, err := s.Pending(ctx)
	fmt.Println(s.Dialect(), len(pending), err)
	// Output:
	// sqlite 0 <nil>
}

// A test's world in the store: a unit and an API key acting for it, ready for an Authorization
// header. In a test, storetest.Seed(t, s, now, units, keys) does the same and fails t on a refusal.
func ExampleSeedContext() {
	p, err := seedUnitA(context.Background(), time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	fmt.Println(p.Unit, p.Role, err)
	// Output:
	// unit-a handling_unit <nil>
}

// seedUnitA seeds a fresh SQLite store with unit-a and its key, and authenticates the key.
func seedUnitA(ctx context.Context, now time.Time) (store.Principal, error) {
	s, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return store.Principal{}, err
	}
	keys, err := storetest.SeedContext(ctx, s, now,
		[]routing.Unit{{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet}},
		map[string]storetest.Key{"unit-a": {Unit: "unit-a", Role: store.RoleHandlingUnit}})
	if err != nil {
		return store.Principal{}, err
	}
	return s.Authenticate(ctx, strings.TrimPrefix(keys["unit-a"], "Bearer "), now)
}
