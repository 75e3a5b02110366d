package assess

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotline12345/hotline/internal/enum"
)

// encoder writes a streamed canonical encoding (the scheme and the result digests) into a hash
// through a buffer.
type encoder struct {
	h   hash.Hash
	buf []byte
}

func newEncoder(h hash.Hash, domain string) *encoder {
	e := &encoder{h: h, buf: make([]byte, 0, 64<<10)}
	e.str(domain)
	return e
}

func (e *encoder) flushIfFull() {
	if len(e.buf) >= 60<<10 {
		e.h.Write(e.buf)
		e.buf = e.buf[:0]
	}
}

func (e *encoder) str(s string) { e.buf = appendStr(e.buf, s) }

func (e *encoder) sum() string {
	e.h.Write(e.buf)
	e.buf = e.buf[:0]
	return hex.EncodeToString(e.h.Sum(nil))
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendTime writes the zero time as the single byte 0, and any other time as 1, its Unix seconds
// (signed varint) and its nanoseconds (unsigned varint): the zone never matters.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// answerByte is an Answer's byte in the canonical encoding: 0 none, 1 yes, 2 no.
func answerByte(a Answer) byte {
	switch a {
	case Yes:
		return 1
	case No:
		return 2
	}
	return 0
}

// RecordKind says which list of an [Input] a canonical record comes from.
type RecordKind string

// The record kinds, in the order their leaves appear in the input tree. The byte after each is the
// kind's tag in the leaf encoding.
const (
	RecordCase       RecordKind = "case"       // 1
	RecordReview     RecordKind = "review"     // 2
	RecordAdjustment RecordKind = "adjustment" // 3
	RecordVolume     RecordKind = "volume"     // 4
	RecordUnit       RecordKind = "unit"       // 5
)

var recordKindSet = enum.New("assess.RecordKind", ErrInvalidEnum,
	enum.Value[RecordKind]{V: RecordCase, Label: "工单"},
	enum.Value[RecordKind]{V: RecordReview, Label: "评价"},
	enum.Value[RecordKind]{V: RecordAdjustment, Label: "加减分"},
	enum.Value[RecordKind]{V: RecordVolume, Label: "办件量"},
	enum.Value[RecordKind]{V: RecordUnit, Label: "单位"},
)

// RecordKinds returns the record kinds in leaf order.
func RecordKinds() []RecordKind { return recordKindSet.All() }

// ParseRecordKind returns the kind whose wire value or Chinese label is s.
func ParseRecordKind(s string) (RecordKind, error) { return recordKindSet.Parse(s) }

// Valid reports whether k is a record kind.
func (k RecordKind) Valid() bool { return k.tag() != 0 }

// String returns the wire value.
func (k RecordKind) String() string { return string(k) }

// Label returns the Chinese label.
func (k RecordKind) Label() string { return recordKindSet.Label(k) }

// UnmarshalText accepts the wire value or the Chinese label.
func (k *RecordKind) UnmarshalText(b []byte) error {
	v, err := recordKindSet.Unmarshal(b)
	if err == nil {
		*k = v
	}
	return err
}

func (k RecordKind) tag() byte {
	switch k {
	case RecordCase:
		return 1
	case RecordReview:
		return 2
	case RecordAdjustment:
		return 3
	case RecordVolume:
		return 4
	case RecordUnit:
		return 5
	}
	return 0
}

// RecordDigest is one leaf of the input tree: the record's kind, its canonical ID and its leaf hash
// H(0x00 ‖ encoding). The canonical ID is the record's ID for cases and reviews, the unit for volumes
// and units, and "<unit>/<item>/<at, RFC 3339 UTC>#<n>" for adjustments (n numbers equal prefixes in
// the order of their encodings, from 1).
type RecordDigest struct {
	Kind RecordKind `json:"kind"`
	ID   string     `json:"id"`
	Hash Hash       `json:"hash"`
}

// Key returns "<kind>:<id>", e.g. "case:C-7": how [Verify] names a record.
func (r RecordDigest) Key() string { return string(r.Kind) + ":" + r.ID }

// appendCaseLeaf appends the leaf encoding of c: 0x00, the tag 1, then the fields (see the package doc).
func appendCaseLeaf(b []byte, c *CaseRecord) []byte {
	b = append(b, 0, 1)
	b = appendStr(b, c.ID)
	b = appendStr(b, c.Unit)
	b = appendBool(b, c.Complaint)
	b = appendStr(b, c.Matter)
	b = appendStr(b, c.Place)
	b = appendTime(b, c.ReceivedAt)
	b = appendTime(b, c.FirstContactDue)
	b = appendTime(b, c.FirstContactAt)
	b = appendTime(b, c.ReplyDue)
	b = appendTime(b, c.RepliedAt)
	b = appendTime(b, c.CallbackAt)
	b = append(b, answerByte(c.Contacted), answerByte(c.Resolved), byte(c.Satisfaction.Rank()),
		answerByte(c.Attitude), answerByte(c.ReportAccepted))
	b = binary.AppendVarint(b, int64(c.Repeats))
	b = binary.AppendVarint(b, int64(c.Returns))
	b = binary.AppendVarint(b, int64(c.Reopens))
	b = binary.AppendVarint(b, int64(c.Supervisions))
	return appendBool(b, c.Unfounded)
}

// appendReviewLeaf appends the leaf encoding of r: 0x00, the tag 2, then the fields.
func appendReviewLeaf(b []byte, r *Review) []byte {
	b = append(b, 0, 2)
	b = appendStr(b, r.ID)
	b = append(b, byte(r.Rating.Rank()))
	n := 0
	for _, d := range dimensionsByName {
		if _, ok := r.Dimensions[d]; ok {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n)) // validation refused any other key
	for _, d := range dimensionsByName {
		if l, ok := r.Dimensions[d]; ok {
			b = appendStr(b, string(d))
			b = append(b, byte(l.Rank()))
		}
	}
	for _, s := range [...]string{string(r.Channel), r.Matter, r.Unit, r.Window, r.Staff, r.Rater, r.Device} {
		b = appendStr(b, s)
	}
	b = appendTime(b, r.At)
	b = appendBool(b, r.Unfounded)
	b = appendBool(b, r.AppealPending)
	return appendBool(b, r.Rectified)
}

func appendAdjustmentLeaf(b []byte, a *Adjustment) []byte {
	b = append(b, 0, 3)
	b = appendStr(b, a.Unit)
	b = appendStr(b, a.Item)
	b = binary.AppendVarint(b, int64(a.Count))
	b = appendTime(b, a.At)
	return appendStr(b, a.Evidence)
}

func appendVolumeLeaf(b []byte, v *Volume) []byte {
	b = append(b, 0, 4)
	b = appendStr(b, v.Unit)
	return binary.AppendVarint(b, v.Count)
}

func appendUnitLeaf(b []byte, u string) []byte {
	b = append(b, 0, 5)
	return appendStr(b, u)
}

// canonicalOrder sets pos[i] to base plus the place of record i among n records in canonical order —
// by the 64-bit FNV-1a hash of the ID, then by the ID itself — and returns the first duplicated ID if
// any. Ordering by a hash first sorts
// fixed-size integer keys held together in memory, which is several times faster than comparing
// strings scattered over a million records, and is just as deterministic: FNV-1a is a fixed function.
func canonicalOrder(n int, id func(int) string, base int32, pos []int32) string {
	type key struct {
		h uint64
		i int32
	}
	keys := make([]key, n)
	for i := range keys {
		keys[i] = key{fnv1a(id(i)), int32(i)}
	}
	// LSD radix sort on the top 32 bits of the hash, 16 bits a pass; then order the (rare) runs of
	// keys whose top 32 bits are equal by full hash and ID.
	tmp := make([]key, n)
	var count [1 << 16]int
	for shift := 32; shift < 64; shift += 16 {
		clear(count[:])
		for _, k := range keys {
			count[(k.h>>shift)&0xffff]++
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, k := range keys {
			d := (k.h >> shift) & 0xffff
			tmp[count[d]] = k
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && keys[hi].h>>32 == keys[lo].h>>32 {
			hi++
		}
		if hi-lo > 1 {
			slices.SortFunc(keys[lo:hi], func(a, b key) int {
				return cmp.Or(cmp.Compare(a.h, b.h), strings.Compare(id(int(a.i)), id(int(b.i))))
			})
		}
		lo = hi
	}
	dup := ""
	for j, k := range keys {
		pos[k.i] = base + int32(j)
		if dup == "" && j > 0 && keys[j-1].h == k.h && id(int(keys[j-1].i)) == id(int(k.i)) {
			dup = id(int(k.i))
		}
	}
	return dup
}

// compareRecords orders record digests canonically: by kind, then FNV-1a of the ID, then the ID.
func compareRecords(a, b *RecordDigest) int {
	return cmp.Or(cmp.Compare(a.Kind.tag(), b.Kind.tag()), cmp.Compare(fnv1a(a.ID), fnv1a(b.ID)), strings.Compare(a.ID, b.ID))
}

// fnv1a returns the 64-bit FNV-1a hash of s.
func fnv1a(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := range len(s) {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// hashChunk is the number of records a worker takes at a time, and leafBatch the number whose leaf
// hashes it keeps before handing them over.
const (
	hashChunk = 4096
	leafBatch = 256
)

// hashLeaves hashes the leaves of n records on GOMAXPROCS goroutines, in chunks of hashChunk records
// taken in input order: encode(b, i) appends record i's leaf encoding (with the prefix 0x00) to b, and
// place(lo, hs) receives the leaf hashes of records lo, lo+1, … in batches of up to leafBatch. Each
// leaf depends only on its record, so the result does not depend on the schedule.
//
// The batches keep the scattered writes of place out of the hashing loop, so that a write that misses
// the cache does not hold up the hash's own stores behind it.
func hashLeaves(alg Algorithm, n int, encode func(b []byte, i int) []byte, place func(lo int, hs []Hash)) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, (n+hashChunk-1)/hashChunk))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		x, err := newHasher(alg)
		if err != nil {
			return err
		}
		wg.Go(func() {
			buf := make([]byte, 0, 512)
			hs := make([]Hash, leafBatch)
			for {
				lo := int(next.Add(hashChunk) - hashChunk)
				if lo >= n {
					return
				}
				hi := min(lo+hashChunk, n)
				for b := lo; b < hi; b += leafBatch {
					batch := hs[:min(leafBatch, hi-b)]
					for k := range batch {
						buf = encode(buf[:0], b+k)
						batch[k] = x.leafPrefixed(buf)
					}
					place(b, batch)
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// inputTree returns the canonical records of in, in leaf order, and the root of the Merkle tree over
// them: the input digest. It first finds every case's and review's place in canonical order; then
// GOMAXPROCS workers read the records in input order, each hashing its record's leaf straight into
// its place in the list, which is all the memory a record costs; then the tree is hashed on as many.
func inputTree(in *Input, alg Algorithm) ([]RecordDigest, Hash, error) {
	if _, err := newHash(alg); err != nil {
		return nil, Hash{}, err
	}
	if len(in.Cases) > MaxRecords || len(in.Reviews) > MaxRecords {
		return nil, Hash{}, fieldErr(ErrInvalidInput, "input", "cases/reviews", "", fmt.Sprintf("more than %d records", MaxRecords))
	}
	nc, nr := len(in.Cases), len(in.Reviews)
	pos := make([]int32, nc+nr) // record → leaf index: the cases first, then the reviews
	var (
		dupReview string
		small     []RecordDigest
		smallErr  error
		wg        sync.WaitGroup
	)
	wg.Go(func() {
		dupReview = canonicalOrder(nr, func(i int) string { return in.Reviews[i].ID }, int32(nc), pos[nc:])
		small, smallErr = smallRecords(in, alg)
	})
	dupCase := canonicalOrder(nc, func(i int) string { return in.Cases[i].ID }, 0, pos[:nc])
	wg.Wait()
	switch {
	case dupCase != "":
		return nil, Hash{}, fieldErr(ErrInvalidInput, "cases", "id", clip(dupCase), "appears twice")
	case dupReview != "":
		return nil, Hash{}, fieldErr(ErrInvalidInput, "reviews", "id", clip(dupReview), "appears twice")
	case smallErr != nil:
		return nil, Hash{}, smallErr
	}
	total := nc + nr + len(small)
	recs := make([]RecordDigest, total)
	err := hashLeaves(alg, nc+nr, func(b []byte, i int) []byte {
		if i < nc {
			return appendCaseLeaf(b, &in.Cases[i])
		}
		return appendReviewLeaf(b, &in.Reviews[i-nc])
	}, func(lo int, hs []Hash) {
		for k := range hs {
			i := lo + k
			r := &recs[pos[i]]
			if i < nc {
				*r = RecordDigest{Kind: RecordCase, ID: in.Cases[i].ID, Hash: hs[k]}
			} else {
				*r = RecordDigest{Kind: RecordReview, ID: in.Reviews[i-nc].ID, Hash: hs[k]}
			}
		}
	})
	if err != nil {
		return nil, Hash{}, err
	}
	copy(recs[nc+nr:], small)
	root, err := listRoot(alg, recordList(recs), total)
	return recs, root, err
}

// smallRecords returns the digests of the adjustments, volumes and units of in, in canonical order.
func smallRecords(in *Input, alg Algorithm) ([]RecordDigest, error) {
	x, err := newHasher(alg)
	if err != nil {
		return nil, err
	}
	var out []RecordDigest
	// Adjustments: canonical ID "<unit>/<item>/<at>#n", n numbering equal prefixes by encoding.
	type adj struct {
		prefix string
		enc    []byte
	}
	adjs := make([]adj, len(in.Adjustments))
	for i := range in.Adjustments {
		a := &in.Adjustments[i]
		adjs[i] = adj{a.Unit + "/" + a.Item + "/" + a.At.UTC().Format(time.RFC3339Nano), appendAdjustmentLeaf(nil, a)}
	}
	slices.SortFunc(adjs, func(a, b adj) int { return cmp.Or(strings.Compare(a.prefix, b.prefix), slices.Compare(a.enc, b.enc)) })
	var group []RecordDigest
	n := 0
	for i, a := range adjs {
		if i > 0 && adjs[i-1].prefix == a.prefix {
			n++
		} else {
			n = 1
		}
		group = append(group, RecordDigest{Kind: RecordAdjustment, ID: a.prefix + "#" + strconv.Itoa(n), Hash: x.leafPrefixed(a.enc)})
	}
	slices.SortFunc(group, func(a, b RecordDigest) int { return compareRecords(&a, &b) })
	out = append(out, group...)

	vols := make([]RecordDigest, len(in.Volumes))
	for i := range in.Volumes {
		v := &in.Volumes[i]
		vols[i] = RecordDigest{Kind: RecordVolume, ID: v.Unit, Hash: x.leafPrefixed(appendVolumeLeaf(nil, v))}
	}
	slices.SortFunc(vols, func(a, b RecordDigest) int { return compareRecords(&a, &b) })
	for i := 1; i < len(vols); i++ {
		if vols[i].ID == vols[i-1].ID {
			return nil, fieldErr(ErrInvalidInput, "volumes", "unit", clip(vols[i].ID), "appears twice")
		}
	}
	out = append(out, vols...)

	units := slices.DeleteFunc(slices.Clone(in.Units), func(u string) bool { return u == "" })
	slices.Sort(units)
	units = slices.Compact(units)
	us := make([]RecordDigest, len(units))
	for i, u := range units {
		us[i] = RecordDigest{Kind: RecordUnit, ID: u, Hash: x.leafPrefixed(appendUnitLeaf(nil, u))}
	}
	slices.SortFunc(us, func(a, b RecordDigest) int { return compareRecords(&a, &b) })
	return append(out, us...), nil
}

// DigestInput returns the input digest of in with algorithm alg ("": SM3): the hex root of the Merkle
// tree over its canonical records (see the package doc). It is the InputDigest a [Result] carries.
func DigestInput(in Input, alg Algorithm) (string, error) {
	_, root, err := inputTree(&in, alg)
	if err != nil {
		return "", err
	}
	return root.String(), nil
}

func digestScheme(s *Scheme, alg Algorithm) (string, error) {
	h, err := newHash(alg)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", &PolicyError{Policy: s.Name, Field: "", Reason: "cannot be encoded: " + err.Error()}
	}
	e := newEncoder(h, "hotline/assess/scheme/v2")
	e.str(string(b))
	e.flushIfFull()
	return e.sum(), nil
}

// pair is one (path, value) of a result's flattened form.
type pair struct{ path, value string }

// flatten lists every figure of r as (path, value) pairs, in a fixed order.
func flatten(r *Result) []pair {
	var out []pair
	add := func(path, value string) { out = append(out, pair{path, value}) }
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	b := strconv.FormatBool
	add("scheme", r.Scheme)
	add("scheme_version", r.SchemeVersion)
	add("period.kind", string(r.Period.Kind))
	add("period.label", r.Period.Label)
	add("period.start", ts(r.Period.Start))
	add("period.end", ts(r.Period.End))
	add("as_of", ts(r.AsOf))
	add("algorithm", string(r.Algorithm))
	add("units.count", strconv.Itoa(len(r.Units)))
	for _, u := range r.Units {
		p := "units[" + u.Unit + "]."
		x := &u.Indicators
		add(p+"unit", u.Unit)
		add(p+"sample", i64(u.Sample))
		rate := func(name string, v Rate) { add(p+name, i64(v.Num)+"/"+i64(v.Den)) }
		add(p+"received", i64(x.Received))
		rate("first_contact", x.FirstContact)
		rate("on_time", x.OnTime)
		add(p+"overdue", i64(x.Overdue))
		rate("resolution", x.Resolution)
		rate("satisfaction", x.Satisfaction)
		rate("callback_coverage", x.CallbackCoverage)
		rate("contacted", x.Contacted)
		rate("attitude", x.Attitude)
		rate("report", x.Report)
		add(p+"complaints", i64(x.Complaints))
		rate("complaint", x.Complaint)
		add(p+"returns", i64(x.Returns))
		add(p+"repeats", i64(x.Repeats))
		add(p+"reopens", i64(x.Reopens))
		add(p+"supervisions", i64(x.Supervisions))
		for i, n := range x.Ratings {
			add(p+"ratings["+string(Ratings()[i])+"]", i64(n))
		}
		add(p+"reviews", i64(x.Reviews))
		add(p+"bad_reviews", i64(x.BadReviews))
		rate("rectification", x.Rectification)
		rate("review_satisfaction", x.ReviewSatisfaction)
		for i, d := range Dimensions() {
			rate("dimension_satisfaction["+string(d)+"]", x.DimensionSatisfaction[i])
		}
		add(p+"items.count", strconv.Itoa(len(u.Items)))
		for _, it := range u.Items {
			q := p + "items[" + it.Item + "]."
			add(q+"defined", b(it.Defined))
			add(q+"fraction", it.Fraction.String())
			add(q+"points", it.Points.String())
		}
		add(p+"adjustments.count", strconv.Itoa(len(u.Adjustments)))
		for _, a := range u.Adjustments {
			q := p + "adjustments[" + a.Item + "]."
			add(q+"kind", string(a.Kind))
			add(q+"count", i64(a.Count))
			add(q+"points", a.Points.String())
			add(q+"capped", b(a.Capped))
		}
		add(p+"base", u.Base.String())
		add(p+"bonus", u.Bonus.String())
		add(p+"deduction", u.Deduction.String())
		add(p+"total", u.Total.String())
	}
	standings := func(name string, ss []Standing) {
		add(name+".count", strconv.Itoa(len(ss)))
		for i, s := range ss {
			p := name + "[" + strconv.Itoa(i) + "]."
			add(p+"rank", strconv.Itoa(s.Rank))
			add(p+"unit", s.Unit)
			add(p+"total", s.Total.String())
			add(p+"sample", i64(s.Sample))
			add(p+"reason", s.Reason)
		}
	}
	standings("ranking.ranked", r.Ranking.Ranked)
	standings("ranking.not_ranked", r.Ranking.NotRanked)
	return out
}

// digestResult returns the digest over r's algorithm, input and scheme digests and flattened figures.
func digestResult(r *Result) (string, error) {
	h, err := newHash(r.Algorithm)
	if err != nil {
		return "", err
	}
	e := newEncoder(h, "hotline/assess/result/v2")
	e.str(string(r.Algorithm))
	e.str(r.InputDigest)
	e.str(r.SchemeDigest)
	for _, p := range flatten(r) {
		e.str(p.path)
		e.str(p.value)
		e.flushIfFull()
	}
	return e.sum(), nil
}

// Verify recomputes the result of scoring in with s for r's period and instant, and reports whether r
// is that result. It returns nil when it is; a [*MismatchError] (wrapping [ErrMismatch]) naming the
// first thing that differs; or the validation error of in, s or the query. This is how a published
// bulletin is checked (001 (十): 统计分析结果……不可更改).
//
// When the input is not the one r was computed from and r carries its records ([Result.Records]),
// the error names the first record, in canonical order, that was changed ("changed"), is no longer in
// the data ("missing") or was not in it ("added"), as "input[case:C-7]"; [DiffRecords] lists them all.
// r's records are first checked against r's input digest, so they cannot be edited to hide a change
// (Path "records"). A result published without its records ([Result.Public]) reports "input_digest".
// Otherwise the path is "scheme_digest" for the scheme, a field path such as "units[U-03].total" when
// a figure was changed, or "digest" when only the digest was.
func Verify(in Input, s Scheme, r Result) error {
	if r.Algorithm != s.algorithm() {
		return &MismatchError{Path: "algorithm", Want: string(s.algorithm()), Got: clip(string(r.Algorithm))}
	}
	fresh, err := Score(in, s, Query{Period: r.Period, AsOf: r.AsOf})
	if err != nil {
		return err
	}
	if fresh.InputDigest != r.InputDigest {
		return inputMismatch(&fresh, &r)
	}
	if fresh.SchemeDigest != r.SchemeDigest {
		return &MismatchError{Path: "scheme_digest", Want: fresh.SchemeDigest, Got: r.SchemeDigest}
	}
	want, got := flatten(&fresh), flatten(&r)
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(got):
			return &MismatchError{Path: want[i].path, Want: want[i].value, Got: "(missing)"}
		case i >= len(want):
			return &MismatchError{Path: got[i].path, Want: "(absent)", Got: got[i].value}
		case want[i].path != got[i].path:
			return &MismatchError{Path: want[i].path, Want: want[i].value, Got: "(missing; result has " + got[i].path + ")"}
		case want[i].value != got[i].value:
			return &MismatchError{Path: want[i].path, Want: want[i].value, Got: got[i].value}
		}
	}
	if fresh.Digest != r.Digest {
		return &MismatchError{Path: "digest", Want: fresh.Digest, Got: r.Digest}
	}
	return nil
}

// inputMismatch explains an input digest that differs: by record when r carries its records.
func inputMismatch(fresh, r *Result) error {
	if len(r.Records) == 0 {
		return &MismatchError{Path: "input_digest", Want: fresh.InputDigest, Got: r.InputDigest}
	}
	root, err := listRoot(r.Algorithm, recordList(r.Records), len(r.Records))
	if err != nil {
		return err
	}
	if root.String() != r.InputDigest {
		return &MismatchError{Path: "records", Want: r.InputDigest, Got: root.String() + " (the root of the result's records)"}
	}
	changes := DiffRecords(r.Records, fresh.Records)
	if len(changes) == 0 { // cannot happen: equal records give equal roots
		return &MismatchError{Path: "input_digest", Want: fresh.InputDigest, Got: r.InputDigest}
	}
	c := changes[0]
	me := &MismatchError{Path: "input[" + c.Key + "]", Change: c.Change, Want: "(missing)", Got: "(absent)"}
	if c.Current != nil {
		me.Want = c.Current.String()
	}
	if c.Published != nil {
		me.Got = c.Published.String()
	}
	return me
}

// RecordChange is one difference between the records of a published result and those of the data
// now: a record whose leaf hash changed, one that is missing from the data, or one that was added.
type RecordChange struct {
	Key       string `json:"key"`    // "<kind>:<canonical id>", e.g. "case:C-7"
	Change    string `json:"change"` // "changed", "missing" or "added"
	Published *Hash  `json:"published,omitempty"`
	Current   *Hash  `json:"current,omitempty"`
}

// DiffRecords compares the records of a published result with those recomputed from the data now
// (both in canonical order, as [Score] returns them) and lists every difference, in canonical order.
func DiffRecords(published, current []RecordDigest) []RecordChange {
	var out []RecordChange
	i, j := 0, 0
	for i < len(published) || j < len(current) {
		var c int
		switch {
		case i == len(published):
			c = 1
		case j == len(current):
			c = -1
		default:
			c = compareRecords(&published[i], &current[j])
		}
		switch {
		case c < 0:
			p := published[i].Hash
			out = append(out, RecordChange{Key: published[i].Key(), Change: "missing", Published: &p})
			i++
		case c > 0:
			q := current[j].Hash
			out = append(out, RecordChange{Key: current[j].Key(), Change: "added", Current: &q})
			j++
		default:
			if published[i].Hash != current[j].Hash {
				p, q := published[i].Hash, current[j].Hash
				out = append(out, RecordChange{Key: current[j].Key(), Change: "changed", Published: &p, Current: &q})
			}
			i++
			j++
		}
	}
	return out
}
