package routing

import (
	"fmt"
	"io"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
)

// A Unit is an entry of the directory: a body that can receive a dispatched
// ticket (a handling unit, 承办单位 / 工单处置单位) or designate one.
type Unit struct {
	ID   string   `json:"id"`   // stable identifier, e.g. "bs-fgj" (no blanks, no ';' or '|')
	Name string   `json:"name"` // e.g. "宝山区房管局"
	Kind UnitKind `json:"kind"`
	// Parent is the ID of the unit this one belongs to (友谊路街道 for its
	// 社区管理办); empty for a top unit.
	Parent string `json:"parent,omitempty"`
	// Level is the administrative level the unit sits at (市级 is
	// LevelProvince for a municipality such as Shanghai). Zero means the
	// level of its broadest area.
	Level RegionLevel `json:"level,omitempty"`
	// Line is the sector line (条线) of a line department, e.g. "市场监管",
	// "住房"; empty for a territorial body (块).
	Line string `json:"line,omitempty"`
	// Areas are the region codes the unit covers; a code covers every
	// division below it.
	Areas []RegionCode `json:"areas,omitempty"`
	// Matters are the dispatch catalogue codes the unit is legally responsible
	// for (法定职责). A code answers for the matters below it when the policy
	// has MatterFallback: the router asks for the request's exact code first,
	// then its parents, so a unit listing "0201" is found for "020101" only
	// if nobody at the place lists "020101" itself.
	Matters []MatterCode `json:"matters,omitempty"`
	// Territorial marks the territorial government of its areas, which takes
	// the cases nobody else is competent for (托底, 000 §4 (二) 各区托底).
	// Only a district government or a street/town can be one.
	Territorial bool `json:"territorial,omitempty"`
	// Authority is the ID of the unit that designates a handling unit when
	// this unit's cases are disputed: a street hotline office or leader
	// (004 §6), a district hotline office, the city office (000 §7 (二)).
	Authority string `json:"authority,omitempty"`
	// Kinds restricts the request kinds the unit handles; empty means all.
	Kinds []Kind `json:"kinds,omitempty"`
}

// UnitCSVHeader is the header [ReadUnitsCSV] expects. Columns may come in any
// order; id, name and kind are required. List fields (areas, matters, kinds)
// separate items with ';' or '|'. territorial is true/false, 1/0, 是/否 or
// empty (false). kind, level and kinds take English names or Chinese labels.
const UnitCSVHeader = "id,name,kind,parent,level,line,areas,matters,territorial,authority,kinds"

// ReadUnitsCSV reads units in CSV (header [UnitCSVHeader]). It checks each row
// on its own; [NewDirectory] checks references between rows. It reads at most
// [MaxCSVBytes] and [MaxCSVRows] rows of at most [MaxRecordBytes] each.
// Errors are [*RowError] values naming the line.
func ReadUnitsCSV(r io.Reader) ([]Unit, error) { return readUnitsCSV(r, tableLimits()) }

func readUnitsCSV(r io.Reader, lim csvLimits) ([]Unit, error) {
	const source = "units.csv"
	tab, err := readTable(source, r, lim, []string{"id", "name", "kind"},
		[]string{"parent", "level", "line", "areas", "matters", "territorial", "authority", "kinds"})
	if err != nil {
		return nil, err
	}
	var out []Unit
	for row := range tab.rows() {
		u, err := parseUnitRow(source, row)
		if err != nil {
			return nil, err
		}
		if err := checkUnitRow(source, row.line, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, tab.err
}

func parseUnitRow(source string, row tableRow) (Unit, error) {
	u := Unit{
		ID:        row.get("id"),
		Name:      row.get("name"),
		Parent:    row.get("parent"),
		Line:      row.get("line"),
		Authority: row.get("authority"),
	}
	bad := func(field string, err error) (Unit, error) {
		return Unit{}, &RowError{Source: source, Row: row.line, ID: u.ID, Field: field, Value: row.get(field), Err: err}
	}
	if err := u.Kind.UnmarshalText([]byte(row.get("kind"))); err != nil {
		return bad("kind", err)
	}
	if err := u.Level.UnmarshalText([]byte(row.get("level"))); err != nil {
		return bad("level", err)
	}
	switch strings.ToLower(row.get("territorial")) {
	case "", "false", "0", "否", "no":
	case "true", "1", "是", "yes":
		u.Territorial = true
	default:
		return bad("territorial", fmt.Errorf("%w: want true or false", ErrInvalidField))
	}
	for _, a := range splitList(row.get("areas")) {
		u.Areas = append(u.Areas, RegionCode(a))
	}
	for _, m := range splitList(row.get("matters")) {
		u.Matters = append(u.Matters, MatterCode(m))
	}
	for _, s := range splitList(row.get("kinds")) {
		k, err := ParseKind(s)
		if err != nil {
			return bad("kinds", err)
		}
		u.Kinds = append(u.Kinds, k)
	}
	return u, nil
}

// checkUnitRow checks what can be checked on one unit alone.
func checkUnitRow(source string, row int, u *Unit) error {
	e := func(field, value string, sentinel error, format string, args ...any) error {
		return rowErr(source, row, u.ID, field, value, sentinel, format, args...)
	}
	if u.ID == "" || strings.ContainsAny(u.ID, ";|, \t\r\n") {
		return e("id", u.ID, ErrInvalidField, "want a non-empty ID without blanks, ',', ';' or '|'")
	}
	if strings.TrimSpace(u.Name) == "" {
		return e("name", "", ErrInvalidField, "empty name")
	}
	for _, f := range [...]struct{ field, value string }{
		{"id", u.ID}, {"name", u.Name}, {"parent", u.Parent}, {"line", u.Line}, {"authority", u.Authority},
	} {
		if len(f.value) > MaxNameBytes {
			return e(f.field, f.value, ErrInvalidField, "longer than %d bytes (MaxNameBytes)", MaxNameBytes)
		}
	}
	if u.Kind == "" {
		return e("kind", "", ErrInvalidField, "a unit kind is required")
	}
	if err := unitKinds.Check(u.Kind); err != nil {
		return &RowError{Source: source, Row: row, ID: enum.Clip(u.ID), Field: "kind", Value: enum.Clip(string(u.Kind)), Err: err}
	}
	if u.Level != "" {
		if err := regionLevels.Check(u.Level); err != nil {
			return &RowError{Source: source, Row: row, ID: enum.Clip(u.ID), Field: "level", Value: enum.Clip(string(u.Level)), Err: err}
		}
	}
	if u.Parent == u.ID {
		return e("parent", u.Parent, ErrCycle, "a unit cannot be its own parent")
	}
	if u.Authority == u.ID {
		return e("authority", u.Authority, ErrCycle, "a unit cannot designate for itself")
	}
	seenArea := make(map[RegionCode]bool, len(u.Areas))
	for _, a := range u.Areas {
		if reason := regionCodeProblem(string(a)); reason != "" {
			return &RowError{Source: source, Row: row, ID: u.ID, Field: "areas", Value: enum.Clip(string(a)),
				Err: newCodeError("region code", string(a), reason)}
		}
		if seenArea[a] {
			return e("areas", string(a), ErrDuplicate, "area listed twice")
		}
		seenArea[a] = true
		if u.Level != "" && a.Level().Broader(u.Level) {
			return e("areas", string(a), ErrConflict, "a %s unit cannot cover a %s area", u.Level, a.Level())
		}
	}
	seenMatter := make(map[MatterCode]bool, len(u.Matters))
	for _, m := range u.Matters {
		if reason := matterCodeProblem(string(m)); reason != "" {
			return &RowError{Source: source, Row: row, ID: u.ID, Field: "matters", Value: enum.Clip(string(m)),
				Err: newCodeError("matter code", string(m), reason)}
		}
		if seenMatter[m] {
			return e("matters", string(m), ErrDuplicate, "matter listed twice")
		}
		seenMatter[m] = true
	}
	for _, k := range u.Kinds {
		if err := kinds.Check(k); err != nil {
			return &RowError{Source: source, Row: row, ID: enum.Clip(u.ID), Field: "kinds", Value: enum.Clip(string(k)), Err: err}
		}
	}
	if len(u.Matters) > 0 && len(u.Areas) == 0 {
		return e("areas", "", ErrConflict, "a unit responsible for matters must cover an area")
	}
	if u.Territorial {
		if !u.Kind.IsGovernment() {
			return e("territorial", "true", ErrConflict, "a %s (%s) cannot be a territorial government", u.Kind, u.Kind.Label())
		}
		if u.Line != "" {
			return e("line", u.Line, ErrConflict, "a territorial government has no sector line")
		}
		if len(u.Areas) == 0 {
			return e("areas", "", ErrConflict, "a territorial government must cover an area")
		}
	}
	return nil
}
