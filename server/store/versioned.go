package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/knowledge"
)

// Knowledge entries (kb_entries) and library cases (library_cases) are versioned documents: a row
// keyed by id, numbered in the search index, holding the document as JSON and a version that every
// change bumps, with one history row per version (kb_entry_versions, library_case_events). The
// helpers below are the one way both are read, written at a version and searched.

// decodeDoc decodes a stored document body; one that does not decode is a *CorruptError naming
// table and key.
func decodeDoc[T any](table, key string, body []byte) (T, error) {
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		var zero T
		return zero, &CorruptError{Table: table, Key: key, Err: err}
	}
	return v, nil
}

// decodeDocs decodes rows with decode, in order.
func decodeDocs[R, T any](rows []R, decode func(R) (T, error)) ([]T, error) {
	out := make([]T, len(rows))
	for i, r := range rows {
		v, err := decode(r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// readDoc reads the row of document id from db, for update when lock is set. No row is ErrNotFound
// naming what ("knowledge entry", "library case") and id.
func readDoc[R any](ctx context.Context, s *Store, db bun.IDB, what, id string, lock bool) (R, error) {
	var row R
	q := db.NewSelect().Model(&row).Where("id = ?", id)
	if lock {
		q = s.forUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		var zero R
		if errors.Is(err, sql.ErrNoRows) {
			return zero, fmt.Errorf("%w: %s %s", ErrNotFound, what, id)
		}
		return zero, err
	}
	return row, nil
}

// docChange is a document row rewritten in place: row holds its new columns, version the version it
// replaces.
type docChange[R any] struct {
	row     *R
	id      string
	version int64
}

// docWrite is what one change of versioned documents writes in a transaction.
type docWrite[R, H any] struct {
	// columns are the columns a change rewrites (the id, number and creation time never change).
	columns []string
	// duplicate says what exists already when a created row's unique key is taken (ErrDuplicate).
	duplicate string
	created   []R
	changed   []docChange[R]
	// history is one row per version written.
	history []H
}

// writeDocs writes w in tx: each changed row only if it is still at the version it replaces (else a
// *VersionError: another writer came first), the created rows and the history rows in batches.
func writeDocs[R, H any](ctx context.Context, tx bun.Tx, w docWrite[R, H]) error {
	for _, c := range w.changed {
		res, err := tx.NewUpdate().Model(c.row).Column(w.columns...).Where("id = ? AND version = ?", c.id, c.version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &VersionError{ID: c.id, Given: c.version, Current: c.version + 1}
		}
	}
	if err := insertBatches(ctx, tx, w.created); err != nil {
		if isUnique(err) {
			return fmt.Errorf("%w: %s", ErrDuplicate, w.duplicate)
		}
		return err
	}
	if err := insertBatches(ctx, tx, w.history); err != nil {
		if isUnique(err) && len(w.changed) == 1 && len(w.created) == 0 {
			// The version's history row is there: another writer stored this version first.
			c := w.changed[0]
			return &VersionError{ID: c.id, Given: c.version, Current: c.version + 1}
		}
		return err
	}
	return nil
}

// docHit is a document row found and its score.
type docHit[R any] struct {
	row   R
	score int64
}

// searchDocs runs q over the documents of kind valid at now and returns their rows, best first; num
// is a row's number in the index. A number whose row is gone is passed over.
func searchDocs[R any](ctx context.Context, s *Store, kind string, q knowledge.Query, now time.Time, num func(R) int64) ([]docHit[R], error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	found, err := s.searchIndex(ctx, s.db, kind, q, now)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	nums := make([]int64, len(found))
	for i, f := range found {
		nums[i] = f.Num
	}
	var rows []R
	if err := s.db.NewSelect().Model(&rows).Where("num IN (?)", bun.In(nums)).Scan(ctx); err != nil {
		return nil, err
	}
	byNum := make(map[int64]R, len(rows))
	for _, r := range rows {
		byNum[num(r)] = r
	}
	out := make([]docHit[R], 0, len(found))
	for _, f := range found {
		if r, ok := byNum[f.Num]; ok {
			out = append(out, docHit[R]{row: r, score: f.Score})
		}
	}
	return out, nil
}

// pageSize is the page size limit asks for: zero is def; less than one or more than most is
// ErrInvalid.
func pageSize(limit, def, most int) (int, error) {
	switch {
	case limit == 0:
		return def, nil
	case limit < 0 || limit > most:
		return 0, fmt.Errorf("%w: page size %d outside 1–%d", ErrInvalid, limit, most)
	}
	return limit, nil
}
