package routing

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// linearFind is the baseline for the index: it scans every unit for
// responsibility for exactly mc and an area containing the place, and
// returns the candidates in the index's order (narrowest area first, then
// directory order), so that routing with it gives the same decision.
func linearFind(s *route, mc MatterCode) []cand {
	var found []cand
	for i := range s.d.units {
		u := &s.d.units[i]
		if !slices.Contains(u.Matters, mc) {
			continue
		}
		if depth := s.d.coverDepth(int32(i), s.req.Place); depth > 0 {
			found = append(found, cand{unit: int32(i), depth: depth})
		}
	}
	slices.SortFunc(found, func(a, b cand) int { return cmp.Or(cmp.Compare(b.depth, a.depth), cmp.Compare(a.unit, b.unit)) })
	var out []cand
	for _, c := range found {
		out = s.admit(out, c.unit, c.depth, mc)
	}
	return out
}

// nationalBench is the benchmark fixture: the national region tree from
// testdata/china-regions.csv.gz, 5,000 matters and 100,000 synthetic units.
type nationalBench struct {
	dir      *Directory
	reqs     []Request
	treeLoad time.Duration
	dirBuild time.Duration
	treeMB   float64
	dirMB    float64
}

const (
	benchUnits   = 100_000
	benchMatters = 5_000
	benchLines   = 10
)

var loadNational = sync.OnceValues(func() (*nationalBench, error) {
	nb := &nationalBench{}
	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	h0 := heap()
	start := time.Now()
	f, err := os.Open("testdata/china-regions.csv.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tree, err := ReadRegions(f)
	if err != nil {
		return nil, err
	}
	nb.treeLoad = time.Since(start)
	h1 := heap()
	nb.treeMB = float64(h1-h0) / (1 << 20)

	rng := rand.New(rand.NewPCG(2023, 310113))
	matters := benchCatalogue()
	units := benchDirectoryUnits(rng, tree, matters)
	start = time.Now()
	dir, err := NewDirectory(tree, matters, units)
	if err != nil {
		return nil, err
	}
	nb.dirBuild = time.Since(start)
	units, matters = nil, nil
	nb.dirMB = float64(heap()-h1) / (1 << 20)
	nb.dir = dir

	// Requests: a random community (village-level code) and a random level-3
	// matter; one in eight carries a second matter.
	var villages []RegionCode
	for r := range tree.All() {
		if r.Level == LevelVillage {
			villages = append(villages, r.Code)
		}
	}
	var leaves []MatterCode
	for _, m := range dir.matters {
		if m.Code.Level() == 3 {
			leaves = append(leaves, m.Code)
		}
	}
	nb.reqs = make([]Request, 4096)
	for i := range nb.reqs {
		req := Request{Place: villages[rng.IntN(len(villages))], Matters: []MatterCode{leaves[rng.IntN(len(leaves))]}}
		if i%8 == 0 {
			if m := leaves[rng.IntN(len(leaves))]; m != req.Matters[0] {
				req.Matters = append(req.Matters, m)
			}
		}
		nb.reqs[i] = req
	}
	return nb, nil
})

// benchCatalogue returns 5,000 matters: 20 level-1 categories (even ones
// sector-line, with lines L0…L9; odd ones territorial), 10 level-2 matters in
// each, and 4,780 level-3 matters spread over the 200 level-2 ones.
func benchCatalogue() []Matter {
	var ms []Matter
	for c1 := range 20 {
		m := Matter{Code: MatterCode(fmt.Sprintf("%02d", c1+1)), Name: fmt.Sprintf("类别%d", c1+1), Kind: MatterTerritorial}
		if c1%2 == 0 {
			m.Kind, m.Line = MatterSectorLine, fmt.Sprintf("L%d", c1/2)
		}
		ms = append(ms, m)
		for c2 := range 10 {
			ms = append(ms, Matter{Code: MatterCode(fmt.Sprintf("%02d%02d", c1+1, c2+1)), Name: "事项"})
		}
	}
	for i := range benchMatters - len(ms) {
		l2 := i % 200
		code := fmt.Sprintf("%02d%02d%02d", l2/10+1, l2%10+1, i/200+1)
		ms = append(ms, Matter{Code: MatterCode(code), Name: "细项"})
	}
	return ms
}

// benchDirectoryUnits returns 100,000 units over the national tree: 10 line
// departments per province (responsible for their line's level-1 category),
// every county's government and every town's government (territorial; towns
// answer for 5 territorial level-2 matters), 10,000 residents' committees (3
// territorial level-3 matters each) and county line departments for the rest
// (2 level-2 and 30 level-3 matters of their line each).
func benchDirectoryUnits(rng *rand.Rand, tree *RegionTree, ms []Matter) []Unit {
	var provinces, counties, towns, villages []RegionCode
	for r := range tree.All() {
		switch r.Level {
		case LevelProvince:
			provinces = append(provinces, r.Code)
		case LevelCounty:
			counties = append(counties, r.Code)
		case LevelTown:
			towns = append(towns, r.Code)
		case LevelVillage:
			villages = append(villages, r.Code)
		}
	}
	// Matters by line and kind, by level.
	lineL2 := make([][]MatterCode, benchLines)
	lineL3 := make([][]MatterCode, benchLines)
	var terrL2, terrL3 []MatterCode
	for _, m := range ms {
		top := int(m.Code[0]-'0')*10 + int(m.Code[1]-'0') - 1
		line := top%2 == 0
		switch m.Code.Level() {
		case 2:
			if line {
				lineL2[top/2] = append(lineL2[top/2], m.Code)
			} else {
				terrL2 = append(terrL2, m.Code)
			}
		case 3:
			if line {
				lineL3[top/2] = append(lineL3[top/2], m.Code)
			} else {
				terrL3 = append(terrL3, m.Code)
			}
		}
	}
	pick := func(from []MatterCode, n int) []MatterCode {
		var out []MatterCode
		for len(out) < n {
			if m := from[rng.IntN(len(from))]; !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
		return out
	}
	units := make([]Unit, 0, benchUnits)
	for _, p := range provinces {
		for l := range benchLines {
			units = append(units, Unit{ID: fmt.Sprintf("p%s-L%d", p, l), Name: "省级部门", Kind: UnitCityDepartment,
				Line: fmt.Sprintf("L%d", l), Areas: []RegionCode{p}, Matters: []MatterCode{MatterCode(fmt.Sprintf("%02d", 2*l+1))}})
		}
	}
	for _, c := range counties {
		units = append(units, Unit{ID: "g" + string(c), Name: "区县政府", Kind: UnitDistrictGovernment, Areas: []RegionCode{c}, Territorial: true})
	}
	for _, t := range towns {
		units = append(units, Unit{ID: "g" + string(t), Name: "街镇", Kind: UnitStreet, Areas: []RegionCode{t},
			Territorial: true, Matters: pick(terrL2, 5), Authority: "g" + string(t[:6])})
	}
	for _, i := range rng.Perm(len(villages))[:10_000] {
		v := villages[i]
		units = append(units, Unit{ID: "r" + string(v), Name: "居委会", Kind: UnitResidentsCommittee, Areas: []RegionCode{v},
			Matters: pick(terrL3, 3), Authority: "g" + string(v[:9])})
	}
	for k := 0; len(units) < benchUnits; k++ {
		c := counties[k%len(counties)]
		l := (k / len(counties)) % benchLines
		units = append(units, Unit{ID: fmt.Sprintf("d%s-%d", c, k), Name: "职能部门", Kind: UnitFunctionalDepartment,
			Line: fmt.Sprintf("L%d", l), Areas: []RegionCode{c}, Matters: append(pick(lineL2[l], 2), pick(lineL3[l], 30)...),
			Authority: "g" + string(c)})
	}
	return units
}

func benchFixture(b *testing.B) *nationalBench {
	nb, err := loadNational()
	if errors.Is(err, fs.ErrNotExist) {
		b.Skip("testdata/china-regions.csv.gz is missing: the national benchmark needs the 2023 region file (see testdata/SOURCE.md)")
	}
	if err != nil {
		b.Fatal(err)
	}
	return nb
}

// reportCPU reports the process CPU time per operation since cpu0 (GC
// included), a figure a machine shared with other jobs does not inflate.
func reportCPU(b *testing.B, cpu0 time.Duration, n int) {
	if cpu := processCPU(); cpu > 0 && n > 0 {
		b.ReportMetric(float64((cpu-cpu0).Nanoseconds())/float64(n), "cpu-ns/op")
	}
}

func (nb *nationalBench) report(b *testing.B) {
	b.ReportMetric(float64(nb.dir.Len()), "units")
	b.ReportMetric(float64(nb.dir.Tree().Len()), "regions")
	b.ReportMetric(nb.treeLoad.Seconds(), "tree-load-s")
	b.ReportMetric(nb.dirBuild.Seconds(), "dir-build-s")
	b.ReportMetric(nb.treeMB, "tree-MB")
	b.ReportMetric(nb.dirMB, "dir-MB")
}

// BenchmarkRoute routes requests through the (matter, area) index over
// 100,000 units, 5,000 matters and all 665,276 divisions.
func BenchmarkRoute(b *testing.B) {
	nb := benchFixture(b)
	r, err := NewRouter(nb.dir, Shanghai())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := r.Route(nb.reqs[i%len(nb.reqs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu0, i)
	nb.report(b) // after the loop: b.Loop resets reported metrics
}

// BenchmarkRouteLinearScan is the baseline: the same decisions with the
// candidates found by scanning every unit.
func BenchmarkRouteLinearScan(b *testing.B) {
	nb := benchFixture(b)
	r, err := NewRouter(nb.dir, Shanghai())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := r.route(nb.reqs[i%len(nb.reqs)], linearFind); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu0, i)
}

// BenchmarkReadRegionsNational times loading the national file
// (gzip + CSV, 665,276 rows) with the package's loader.
func BenchmarkReadRegionsNational(b *testing.B) {
	data, err := os.ReadFile("testdata/china-regions.csv.gz")
	if errors.Is(err, fs.ErrNotExist) {
		b.Skip("testdata/china-regions.csv.gz is missing (see testdata/SOURCE.md)")
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		tree, err := ReadRegions(bytesReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if tree.Len() != 665_276 {
			b.Fatalf("got %d regions, want 665276", tree.Len())
		}
	}
}

// BenchmarkReadRegionsBomb loads the bomb of issue 9: a gzip stream of about
// 200 KB that decompresses to a region CSV whose one name is 200 MB. Before
// the bound it allocated 1.5 GB before failing; the figure to watch is B/op,
// next to the baseline loads of the real 宝山区 file below.
func BenchmarkReadRegionsBomb(b *testing.B) {
	bomb := gzipBomb(b, 200<<20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRegions(bytesReader(bomb)); !errors.Is(err, ErrMalformed) {
			b.Fatalf("the bomb loaded: %v", err)
		}
	}
	b.ReportMetric(float64(len(bomb)), "gzip-bytes")
}

// BenchmarkReadRegionsBaoshan is the bomb's baseline: a normal load of the
// real 宝山区 file (581 divisions, 31 KB), as CSV and as gzip.
func BenchmarkReadRegionsBaoshan(b *testing.B) {
	data, err := os.ReadFile("testdata/shanghai-310113.csv")
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range []struct {
		name string
		data []byte
	}{{"csv", data}, {"gzip", gzipOf(b, data)}} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tree, err := ReadRegions(bytesReader(in.data))
				if err != nil {
					b.Fatal(err)
				}
				if tree.Len() != 581 {
					b.Fatalf("got %d regions", tree.Len())
				}
			}
		})
	}
}

// BenchmarkCountBounces counts returns naming distinct pairs at two sizes:
// linear growth (the 10× input costs about 10×, not 100×).
func BenchmarkCountBounces(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		rets := make([]Return, n)
		for i := range rets {
			rets[i] = Return{Unit: fmt.Sprintf("u%06d", i), SuggestedUnit: fmt.Sprintf("v%06d", i/2)}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				CountBounces(rets)
			}
		})
	}
}
