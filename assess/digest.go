package assess

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

func newHash(alg Algorithm) (hash.Hash, error) {
	switch alg {
	case SM3, "":
		return sm3.New(), nil
	case SHA256:
		return sha256.New(), nil
	}
	return nil, fieldErr(ErrInvalidPeriod, "query", "algorithm", string(alg), "is not SM3 or SHA-256")
}

// encoder writes the canonical encoding into a hash through a buffer.
type encoder struct {
	h   hash.Hash
	buf []byte
	// warm keeps the result of warmCases so that its loads are not optimised away; it is never
	// hashed.
	warm uint64
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

func (e *encoder) str(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) i64(v int64) { e.buf = binary.BigEndian.AppendUint64(e.buf, uint64(v)) }

func (e *encoder) byte1(b byte) { e.buf = append(e.buf, b) }

func (e *encoder) boolean(b bool) {
	if b {
		e.byte1(1)
	} else {
		e.byte1(0)
	}
}

func (e *encoder) time(t time.Time) { e.buf = appendTime(e.buf, t) }

func (e *encoder) sum() string {
	e.h.Write(e.buf)
	e.buf = e.buf[:0]
	return hex.EncodeToString(e.h.Sum(nil))
}

// Appending helpers on a local slice, used by the per-record encoders: keeping the slice in a local
// variable instead of re-storing it in the encoder after every field halves the cost of encoding a
// million records.

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

// appendCase appends the canonical encoding of c to b.
func appendCase(b []byte, c *CaseRecord) []byte {
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
	b = append(b, byte(c.Contacted), byte(c.Resolved), byte(c.Satisfaction), byte(c.Attitude), byte(c.ReportAccepted))
	b = binary.AppendVarint(b, int64(c.Repeats))
	b = binary.AppendVarint(b, int64(c.Returns))
	b = binary.AppendVarint(b, int64(c.Reopens))
	b = binary.AppendVarint(b, int64(c.Supervisions))
	return appendBool(b, c.Unfounded)
}

// warmBlock is the number of cases warmCases loads ahead: a block's records and strings (about 0.5 KB
// each) stay well inside a 1 MB L2 cache.
const warmBlock = 512

// warmCases loads, for each case of blk, a few words spread over the record and the first byte of each
// of its ID, matter and place strings, and returns a value computed from them. The loads of different
// records do not depend on one another, so the processor overlaps their cache misses — where encoding
// the records in turn would wait for each — and the encoding that follows finds the block in the cache.
// It changes only the speed, never the encoding; which fields it reads is a matter of the record's
// layout (CaseRecord spans about five cache lines).
func warmCases(cases []CaseRecord, blk []int32) uint64 {
	var sink uint64
	for _, i := range blk {
		c := &cases[i]
		s := uint64(len(c.ID)) + uint64(len(c.Place)) + uint64(c.Contacted) + uint64(c.Repeats) + uint64(c.Supervisions)
		if c.FirstContactAt.IsZero() {
			s++
		}
		if c.RepliedAt.IsZero() {
			s++
		}
		if len(c.ID) > 0 {
			s += uint64(c.ID[0])
		}
		if len(c.Matter) > 0 {
			s += uint64(c.Matter[0])
		}
		if len(c.Place) > 0 {
			s += uint64(c.Place[0])
		}
		sink += s
	}
	return sink
}

func (e *encoder) review(r *Review) {
	e.str(r.ID)
	e.byte1(byte(r.Level))
	dims := make([]Dimension, 0, len(r.Dimensions))
	for d := range r.Dimensions {
		dims = append(dims, d)
	}
	slices.Sort(dims)
	e.i64(int64(len(dims)))
	for _, d := range dims {
		e.str(string(d))
		e.byte1(byte(r.Dimensions[d]))
	}
	e.str(string(r.Channel))
	e.str(r.Matter)
	e.str(r.Unit)
	e.str(r.Window)
	e.str(r.Staff)
	e.str(r.Rater)
	e.str(r.Device)
	e.time(r.At)
	e.boolean(r.Unfounded)
	e.boolean(r.AppealPending)
	e.boolean(r.Rectified)
	e.flushIfFull()
}

// canonicalOrder returns the indexes of n records in canonical order — by the 64-bit FNV-1a hash of
// the ID, then by the ID itself — and the first duplicated ID if any. Ordering by a hash first sorts
// fixed-size integer keys held together in memory, which is several times faster than comparing
// strings scattered over a million records, and is just as deterministic: FNV-1a is a fixed function.
func canonicalOrder(n int, id func(int) string) ([]int32, string) {
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
	idx := make([]int32, n)
	dup := ""
	for j, k := range keys {
		idx[j] = k.i
		if dup == "" && j > 0 && keys[j-1].h == k.h && id(int(keys[j-1].i)) == id(int(k.i)) {
			dup = id(int(k.i))
		}
	}
	return idx, dup
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

// digestInput returns the digest of the canonical encoding of in.
func digestInput(in *Input, alg Algorithm) (string, error) {
	h, err := newHash(alg)
	if err != nil {
		return "", err
	}
	e := newEncoder(h, "hotline/assess/input/v1")

	idx, dup := canonicalOrder(len(in.Cases), func(i int) string { return in.Cases[i].ID })
	if dup != "" {
		return "", fieldErr(ErrInvalidInput, "cases", "id", dup, "appears twice")
	}
	// Stream the cases into the hash in canonical order, without holding their encoding. Canonical
	// order visits the records at random; encoding them one after another would wait on each record's
	// cache misses in turn, so each block is first warmed, then encoded from the cache.
	e.i64(int64(len(idx)))
	for lo := 0; lo < len(idx); lo += warmBlock {
		blk := idx[lo:min(lo+warmBlock, len(idx))]
		e.warm ^= warmCases(in.Cases, blk)
		for _, i := range blk {
			e.buf = appendCase(e.buf, &in.Cases[i])
			e.flushIfFull()
		}
	}

	idx, dup = canonicalOrder(len(in.Reviews), func(i int) string { return in.Reviews[i].ID })
	if dup != "" {
		return "", fieldErr(ErrInvalidInput, "reviews", "id", dup, "appears twice")
	}
	e.i64(int64(len(idx)))
	for _, i := range idx {
		e.review(&in.Reviews[i])
	}

	adj := make([]string, len(in.Adjustments))
	for i, a := range in.Adjustments {
		var b []byte
		b = binary.AppendUvarint(b, uint64(len(a.Unit)))
		b = append(b, a.Unit...)
		b = binary.AppendUvarint(b, uint64(len(a.Item)))
		b = append(b, a.Item...)
		b = binary.AppendVarint(b, int64(a.Count))
		b = appendTime(b, a.At)
		b = binary.AppendUvarint(b, uint64(len(a.Evidence)))
		b = append(b, a.Evidence...)
		adj[i] = string(b)
	}
	slices.Sort(adj)
	e.i64(int64(len(adj)))
	for _, a := range adj {
		e.str(a)
		e.flushIfFull()
	}

	vols := slices.Clone(in.Volumes)
	slices.SortFunc(vols, func(a, b Volume) int { return cmp.Compare(a.Unit, b.Unit) })
	e.i64(int64(len(vols)))
	for i, v := range vols {
		if i > 0 && vols[i-1].Unit == v.Unit {
			return "", fieldErr(ErrInvalidInput, "volumes", "unit", v.Unit, "appears twice")
		}
		e.str(v.Unit)
		e.i64(v.Count)
		e.flushIfFull()
	}

	units := slices.DeleteFunc(slices.Clone(in.Units), func(u string) bool { return u == "" })
	slices.Sort(units)
	units = slices.Compact(units)
	e.i64(int64(len(units)))
	for _, u := range units {
		e.str(u)
		e.flushIfFull()
	}
	return e.sum(), nil
}

// DigestInput returns the hex digest of the canonical encoding of in (see the package doc), with
// algorithm alg (zero: SM3). It is the InputDigest a [Result] carries.
func DigestInput(in Input, alg Algorithm) (string, error) { return digestInput(&in, alg) }

func digestScheme(s *Scheme, alg Algorithm) (string, error) {
	h, err := newHash(alg)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("%w: encoding scheme: %w", ErrInvalidScheme, err)
	}
	e := newEncoder(h, "hotline/assess/scheme/v1")
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
		for i, n := range x.Levels {
			add(p+"levels["+strconv.Itoa(i+1)+"]", i64(n))
		}
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
	e := newEncoder(h, "hotline/assess/result/v1")
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

// Verify recomputes the result of scoring in with s for r's period, instant and algorithm, and
// reports whether r is that result. It returns nil when it is; a [*MismatchError] (wrapping
// [ErrMismatch]) naming the first thing that differs — "input_digest" when the input is not the one
// r was computed from, "scheme_digest" for the scheme, a field path such as "units[U-03].total" when a
// figure was changed, "digest" when only the digest was; or the validation error of in, s or the
// query. This is how a published bulletin is checked (001 (十): 统计分析结果……不可更改).
func Verify(in Input, s Scheme, r Result) error {
	fresh, err := Score(in, s, Query{Period: r.Period, AsOf: r.AsOf, Algorithm: r.Algorithm})
	if err != nil {
		return err
	}
	if fresh.InputDigest != r.InputDigest {
		return &MismatchError{Path: "input_digest", Want: fresh.InputDigest, Got: r.InputDigest}
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
