package routing

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// loadTree loads the Shanghai counties and all of 宝山区 from testdata.
func loadTree(tb testing.TB) *RegionTree {
	tb.Helper()
	a, err := os.Open("testdata/shanghai-counties.csv")
	require.NoError(tb, err)
	defer a.Close()
	b, err := os.Open("testdata/shanghai-310113.csv")
	require.NoError(tb, err)
	defer b.Close()
	tree, err := ReadRegions(a, b)
	require.NoError(tb, err)
	return tree
}

// loadFixture returns the matters and units of the 宝山区 fixture: the district
// and city units in baoshan.json, the units of 友谊路街道 in youyilu-units.csv.
func loadFixture(tb testing.TB) ([]Matter, []Unit) {
	tb.Helper()
	f, err := os.Open("testdata/baoshan.json")
	require.NoError(tb, err)
	defer f.Close()
	matters, units, err := readDirectoryLists(f)
	require.NoError(tb, err)
	c, err := os.Open("testdata/youyilu-units.csv")
	require.NoError(tb, err)
	defer c.Close()
	street, err := ReadUnitsCSV(c)
	require.NoError(tb, err)
	return matters, append(units, street...)
}

func loadDirectory(tb testing.TB) *Directory {
	tb.Helper()
	matters, units := loadFixture(tb)
	dir, err := NewDirectory(loadTree(tb), matters, units)
	require.NoError(tb, err)
	return dir
}

func newRouter(tb testing.TB, dir *Directory, p Policy) *Router {
	tb.Helper()
	r, err := NewRouter(dir, p)
	require.NoError(tb, err)
	return r
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
