package routing

import (
	"bytes"
	"compress/gzip"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRegionCode(t *testing.T) {
	tests := []struct {
		in    string
		level RegionLevel
		paren RegionCode
		ok    bool
	}{
		{"31", LevelProvince, "", true},
		{"3101", LevelCity, "31", true},
		{"310113", LevelCounty, "3101", true},
		{"310113003", LevelTown, "310113", true},
		{"310113003001", LevelVillage, "310113003", true},
		{"", "", "", false},
		{"3", "", "", false},
		{"31011", "", "", false},
		{"3101130030", "", "", false},
		{"31011300300a", "", "", false},
		{"３１", "", "", false}, // full-width digits are not digits
		{"310113003001000", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseRegionCode(tt.in)
			if !tt.ok {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidCode)
				var ce *CodeError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tt.in, ce.Value)
				assert.False(t, RegionCode(tt.in).Valid())
				assert.Zero(t, RegionCode(tt.in).Level())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.level, c.Level())
			assert.Equal(t, tt.paren, c.Parent())
			assert.Equal(t, len(tt.in), c.Level().Digits())
		})
	}
}

func TestRegionCodeContains(t *testing.T) {
	tests := []struct {
		area, place RegionCode
		want        bool
	}{
		{"310113", "310113003001", true},
		{"310113003", "310113003001", true},
		{"310113003001", "310113003001", true},
		{"31", "310113", true},
		{"310113003", "310113007001", false},
		{"310113003001", "310113003", false}, // narrower does not contain broader
		{"3101130", "310113003001", false},   // not a level boundary
		{"310114", "310113003", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.area.Contains(tt.place), "%s contains %s", tt.area, tt.place)
	}
}

func TestRegionLevelText(t *testing.T) {
	for _, l := range RegionLevels() {
		var back RegionLevel
		require.NoError(t, back.UnmarshalText([]byte(l)))
		assert.Equal(t, l, back)
		require.NoError(t, back.UnmarshalText([]byte(l.Label())))
		assert.Equal(t, l, back)
	}
	var l RegionLevel
	assert.ErrorIs(t, l.UnmarshalText([]byte("district")), ErrInvalidEnum)
}

// The fixture tree: Shanghai's 16 districts plus 宝山区 down to its communities
// (testdata/SOURCE.md).
func TestReadRegionsFixture(t *testing.T) {
	tree := loadTree(t)
	// 2 (31, 3101) + 16 counties + 13 towns + 567 villages; 310113 is in both files.
	assert.Equal(t, 2+16+13+567, tree.Len())
	assert.Equal(t, LevelProvince, tree.RootLevel())

	r, ok := tree.Region("310113003")
	require.True(t, ok)
	assert.Equal(t, Region{Code: "310113003", Name: "友谊路街道", Parent: "310113", Level: LevelTown}, r)

	var names []string
	for _, a := range tree.Ancestors("310113003001") {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"上海市", "市辖区", "宝山区", "友谊路街道", "宝钢一村居委会"}, names)

	n := 0
	for c := range tree.Children("310113003") {
		assert.Equal(t, LevelVillage, c.Level)
		assert.Equal(t, RegionCode("310113003"), c.Parent)
		n++
	}
	assert.Equal(t, 41, n, "SOURCE.md: 友谊路街道 has 41 village-level rows")
	n = 0
	for range tree.Children("310113") {
		n++
	}
	assert.Equal(t, 13, n, "SOURCE.md: 宝山区 has 13 towns")

	assert.True(t, tree.Contains("310113", "310113003201"))
	assert.False(t, tree.Contains("310113", "310114"))
	assert.Nil(t, tree.Ancestors("310113999"))

	// Tree order: every parent before its children.
	seen := map[RegionCode]bool{}
	for r := range tree.All() {
		if r.Level > LevelProvince {
			assert.True(t, seen[r.Parent], "parent of %s first", r.Code)
		}
		seen[r.Code] = true
	}
}

func TestReadRegionsPartialTree(t *testing.T) {
	// shanghai-310113.csv alone starts at the county: its root 310113 has
	// its parent 3101 outside the file, which is allowed for the top level.
	tree, err := ReadRegions(strings.NewReader(RegionCSVHeader + "\n310113,宝山区,3101,county\n310113003,友谊路街道,310113,town\n"))
	require.NoError(t, err)
	assert.Equal(t, LevelCounty, tree.RootLevel())
	assert.Len(t, tree.Ancestors("310113003"), 2)
}

func TestReadRegionsGzipAndRoundTrip(t *testing.T) {
	tree := loadTree(t)
	var csvBuf bytes.Buffer
	require.NoError(t, tree.WriteCSV(&csvBuf))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(csvBuf.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	back, err := ReadRegions(&gz)
	require.NoError(t, err)
	assert.Equal(t, slices.Collect(tree.All()), slices.Collect(back.All()))
}

func TestReadRegionsErrors(t *testing.T) {
	h := RegionCSVHeader + "\n"
	tests := []struct {
		name  string
		input string
		want  error
		row   int
	}{
		{"empty", "", ErrMalformed, 0},
		{"bad header", "code,name,parent,level\n", ErrMalformed, 1},
		{"bad code", h + "31,上海市,,province\n31x1,市辖区,31,city\n", ErrInvalidCode, 3},
		{"level disagrees", h + "31,上海市,,province\n3101,市辖区,31,county\n", ErrConflict, 3},
		{"unknown level", h + "31,上海市,,state\n", ErrInvalidEnum, 2},
		{"empty level", h + "31,上海市,,\n", ErrInvalidEnum, 2},
		{"parent disagrees", h + "31,上海市,,province\n3101,市辖区,32,city\n", ErrConflict, 3},
		{"unknown parent", h + "31,上海市,,province\n310113,宝山区,3101,county\n", ErrUnknownParent, 3},
		{"conflicting names", h + "31,上海市,,province\n31,沪,,province\n", ErrConflict, 3},
		{"empty name", h + "31,,,province\n", ErrInvalidField, 2},
		{"wrong field count", h + "31,上海市,province\n", ErrMalformed, 2},
		{"bad gzip", "\x1f\x8bnot gzip", ErrMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRegions(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.True(t, errors.As(err, &re), "%v", err)
			assert.Equal(t, tt.row, re.Row, "%v", err)
			assert.Contains(t, err.Error(), "regions[0]")
		})
	}
}

func TestReadRegionsMergeConflict(t *testing.T) {
	a := RegionCSVHeader + "\n31,上海市,,province\n"
	b := RegionCSVHeader + "\n31,上海,,province\n"
	_, err := ReadRegions(strings.NewReader(a), strings.NewReader(b))
	require.ErrorIs(t, err, ErrConflict)
	assert.Contains(t, err.Error(), "regions[1] row 2")
	assert.Contains(t, err.Error(), "regions[0] row 2")
}

func TestNewRegionTree(t *testing.T) {
	tree, err := NewRegionTree([]Region{
		{Code: "310113003", Name: "友谊路街道"},
		{Code: "310113", Name: "宝山区", Level: LevelCounty, Parent: "3101"},
	})
	require.NoError(t, err)
	assert.Equal(t, LevelCounty, tree.RootLevel())
	first := slices.Collect(tree.All())[0]
	assert.Equal(t, RegionCode("310113"), first.Code, "sorted into tree order")

	_, err = NewRegionTree([]Region{{Code: "310113", Name: "宝山区", Parent: "3102"}})
	assert.ErrorIs(t, err, ErrConflict)
	_, err = NewRegionTree([]Region{{Code: "310113", Name: "宝山区", Level: LevelTown}})
	assert.ErrorIs(t, err, ErrConflict)
}
