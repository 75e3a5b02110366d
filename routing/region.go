package routing

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hotline12345/hotline/internal/enum"
)

// A RegionCode is a 统计用区划代码: a string of 2, 4, 6, 9 or 12 digits
// (province, city, county, town, village). It is never padded and never a
// number: "310113" is 宝山区, "310113003" is 友谊路街道 in it.
type RegionCode string

// ParseRegionCode returns s as a [RegionCode] if it is well formed.
func ParseRegionCode(s string) (RegionCode, error) {
	if reason := regionCodeProblem(s); reason != "" {
		return "", newCodeError("region code", s, reason)
	}
	return RegionCode(s), nil
}

func regionCodeProblem(s string) string {
	switch len(s) {
	case 2, 4, 6, 9, 12:
	default:
		return fmt.Sprintf("length %d, want 2, 4, 6, 9 or 12 digits", len(s))
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Sprintf("byte %d is not a digit", i)
		}
	}
	return ""
}

// Valid reports whether c is well formed.
func (c RegionCode) Valid() bool { return regionCodeProblem(string(c)) == "" }

// Level returns the level of c by its length, or "" if c is not well formed.
func (c RegionCode) Level() RegionLevel {
	if !c.Valid() {
		return ""
	}
	return levelOfLen(len(c))
}

func levelOfLen(n int) RegionLevel {
	switch n {
	case 2:
		return LevelProvince
	case 4:
		return LevelCity
	case 6:
		return LevelCounty
	case 9:
		return LevelTown
	case 12:
		return LevelVillage
	}
	return ""
}

// Parent returns the code of the division that contains c (c cut to the
// parent level's length), or "" for a province or a malformed code.
func (c RegionCode) Parent() RegionCode {
	switch c.Level() {
	case LevelCity:
		return c[:2]
	case LevelCounty:
		return c[:4]
	case LevelTown:
		return c[:6]
	case LevelVillage:
		return c[:9]
	}
	return ""
}

// Contains reports whether the area c contains the place p: both are well
// formed and c is p or one of its ancestors (a prefix at a level boundary).
func (c RegionCode) Contains(p RegionCode) bool {
	return c.Valid() && p.Valid() && len(c) <= len(p) && p[:len(c)] == c
}

// A Region is one division of the tree.
type Region struct {
	Code   RegionCode  `json:"code"`
	Name   string      `json:"name"`
	Parent RegionCode  `json:"parent_code,omitempty"`
	Level  RegionLevel `json:"level"`
}

// regionEntry is one division, without pointers (so that the garbage
// collector need not scan a national tree): its code and name are
// text[off:off+codeLen] and text[off+codeLen:off+codeLen+nameLen].
type regionEntry struct {
	off     int32
	parent  int32 // position of the parent, -1 for a root
	nameLen uint16
	codeLen uint8
}

// A RegionTree is an immutable 行政区划 tree, possibly partial (e.g. one
// district and everything below it). Its roots are the divisions at the
// broadest level it holds; every other division's parent is in the tree. It
// is safe for concurrent use.
type RegionTree struct {
	text    string           // codes and names, back to back
	entries []regionEntry    // tree order: code padded with zeros, then level
	index   map[uint64]int32 // codeKey(code) → position in entries
	roots   RegionLevel      // broadest level held
}

// codeKey maps a well-formed region code to a unique number: its value
// times 16 plus its length, so "31" and "0031"-style prefixes never collide.
func codeKey(c RegionCode) uint64 {
	var v uint64
	for i := range len(c) {
		v = v*10 + uint64(c[i]-'0')
	}
	return v<<4 | uint64(len(c))
}

func (t *RegionTree) code(i int32) RegionCode {
	e := t.entries[i]
	return RegionCode(t.text[e.off : e.off+int32(e.codeLen)])
}

func (t *RegionTree) name(i int32) string {
	e := t.entries[i]
	start := e.off + int32(e.codeLen)
	return t.text[start : start+int32(e.nameLen)]
}

// pos returns the position of c in the tree.
func (t *RegionTree) pos(c RegionCode) (int32, bool) {
	if t == nil || !c.Valid() {
		return 0, false
	}
	i, ok := t.index[codeKey(c)]
	return i, ok
}

// cmpTreeOrder orders codes as the source files do: by the code right-padded
// with zeros to 12 digits, then by length (a parent before its children).
func cmpTreeOrder(a, b RegionCode) int {
	for i := range 12 {
		ca, cb := byte('0'), byte('0')
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a), len(b))
}

// NewRegionTree builds a tree from regions. Each region's Parent and Level,
// if set, must agree with its code; a code may occur more than once only
// with the same name. Every region below the broadest level present must
// have its parent in the tree.
func NewRegionTree(regions []Region) (*RegionTree, error) {
	b := newTreeBuilder(len(regions))
	for i, r := range regions {
		if err := b.add("regions", i+1, r); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

type treeBuilder struct {
	text    []byte
	entries []regionEntry
	index   map[uint64]int32
	rows    []rowRef // where each entry came from, for error messages
	read    int      // data rows read from CSV sources, duplicates included
}

type rowRef struct {
	source string
	row    int
}

func newTreeBuilder(n int) *treeBuilder {
	return &treeBuilder{
		entries: make([]regionEntry, 0, n),
		index:   make(map[uint64]int32, n),
		rows:    make([]rowRef, 0, n),
	}
}

func (b *treeBuilder) add(source string, row int, r Region) error {
	code := string(r.Code)
	if reason := regionCodeProblem(code); reason != "" {
		return &RowError{Source: source, Row: row, Field: "code", Value: code,
			Err: newCodeError("region code", code, reason)}
	}
	if r.Level != "" && r.Level != r.Code.Level() {
		return rowErr(source, row, code, "level", r.Level.String(), ErrConflict,
			"a %d-digit code is at level %s", len(code), r.Code.Level())
	}
	if r.Parent != "" && r.Parent != r.Code.Parent() {
		return rowErr(source, row, code, "parent_code", string(r.Parent), ErrConflict,
			"the parent of %s must be %q", code, r.Code.Parent())
	}
	name := strings.TrimSpace(r.Name)
	switch {
	case name == "":
		return rowErr(source, row, code, "name", "", ErrInvalidField, "empty name")
	case !utf8.ValidString(name):
		return rowErr(source, row, code, "name", "", ErrInvalidField, "name is not valid UTF-8")
	case len(name) > MaxNameBytes:
		return rowErr(source, row, code, "name", "", ErrInvalidField, "name longer than %d bytes (MaxNameBytes)", MaxNameBytes)
	}
	key := codeKey(r.Code)
	if i, ok := b.index[key]; ok {
		e := b.entries[i]
		prev := string(b.text[e.off+int32(e.codeLen) : e.off+int32(e.codeLen)+int32(e.nameLen)])
		if prev != name {
			ref := b.rows[i]
			return rowErr(source, row, code, "name", name, ErrConflict,
				"%s row %d names it %q", ref.source, ref.row, prev)
		}
		return nil
	}
	if len(b.text)+len(code)+len(name) > 1<<31-1 {
		return rowErr(source, row, code, "", "", ErrMalformed, "too many regions")
	}
	b.index[key] = int32(len(b.entries))
	b.entries = append(b.entries, regionEntry{off: int32(len(b.text)), codeLen: uint8(len(code)), nameLen: uint16(len(name)), parent: -1})
	b.text = append(b.text, code...)
	b.text = append(b.text, name...)
	b.rows = append(b.rows, rowRef{source, row})
	return nil
}

func (b *treeBuilder) finish() (*RegionTree, error) {
	t := &RegionTree{text: string(b.text), entries: b.entries, index: b.index}
	b.text = nil
	if len(t.entries) == 0 {
		return t, nil
	}
	t.roots = LevelVillage
	for i := range t.entries {
		if l := t.code(int32(i)).Level(); l.Broader(t.roots) {
			t.roots = l
		}
	}
	for i := range t.entries {
		c := t.code(int32(i))
		if c.Level() == t.roots {
			continue
		}
		if _, ok := t.index[codeKey(c.Parent())]; !ok {
			ref := b.rows[i]
			return nil, rowErr(ref.source, ref.row, string(c), "parent_code", string(c.Parent()),
				ErrUnknownParent, "region %s is not in the tree", c.Parent())
		}
	}
	byOrder := func(x, y regionEntry) int {
		return cmpTreeOrder(RegionCode(t.text[x.off:x.off+int32(x.codeLen)]), RegionCode(t.text[y.off:y.off+int32(y.codeLen)]))
	}
	if !slices.IsSortedFunc(t.entries, byOrder) {
		slices.SortFunc(t.entries, byOrder)
		for i := range t.entries {
			t.index[codeKey(t.code(int32(i)))] = int32(i)
		}
	}
	for i := range t.entries {
		if c := t.code(int32(i)); t.roots.Broader(c.Level()) {
			t.entries[i].parent = t.index[codeKey(c.Parent())]
		}
	}
	return t, nil
}

// RegionCSVHeader is the header line that [ReadRegions] requires.
const RegionCSVHeader = "code,name,parent_code,level"

// ReadRegions reads one or more region CSV files and builds their merged
// tree. Each source is RFC 4180 CSV with the header [RegionCSVHeader]
// (code, name, parent_code, level), UTF-8 with an optional byte-order mark,
// and may be gzip-compressed (detected by its magic bytes). This is the
// format of the 2023 统计用区划代码 files in testdata/. A division that occurs
// in several sources must have the same name in each.
//
// Input is bounded before it is buffered: a record (row) of at most
// [MaxRecordBytes], at most [MaxRegionBytes] after decompression and
// [MaxRegionRows] rows over all sources together, names of at most
// [MaxNameBytes]. Errors are [*RowError] values naming the source (by
// position, "regions[1]") and line; a bound, a truncated gzip stream or bad
// CSV wraps [ErrMalformed].
func ReadRegions(sources ...io.Reader) (*RegionTree, error) {
	return readRegions(regionLimits(), sources...)
}

func readRegions(lim csvLimits, sources ...io.Reader) (*RegionTree, error) {
	b := newTreeBuilder(0)
	budget := lim.bytes
	for si, src := range sources {
		name := fmt.Sprintf("regions[%d]", si)
		if err := b.readCSV(name, src, &budget, lim); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

func (b *treeBuilder) readCSV(source string, src io.Reader, budget *int64, lim csvLimits) error {
	if src == nil {
		return rowErr(source, 0, "", "", "", ErrMalformed, "nil reader: nothing to read")
	}
	var r io.Reader = bufio.NewReaderSize(src, 64<<10)
	if magic, err := r.(*bufio.Reader).Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return rowErr(source, 0, "", "", "", ErrMalformed, "gzip: %v", err)
		}
		defer zr.Close()
		r = zr
	}
	// The guard bounds each record and the decompressed total before the
	// CSV reader buffers anything.
	cr := csv.NewReader(bufio.NewReaderSize(newCSVGuard(r, budget, lim), 64<<10))
	cr.FieldsPerRecord = 4
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvErr(source, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	if strings.Join(header, ",") != RegionCSVHeader {
		return rowErr(source, 1, "", "", strings.Join(header, ","), ErrMalformed, "header must be %q", RegionCSVHeader)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvErr(source, err)
		}
		line, _ := cr.FieldPos(0)
		if b.read++; b.read > lim.rows {
			return rowErr(source, line, "", "", "", ErrMalformed, "%s", lim.tooManyRows())
		}
		lvl, err := ParseRegionLevel(rec[3])
		if err != nil {
			return &RowError{Source: source, Row: line, ID: enum.Clip(rec[0]), Field: "level", Value: enum.Clip(rec[3]), Err: err}
		}
		code := RegionCode(rec[0])
		if reason := regionCodeProblem(rec[0]); reason == "" && RegionCode(rec[2]) != code.Parent() {
			return rowErr(source, line, rec[0], "parent_code", rec[2], ErrConflict,
				"the parent of %s must be %q", rec[0], code.Parent())
		}
		// A reused record reuses the slice, not the strings: keeping them is safe.
		r := Region{Code: code, Name: rec[1], Level: lvl}
		if err := b.add(source, line, r); err != nil {
			return err
		}
	}
}

func csvErr(source string, err error) error {
	var ge *guardError
	if errors.As(err, &ge) {
		return rowErr(source, ge.line, "", "", "", ErrMalformed, "%s", ge.reason)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rowErr(source, pe.Line, "", "", "", ErrMalformed, "%v", pe.Err)
	}
	if err == io.EOF {
		return rowErr(source, 0, "", "", "", ErrMalformed, "empty input, want a header")
	}
	return rowErr(source, 0, "", "", "", ErrMalformed, "%v", err)
}

// Len returns the number of divisions in t.
func (t *RegionTree) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// RootLevel returns the broadest level that t holds ("" for an empty tree).
func (t *RegionTree) RootLevel() RegionLevel {
	if t == nil {
		return ""
	}
	return t.roots
}

// Has reports whether t holds the division c.
func (t *RegionTree) Has(c RegionCode) bool {
	_, ok := t.pos(c)
	return ok
}

// Region returns the division c and whether t holds it.
func (t *RegionTree) Region(c RegionCode) (Region, bool) {
	i, ok := t.pos(c)
	if !ok {
		return Region{}, false
	}
	return t.region(i), true
}

func (t *RegionTree) region(i int32) Region {
	c := t.code(i)
	return Region{Code: c, Name: t.name(i), Parent: c.Parent(), Level: c.Level()}
}

// Ancestors returns c's chain in t from the root down to c itself (broadest
// first). It returns nil if t does not hold c.
func (t *RegionTree) Ancestors(c RegionCode) []Region {
	i, ok := t.pos(c)
	if !ok {
		return nil
	}
	var chain []Region
	for ; i >= 0; i = t.entries[i].parent {
		chain = append(chain, t.region(i))
	}
	slices.Reverse(chain)
	return chain
}

// Contains reports whether t holds both divisions and area contains place.
func (t *RegionTree) Contains(area, place RegionCode) bool {
	return t.Has(area) && t.Has(place) && area.Contains(place)
}

// All yields every division in tree order (each parent before its children,
// siblings by code).
func (t *RegionTree) All() iter.Seq[Region] {
	return func(yield func(Region) bool) {
		for i := range t.Len() {
			if !yield(t.region(int32(i))) {
				return
			}
		}
	}
}

// Children yields the divisions directly below c, by code.
func (t *RegionTree) Children(c RegionCode) iter.Seq[Region] {
	return func(yield func(Region) bool) {
		i, ok := t.pos(c)
		if !ok {
			return
		}
		// Descendants of c are contiguous right after it in tree order.
		for j := i + 1; j < int32(len(t.entries)); j++ {
			if !c.Contains(t.code(j)) {
				return
			}
			if t.entries[j].parent == i && !yield(t.region(j)) {
				return
			}
		}
	}
}

// WriteCSV writes t in the format [ReadRegions] reads, in tree order.
func (t *RegionTree) WriteCSV(w io.Writer) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(strings.Split(RegionCSVHeader, ",")); err != nil {
		return err
	}
	for i := range t.Len() {
		c := t.code(int32(i))
		if err := cw.Write([]string{string(c), t.name(int32(i)), string(c.Parent()), c.Level().String()}); err != nil {
			return err
		}
		if buf.Len() > 32<<10 {
			cw.Flush()
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
