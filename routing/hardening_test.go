package routing

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allocated returns the bytes f allocates on the heap (all goroutines; the
// tests that use it do not run in parallel).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// repeatReader yields s over and over, n bytes in all, without holding them.
type repeatReader struct {
	s string
	n int64
	i int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	k := 0
	for k < len(p) {
		c := copy(p[k:], r.s[r.i:])
		k += c
		r.i = (r.i + c) % len(r.s)
	}
	r.n -= int64(k)
	return k, nil
}

// hugeFieldCSV streams a region CSV whose second row holds one quoted name of
// n bytes of fill (fill may contain newlines: a field over many lines).
func hugeFieldCSV(n int64, fill string) io.Reader {
	return io.MultiReader(
		strings.NewReader(RegionCSVHeader+"\n31,上海市,,province\n3101,\""),
		&repeatReader{s: fill, n: n},
		strings.NewReader("\",31,city\n"))
}

// gzipBomb returns a gzip stream (a few hundred KB) that decompresses to a
// region CSV with one name of n bytes.
func gzipBomb(tb testing.TB, n int64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(tb, err)
	_, err = io.Copy(zw, hugeFieldCSV(n, "a"))
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// Issue 9: a 199 KB gzip holding one 200 MB field made ReadRegions allocate
// 1.5 GB before failing. The record is refused once it passes MaxRecordBytes,
// before the CSV reader buffers it: the whole load allocates a few MB.
func TestReadRegionsGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, 32<<20)
	t.Logf("bomb: %d bytes of gzip", len(bomb))
	var err error
	n := allocated(func() { _, err = ReadRegions(bytes.NewReader(bomb)) })
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrMalformed)
	var re *RowError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Row, "names the line the record starts on: %v", err)
	assert.Contains(t, err.Error(), "longer than")
	assert.Less(t, n, uint64(8<<20), "allocated %d bytes on a 32 MB field", n)
}

// The same with plain CSV, and with the field spread over many short lines
// inside one pair of quotes (a record of a million lines).
func TestReadRegionsHugeField(t *testing.T) {
	for _, fill := range []string{"a", "名", "a\n", "\"\"", "\r\n\"\""} {
		t.Run(fmt.Sprintf("%q", fill), func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = ReadRegions(hugeFieldCSV(16<<20, fill)) })
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Less(t, n, uint64(8<<20), "allocated %d bytes", n)
		})
	}
}

// Units and matters CSV: the same bound per record.
func TestReadCSVHugeField(t *testing.T) {
	for name, read := range map[string]func(io.Reader) error{
		"units":   func(r io.Reader) error { _, err := ReadUnitsCSV(r); return err },
		"matters": func(r io.Reader) error { _, err := ReadMattersCSV(r); return err },
	} {
		for _, fill := range []string{"a", "a\n"} {
			t.Run(fmt.Sprintf("%s %q", name, fill), func(t *testing.T) {
				src := io.MultiReader(strings.NewReader("code,name,kind,id\n\""), &repeatReader{s: fill, n: 16 << 20}, strings.NewReader("\",x,y,z\n"))
				if name == "units" {
					src = io.MultiReader(strings.NewReader("id,name,kind\n\""), &repeatReader{s: fill, n: 16 << 20}, strings.NewReader("\",x,street\n"))
				}
				var err error
				n := allocated(func() { err = read(src) })
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMalformed)
				assert.Less(t, n, uint64(8<<20), "allocated %d bytes", n)
			})
		}
	}
}

// A directory whose units multiply areas by matters into more (matter, area)
// postings than the index holds is refused before the index is allocated.
func TestNewDirectoryPostingsBound(t *testing.T) {
	tree := loadTree(t)
	var areas []RegionCode
	for r := range tree.All() {
		areas = append(areas, r.Code)
	}
	var ms []Matter
	var codes []MatterCode
	for a := 1; a <= 99; a++ {
		top := MatterCode(fmt.Sprintf("%02d", a))
		ms = append(ms, Matter{Code: top, Name: "类", Kind: MatterTerritorial})
		codes = append(codes, top)
		for b := 1; b <= 99; b++ {
			c := MatterCode(fmt.Sprintf("%s%02d", top, b))
			ms = append(ms, Matter{Code: c, Name: "项"})
			codes = append(codes, c)
		}
	}
	var units []Unit
	for i := range 4 {
		units = append(units, Unit{ID: fmt.Sprintf("u%d", i), Name: "部门", Kind: UnitCityDepartment, Areas: areas, Matters: codes})
	}
	require.Greater(t, len(units)*len(areas)*len(codes), MaxPostings)
	var err error
	n := allocated(func() { _, err = NewDirectory(tree, ms, units) })
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "postings")
	assert.Less(t, n, uint64(64<<20), "allocated %d bytes", n)
}

// Issue 9: zero values are refused with an error, never a panic.
func TestZeroValuesRefused(t *testing.T) {
	req := Request{Place: baogang1, Matters: matters("0702")}
	for name, r := range map[string]*Router{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := r.Route(req)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_ = r.Policy()
				_ = r.Directory()
			})
		})
	}
	_, err := NewRouter(&Directory{}, Shanghai())
	assert.ErrorIs(t, err, ErrNotBuilt)

	assert.NotPanics(t, func() {
		for _, d := range []*Directory{{}, nil} {
			_ = d.Len()
			_, _ = d.Unit("x")
			_, _ = d.Matter("07")
			_ = d.Covers("x", baogang1)
			_ = d.Tree()
			for range d.Units() {
			}
			for range d.Matters() {
			}
			_ = d.WriteJSON(io.Discard)
		}
		for _, tr := range []*RegionTree{{}, nil} {
			_ = tr.Len()
			_ = tr.RootLevel()
			_ = tr.Has("31")
			_, _ = tr.Region("31")
			_ = tr.Ancestors("31")
			_ = tr.Contains("31", "3101")
			for range tr.All() {
			}
			for range tr.Children("31") {
			}
			_ = tr.WriteCSV(io.Discard)
		}
	})
	_, err = NewDirectory(&RegionTree{}, nil, nil)
	assert.NoError(t, err, "an empty tree is a valid (empty) tree")
}

// Requests come from the network: their lists are bounded, and the error for
// a huge value quotes only its start.
func TestRouteRequestBounds(t *testing.T) {
	dir := loadDirectory(t)
	r := newRouter(t, dir, Shanghai())
	many := func(n int, f func(i int) Return) []Return {
		out := make([]Return, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	tests := []struct {
		name  string
		req   Request
		field string
	}{
		{"many returns", Request{Place: baogang1, Matters: matters("0702"),
			Returns: many(200_000, func(int) Return { return Return{Unit: "yy-bg1", SuggestedUnit: "yy-sqglb"} })}, "returns"},
		{"many exclusions", Request{Place: baogang1, Matters: matters("0702"), Exclude: strings.Split(strings.Repeat("yy-bg1,", 100_000)+"yy-bg1", ",")}, "exclude"},
		{"many matters", Request{Place: baogang1, Matters: make([]MatterCode, 100_000)}, "matters"},
		{"many co-handlers", Request{Place: baogang1, Matters: matters("0702"),
			Designation: &Designation{Lead: "yy-bg1", CoHandling: strings.Split(strings.Repeat("yy-sqglb,", 100_000)+"yy-bg1", ",")}}, "designation.co_handling"},
		{"long reason", Request{Place: baogang1, Matters: matters("0702"),
			Designation: &Designation{Lead: "yy-bg1", Reason: strings.Repeat("理由", 100_000)}}, "designation.reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Route(tt.req)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.Less(t, len(err.Error()), 300, "%.300s", err)
		})
	}

	huge := strings.Repeat("3", 64<<10)
	for name, req := range map[string]Request{
		"place":    {Place: RegionCode(huge), Matters: matters("0702")},
		"matter":   {Place: baogang1, Matters: []MatterCode{MatterCode(huge)}},
		"exclude":  {Place: baogang1, Matters: matters("0702"), Exclude: []string{huge}},
		"returner": {Place: baogang1, Matters: matters("0702"), Returns: []Return{{Unit: huge}}},
	} {
		t.Run("huge "+name, func(t *testing.T) {
			_, err := r.Route(req)
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 300, "%.300s", err)
		})
	}
}

// Long names are refused by every path that builds a tree or a directory.
func TestNameBounds(t *testing.T) {
	long := strings.Repeat("名", MaxNameBytes)
	_, err := NewRegionTree([]Region{{Code: "31", Name: long}})
	assert.ErrorIs(t, err, ErrInvalidField)
	_, err = ReadRegions(strings.NewReader(RegionCSVHeader + "\n31," + long + ",,province\n"))
	assert.ErrorIs(t, err, ErrInvalidField)
	_, err = ReadUnitsCSV(strings.NewReader("id,name,kind\nx," + long + ",street\n"))
	assert.ErrorIs(t, err, ErrInvalidField)
	_, err = ReadMattersCSV(strings.NewReader("code,name,kind\n07," + long + ",territorial\n"))
	assert.ErrorIs(t, err, ErrInvalidField)
	_, err = ReadUnitsCSV(strings.NewReader("id,name,kind\n" + strings.Repeat("x", MaxNameBytes+1) + ",甲,street\n"))
	assert.ErrorIs(t, err, ErrInvalidField)
	_, err = ReadUnitsCSV(strings.NewReader("id,name,kind,line\nx,甲,street," + long + "\n"))
	assert.ErrorIs(t, err, ErrInvalidField)
}

// Row counts and total sizes are bounded too; the bounds are exercised here
// with small limits (the exported ones take tens of megabytes to reach).
func TestCSVRowAndSizeBounds(t *testing.T) {
	small := csvLimits{record: MaxRecordBytes, bytes: 4 << 10, rows: 10, prefix: "MaxTest"}
	rows := func(header, row string, n int) string { return header + "\n" + strings.Repeat(row+"\n", n) }
	tests := []struct {
		name string
		load func() error
		want string
	}{
		{"region rows", func() error {
			_, err := readRegions(small, strings.NewReader(rows(RegionCSVHeader, "31,上海市,,province", 11)))
			return err
		}, "more than 10 rows (MaxTestRows)"},
		{"region rows over two sources", func() error {
			_, err := readRegions(small, strings.NewReader(rows(RegionCSVHeader, "31,上海市,,province", 6)),
				strings.NewReader(rows(RegionCSVHeader, "31,上海市,,province", 6)))
			return err
		}, "regions[1] row 6"},
		{"region bytes over two sources", func() error {
			big := strings.Repeat("3101,市辖区,31,city\n", 150) // ~3.2 KB each
			_, err := readRegions(csvLimits{record: MaxRecordBytes, bytes: 4 << 10, rows: 1000, prefix: "MaxTest"},
				strings.NewReader(RegionCSVHeader+"\n31,上海市,,province\n"+big), strings.NewReader(RegionCSVHeader+"\n"+big))
			return err
		}, "input longer than 4096 bytes (MaxTestBytes)"},
		{"unit rows", func() error {
			_, err := readUnitsCSV(strings.NewReader(rows("id,name,kind", "x,甲,street", 11)), small)
			return err
		}, "more than 10 rows"},
		{"matter bytes", func() error {
			_, err := readMattersCSV(strings.NewReader(rows("code,name,kind", "07,"+strings.Repeat("名", 80)+",territorial", 20)),
				csvLimits{record: MaxRecordBytes, bytes: 4 << 10, rows: 1000, prefix: "MaxTest"})
			return err
		}, "input longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.load()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.ErrorContains(t, err, tt.want)
		})
	}
	// At the limit, everything loads.
	tree, err := readRegions(small, strings.NewReader(rows(RegionCSVHeader, "31,上海市,,province", 10)))
	require.NoError(t, err)
	assert.Equal(t, 1, tree.Len())
}

// Truncated gzip and CSV are refused with a row error, never a panic.
func TestReadRegionsTruncated(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write([]byte(RegionCSVHeader + "\n31,上海市,,province\n3101,市辖区,31,city\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	full := gz.Bytes()
	for _, n := range []int{1, 2, 3, 10, len(full) / 2, len(full) - 8, len(full) - 1} {
		_, err := ReadRegions(bytes.NewReader(full[:n]))
		require.Error(t, err, "gzip cut at %d of %d bytes", n, len(full))
		assert.ErrorIs(t, err, ErrMalformed, "%d: %v", n, err)
	}
	_, err = ReadRegions(strings.NewReader(RegionCSVHeader + "\n31,\"上海市"))
	assert.ErrorIs(t, err, ErrMalformed)
}

// CountBounces is public and takes any list: with 100,000 distinct pairs it
// must stay linear (it was quadratic: a scan of the pairs per return).
func TestCountBouncesManyPairs(t *testing.T) {
	rets := make([]Return, 100_000)
	for i := range rets {
		rets[i] = Return{Unit: fmt.Sprintf("u%06d", i), SuggestedUnit: fmt.Sprintf("v%06d", i%50_000)}
	}
	rets = append(rets, Return{Unit: "v000007", SuggestedUnit: "u000007"}, Return{Unit: "u000007", SuggestedUnit: "v000007"})
	got := CountBounces(rets)
	require.Len(t, got, 100_000)
	assert.Equal(t, Bounce{A: "u000007", B: "v000007", Count: 3}, got[0])
	assert.Equal(t, 1, got[1].Count)
}
