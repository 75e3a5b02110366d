package store

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

// writeDocs is the one write of knowledge entries and library cases: a row is rewritten only at the
// version it replaces, a taken id is ErrDuplicate, a version already in the history a *VersionError —
// nothing of a refused write is kept.
func TestWriteDocs(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		type write = docWrite[kbEntryRow, kbVersionRow]
		entry := func(id string, num, version int64) kbEntryRow {
			return kbEntryRow{ID: id, Num: num, Version: version, Keeper: "unit-a", Body: []byte(`{}`), CreatedUS: 1, UpdatedUS: version}
		}
		history := func(id string, version int64) kbVersionRow {
			return kbVersionRow{EntryID: id, Version: version, AtUS: version, Actor: "clerk-a", UnitID: "unit-a", Changed: "created", Body: []byte(`{}`)}
		}
		changed := func(id string, num, version int64) []docChange[kbEntryRow] {
			row := entry(id, num, version+1)
			return []docChange[kbEntryRow]{{row: &row, id: id, version: version}}
		}
		seed := write{created: []kbEntryRow{entry("e1", 1, 1)}, history: []kbVersionRow{history("e1", 1)}}
		require.NoError(t, s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error { return writeDocs(ctx, tx, seed) }))

		cases := []struct {
			name    string
			w       write
			version bool // a *VersionError
			dup     bool // ErrDuplicate
		}{
			{name: "a taken id", w: write{duplicate: "entry e1 exists", created: []kbEntryRow{entry("e1", 2, 1)},
				history: []kbVersionRow{history("e1", 1)}}, dup: true},
			{name: "a stale version", w: write{columns: kbEntryColumns, changed: changed("e1", 1, 7),
				history: []kbVersionRow{history("e1", 8)}}, version: true},
			{name: "a version already in the history", w: write{columns: kbEntryColumns, changed: changed("e1", 1, 1),
				history: []kbVersionRow{history("e1", 1)}}, version: true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error { return writeDocs(ctx, tx, c.w) })
				require.Error(t, err)
				var ve *VersionError
				assert.Equal(t, c.version, errors.As(err, &ve), "%v", err)
				assert.Equal(t, c.dup, errors.Is(err, ErrDuplicate), "%v", err)
				row, err := readDoc[kbEntryRow](ctx, s, s.db, "knowledge entry", "e1", false)
				require.NoError(t, err)
				assert.Equal(t, int64(1), row.Version, "the refused write kept nothing")
			})
		}

		require.NoError(t, s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return writeDocs(ctx, tx, write{columns: kbEntryColumns, changed: changed("e1", 1, 1), history: []kbVersionRow{history("e1", 2)}})
		}))
		row, err := readDoc[kbEntryRow](ctx, s, s.db, "knowledge entry", "e1", false)
		require.NoError(t, err)
		assert.Equal(t, int64(2), row.Version)
		_, err = readDoc[kbEntryRow](ctx, s, s.db, "knowledge entry", "e9", false)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorContains(t, err, "knowledge entry e9")
	})
}

func TestPageSize(t *testing.T) {
	cases := []struct {
		limit, want int
		bad         bool
	}{
		{limit: 0, want: 50},
		{limit: 1, want: 1},
		{limit: 500, want: 500},
		{limit: 501, bad: true},
		{limit: -1, bad: true},
	}
	for _, c := range cases {
		got, err := pageSize(c.limit, 50, 500)
		if c.bad {
			assert.ErrorIs(t, err, ErrInvalid, "limit %d", c.limit)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "limit %d", c.limit)
	}
}
