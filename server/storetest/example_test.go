package storetest_test

import (
	"context"
	"fmt"

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
