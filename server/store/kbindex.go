package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/knowledge"
)

// The search index of the knowledge base and the case library, one for both: a document is a
// knowledge entry (kind "e") or a published case (kind "c"), numbered in the order it was first
// written. kb_postings holds one row per (kind-prefixed term, document) with the term's field weight,
// kb_terms each term's document frequency (and, under the pseudo-term kind+"#", the number of
// documents of the kind), kb_tags the matter and place codes a document applies to ("*": all). The
// ranking is integer arithmetic in SQL that SQLite, PostgreSQL and MariaDB evaluate alike; see
// package knowledge.

const (
	kindEntry = "e"
	kindCase  = "c"

	facetMatter = "m"
	facetPlace  = "p"
)

type kbDocRow struct {
	bun.BaseModel `bun:"table:kb_docs,alias:d"`
	Num           int64  `bun:"num,pk"`
	Kind          string `bun:"kind"`
	Ref           string `bun:"ref"`
	Live          int16  `bun:"live"`
	ValidFromUS   int64  `bun:"valid_from_us"`
	ValidUntilUS  int64  `bun:"valid_until_us"`
}

type kbPostingRow struct {
	bun.BaseModel `bun:"table:kb_postings,alias:p"`
	Term          string `bun:"term,pk"`
	Num           int64  `bun:"num,pk"`
	Boost         int16  `bun:"boost"`
}

type kbTermRow struct {
	bun.BaseModel `bun:"table:kb_terms,alias:kt"`
	Term          string `bun:"term,pk"`
	DF            int64  `bun:"df"`
}

type kbTagRow struct {
	bun.BaseModel `bun:"table:kb_tags,alias:g"`
	Facet         string `bun:"facet,pk"`
	Code          string `bun:"code,pk"`
	Num           int64  `bun:"num,pk"`
}

// doc is one document of the index.
type doc struct {
	num         int64
	kind        string
	ref         string
	from, until time.Time
	postings    map[string]int16 // unprefixed term → field weight
	matters     []string
	places      []string
}

func entryDoc(num int64, e knowledge.Entry) doc {
	d := doc{num: num, kind: kindEntry, ref: e.ID, from: e.ValidFrom, until: e.ValidUntil,
		postings: knowledge.Postings([]string{e.Question}, []string{e.Answer})}
	for _, m := range e.Matters {
		d.matters = append(d.matters, string(m))
	}
	for _, p := range e.Places {
		d.places = append(d.places, string(p))
	}
	return d
}

func caseDoc(num int64, c knowledge.Case) doc {
	d := doc{num: num, kind: kindCase, ref: c.ID,
		postings: knowledge.Postings([]string{c.Title, c.Problem}, []string{c.Cause, c.Solution})}
	for _, m := range c.Matters {
		d.matters = append(d.matters, string(m))
	}
	for _, p := range c.Places {
		d.places = append(d.places, string(p))
	}
	return d
}

func orAll(codes []string) []string {
	if len(codes) == 0 {
		return []string{knowledge.Everything}
	}
	return codes
}

// batchRows is how many rows one multi-row INSERT carries.
const batchRows = 1000

// insertBatches inserts rows, batchRows at a time.
func insertBatches[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	for i := 0; i < len(rows); i += batchRows {
		part := rows[i:min(i+batchRows, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// reindex removes the documents gone (their previous index) and writes the documents added, in tx,
// keeping the document frequencies and counts.
func (s *Store) reindex(ctx context.Context, tx bun.Tx, gone, added []doc) error {
	delta := map[string]int64{}
	if len(gone) > 0 {
		nums := make([]int64, len(gone))
		for i, d := range gone {
			nums[i] = d.num
			delta[d.kind+"#"]--
			for t := range d.postings {
				delta[d.kind+t]--
			}
		}
		for i := 0; i < len(nums); i += batchRows {
			part := nums[i:min(i+batchRows, len(nums))]
			for _, m := range []any{(*kbPostingRow)(nil), (*kbTagRow)(nil), (*kbDocRow)(nil)} {
				if _, err := tx.NewDelete().Model(m).Where("num IN (?)", bun.In(part)).Exec(ctx); err != nil {
					return err
				}
			}
		}
	}
	var docs []kbDocRow
	var postings []kbPostingRow
	var tags []kbTagRow
	for _, d := range added {
		docs = append(docs, kbDocRow{Num: d.num, Kind: d.kind, Ref: d.ref, Live: 1, ValidFromUS: micros(d.from), ValidUntilUS: micros(d.until)})
		delta[d.kind+"#"]++
		terms := make([]string, 0, len(d.postings))
		for t := range d.postings {
			terms = append(terms, t)
		}
		slices.Sort(terms)
		for _, t := range terms {
			postings = append(postings, kbPostingRow{Term: d.kind + t, Num: d.num, Boost: d.postings[t]})
			delta[d.kind+t]++
		}
		for _, m := range orAll(d.matters) {
			tags = append(tags, kbTagRow{Facet: facetMatter, Code: m, Num: d.num})
		}
		for _, p := range orAll(d.places) {
			tags = append(tags, kbTagRow{Facet: facetPlace, Code: p, Num: d.num})
		}
	}
	if err := insertBatches(ctx, tx, docs); err != nil {
		return err
	}
	if err := insertBatches(ctx, tx, postings); err != nil {
		return err
	}
	if err := insertBatches(ctx, tx, tags); err != nil {
		return err
	}
	return s.addFrequencies(ctx, tx, delta)
}

// addFrequencies adds delta to the document frequencies, terms in sorted order (concurrent writers
// lock the rows in the same order).
func (s *Store) addFrequencies(ctx context.Context, tx bun.Tx, delta map[string]int64) error {
	terms := make([]string, 0, len(delta))
	for t, d := range delta {
		if d != 0 {
			terms = append(terms, t)
		}
	}
	slices.Sort(terms)
	var up []kbTermRow
	for _, t := range terms {
		if d := delta[t]; d > 0 {
			up = append(up, kbTermRow{Term: t, DF: d})
		} else if _, err := tx.NewUpdate().Model((*kbTermRow)(nil)).Set("df = df + ?", d).Where("term = ?", t).Exec(ctx); err != nil {
			return err
		}
	}
	for i := 0; i < len(up); i += batchRows {
		part := up[i:min(i+batchRows, len(up))]
		q := tx.NewInsert().Model(&part)
		if s.dialect == MySQL {
			q = q.On("DUPLICATE KEY UPDATE").Set("df = df + VALUES(df)")
		} else {
			q = q.On("CONFLICT (term) DO UPDATE").Set("df = kt.df + EXCLUDED.df")
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// nextNums reserves n consecutive document numbers and returns the first.
func (s *Store) nextNums(ctx context.Context, tx bun.Tx, n int) (int64, error) {
	var last int64
	if s.dialect == MySQL {
		if _, err := tx.ExecContext(ctx, "UPDATE kb_counter SET last = LAST_INSERT_ID(last + ?) WHERE id = 1", n); err != nil {
			return 0, err
		}
		if err := tx.QueryRowContext(ctx, "SELECT LAST_INSERT_ID()").Scan(&last); err != nil {
			return 0, err
		}
	} else if err := tx.NewRaw("UPDATE kb_counter SET last = last + ? WHERE id = 1 RETURNING last", n).Scan(ctx, &last); err != nil {
		return 0, err
	}
	return last - int64(n) + 1, nil
}

// scored is a document found and its score.
type scored struct {
	Num   int64 `bun:"num"`
	Score int64 `bun:"score"`
}

// searchIndex runs q over the documents of kind valid at at: the planned terms' weighted sum, ties by
// number; without text, the newest documents that match the tags.
func (s *Store) searchIndex(ctx context.Context, db bun.IDB, kind string, q knowledge.Query, at time.Time) ([]scored, error) {
	limit := q.Limit
	if limit == 0 {
		limit = knowledge.DefaultLimit
	}
	filter := func(sq *bun.SelectQuery, num string) *bun.SelectQuery {
		sq = sq.Where("d.kind = ? AND d.live = 1", kind).
			Where("(d.valid_from_us = 0 OR d.valid_from_us <= ?)", micros(at)).
			Where("(d.valid_until_us = 0 OR d.valid_until_us > ?)", micros(at))
		if keys := knowledge.MatterKeys(q.Matter); keys != nil {
			sq = sq.Where("? IN (SELECT g.num FROM kb_tags AS g WHERE g.facet = ? AND g.code IN (?))", bun.Safe(num), facetMatter, bun.In(keys))
		}
		if keys := knowledge.PlaceKeys(q.Place); keys != nil {
			sq = sq.Where("? IN (SELECT g.num FROM kb_tags AS g WHERE g.facet = ? AND g.code IN (?))", bun.Safe(num), facetPlace, bun.In(keys))
		}
		return sq
	}
	terms := knowledge.Terms(q.Text)
	if len(terms) == 0 {
		var out []scored
		err := filter(db.NewSelect().TableExpr("kb_docs AS d").ColumnExpr("d.num AS num, 0 AS score"), "d.num").
			OrderExpr("d.num DESC").Limit(int64(limit)).Scan(ctx, &out)
		return out, err
	}
	if len(terms) > 4*knowledge.MaxQueryTerms {
		terms = terms[:4*knowledge.MaxQueryTerms]
	}
	keys := make([]string, len(terms)+1)
	for i, t := range terms {
		keys[i] = kind + t
	}
	keys[len(terms)] = kind + "#"
	var rows []kbTermRow
	if err := db.NewSelect().Model(&rows).Where("term IN (?)", bun.In(keys)).Scan(ctx); err != nil {
		return nil, err
	}
	var n int64
	stats := make([]knowledge.TermStat, 0, len(rows))
	for _, r := range rows {
		if r.Term == kind+"#" {
			n = r.DF
			continue
		}
		stats = append(stats, knowledge.TermStat{Term: strings.TrimPrefix(r.Term, kind), DF: r.DF})
	}
	plan := knowledge.Plan(stats, n)
	if len(plan) == 0 {
		return nil, nil
	}
	var cases strings.Builder
	args := make([]any, 0, 2*len(plan))
	in := make([]string, len(plan))
	cases.WriteString("SUM(CASE p.term")
	for i, w := range plan {
		cases.WriteString(" WHEN ? THEN ?")
		args = append(args, kind+w.Term, w.Weight)
		in[i] = kind + w.Term
	}
	cases.WriteString(" ELSE 0 END * p.boost) AS score")
	var out []scored
	err := filter(db.NewSelect().TableExpr("kb_postings AS p").Join("JOIN kb_docs AS d ON d.num = p.num").
		ColumnExpr("p.num AS num").ColumnExpr(cases.String(), args...).Where("p.term IN (?)", bun.In(in)), "p.num").
		GroupExpr("p.num").OrderExpr("score DESC, p.num ASC").Limit(int64(limit)).Scan(ctx, &out)
	return out, err
}
