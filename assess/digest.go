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

// Canonical encodings.
//
// Three things are digested, each with its own domain string so that no encoding of one can be
// mistaken for another:
//
//   - the input ("hotline/assess/input/v1"): cases sorted by ID, reviews sorted by ID, adjustments and
//     volumes sorted by their full encoding, and the extra units sorted and de-duplicated. Every string
//     is written as its byte length (unsigned LEB128) then its bytes; every integer as 8 bytes
//     big-endian; every time as its Unix seconds (8 bytes) and nanoseconds (4 bytes), so a time's zone
//     never matters and the zero time is distinct from every real one; every boolean and answer as one
//     byte. Each list is preceded by its length. Duplicate case or review IDs and duplicate volume units
//     are refused: they would count a record twice.
//   - the scheme ("hotline/assess/scheme/v1"): its JSON encoding by encoding/json, whose field order is
//     fixed and whose numbers are [Fixed] decimals.
//   - the result ("hotline/assess/result/v1"): the algorithm, input digest and scheme digest, then the
//     list of (path, value) pairs that [Verify] compares — every field of every unit, in unit order,
//     then the ranking — each pair as two length-prefixed strings.

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
	e.flushIfFull()
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

func (e *encoder) time(t time.Time) {
	e.i64(t.Unix())
	e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(t.Nanosecond()))
}

func (e *encoder) sum() string {
	e.h.Write(e.buf)
	e.buf = e.buf[:0]
	return hex.EncodeToString(e.h.Sum(nil))
}

func (e *encoder) caseRecord(c *CaseRecord) {
	e.str(c.ID)
	e.str(c.Unit)
	e.boolean(c.Complaint)
	e.str(c.Matter)
	e.str(c.Place)
	e.time(c.ReceivedAt)
	e.time(c.FirstContactDue)
	e.time(c.FirstContactAt)
	e.time(c.ReplyDue)
	e.time(c.RepliedAt)
	e.time(c.CallbackAt)
	e.byte1(byte(c.Contacted))
	e.byte1(byte(c.Resolved))
	e.byte1(byte(c.Satisfaction))
	e.byte1(byte(c.Attitude))
	e.byte1(byte(c.ReportAccepted))
	e.i64(int64(c.Repeats))
	e.i64(int64(c.Returns))
	e.i64(int64(c.Reopens))
	e.i64(int64(c.Supervisions))
	e.boolean(c.Unfounded)
	e.flushIfFull()
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

// sortedByID returns the indexes of n records ordered by id, and the first duplicated id if any.
func sortedByID(n int, id func(int) string) ([]int32, string) {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	sorted := true
	for i := 1; i < n; i++ {
		if id(i-1) >= id(i) {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortFunc(idx, func(a, b int32) int { return strings.Compare(id(int(a)), id(int(b))) })
	}
	for i := 1; i < n; i++ {
		if id(int(idx[i-1])) == id(int(idx[i])) {
			return idx, id(int(idx[i]))
		}
	}
	return idx, ""
}

// digestInput returns the digest of the canonical encoding of in.
func digestInput(in *Input, alg Algorithm) (string, error) {
	h, err := newHash(alg)
	if err != nil {
		return "", err
	}
	e := newEncoder(h, "hotline/assess/input/v1")

	idx, dup := sortedByID(len(in.Cases), func(i int) string { return in.Cases[i].ID })
	if dup != "" {
		return "", fieldErr(ErrInvalidInput, "cases", "id", dup, "appears twice")
	}
	e.i64(int64(len(idx)))
	for _, i := range idx {
		e.caseRecord(&in.Cases[i])
	}

	idx, dup = sortedByID(len(in.Reviews), func(i int) string { return in.Reviews[i].ID })
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
		b = binary.BigEndian.AppendUint64(b, uint64(a.Count))
		b = binary.BigEndian.AppendUint64(b, uint64(a.At.Unix()))
		b = binary.BigEndian.AppendUint32(b, uint32(a.At.Nanosecond()))
		b = binary.AppendUvarint(b, uint64(len(a.Evidence)))
		b = append(b, a.Evidence...)
		adj[i] = string(b)
	}
	slices.Sort(adj)
	e.i64(int64(len(adj)))
	for _, a := range adj {
		e.str(a)
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
	}

	units := slices.DeleteFunc(slices.Clone(in.Units), func(u string) bool { return u == "" })
	slices.Sort(units)
	units = slices.Compact(units)
	e.i64(int64(len(units)))
	for _, u := range units {
		e.str(u)
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
