package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/knowledge"
)

// The search index of the knowledge base and the case library, one for both: a document is a
// knowledge entry (kind "e") or a published case (kind "c"), numbered in the order it was first
// written. The postings of a (kind-prefixed) term are kept in blocks of blockDocs document numbers
// (kb_blocks: one row per term and block, the block's postings delta-encoded), so a query reads a few
// rows per term however many documents contain it; kb_terms holds each term's document frequency
// (and, under the pseudo-term kind+"#", the number of documents of the kind); kb_tags the matter and
// place codes a document applies to ("*": all); kb_docs whether it is live and when it is valid.
// The ranking is computed in Go from the postings read — integer arithmetic, ties by number — so
// SQLite, PostgreSQL and MariaDB, holding the same postings, return the same documents in the same
// order; see package knowledge. Writes to the index are serialised on the kb_counter row.

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

type kbBlockRow struct {
	bun.BaseModel `bun:"table:kb_blocks,alias:kb"`
	Term          string `bun:"term,pk"`
	Blk           int64  `bun:"blk,pk"`
	Data          []byte `bun:"data"`
}

// blockDocs is how many consecutive document numbers one block of a term's postings covers.
const blockDocs = 4096

// posting is one document of a term's postings and the term's field weight in it.
type posting struct {
	num   int64
	boost int16
}

// encodeBlock writes postings (sorted by number, all in block blk) as varint deltas from the block's
// first number, each followed by its weight in one byte.
func encodeBlock(blk int64, ps []posting) []byte {
	out := make([]byte, 0, 3*len(ps))
	prev := blk * blockDocs
	for _, p := range ps {
		out = binary.AppendUvarint(out, uint64(p.num-prev))
		out = append(out, byte(p.boost))
		prev = p.num
	}
	return out
}

// decodeBlock calls fn for each posting of block blk's data, in order.
func decodeBlock(blk int64, data []byte, fn func(num int64, boost int16)) error {
	prev := blk * blockDocs
	for len(data) > 0 {
		d, n := binary.Uvarint(data)
		if n <= 0 || n >= len(data) {
			return errors.New("truncated posting")
		}
		prev += int64(d)
		fn(prev, int16(data[n]))
		data = data[n+1:]
	}
	return nil
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
// keeping the postings blocks, the document frequencies and the counts.
func (s *Store) reindex(ctx context.Context, tx bun.Tx, gone, added []doc) error {
	if s.dialect != SQLite {
		// One index writer at a time: blocks are read, merged and written back.
		var last int64
		if err := tx.NewSelect().Table("kb_counter").Column("last").Where("id = 1").For("UPDATE").Scan(ctx, &last); err != nil {
			return err
		}
	}
	type key struct {
		term string
		blk  int64
	}
	type change struct {
		remove map[int64]bool
		add    map[int64]int16
	}
	changes := map[key]*change{}
	at := func(k key) *change {
		c := changes[k]
		if c == nil {
			c = &change{remove: map[int64]bool{}, add: map[int64]int16{}}
			changes[k] = c
		}
		return c
	}
	delta := map[string]int64{}
	if len(gone) > 0 {
		nums := make([]int64, len(gone))
		for i, d := range gone {
			nums[i] = d.num
			delta[d.kind+"#"]--
			for t := range d.postings {
				at(key{d.kind + t, d.num / blockDocs}).remove[d.num] = true
				delta[d.kind+t]--
			}
		}
		for i := 0; i < len(nums); i += batchRows {
			part := nums[i:min(i+batchRows, len(nums))]
			for _, m := range []any{(*kbTagRow)(nil), (*kbDocRow)(nil)} {
				if _, err := tx.NewDelete().Model(m).Where("num IN (?)", bun.In(part)).Exec(ctx); err != nil {
					return err
				}
			}
		}
	}
	var docs []kbDocRow
	var tags []kbTagRow
	for _, d := range added {
		docs = append(docs, kbDocRow{Num: d.num, Kind: d.kind, Ref: d.ref, Live: 1, ValidFromUS: micros(d.from), ValidUntilUS: micros(d.until)})
		delta[d.kind+"#"]++
		for t, b := range d.postings {
			at(key{d.kind + t, d.num / blockDocs}).add[d.num] = b
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
	if err := insertBatches(ctx, tx, tags); err != nil {
		return err
	}

	// Read the blocks touched, by block, merge the changes, and write them back.
	byBlk := map[int64][]string{}
	for k := range changes {
		byBlk[k.blk] = append(byBlk[k.blk], k.term)
	}
	blks := make([]int64, 0, len(byBlk))
	for b := range byBlk {
		blks = append(blks, b)
	}
	slices.Sort(blks)
	var upserts []kbBlockRow
	empty := map[int64][]string{}
	for _, blk := range blks {
		terms := byBlk[blk]
		slices.Sort(terms)
		stored := map[string][]byte{}
		for i := 0; i < len(terms); i += batchRows {
			var rows []kbBlockRow
			if err := tx.NewSelect().Model(&rows).Where("blk = ?", blk).Where("term IN (?)", bun.In(terms[i:min(i+batchRows, len(terms))])).
				Scan(ctx); err != nil {
				return err
			}
			for _, r := range rows {
				stored[r.Term] = r.Data
			}
		}
		for _, term := range terms {
			c := changes[key{term, blk}]
			var ps []posting
			if err := decodeBlock(blk, stored[term], func(num int64, boost int16) {
				if !c.remove[num] {
					if _, again := c.add[num]; !again {
						ps = append(ps, posting{num, boost})
					}
				}
			}); err != nil {
				return &CorruptError{Table: "kb_blocks", Key: fmt.Sprintf("%s/%d", term, blk), Err: err}
			}
			for num, boost := range c.add {
				ps = append(ps, posting{num, boost})
			}
			if len(ps) == 0 {
				if stored[term] != nil {
					empty[blk] = append(empty[blk], term)
				}
				continue
			}
			slices.SortFunc(ps, func(a, b posting) int { return cmp.Compare(a.num, b.num) })
			upserts = append(upserts, kbBlockRow{Term: term, Blk: blk, Data: encodeBlock(blk, ps)})
		}
	}
	for i := 0; i < len(upserts); i += batchRows {
		part := upserts[i:min(i+batchRows, len(upserts))]
		q := tx.NewInsert().Model(&part)
		if s.dialect == MySQL {
			q = q.On("DUPLICATE KEY UPDATE").Set("data = VALUES(data)")
		} else {
			q = q.On("CONFLICT (term, blk) DO UPDATE").Set("data = EXCLUDED.data")
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	for _, blk := range blks {
		terms := empty[blk]
		for i := 0; i < len(terms); i += batchRows {
			if _, err := tx.NewDelete().Model((*kbBlockRow)(nil)).Where("blk = ?", blk).
				Where("term IN (?)", bun.In(terms[i:min(i+batchRows, len(terms))])).Exec(ctx); err != nil {
				return err
			}
		}
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

// Filtering candidates: how many are checked against the documents at a time, and at most.
const (
	filterChunk   = 256
	maxCandidates = 20 * filterChunk
)

// searchIndex runs q over the documents of kind valid at at: the planned terms' weighted sum, ties by
// number, computed from the postings blocks; without text, the newest documents that match the tags.
// Every statement it sends is a primary-key or index lookup, so its plan does not depend on the
// database's statistics (a freshly imported base is searched as fast as an analysed one).
func (s *Store) searchIndex(ctx context.Context, db bun.IDB, kind string, q knowledge.Query, at time.Time) ([]scored, error) {
	limit := q.Limit
	if limit == 0 {
		limit = knowledge.DefaultLimit
	}
	terms := knowledge.Terms(q.Text)
	if len(terms) == 0 {
		return s.newest(ctx, db, kind, q, at, limit)
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
	weight := make(map[string]int64, len(plan))
	in := make([]string, len(plan))
	for i, w := range plan {
		in[i] = kind + w.Term
		weight[in[i]] = w.Weight
	}
	var blocks []kbBlockRow
	if err := db.NewSelect().Model(&blocks).Where("term IN (?)", bun.In(in)).Scan(ctx); err != nil {
		return nil, err
	}
	scores := map[int64]int64{}
	for _, b := range blocks {
		w := weight[b.Term]
		if err := decodeBlock(b.Blk, b.Data, func(num int64, boost int16) { scores[num] += w * int64(boost) }); err != nil {
			return nil, &CorruptError{Table: "kb_blocks", Key: fmt.Sprintf("%s/%d", b.Term, b.Blk), Err: err}
		}
	}
	cands := make([]scored, 0, len(scores))
	for num, sc := range scores {
		cands = append(cands, scored{Num: num, Score: sc})
	}
	slices.SortFunc(cands, func(a, b scored) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Num, b.Num)
	})
	var out []scored
	for i := 0; i < len(cands) && i < maxCandidates && len(out) < limit; i += filterChunk {
		part := cands[i:min(i+filterChunk, len(cands))]
		nums := make([]int64, len(part))
		for j, c := range part {
			nums[j] = c.Num
		}
		pass, err := s.eligible(ctx, db, kind, nums, q, at)
		if err != nil {
			return nil, err
		}
		for _, c := range part {
			if pass[c.Num] && len(out) < limit {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// newest lists the newest documents of kind that q's matter and place allow, a chunk at a time.
func (s *Store) newest(ctx context.Context, db bun.IDB, kind string, q knowledge.Query, at time.Time, limit int) ([]scored, error) {
	var out []scored
	before := int64(math.MaxInt64)
	for seen := 0; seen < maxCandidates && len(out) < limit; {
		var nums []int64
		if err := db.NewSelect().Model((*kbDocRow)(nil)).Column("num").Where("kind = ? AND live = 1 AND num < ?", kind, before).
			OrderExpr("num DESC").Limit(filterChunk).Scan(ctx, &nums); err != nil {
			return nil, err
		}
		if len(nums) == 0 {
			break
		}
		pass, err := s.eligible(ctx, db, kind, nums, q, at)
		if err != nil {
			return nil, err
		}
		for _, num := range nums {
			if pass[num] && len(out) < limit {
				out = append(out, scored{Num: num})
			}
		}
		before, seen = nums[len(nums)-1], seen+len(nums)
	}
	return out, nil
}

// eligible returns which of nums are live documents of kind, valid at at, tagged for q's matter
// (or every matter) and q's place (or everywhere): one lookup by number (the documents with their
// tags, when the query has a matter or a place), the test in Go.
func (s *Store) eligible(ctx context.Context, db bun.IDB, kind string, nums []int64, q knowledge.Query, at time.Time) (map[int64]bool, error) {
	mk, pk := knowledge.MatterKeys(q.Matter), knowledge.PlaceKeys(q.Place)
	var rows []struct {
		Num          int64   `bun:"num"`
		Kind         string  `bun:"kind"`
		Live         int16   `bun:"live"`
		ValidFromUS  int64   `bun:"valid_from_us"`
		ValidUntilUS int64   `bun:"valid_until_us"`
		Facet        *string `bun:"facet"`
		Code         *string `bun:"code"`
	}
	sq := db.NewSelect().TableExpr("kb_docs AS d").Column("d.num", "d.kind", "d.live", "d.valid_from_us", "d.valid_until_us").
		Where("d.num IN (?)", bun.In(nums))
	if mk != nil || pk != nil {
		sq = sq.ColumnExpr("g.facet, g.code").Join("LEFT JOIN kb_tags AS g ON g.num = d.num")
	}
	if err := sq.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	us := micros(at)
	ok := make(map[int64]bool, len(nums))
	matter, place := map[int64]bool{}, map[int64]bool{}
	for _, d := range rows {
		if d.Kind == kind && d.Live == 1 && (d.ValidFromUS == 0 || d.ValidFromUS <= us) && (d.ValidUntilUS == 0 || d.ValidUntilUS > us) {
			ok[d.Num] = true
		}
		if d.Facet == nil || d.Code == nil {
			continue
		}
		switch {
		case *d.Facet == facetMatter && slices.Contains(mk, *d.Code):
			matter[d.Num] = true
		case *d.Facet == facetPlace && slices.Contains(pk, *d.Code):
			place[d.Num] = true
		}
	}
	for num := range ok {
		if (mk != nil && !matter[num]) || (pk != nil && !place[num]) {
			delete(ok, num)
		}
	}
	return ok, nil
}
