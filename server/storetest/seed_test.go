package storetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func TestSeed(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	storetest.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		k := storetest.Seed(t, s, now, []routing.Unit{
			{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
			{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet},
		}, map[string]storetest.Key{
			"office": {Unit: "office-bs", Role: store.RoleHotlineOffice},
			"unit-a": {Unit: "unit-a", Role: store.RoleHandlingUnit},
		})
		require.Len(t, k, 2)
		cases := []struct {
			name string
			want store.Principal
		}{
			{"office", store.Principal{Actor: "office", Unit: "office-bs", Role: store.RoleHotlineOffice}},
			{"unit-a", store.Principal{Actor: "unit-a", Unit: "unit-a", Role: store.RoleHandlingUnit}},
		}
		for _, c := range cases {
			secret, ok := strings.CutPrefix(k[c.name], "Bearer ")
			require.True(t, ok, "%s: an Authorization header value", c.name)
			p, err := s.Authenticate(ctx, secret, now)
			require.NoError(t, err, c.name)
			assert.Equal(t, c.want.Unit, p.Unit, c.name)
			assert.Equal(t, c.want.Role, p.Role, c.name)
		}
		_, err := storetest.SeedContext(ctx, s, now, nil, map[string]storetest.Key{"bad": {Unit: "unit-a", Role: "mayor"}})
		assert.ErrorContains(t, err, "key bad", "a refused key is named")
	})
}
