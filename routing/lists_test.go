package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
)

// listsJSON writes the fixture's regions, matters and units in the JSON forms of lists.go.
func listsJSON(t testing.TB) (regions, matters, units []byte) {
	t.Helper()
	ms, us := loadFixture(t)
	var err error
	regions, err = json.Marshal(map[string]any{"regions": slices.Collect(loadTree(t).All())})
	require.NoError(t, err)
	matters, err = json.Marshal(map[string]any{"matters": ms})
	require.NoError(t, err)
	units, err = json.Marshal(map[string]any{"units": us})
	require.NoError(t, err)
	return regions, matters, units
}

// The JSON lists read to what the CSV files and the directory JSON read to.
func TestListsJSONRoundTrip(t *testing.T) {
	regions, matters, units := listsJSON(t)
	tree, err := ReadRegionsJSON(bytes.NewReader(regions))
	require.NoError(t, err)
	assert.Equal(t, slices.Collect(loadTree(t).All()), slices.Collect(tree.All()))
	ms, err := ReadMattersJSON(bytes.NewReader(matters))
	require.NoError(t, err)
	us, err := ReadUnitsJSON(bytes.NewReader(units))
	require.NoError(t, err)
	wantM, wantU := loadFixture(t)
	assert.Equal(t, wantM, ms)
	assert.Equal(t, wantU, us)
	_, err = NewDirectory(tree, ms, us)
	require.NoError(t, err)

	// The region CSV the district ships reads to the same tree from JSON.
	csvFile, err := os.Open("testdata/shanghai-310113.csv")
	require.NoError(t, err)
	defer csvFile.Close()
	fromCSV, err := ReadRegions(csvFile)
	require.NoError(t, err)
	doc, err := json.Marshal(map[string]any{"regions": slices.Collect(fromCSV.All())})
	require.NoError(t, err)
	fromJSON, err := ReadRegionsJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	assert.Equal(t, slices.Collect(fromCSV.All()), slices.Collect(fromJSON.All()))
}

func TestListsJSONRefuseMalformed(t *testing.T) {
	regions, matters, units := listsJSON(t)
	loaders := []struct {
		name  string
		valid []byte
		max   int64
		read  func([]byte) error
	}{
		{"regions", regions, MaxRegionBytes, func(b []byte) error { _, err := ReadRegionsJSON(bytes.NewReader(b)); return err }},
		{"matters", matters, MaxDirectoryBytes, func(b []byte) error { _, err := ReadMattersJSON(bytes.NewReader(b)); return err }},
		{"units", units, MaxDirectoryBytes, func(b []byte) error { _, err := ReadUnitsJSON(bytes.NewReader(b)); return err }},
	}
	for _, l := range loaders {
		require.NoError(t, l.read(l.valid), l.name)
		for _, c := range strictjsontest.Cases(l.valid, l.max) {
			t.Run(l.name+"/"+c.Name, func(t *testing.T) {
				var err error
				require.NotPanics(t, func() { err = l.read(c.Input) })
				require.Error(t, err)
				var re *RowError
				assert.ErrorAs(t, err, &re)
			})
		}
	}
}

func TestListsJSONNameTheRow(t *testing.T) {
	tests := []struct {
		name, doc  string
		read       func(string) error
		wantRow    int
		wantField  string
		wantTarget error
	}{
		{"a region with a wrong parent", `{"regions": [{"code": "310113", "name": "宝山区", "level": "county"},
			{"code": "310113003", "name": "友谊路街道", "parent_code": "310114", "level": "town"}]}`,
			readRegions1, 2, "parent_code", ErrConflict},
		{"a region with an empty name", `{"regions": [{"code": "31", "name": " ", "level": "province"}]}`,
			readRegions1, 1, "name", ErrInvalidField},
		{"a region with an unknown key", `{"regions": [{"code": "31", "name": "上海", "level": "province", "colour": "red"}]}`,
			readRegions1, 1, "colour", ErrMalformed},
		{"a duplicate key inside a region", `{"regions": [{"code": "31", "name": "上海", "name": "沪", "level": "province"}]}`,
			readRegions1, 0, "regions[0].name", ErrMalformed}, // the whole document's check names the path
		{"a matter without a kind at level 1", `{"matters": [{"code": "07", "name": "市容"}]}`,
			readMatters1, 1, "kind", ErrInvalidField},
		{"a matter with a bad kind", `{"matters": [{"code": "07", "name": "市容", "kind": "lots"}]}`,
			readMatters1, 1, "kind", ErrInvalidEnum},
		{"a unit of its own parent", `{"units": [{"id": "a", "name": "甲", "kind": "street"}, {"id": "b", "name": "乙", "kind": "street", "parent": "b"}]}`,
			readUnits1, 2, "parent", ErrCycle},
		{"a unit with a case-variant key", `{"units": [{"id": "a", "Name": "甲", "kind": "street"}]}`,
			readUnits1, 1, "Name", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.doc)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.wantRow, re.Row)
			assert.Contains(t, re.Field, tt.wantField)
			assert.ErrorIs(t, err, tt.wantTarget)
		})
	}
	t.Run("nil readers", func(t *testing.T) {
		for name, read := range map[string]func() error{
			"ReadRegionsJSON": func() error { _, err := ReadRegionsJSON(nil); return err },
			"ReadMattersJSON": func() error { _, err := ReadMattersJSON(nil); return err },
			"ReadUnitsJSON":   func() error { _, err := ReadUnitsJSON(nil); return err },
		} {
			var err error
			require.NotPanics(t, func() { err = read() }, name)
			assert.ErrorIs(t, err, ErrMalformed, name)
		}
	})
}

func readRegions1(s string) error { _, err := ReadRegionsJSON(strings.NewReader(s)); return err }
func readMatters1(s string) error { _, err := ReadMattersJSON(strings.NewReader(s)); return err }
func readUnits1(s string) error   { _, err := ReadUnitsJSON(strings.NewReader(s)); return err }

func FuzzReadRegionsJSON(f *testing.F) {
	regions, _, _ := listsJSON(f)
	f.Add(regions)
	f.Add([]byte(`{"regions": []}`))
	f.Add([]byte(`{"regions": [{"code": "31", "name": "上海市", "level": "province"}, {"code": "31", "name": "沪", "level": "province"}]}`))
	f.Add([]byte(`{"regions": [{"code": "3101", "name": "市辖区"}]}`))
	f.Add([]byte(`{"regions": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := ReadRegionsJSON(bytes.NewReader(data))
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("not a *RowError: %v", err)
			}
			return
		}
		// What loads writes back as CSV and loads to the same tree.
		var buf bytes.Buffer
		if err := tree.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadRegions(&buf)
		if err != nil {
			t.Fatalf("reload: %v", err)
		}
		if !slices.Equal(slices.Collect(tree.All()), slices.Collect(back.All())) {
			t.Fatal("round trip changed the tree")
		}
	})
}

func FuzzReadMattersJSON(f *testing.F) {
	_, matters, _ := listsJSON(f)
	f.Add(matters)
	f.Add([]byte(`{"matters": [{"code": "07", "name": "市容", "kind": "territorial", "line": "x"}]}`))
	f.Add([]byte(`{"matters": [{"code": "0701", "name": "市容"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := ReadMattersJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i, m := range ms {
			if err := checkMatterRow("matters", i+1, m); err != nil {
				t.Fatalf("accepted a matter its own check refuses: %v", err)
			}
		}
		doc, err := json.Marshal(map[string]any{"matters": ms})
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadMattersJSON(bytes.NewReader(doc))
		if err != nil || !slices.Equal(ms, back) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzReadUnitsJSON(f *testing.F) {
	_, _, units := listsJSON(f)
	f.Add(units)
	f.Add([]byte(`{"units": [{"id": "a", "name": "甲", "kind": "街镇", "territorial": true, "areas": ["310113003"]}]}`))
	f.Add([]byte(`{"units": [{"id": "a b", "name": "甲", "kind": "street"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		us, err := ReadUnitsJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		doc, err := json.Marshal(map[string]any{"units": us})
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadUnitsJSON(bytes.NewReader(doc))
		if err != nil {
			t.Fatalf("reload: %v", err)
		}
		if len(back) != len(us) {
			t.Fatalf("round trip: %d units, then %d", len(us), len(back))
		}
	})
}
