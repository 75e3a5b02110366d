package routing

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// A Directory is a validated, immutable set of units over a region tree and a
// dispatch catalogue, indexed for routing. Build it with [NewDirectory] or
// [ReadDirectory]; it is safe for concurrent use.
type Directory struct {
	tree *RegionTree

	matters   []Matter // as given, Kind and Line resolved (inherited)
	matterIdx map[MatterCode]int32

	units   []Unit
	unitIdx map[string]int32
	kinds   []uint8 // per unit: the bits (Kind.bit) of the kinds it handles; 0 = all

	// The responsibility index: for the region at tree position r,
	// postings[regionOff[r]:regionOff[r+1]] lists the units responsible for a
	// matter over exactly that area, sorted by matter then unit.
	regionOff []int32
	postings  []posting
	// terr maps the tree position of an area to its territorial government.
	terr map[int32]int32
}

type posting struct{ matter, unit int32 }

// NewDirectory validates units and matters against tree and each other and
// builds the directory. It checks:
//   - each matter: well-formed unique code, name, kind (required at level 1),
//     no line on a territorial matter, parent code in the catalogue;
//   - each unit: unique well-formed ID, name, kind, known parent and
//     designating authority with no cycles, area codes in the tree, matter
//     codes in the catalogue, no duplicates in its lists, territorial only
//     for a government without a sector line, and at most one territorial
//     government per area.
//
// Errors are [*RowError] values: Source "matters" or "units", Row the 1-based
// position in the slice (for a CSV file, data row N is line N+1), ID and Field.
// NewDirectory does not keep references to the slices.
func NewDirectory(tree *RegionTree, matters []Matter, units []Unit) (*Directory, error) {
	if tree == nil {
		return nil, fmt.Errorf("%w: nil region tree", ErrInvalidField)
	}
	if len(units) >= 1<<31-1 || len(matters) >= 1<<31-1 {
		return nil, fmt.Errorf("%w: too many entries", ErrMalformed)
	}
	// The index holds one posting per unit, area and matter: bound it before
	// anything is allocated (a few KB of JSON can ask for billions).
	postings := 0
	for i, u := range units {
		n := len(u.Areas) * len(u.Matters)
		if n > MaxPostings-postings {
			return nil, rowErr("units", i+1, u.ID, "", "", ErrMalformed,
				"the directory's units cover more than %d (matter, area) postings (MaxPostings)", MaxPostings)
		}
		postings += n
	}
	d := &Directory{
		tree:      tree,
		matterIdx: make(map[MatterCode]int32, len(matters)),
		unitIdx:   make(map[string]int32, len(units)),
	}
	if err := d.addMatters(matters); err != nil {
		return nil, err
	}
	if err := d.addUnits(units); err != nil {
		return nil, err
	}
	d.buildIndex()
	return d, nil
}

func (d *Directory) addMatters(matters []Matter) error {
	const source = "matters"
	d.matters = make([]Matter, len(matters))
	for i, m := range matters {
		m.Name = strings.TrimSpace(m.Name)
		m.Line = strings.TrimSpace(m.Line)
		if err := checkMatterRow(source, i+1, m); err != nil {
			return err
		}
		if j, dup := d.matterIdx[m.Code]; dup {
			return rowErr(source, i+1, string(m.Code), "code", string(m.Code), ErrDuplicate, "also at row %d", j+1)
		}
		d.matterIdx[m.Code] = int32(i)
		d.matters[i] = m
	}
	// Resolve inheritance top-down: parents are shorter codes.
	order := make([]int, len(d.matters))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(d.matters[a].Code) - len(d.matters[b].Code) })
	for _, i := range order {
		m := &d.matters[i]
		p := m.Code.Parent()
		if p == "" {
			continue
		}
		j, ok := d.matterIdx[p]
		if !ok {
			return rowErr(source, i+1, string(m.Code), "code", string(p), ErrUnknownParent,
				"parent matter %s is not in the catalogue", p)
		}
		parent := d.matters[j]
		if m.Kind == "" {
			m.Kind = parent.Kind
		}
		if m.Kind == MatterSectorLine && m.Line == "" {
			m.Line = parent.Line
		}
	}
	return nil
}

func (d *Directory) addUnits(units []Unit) error {
	const source = "units"
	d.units = make([]Unit, len(units))
	d.kinds = make([]uint8, len(units))
	for i, u := range units {
		u = cloneUnit(u)
		u.ID = strings.TrimSpace(u.ID)
		u.Name = strings.TrimSpace(u.Name)
		u.Line = strings.TrimSpace(u.Line)
		if err := checkUnitRow(source, i+1, &u); err != nil {
			return err
		}
		if j, dup := d.unitIdx[u.ID]; dup {
			return rowErr(source, i+1, u.ID, "id", u.ID, ErrDuplicate, "also at row %d", j+1)
		}
		d.unitIdx[u.ID] = int32(i)
		for _, k := range u.Kinds {
			d.kinds[i] |= k.bit()
		}
		d.units[i] = u
	}
	terr := make(map[RegionCode]int, 64)
	for i, u := range d.units {
		e := func(field, value string, sentinel error, format string, args ...any) error {
			return rowErr(source, i+1, u.ID, field, value, sentinel, format, args...)
		}
		if u.Parent != "" {
			if _, ok := d.unitIdx[u.Parent]; !ok {
				return e("parent", u.Parent, ErrUnknownParent, "no unit has this ID")
			}
		}
		if u.Authority != "" {
			if _, ok := d.unitIdx[u.Authority]; !ok {
				return e("authority", u.Authority, ErrUnknownUnit, "no unit has this ID")
			}
		}
		broadest := RegionLevel("")
		for _, a := range u.Areas {
			if !d.tree.Has(a) {
				return e("areas", string(a), ErrUnknownRegion, "not in the region tree")
			}
			if broadest == "" || a.Level().Broader(broadest) {
				broadest = a.Level()
			}
			if u.Territorial {
				if j, dup := terr[a]; dup {
					return e("territorial", string(a), ErrConflict,
						"%q (row %d) is already the territorial government of %s", d.units[j].ID, j+1, a)
				}
				terr[a] = i
			}
		}
		if u.Level == "" {
			d.units[i].Level = broadest
		}
		for _, m := range u.Matters {
			if _, ok := d.matterIdx[m]; !ok {
				return e("matters", string(m), ErrUnknownMatter, "not in the dispatch catalogue")
			}
		}
	}
	if err := d.checkAcyclic("parent", func(u *Unit) string { return u.Parent }); err != nil {
		return err
	}
	return d.checkAcyclic("authority", func(u *Unit) string { return u.Authority })
}

// checkAcyclic reports the first unit whose chain of next pointers loops.
func (d *Directory) checkAcyclic(field string, next func(*Unit) string) error {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(d.units))
	var path []int32
	for start := range d.units {
		path = path[:0]
		i := int32(start)
		for state[i] == unseen {
			state[i] = onPath
			path = append(path, i)
			n := next(&d.units[i])
			if n == "" {
				break
			}
			i = d.unitIdx[n]
		}
		if state[i] == onPath && next(&d.units[i]) != "" {
			// i is on the current path and points onwards: a cycle through i.
			var ids []string
			for k := slices.Index(path, i); k < len(path); k++ {
				ids = append(ids, d.units[path[k]].ID)
			}
			ids = append(ids, d.units[i].ID)
			u := d.units[i]
			return rowErr("units", int(i)+1, u.ID, field, next(&u), ErrCycle, "%s", strings.Join(ids, " → "))
		}
		for _, p := range path {
			state[p] = done
		}
	}
	return nil
}

func (d *Directory) buildIndex() {
	type entry struct {
		region int32
		posting
	}
	var entries []entry
	d.terr = make(map[int32]int32)
	for i, u := range d.units {
		for _, a := range u.Areas {
			ra, _ := d.tree.pos(a)
			for _, m := range u.Matters {
				entries = append(entries, entry{ra, posting{d.matterIdx[m], int32(i)}})
			}
			if u.Territorial {
				d.terr[ra] = int32(i) // at most one per area (checked)
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.matter, b.matter), cmp.Compare(a.unit, b.unit))
	})
	d.postings = make([]posting, len(entries))
	d.regionOff = make([]int32, d.tree.Len()+1)
	for i, e := range entries {
		d.postings[i] = e.posting
		d.regionOff[e.region+1]++
	}
	for r := range d.tree.Len() {
		d.regionOff[r+1] += d.regionOff[r]
	}
}

// responsible returns the units responsible for exactly the matter at
// catalogue position mid over exactly the area at tree position rid.
func (d *Directory) responsible(mid, rid int32) []posting {
	ps := d.postings[d.regionOff[rid]:d.regionOff[rid+1]]
	lo, _ := slices.BinarySearchFunc(ps, mid, func(p posting, m int32) int { return cmp.Compare(p.matter, m) })
	hi := lo
	for hi < len(ps) && ps[hi].matter == mid {
		hi++
	}
	return ps[lo:hi]
}

func cloneUnit(u Unit) Unit {
	u.Areas = slices.Clone(u.Areas)
	u.Matters = slices.Clone(u.Matters)
	u.Kinds = slices.Clone(u.Kinds)
	return u
}

// Tree returns the region tree the directory was built on.
func (d *Directory) Tree() *RegionTree {
	if d == nil {
		return nil
	}
	return d.tree
}

// Len returns the number of units.
func (d *Directory) Len() int {
	if d == nil {
		return 0
	}
	return len(d.units)
}

// unit returns the position of the unit with the given ID.
func (d *Directory) unit(id string) (int32, bool) {
	if d == nil {
		return 0, false
	}
	i, ok := d.unitIdx[id]
	return i, ok
}

// Unit returns a copy of the unit with the given ID, with Level resolved.
func (d *Directory) Unit(id string) (Unit, bool) {
	i, ok := d.unit(id)
	if !ok {
		return Unit{}, false
	}
	return cloneUnit(d.units[i]), true
}

// Units yields copies of all units in the order given.
func (d *Directory) Units() iter.Seq[Unit] {
	return func(yield func(Unit) bool) {
		if d == nil {
			return
		}
		for _, u := range d.units {
			if !yield(cloneUnit(u)) {
				return
			}
		}
	}
}

// Matter returns the catalogue entry for code, with Kind and Line resolved
// from its parents.
func (d *Directory) Matter(code MatterCode) (Matter, bool) {
	if d == nil {
		return Matter{}, false
	}
	i, ok := d.matterIdx[code]
	if !ok {
		return Matter{}, false
	}
	return d.matters[i], true
}

// Matters yields the catalogue in the order given, Kind and Line resolved.
func (d *Directory) Matters() iter.Seq[Matter] {
	if d == nil {
		return slices.Values([]Matter(nil))
	}
	return slices.Values(d.matters)
}

// Covers reports whether the unit with the given ID covers the place: one of
// its areas is the place or contains it.
func (d *Directory) Covers(id string, place RegionCode) bool {
	i, ok := d.unit(id)
	return ok && d.coverDepth(i, place) > 0
}

// coverDepth returns the length of the narrowest area of unit i that contains
// place, or 0 if none does.
func (d *Directory) coverDepth(i int32, place RegionCode) int {
	depth := 0
	for _, a := range d.units[i].Areas {
		if a.Contains(place) {
			depth = max(depth, len(a))
		}
	}
	return depth
}

// directoryFile is the JSON form of a directory.
type directoryFile struct {
	Matters []Matter `json:"matters"`
	Units   []Unit   `json:"units"`
}

// rawDirectoryFile is [directoryFile] with its items still undecoded, so
// that an item's error can name its position.
type rawDirectoryFile struct {
	Matters []json.RawMessage `json:"matters"`
	Units   []json.RawMessage `json:"units"`
}

// ReadDirectory reads a directory in JSON
//
//	{"matters": [{"code": "05", "name": "…", "kind": "sector_line", "line": "市场监管"}, …],
//	 "units":   [{"id": "…", "name": "…", "kind": "street", "areas": ["310113003"], …}, …]}
//
// and builds it over tree with [NewDirectory]. Field names are those of
// [Matter] and [Unit]; enums take their wire values or Chinese labels. The
// document goes through the module's strict loader: at most
// [MaxDirectoryBytes], no trailing data, no duplicate, case-variant or
// unknown keys, at the top and in every item. Each matter and unit is decoded
// and checked on its own, and errors are [*RowError]s naming its position
// ("units row 3").
//
// To combine lists from several files (a district's JSON and a street's CSV,
// say), read each, take the JSON directory's [Directory.Units] and
// [Directory.Matters], append the others and call [NewDirectory].
func ReadDirectory(r io.Reader, tree *RegionTree) (*Directory, error) {
	matters, units, err := readDirectoryLists(r)
	if err != nil {
		return nil, err
	}
	return NewDirectory(tree, matters, units)
}

// readDirectoryLists reads the matters and units of a directory in JSON,
// each checked on its own but not against each other.
func readDirectoryLists(r io.Reader) ([]Matter, []Unit, error) {
	const source = "directory.json"
	var f rawDirectoryFile
	if err := strictjson.Read(r, &f, MaxDirectoryBytes); err != nil {
		return nil, nil, jsonErr(source, 0, "", err)
	}
	matters := make([]Matter, len(f.Matters))
	for i, raw := range f.Matters {
		if err := strictjson.Decode(raw, &matters[i], 0); err != nil {
			var id struct{ Code string }
			_ = json.Unmarshal(raw, &id)
			return nil, nil, jsonErr("matters", i+1, id.Code, err)
		}
		if err := checkMatterRow("matters", i+1, matters[i]); err != nil {
			return nil, nil, err
		}
	}
	units := make([]Unit, len(f.Units))
	for i, raw := range f.Units {
		if err := strictjson.Decode(raw, &units[i], 0); err != nil {
			var id struct{ ID string }
			_ = json.Unmarshal(raw, &id)
			return nil, nil, jsonErr("units", i+1, id.ID, err)
		}
		if err := checkUnitRow("units", i+1, &units[i]); err != nil {
			return nil, nil, err
		}
	}
	return matters, units, nil
}

// jsonErr turns a decoding error of the JSON source (row 0) or of one of its
// items into a [*RowError]: an unknown enum value wraps [ErrInvalidEnum],
// anything else [ErrMalformed]; both wrap the strictjson error.
func jsonErr(source string, row int, id string, err error) error {
	re := &RowError{Source: source, Row: row, ID: enum.Clip(id)}
	var se *strictjson.Error
	if errors.As(err, &se) {
		re.Field = se.Path
	}
	if errors.Is(err, ErrInvalidEnum) {
		re.Err = err
	} else {
		re.Err = fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return re
}

// WriteJSON writes the directory in the form [ReadDirectory] reads,
// with inherited matter kinds and lines and resolved unit levels written out.
func (d *Directory) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	var f directoryFile
	if d != nil {
		f = directoryFile{Matters: d.matters, Units: d.units}
	}
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
