package routing

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixtureDirectory(t *testing.T) {
	dir := loadDirectory(t)
	assert.Equal(t, 16+11+15, dir.Len())

	u, ok := dir.Unit("yy-hotline")
	require.True(t, ok)
	assert.Equal(t, "友谊路街道市民服务热线办公室（热线办）", u.Name)
	assert.Equal(t, UnitFunctionalDepartment, u.Kind)
	assert.Equal(t, "yy-cyzx", u.Parent, "004 §4: 城运中心内设热线办")

	// CSV list fields accept ';' and '|'.
	u, _ = dir.Unit("yy-fgb")
	assert.Equal(t, []MatterCode{"0302", "030102"}, u.Matters)

	// Level resolved from the broadest area when not given.
	u, _ = dir.Unit("bs-scjgj")
	assert.Equal(t, LevelCounty, u.Level)

	// Kind and line inherited down the catalogue.
	m, ok := dir.Matter("020101")
	require.True(t, ok)
	assert.Equal(t, MatterSectorLine, m.Kind)
	assert.Equal(t, "市场监管", m.Line)
	m, _ = dir.Matter("0403")
	assert.Equal(t, "城管执法", m.Line, "a child may name its own line")
	m, _ = dir.Matter("0702")
	assert.Equal(t, MatterTerritorial, m.Kind)

	assert.True(t, dir.Covers("yy-bg1", "310113003001"))
	assert.False(t, dir.Covers("yy-bg1", "310113003012"))
	assert.True(t, dir.Covers("sh-water", "310113003012"))

	// Returned units are copies.
	u, _ = dir.Unit("yy-bg1")
	u.Matters[0] = "09"
	again, _ := dir.Unit("yy-bg1")
	assert.Equal(t, MatterCode("0702"), again.Matters[0])
}

func TestDirectoryJSONRoundTrip(t *testing.T) {
	dir := loadDirectory(t)
	var buf bytes.Buffer
	require.NoError(t, dir.WriteJSON(&buf))
	back, err := ReadDirectory(&buf, dir.Tree())
	require.NoError(t, err)
	assert.Equal(t, slices.Collect(dir.Units()), slices.Collect(back.Units()))
	assert.Equal(t, slices.Collect(dir.Matters()), slices.Collect(back.Matters()))
}

// mutate returns the fixture with one change applied.
func mutate(tb testing.TB, f func(ms []Matter, us []Unit) ([]Matter, []Unit)) ([]Matter, []Unit) {
	ms, us := loadFixture(tb)
	return f(ms, us)
}

func unitAt(us []Unit, id string) *Unit {
	return &us[slices.IndexFunc(us, func(u Unit) bool { return u.ID == id })]
}

func TestNewDirectoryErrors(t *testing.T) {
	tree := loadTree(t)
	tests := []struct {
		name  string
		f     func(ms []Matter, us []Unit) ([]Matter, []Unit)
		want  error
		id    string
		field string
	}{
		{"duplicate unit ID", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return ms, append(us, Unit{ID: "yy-bg1", Name: "重复", Kind: UnitResidentsCommittee})
		}, ErrDuplicate, "yy-bg1", "id"},
		{"unknown parent", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-pab").Parent = "yy-nobody"
			return ms, us
		}, ErrUnknownParent, "yy-pab", "parent"},
		{"parent cycle", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-cyzx").Parent = "yy-hotline" // and yy-hotline's parent is yy-cyzx
			return ms, us
		}, ErrCycle, "", "parent"},
		{"authority cycle", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "sh-office").Authority = "sh-hotline"
			return ms, us
		}, ErrCycle, "", "authority"},
		{"self parent", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-pab").Parent = "yy-pab"
			return ms, us
		}, ErrCycle, "yy-pab", "parent"},
		{"unknown authority", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-pab").Authority = "分管领导"
			return ms, us
		}, ErrUnknownUnit, "yy-pab", "authority"},
		{"unknown region code", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-bg1").Areas = []RegionCode{"310113003999"}
			return ms, us
		}, ErrUnknownRegion, "yy-bg1", "areas"},
		{"malformed region code", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-bg1").Areas = []RegionCode{"31011300300"}
			return ms, us
		}, ErrInvalidCode, "yy-bg1", "areas"},
		{"unknown matter code", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-bg1").Matters = []MatterCode{"0799"}
			return ms, us
		}, ErrUnknownMatter, "yy-bg1", "matters"},
		{"duplicate matter in a unit", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-bg1").Matters = []MatterCode{"0702", "0702"}
			return ms, us
		}, ErrDuplicate, "yy-bg1", "matters"},
		{"two territorial governments of one area", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return ms, append(us, Unit{ID: "yy-gov2", Name: "友谊路街道（重复）", Kind: UnitStreet, Areas: []RegionCode{"310113003"}, Territorial: true})
		}, ErrConflict, "yy-gov2", "territorial"},
		{"residents' committee as territorial government", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-bg1").Territorial = true
			return ms, us
		}, ErrConflict, "yy-bg1", "territorial"},
		{"territorial government with a sector line", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-gov").Line = "住房"
			return ms, us
		}, ErrConflict, "bs-gov", "line"},
		{"area broader than the unit's level", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "yy-pab").Areas = []RegionCode{"310113"}
			return ms, us
		}, ErrConflict, "yy-pab", "areas"},
		{"matters without an area", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-rsj").Areas = nil
			return ms, us
		}, ErrConflict, "bs-rsj", "areas"},
		{"empty ID", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-rsj").ID = ""
			return ms, us
		}, ErrInvalidField, "", "id"},
		{"unknown unit kind", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-rsj").Kind = ""
			return ms, us
		}, ErrInvalidField, "bs-rsj", "kind"},
		{"unknown unit kind", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-rsj").Kind = "bureau"
			return ms, us
		}, ErrInvalidEnum, "bs-rsj", "kind"},
		{"unknown request kind", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			unitAt(us, "bs-rsj").Kinds = []Kind{"help"}
			return ms, us
		}, ErrInvalidEnum, "bs-rsj", "kinds"},
		{"duplicate matter code", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return append(ms, Matter{Code: "0702", Name: "邻里矛盾"}), us
		}, ErrDuplicate, "0702", "code"},
		{"matter with unknown parent", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return append(ms, Matter{Code: "100101", Name: "孤儿事项"}), us
		}, ErrUnknownParent, "100101", "code"},
		{"territorial matter with a line", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return append(ms, Matter{Code: "10", Name: "x", Kind: MatterTerritorial, Line: "住房"}), us
		}, ErrConflict, "10", "line"},
		{"level-1 matter without kind", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return append(ms, Matter{Code: "10", Name: "x"}), us
		}, ErrInvalidField, "10", "kind"},
		{"malformed matter code", func(ms []Matter, us []Unit) ([]Matter, []Unit) {
			return append(ms, Matter{Code: "05.02", Name: "x"}), us
		}, ErrInvalidCode, "", "code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, us := mutate(t, tt.f)
			_, err := NewDirectory(tree, ms, us)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Positive(t, re.Row, "names the row: %v", err)
			if tt.id != "" {
				assert.Equal(t, tt.id, re.ID, "%v", err)
			}
			assert.Equal(t, tt.field, re.Field, "%v", err)
		})
	}
}

func TestNewDirectoryNilTree(t *testing.T) {
	_, err := NewDirectory(nil, nil, nil)
	assert.ErrorIs(t, err, ErrInvalidField)
}

func TestReadUnitsCSV(t *testing.T) {
	const header = UnitCSVHeader + "\n"
	units, err := ReadUnitsCSV(strings.NewReader(
		"\ufeffname,id,kind,areas,matters,territorial,kinds\n" +
			"友谊路街道办事处,yy-gov,街镇,310113003,0701,是,\n" +
			"宝钢一村居委会,yy-bg1,residents_committee,310113003001,0702 | 0703,false,投诉;complaint\n"))
	require.NoError(t, err)
	require.Len(t, units, 2)
	assert.Equal(t, Unit{ID: "yy-gov", Name: "友谊路街道办事处", Kind: UnitStreet, Areas: []RegionCode{"310113003"},
		Matters: []MatterCode{"0701"}, Territorial: true}, units[0])
	assert.Equal(t, []MatterCode{"0702", "0703"}, units[1].Matters)
	assert.Equal(t, []Kind{KindComplaint, KindComplaint}, units[1].Kinds)

	tests := []struct {
		name  string
		input string
		want  error
		row   int
		field string
	}{
		{"missing required column", "id,name\nx,y\n", ErrMalformed, 1, "header"},
		{"unknown column", "id,name,kind,region\n", ErrMalformed, 1, "header"},
		{"repeated column", "id,name,kind,id\n", ErrMalformed, 1, "header"},
		{"bad kind", header + "a,甲,street,,,,310113003,,,,\nb,乙,区县,,,,310113003,,,,\n", ErrInvalidEnum, 3, "kind"},
		{"missing kind", header + "a,甲,,,,,310113003,,,,\n", ErrInvalidField, 2, "kind"},
		{"bad level", header + "a,甲,street,,district,,310113003,,,,\n", ErrInvalidEnum, 2, "level"},
		{"bad territorial", header + "a,甲,street,,,,310113003,,maybe,,\n", ErrInvalidField, 2, "territorial"},
		{"bad request kind", header + "a,甲,street,,,,310113003,,,,complaints\n", ErrInvalidEnum, 2, "kinds"},
		{"old wire value of 求助", header + "a,甲,street,,,,310113003,,,,help\n", ErrInvalidEnum, 2, "kinds"},
		{"bad area code", header + "a,甲,street,,,,3101130031,,,,\n", ErrInvalidCode, 2, "areas"},
		{"bad matter code", header + "a,甲,street,,,,310113003,7,,,\n", ErrInvalidCode, 2, "matters"},
		{"ID with separator", header + "a;b,甲,street,,,,310113003,,,,\n", ErrInvalidField, 2, "id"},
		{"short row", header + "a,甲,street\n", ErrMalformed, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadUnitsCSV(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.row, re.Row, "%v", err)
			assert.Equal(t, tt.field, re.Field, "%v", err)
			assert.Contains(t, err.Error(), "units.csv")
		})
	}
}

func TestReadMattersCSV(t *testing.T) {
	ms, err := ReadMattersCSV(strings.NewReader("code,name,kind,line\n03,住房管理,条线,住房\n0302,群租整治,,\n07,社区治理,territorial,\n"))
	require.NoError(t, err)
	assert.Equal(t, []Matter{
		{Code: "03", Name: "住房管理", Kind: MatterSectorLine, Line: "住房"},
		{Code: "0302", Name: "群租整治"},
		{Code: "07", Name: "社区治理", Kind: MatterTerritorial},
	}, ms)

	tests := []struct {
		name, input string
		want        error
		row         int
		field       string
	}{
		{"unknown kind", "code,name,kind\n03,住房管理,条线\n0301,物业,条\n", ErrInvalidEnum, 3, "kind"},
		{"territorial with a line", "code,name,kind,line\n07,社区治理,属地,住房\n", ErrConflict, 2, "line"},
		{"malformed code", "code,name\n0a,x\n", ErrInvalidCode, 2, "code"},
		{"level 1 without kind", "code,name,kind\n07,社区治理,\n", ErrInvalidField, 2, "kind"},
		{"empty name", "code,name,kind\n07,,属地\n", ErrInvalidField, 2, "name"},
		{"missing column", "code\n07\n", ErrMalformed, 1, "header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadMattersCSV(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.row, re.Row, "%v", err)
			assert.Equal(t, tt.field, re.Field, "%v", err)
			assert.Contains(t, err.Error(), "matters.csv")
		})
	}
}

func TestReadDirectoryErrors(t *testing.T) {
	tree := loadTree(t)
	const ok = `{"id": "a", "name": "甲", "kind": "street"}`
	tests := []struct {
		name, input string
		want        error
		source      string // the RowError's Source
		row         int    // …Row: the item's position, 0 for the file as a whole
		id, field   string
	}{
		{"syntax", `{"units": [`, ErrMalformed, "directory.json", 0, "", ""},
		{"unknown top-level field", `{"unit": []}`, ErrMalformed, "directory.json", 0, "", "unit"},
		{"trailing data", `{} {}`, ErrMalformed, "directory.json", 0, "", ""},
		{"unknown field", `{"units": [` + ok + `, {"id": "b", "name": "乙", "kind": "street", "area": ["31"]}]}`, ErrMalformed, "units", 2, "b", "area"},
		{"wrong type", `{"units": [` + ok + `, {"id": 7}]}`, ErrMalformed, "units", 2, "", "id"},
		{"wrong type in a list", `{"units": [{"id": "b", "name": "乙", "kind": "street", "areas": [310113]}]}`, ErrMalformed, "units", 1, "b", "areas"},
		{"unknown kind", `{"units": [` + ok + `, ` + ok + `, {"id": "c", "name": "丙", "kind": "village"}]}`, ErrInvalidEnum, "units", 3, "c", "kind"},
		{"unknown level", `{"units": [{"id": "b", "name": "乙", "kind": "street", "level": "district"}]}`, ErrInvalidEnum, "units", 1, "b", "level"},
		{"bad unit", `{"units": [` + ok + `, {"id": "b", "name": "", "kind": "street"}]}`, ErrInvalidField, "units", 2, "b", "name"},
		{"bad matter", `{"matters": [{"code": "07", "name": "社区治理", "kind": "territorial"}, {"code": "1", "name": "x", "kind": "territorial"}]}`, ErrInvalidCode, "matters", 2, "", "code"},
		{"unknown matter kind", `{"matters": [{"code": "07", "name": "社区治理", "kind": "块"}]}`, ErrInvalidEnum, "matters", 1, "07", "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDirectory(strings.NewReader(tt.input), tree)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.source, re.Source, "%v", err)
			assert.Equal(t, tt.row, re.Row, "%v", err)
			assert.Equal(t, tt.id, re.ID, "%v", err)
			assert.Equal(t, tt.field, re.Field, "%v", err)
		})
	}
}

// Every enum follows internal/enum: wire value, Chinese label, parse by
// either, unknown values refused with *EnumError, the same unknown-value
// label. Kind and DispatchMode carry ticket's wire values (CONTRIBUTING.md
// "Shared vocabularies").
func TestEnums(t *testing.T) {
	type enumCase struct {
		name   string
		wire   []string
		labels []string
		parse  func(string) (string, error)
		label  func(string) string
		text   func([]byte) error
	}
	cases := []enumCase{
		{"Kind", strs(Kinds()), labels(Kinds()),
			func(s string) (string, error) { v, err := ParseKind(s); return string(v), err },
			func(s string) string { return Kind(s).Label() }, func(b []byte) error { var v Kind; return v.UnmarshalText(b) }},
		{"DispatchMode", strs(DispatchModes()), labels(DispatchModes()),
			func(s string) (string, error) { v, err := ParseDispatchMode(s); return string(v), err },
			func(s string) string { return DispatchMode(s).Label() }, func(b []byte) error { var v DispatchMode; return v.UnmarshalText(b) }},
		{"UnitKind", strs(UnitKinds()), labels(UnitKinds()),
			func(s string) (string, error) { v, err := ParseUnitKind(s); return string(v), err },
			func(s string) string { return UnitKind(s).Label() }, func(b []byte) error { var v UnitKind; return v.UnmarshalText(b) }},
		{"MatterKind", strs(MatterKinds()), labels(MatterKinds()),
			func(s string) (string, error) { v, err := ParseMatterKind(s); return string(v), err },
			func(s string) string { return MatterKind(s).Label() }, func(b []byte) error { var v MatterKind; return v.UnmarshalText(b) }},
		{"RegionLevel", strs(RegionLevels()), labels(RegionLevels()),
			func(s string) (string, error) { v, err := ParseRegionLevel(s); return string(v), err },
			func(s string) string { return RegionLevel(s).Label() }, func(b []byte) error { var v RegionLevel; return v.UnmarshalText(b) }},
		{"Rule", strs(Rules()), labels(Rules()),
			func(s string) (string, error) { v, err := ParseRule(s); return string(v), err },
			func(s string) string { return Rule(s).Label() }, func(b []byte) error { var v Rule; return v.UnmarshalText(b) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, w := range c.wire {
				assert.Regexp(t, `^[a-z]+(_[a-z]+)*$`, w, "wire values are snake_case")
				got, err := c.parse(w)
				require.NoError(t, err)
				assert.Equal(t, w, got)
				got, err = c.parse(c.labels[i])
				require.NoError(t, err)
				assert.Equal(t, w, got, "parse by label %s", c.labels[i])
				assert.NoError(t, c.text([]byte(w)))
			}
			_, err := c.parse("bogus")
			assert.ErrorIs(t, err, ErrInvalidEnum)
			var ee *EnumError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, c.wire, ee.Known)
			assert.ErrorIs(t, c.text([]byte("bogus")), ErrInvalidEnum)
			assert.NoError(t, c.text(nil), "empty text is the unset value")
			assert.Equal(t, "未知(bogus)", c.label("bogus"))
			assert.Equal(t, "未设置", c.label(""))
			huge := strings.Repeat("x", 64<<10)
			_, err = c.parse(huge)
			assert.Less(t, len(err.Error()), 1000, "a refused value is clipped")
		})
	}
	assert.Equal(t, []Kind{"consultation", "help_request", "complaint", "suggestion", "errand", "review"}, Kinds())
	assert.Equal(t, []DispatchMode{"statutory", "negotiated", "designated", "fallback"}, DispatchModes())
	assert.Equal(t, []string{"法定", "商定", "指定", "托底"}, labels(DispatchModes()))
	assert.Equal(t, "居民区", UnitResidentsCommittee.Label())
	assert.Equal(t, "公用事业单位", UnitPublicUtility.Label())
	assert.Equal(t, "求助", KindHelpRequest.Label())
	assert.Equal(t, []int{2, 4, 6, 9, 12}, []int{LevelProvince.Digits(), LevelCity.Digits(), LevelCounty.Digits(), LevelTown.Digits(), LevelVillage.Digits()})
	assert.True(t, LevelCounty.Broader(LevelTown))
	assert.False(t, LevelTown.Broader(LevelTown))
	assert.False(t, RegionLevel("").Broader(LevelTown))
	assert.Zero(t, RegionLevel("district").Digits())
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func labels[T interface {
	~string
	Label() string
}](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Label()
	}
	return out
}
