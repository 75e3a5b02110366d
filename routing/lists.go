package routing

import (
	"encoding/json"
	"io"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// The JSON forms of the lists the CSV readers read, for systems that export JSON: a region subtree,
// a dispatch catalogue, the units. Each is an object with one key, the shape [ReadDirectory] reads
// the catalogue and the units in, so one district file can feed either:
//
//	{"regions": [{"code": "310113", "name": "宝山区", "parent_code": "3101", "level": "county"}, …]}
//	{"matters": [{"code": "07", "name": "市容环境", "kind": "territorial"}, …]}
//	{"units":   [{"id": "yy-gov", "name": "友谊路街道办事处", "kind": "street", …}, …]}
//
// They are as strict as the CSV readers and [ReadDirectory]: the module's strict loader (no trailing
// data, no duplicate, case-variant or unknown keys, at the top and in every item), bounded before
// anything is allocated, each item decoded and checked on its own, errors [*RowError]s naming the
// item's position ("units row 3").

type rawRegionsFile struct {
	Regions []json.RawMessage `json:"regions"`
}

type rawMattersFile struct {
	Matters []json.RawMessage `json:"matters"`
}

type rawUnitsFile struct {
	Units []json.RawMessage `json:"units"`
}

// ReadRegionsJSON reads a region subtree in JSON, at most [MaxRegionBytes] and [MaxRegionRows]
// regions, and builds its tree with the checks of [ReadRegions].
func ReadRegionsJSON(r io.Reader) (*RegionTree, error) {
	const source = "regions"
	var f rawRegionsFile
	if err := strictjson.Read(r, &f, MaxRegionBytes); err != nil {
		return nil, jsonErr("regions.json", 0, "", err)
	}
	if len(f.Regions) > MaxRegionRows {
		return nil, rowErr(source, 0, "", "", "", ErrMalformed, "more than %d regions (MaxRegionRows)", MaxRegionRows)
	}
	b := newTreeBuilder(len(f.Regions))
	for i, raw := range f.Regions {
		var reg Region
		if err := strictjson.Decode(raw, &reg, 0); err != nil {
			var id struct{ Code string }
			_ = json.Unmarshal(raw, &id)
			return nil, jsonErr(source, i+1, id.Code, err)
		}
		if err := b.add(source, i+1, reg); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// ReadMattersJSON reads a dispatch catalogue in JSON, at most [MaxDirectoryBytes] and [MaxCSVRows]
// matters, each checked as [ReadMattersCSV] checks a row; [NewDirectory] checks the catalogue as a
// whole.
func ReadMattersJSON(r io.Reader) ([]Matter, error) {
	const source = "matters"
	var f rawMattersFile
	if err := strictjson.Read(r, &f, MaxDirectoryBytes); err != nil {
		return nil, jsonErr("matters.json", 0, "", err)
	}
	if len(f.Matters) > MaxCSVRows {
		return nil, rowErr(source, 0, "", "", "", ErrMalformed, "more than %d matters (MaxCSVRows)", MaxCSVRows)
	}
	out := make([]Matter, len(f.Matters))
	for i, raw := range f.Matters {
		if err := strictjson.Decode(raw, &out[i], 0); err != nil {
			var id struct{ Code string }
			_ = json.Unmarshal(raw, &id)
			return nil, jsonErr(source, i+1, id.Code, err)
		}
		if err := checkMatterRow(source, i+1, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReadUnitsJSON reads units in JSON, at most [MaxDirectoryBytes] and [MaxCSVRows] units, each checked
// as [ReadUnitsCSV] checks a row; [NewDirectory] checks references between units.
func ReadUnitsJSON(r io.Reader) ([]Unit, error) {
	const source = "units"
	var f rawUnitsFile
	if err := strictjson.Read(r, &f, MaxDirectoryBytes); err != nil {
		return nil, jsonErr("units.json", 0, "", err)
	}
	if len(f.Units) > MaxCSVRows {
		return nil, rowErr(source, 0, "", "", "", ErrMalformed, "more than %d units (MaxCSVRows)", MaxCSVRows)
	}
	out := make([]Unit, len(f.Units))
	for i, raw := range f.Units {
		if err := strictjson.Decode(raw, &out[i], 0); err != nil {
			var id struct{ ID string }
			_ = json.Unmarshal(raw, &id)
			return nil, jsonErr(source, i+1, id.ID, err)
		}
		if err := checkUnitRow(source, i+1, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
